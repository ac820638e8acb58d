/**
 * Typed clients generated from GET /openapi.json by openapi-typescript and @hey-api/openapi-ts:
 * a small client over each compiles under `tsc --strict` and gets from the real function what it
 * answers; a misspelled airline or a missing one-hot key does not compile.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { example } from '../helpers/contract.js';
import { writeOpenApi } from '../helpers/openapi-file.js';
import { post, startServer, type TestServer } from '../helpers/server.js';

const run = promisify(execFile);
const bin = (name: string) => join(process.cwd(), 'node_modules/.bin', name);
const FIXTURES = 'test/fixtures/clients';

/** Each generator: how it writes its output into a client's folder, and its types' module. */
const GENERATORS = {
  'openapi-typescript': {
    generate: (spec: string, dir: string) =>
      run(bin('openapi-typescript'), [spec, '-o', join(dir, 'schema.ts')]),
    types:
      "import type { components } from './schema.js';\n" +
      "export type SeedRequest = components['schemas']['SeedRequest'];\n" +
      "export type FlightsRequest = components['schemas']['FlightsRequest'];\n" +
      "export type LatamRequest = components['schemas']['LatamRequest'];\n",
  },
  'hey-api': {
    generate: (spec: string, dir: string) =>
      run(bin('openapi-ts'), ['-i', spec, '-o', join(dir, 'hey')]),
    types: "export type { FlightsRequest, LatamRequest, SeedRequest } from './hey/types.gen.js';\n",
  },
} as const;

type Generator = keyof typeof GENERATORS;

/** Requests that must not compile, made from the valid ones, with the error tsc must give. */
const BROKEN = {
  'misspelled-airline': {
    edit: (source: string) => source.replace("OPERA: 'Grupo LATAM'", "OPERA: 'Grupo Latam'"),
    // One generator spells the airline enum out, the other names its component.
    error:
      /Type '"Grupo Latam"' is not assignable to type '("Aerolineas Argentinas" \||FlightAirline')/,
  },
  'missing-onehot-key': {
    edit: (source: string) => source.replace(/^ *MES_12: (?:true|false),\n/m, ''),
    error: /Property 'MES_12' is missing in type/,
  },
  'latam-month-as-text': {
    edit: (source: string) => source.replace('MES: 3 }', "MES: '3' }"),
    error: /Type 'string' is not assignable to type 'number'/,
  },
} as const;

const TSC_FLAGS = [
  '--strict',
  '--noEmit',
  '--target',
  'es2022',
  '--module',
  'nodenext',
  '--moduleResolution',
  'nodenext',
  '--lib',
  'es2023,dom,dom.iterable',
];

const root = writeOpenApi();
const spec = join(root, 'openapi.json');
const folder = (generator: Generator) => join(root, generator);

const clients = (Object.keys(GENERATORS) as Generator[]).map((g) => `${g}/client.ts`);
const brokenFiles = (Object.keys(GENERATORS) as Generator[]).flatMap((g) =>
  (Object.keys(BROKEN) as Array<keyof typeof BROKEN>).map((name) => ({
    file: `${g}/${name}.ts`,
    error: BROKEN[name].error,
  })),
);

/**
 * tsc's errors, by file (relative to the folder), from one run over the clients and the broken
 * requests together: one compilation costs seconds, so one it is.
 */
async function compile(): Promise<Map<string, string[]>> {
  const tsc = join(process.cwd(), 'node_modules/typescript/bin/tsc');
  const files = [...clients, ...brokenFiles.map(({ file }) => file)];
  const output = await run(process.execPath, [tsc, ...TSC_FLAGS, ...files], { cwd: root }).then(
    ({ stdout }) => stdout,
    (error: { stdout: string }) => error.stdout,
  );
  const errors = new Map<string, string[]>();
  for (const line of output.split('\n').filter((l) => /^\S+\(\d+,\d+\): error/.test(l))) {
    const file = line.slice(0, line.indexOf('('));
    errors.set(file, [...(errors.get(file) ?? []), line]);
  }
  return errors;
}

let server: TestServer;
let errors: Map<string, string[]>;
beforeAll(async () => {
  server = await startServer();
  await Promise.all(
    (Object.keys(GENERATORS) as Generator[]).map(async (generator) => {
      const dir = folder(generator);
      mkdirSync(dir);
      await GENERATORS[generator].generate(spec, dir);
      writeFileSync(join(dir, 'types.ts'), GENERATORS[generator].types);
      copyFileSync(join(FIXTURES, 'requests.ts'), join(dir, 'requests.ts'));
      copyFileSync(join(FIXTURES, `${generator}-client.ts`), join(dir, 'client.ts'));
      const requests = readFileSync(join(FIXTURES, 'requests.ts'), 'utf8');
      for (const [name, { edit }] of Object.entries(BROKEN)) {
        const broken = edit(requests);
        if (broken === requests) throw new Error(`${name} left requests.ts unchanged`);
        writeFileSync(join(dir, `${name}.ts`), broken);
      }
    }),
  );
  errors = await compile();
});
afterAll(async () => {
  await server.close();
  rmSync(root, { recursive: true, force: true });
});

describe('clients generated from GET /openapi.json', () => {
  it('compile under tsc --strict', () => {
    for (const file of clients) expect(errors.get(file) ?? [], file).toEqual([]);
    // Nothing outside the files compiled (the generated code they import) fails either.
    const compiled = [...clients, ...brokenFiles.map(({ file }) => file)];
    expect([...errors.keys()].filter((file) => !compiled.includes(file))).toEqual([]);
  });

  it.each(brokenFiles)('refuse to compile $file', ({ file, error }) => {
    expect(errors.get(file), file).toHaveLength(1);
    expect(errors.get(file)?.[0]).toMatch(error);
  });

  it.each(Object.keys(GENERATORS) as Generator[])(
    '%s: the client gets what the function answers each format and ?model=original',
    async (generator) => {
      const client = (await import(join(folder(generator), 'client.ts'))) as {
        predictEach(baseUrl: string): Promise<unknown[]>;
      };
      // The client sends the first flight of each example, and the seed one again to original.
      const first = (name: string, key: 'vuelos' | 'flights') => ({
        [key]: [example<Record<string, unknown[]>>(name)[key]![0]],
      });
      const sent: Array<[string, unknown]> = [
        ['/predict', first('seed-request', 'vuelos')],
        ['/predict', first('flights-request', 'flights')],
        ['/predict', first('latam-request', 'flights')],
        ['/predict?model=original', first('seed-request', 'vuelos')],
      ];
      const expected = await Promise.all(
        sent.map(
          async ([path, body]) => (await post(server, path, body)).json() as Promise<unknown>,
        ),
      );
      expect(await client.predictEach(server.url)).toEqual(expected);
    },
  );
});
