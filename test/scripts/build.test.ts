import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import rootLock from '../../package-lock.json' with { type: 'json' };
import { DOCS_FILES, SWAGGER_UI_ASSETS } from '../../functions/docs-assets.js';
import { installBundle } from '../../scripts/build/install-bundle.js';
import { directProbabilities, example } from '../helpers/contract.js';
import { startProcess, type FunctionProcess } from '../../scripts/lib/process.js';
import { startServer } from '../helpers/server.js';

const run = promisify(execFile);
const out = mkdtempSync(join(tmpdir(), 'build-'));
const build = (dir: string) =>
  run(process.execPath, ['--import=tsx', 'scripts/build.ts', '--out', dir]);

let zip: Buffer;
beforeAll(async () => {
  await build(out);
  zip = readFileSync(join(out, 'function.zip'));
});
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('npm run build', () => {
  it('zips byte-identically when built twice from the same sources, wherever it is written', async () => {
    const again = mkdtempSync(join(tmpdir(), 'build-'));
    // Deeper than `out`: nothing in the zip may depend on where the build was written.
    await build(join(again, 'a', 'b'));
    const digest = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
    expect(digest(join(again, 'a', 'b', 'function.zip'))).toBe(digest(join(out, 'function.zip')));
    rmSync(again, { recursive: true });
  });

  it('maps the bundle back to the sources as the repository names them', () => {
    const map = JSON.parse(readFileSync(join(out, 'index.js.map'), 'utf8')) as {
      sources: string[];
    };
    expect(map.sources).toContain('functions/handler.ts');
    expect(map.sources.filter((source) => source.startsWith('..'))).toEqual([]);
  });

  it('zips the bundle, the reference, its package files and the served models, nothing else', () => {
    expect(Object.keys(unzipSync(zip)).sort()).toEqual(
      [
        'docs/LICENSE',
        'docs/NOTICE',
        ...Object.keys(SWAGGER_UI_ASSETS).map((name) => `docs/${name}`),
        'index.js',
        'index.js.map',
        'models/onehot-37.json',
        'models/onehot-37.onnx',
        'models/onehot-37.xgboost.json',
        'models/original.json',
        'models/original.onnx',
        'models/original.xgboost.json',
        'models/schedule.json',
        'models/schedule.onnx',
        'models/schedule.xgboost.json',
        'models/nowcast.json',
        'models/nowcast.onnx',
        'models/nowcast.xgboost.json',
        'package-lock.json',
        'package.json',
        'prune-onnxruntime.cjs',
      ].sort(),
    );
  });

  it('depends only on what cannot be bundled, at the versions the root lock tested', () => {
    const manifest = JSON.parse(readFileSync(join(out, 'package.json'), 'utf8')) as {
      main: string;
      engines: { node: string };
      dependencies: Record<string, string>;
    };
    const locked = (name: string) =>
      rootLock.packages[`node_modules/${name}` as keyof typeof rootLock.packages].version;
    expect(manifest.main).toBe('index.js');
    expect(manifest.dependencies).toEqual({
      'onnxruntime-node': locked('onnxruntime-node'),
      '@google-cloud/functions-framework': locked('@google-cloud/functions-framework'),
    });
    expect(manifest.engines.node).toBe('22');
  });

  it("denies onnxruntime-node's install script, which downloads CUDA binaries", () => {
    const manifest = JSON.parse(readFileSync(join(out, 'package.json'), 'utf8')) as {
      allowScripts: Record<string, boolean>;
    };
    expect(manifest.allowScripts).toEqual({ 'onnxruntime-node': false });
  });

  it('ships the committed model files unchanged', () => {
    for (const file of [
      'onehot-37.onnx',
      'schedule.onnx',
      'schedule.json',
      'schedule.xgboost.json',
    ]) {
      expect(
        readFileSync(join(out, 'models', file)).equals(readFileSync(join('models', file))),
      ).toBe(true);
    }
  });
});

describe('the zip installed and started as Cloud Functions does', () => {
  let installed: string;
  let bundled: FunctionProcess;
  beforeAll(async () => {
    installed = await installBundle(join(out, 'function.zip'));
    bundled = await startProcess(
      join(installed, 'node_modules/.bin/functions-framework'),
      ['--target=predict'],
      {
        cwd: installed,
        env: { NODE_ENV: 'production' },
      },
    );
  }, 300_000);
  afterAll(async () => {
    await bundled?.stop();
    rmSync(installed, { recursive: true, force: true });
  });

  it('keeps only the linux/x64 ONNX Runtime binaries after gcp-build', () => {
    const bin = join(installed, 'node_modules/onnxruntime-node/bin/napi-v6');
    const platforms = readdirSync(bin).flatMap((platform) =>
      readdirSync(join(bin, platform)).map((arch) => `${platform}/${arch}`),
    );
    expect(platforms).toEqual([`${process.platform}/${process.arch}`]);
    expect(existsSync(join(installed, 'node_modules/typescript'))).toBe(false);
  });

  it('answers both request formats like the models do', async () => {
    const seed = example<{ vuelos: unknown[] }>('seed-request');
    const flights = example<{ flights: unknown[] }>('flights-request');
    const post = (body: unknown) =>
      fetch(`${bundled.url}/predict`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const seedAnswer = await post(seed);
    expect(seedAnswer.status).toBe(200);
    expect(await seedAnswer.json()).toHaveLength(2);
    const answer = (await (await post(flights)).json()) as {
      predictions: Array<{ probability: number }>;
    };
    const direct = await directProbabilities('models', 'schedule', flights.flights);
    expect(answer.predictions.map((p) => p.probability)).toEqual(
      direct.map((p) => Math.round(p * 1e6) / 1e6),
    );
  });

  it("answers the original model's labels and the LATAM shape", async () => {
    const post = (path: string, body: unknown) =>
      fetch(`${bundled.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }).then((response) => response.json());
    expect(await post('/predict?model=original', example('seed-request'))).toEqual([0, 0]);
    const latam = { flights: [{ OPERA: 'Aerolineas Argentinas', TIPOVUELO: 'N', MES: 3 }] };
    expect(await post('/predict', latam)).toEqual({ predict: [0] });
  });

  it('explains flights, adding up to the logit of each probability', async () => {
    const request = example<{ flights: unknown[] }>('explained-request');
    const response = await fetch(`${bundled.url}/predict`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(request),
    });
    const answer = (await response.json()) as {
      predictions: Array<{
        explanation: { base: number; contributions: Array<{ contribution: number }> };
      }>;
    };
    const direct = await directProbabilities('models', 'schedule', request.flights);
    answer.predictions.forEach(({ explanation: { base, contributions } }, i) => {
      const total = contributions.reduce((sum, c) => sum + c.contribution, base);
      expect(total).toBeCloseTo(Math.log(direct[i]! / (1 - direct[i]!)), 5);
    });
  });

  // The bundle carries the holiday table inside it: holidays, long weekends and the days around
  // them, over the years the API accepts.
  it('encodes the calendar of holidays as the source does', async () => {
    const flights = [
      '1970-01-01 10:00:00',
      '2017-09-16 10:00:00',
      '2017-09-20 10:00:00',
      '2017-12-23 10:00:00',
      '2030-09-18 10:00:00',
      '2100-12-25 10:00:00',
    ].map((date) => ({ OPERA: 'Sky Airline', TIPOVUELO: 'N', 'Fecha-I': date, SIGLADES: 'Arica' }));
    const response = await fetch(`${bundled.url}/predict`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ flights }),
    });
    const answer = (await response.json()) as { predictions: Array<{ probability: number }> };
    const direct = await directProbabilities('models', 'schedule', flights);
    expect(answer.predictions.map((p) => p.probability)).toEqual(
      direct.map((p) => Math.round(p * 1e6) / 1e6),
    );
  });

  // The bundle validates with code generated at build time, the source with schemas compiled at
  // start-up: the answers must not differ.
  it('answers invalid requests exactly as the function run from source does', async () => {
    const flight = example<{ flights: Array<Record<string, unknown>> }>('flights-request')
      .flights[0]!;
    const seedRow = example<{ vuelos: Array<Record<string, unknown>> }>('seed-request').vuelos[0]!;
    const bodies = [
      {
        flights: [
          { ...flight, OPERA: 'Grupo Latam', TIPOVUELO: 'X', 'Fecha-I': '2017-02-29 10:00:00' },
        ],
      },
      { flights: [{ ...flight, SIGLADES: 7, DIA: '3', MES: 13, 'Vlo-I': true, extra: null }] },
      { flights: [{ ...flight, 'Fecha-I': '2017-07-14T12:30:00+25:00' }, { OPERA: 'Iberia' }] },
      { flights: Array.from({ length: 60 }, () => ({ ...flight, TIPOVUELO: 'i' })) },
      {
        flights: [flight],
        airport: {
          asOf: '2017-07-14 7:30',
          departures: [{ OPERA: 'Sky', 'Fecha-O': '2017-02-30 01:00:00', gate: 1 }, 3],
          extra: true,
        },
      },
      { vuelos: [{ ...seedRow, MES_1: 'true', OPERA_Foo: true }] },
      { vuelos: [], flights: [] },
      { vuelos: [] },
    ];
    for (const [bundle, source] of await bundleAndSourceAnswers('/predict', bodies)) {
      expect(bundle.status).toBe(400);
      expect(bundle).toEqual(source);
    }
  });

  it('answers BigQuery calls, valid and invalid, exactly as the function run from source does', async () => {
    const bodies = [
      example('bigquery-request'),
      {
        calls: [
          ['Grupo Latam', 'X', '2017-08-13T00:30:00', null],
          [1, 2, 3],
        ],
      },
      {
        calls: [['Grupo Latam', 'N', '2017-07-14T08:30:00', 'Lima']],
        userDefinedContext: { on_invalid: 'null' },
      },
    ];
    for (const [bundle, source] of await bundleAndSourceAnswers('/bigquery', bodies)) {
      expect(bundle).toEqual(source);
    }
  });

  it('answers flights with the airport’s state, explained, exactly as the source does', async () => {
    const body = { ...example<Record<string, unknown>>('airport-request'), explain: true };
    for (const [bundle, source] of await bundleAndSourceAnswers('/predict', [body])) {
      expect(bundle.status).toBe(200);
      expect(bundle).toEqual(source);
    }
  });

  /** Each body POSTed to `path` of the bundle and of the function run from source: both answers. */
  async function bundleAndSourceAnswers(path: string, bodies: readonly unknown[]) {
    const source = await startServer();
    const answer = async (url: string, body: unknown) => {
      const response = await fetch(`${url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return { status: response.status, body: (await response.json()) as unknown };
    };
    try {
      const pairs = [];
      for (const body of bodies) {
        pairs.push(await Promise.all([answer(bundled.url, body), answer(source.url, body)]));
      }
      return pairs;
    } finally {
      await source.close();
    }
  }

  it('serves every endpoint of the contract', async () => {
    for (const path of ['/', '/healthz', '/readyz', '/models', '/openapi.json', '/docs']) {
      expect((await fetch(`${bundled.url}${path}`)).status, path).toBe(200);
    }
  });

  it("serves the reference's files from the zip, as the source serves them", async () => {
    const source = await startServer();
    try {
      for (const name of Object.keys(DOCS_FILES)) {
        const [fromBundle, fromSource] = await Promise.all(
          [bundled.url, source.url].map(async (url) => {
            const response = await fetch(`${url}/docs/${name}`);
            expect(response.status, name).toBe(200);
            return Buffer.from(await response.arrayBuffer());
          }),
        );
        expect(fromBundle!.equals(fromSource!), name).toBe(true);
      }
    } finally {
      await source.close();
    }
  });
});

describe('npm run build -- --no-docs', () => {
  it('leaves the reference out: no files, no route', async () => {
    const bare = mkdtempSync(join(tmpdir(), 'build-'));
    try {
      await run(process.execPath, ['--import=tsx', 'scripts/build.ts', '--out', bare, '--no-docs']);
      const files = Object.keys(unzipSync(readFileSync(join(bare, 'function.zip'))));
      expect(files.filter((file) => file.startsWith('docs/'))).toEqual([]);
      expect(readFileSync(join(bare, 'index.js'), 'utf8')).not.toContain('SwaggerUIBundle');
    } finally {
      rmSync(bare, { recursive: true, force: true });
    }
  });
});
