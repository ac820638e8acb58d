/**
 * `npm run predict` as a user runs it: a child process on real files with the committed model,
 * its answers checked against `POST /predict` on a real server for the same flights.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticCsv } from '../fixtures/synthetic-flights.js';
import { runScript } from '../../scripts/lib/process.js';
import { post, startServer, type TestServer } from '../helpers/server.js';
import { hasSharedData, SHARED_DATA, temporaryDirectory } from './train/helpers.js';

const CLI = 'scripts/predict.ts';
const FLIGHT_COLUMNS = ['OPERA', 'TIPOVUELO', 'Fecha-I', 'SIGLADES'];

let server: TestServer;
let dir: string;
beforeAll(async () => {
  server = await startServer();
  dir = await temporaryDirectory();
});
afterAll(() => server.close());

/** `/predict`'s probability and decision, as the CLI writes them, for rows keyed by header. */
async function functionAnswers(header: string[], rows: string[][]): Promise<string[][]> {
  const flights = rows.map((row) =>
    Object.fromEntries(FLIGHT_COLUMNS.map((column) => [column, row[header.indexOf(column)]])),
  );
  const response = await post(server, '/predict', { flights });
  expect(response.status).toBe(200);
  const { predictions } = (await response.json()) as {
    predictions: Array<{ probability: number; delayed: boolean }>;
  };
  return predictions.map((p) => [String(p.probability), String(p.delayed)]);
}

describe.skipIf(!hasSharedData)('npm run predict on the data set', () => {
  it('writes every flight in order with the probabilities /predict gives', async () => {
    const out = join(dir, 'scored.csv');
    const run = await runScript(CLI, ['--data', SHARED_DATA, '--out', out]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^predict: 68,206 rows, 68,206 scored, 0 rejected in .* rows\/s\)/);
    const input = parse(await readFile(SHARED_DATA));
    const output = parse(await readFile(out));
    expect(output).toHaveLength(68_207);
    expect(output.map((row) => row.slice(0, -2))).toEqual(input);
    // A sample spread over the year: every 68th flight, 1,003 of them.
    const sample = output.slice(1).filter((_, i) => i % 68 === 0);
    expect(sample.map((row) => row.slice(-2))).toEqual(await functionAnswers(output[0]!, sample));
  });
});

const HEADER = 'Fecha-I,Vlo-I,OPERA,TIPOVUELO,SIGLADES';
const GOOD = [
  '2017-07-14 08:30:00,226,Grupo LATAM,N,Antofagasta',
  '2017-12-22T23:10:00-03:00,11,Sky Airline,I,"Lima, Peru"',
  '2017-03-01 06:00:00,989P,K.L.M.,I,Amsterdam',
];
const BAD = [
  {
    row: '2017-07-14 09:00:00,1,Grupo Latam,N,Arica',
    reason: /OPERA: "Grupo Latam" is not one of/,
  },
  {
    row: '2017-08-13 00:30:00,2,Sky Airline,N,Arica',
    reason: /Fecha-I: .* does not exist in Santiago/,
  },
  { row: '2017-07-14 10:00:00,3,Grupo LATAM,N', reason: /has 4 fields; the header has 5/ },
  {
    row: '2017-02-30 10:00:00,4,Grupo LATAM,X,Arica',
    reason: /TIPOVUELO: "X" .*; Fecha-I: "2017-02-30 10:00:00" is not a valid/,
  },
];
// Good and bad rows interleaved: lines 2, 3, 4, 5 … of the file.
const MIXED = [
  HEADER,
  GOOD[0],
  BAD[0]!.row,
  BAD[1]!.row,
  GOOD[1],
  BAD[2]!.row,
  GOOD[2],
  BAD[3]!.row,
];
const BAD_LINES = [3, 4, 6, 8];

describe('npm run predict on a file with bad rows', () => {
  let mixed: string;
  beforeAll(async () => {
    mixed = join(dir, 'mixed.csv');
    await writeFile(mixed, `${MIXED.join('\n')}\n`);
  });

  it('names every rejected row with its line and reason, and exits 1', async () => {
    const out = join(dir, 'mixed-scored.csv');
    const rejects = join(dir, 'rejects.jsonl');
    const run = await runScript(CLI, ['--data', mixed, '--out', out, '--rejects', rejects]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`rejected 4 rows (every one is in ${rejects}):`);
    for (const [i, { reason }] of BAD.entries()) {
      expect(run.stderr).toMatch(new RegExp(`^  line ${BAD_LINES[i]}: ${reason.source}`, 'm'));
    }
    expect(run.stderr).toMatch(/predict: 7 rows, 3 scored, 4 rejected/);
    const listed = (await readFile(rejects, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { line: number; reasons: string[]; fields: string[] });
    expect(listed.map((r) => r.line)).toEqual(BAD_LINES);
    expect(listed[2]!.fields).toEqual(['2017-07-14 10:00:00', '3', 'Grupo LATAM', 'N']);
    const output = parse(await readFile(out));
    const rows = parse(`${[HEADER, ...GOOD].join('\n')}\n`);
    expect(output.map((row) => row.slice(0, -2))).toEqual(rows);
    expect(output.slice(1).map((row) => row.slice(-2))).toEqual(
      await functionAnswers(rows[0]!, rows.slice(1)),
    );
  });

  it('exits 0 with --allow-rejects, still reporting them, writing to stdout without --out', async () => {
    const run = await runScript(CLI, ['--data', mixed, '--allow-rejects']);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('rejected 4 rows (pass --rejects FILE to list them all):');
    expect(parse(run.stdout)).toHaveLength(1 + GOOD.length);
  });
});

describe('npm run predict on a file it cannot score', () => {
  const cases: Array<{
    name: string;
    file: () => Promise<string>;
    stderr: RegExp;
    args?: string[];
  }> = [
    {
      name: 'a missing file',
      file: () => Promise.resolve(join(dir, 'absent.csv')),
      stderr: /cannot read .*absent\.csv: no such file/,
    },
    { name: 'a folder', file: () => Promise.resolve(dir), stderr: /cannot read .*: not a file/ },
    {
      name: 'a header without the flight columns',
      file: async () => {
        await writeFile(
          join(dir, 'columns.csv'),
          'OPERA,Fecha-I\nGrupo LATAM,2017-07-14 08:30:00\n',
        );
        return join(dir, 'columns.csv');
      },
      stderr: /columns\.csv: the header lacks the columns "TIPOVUELO", "SIGLADES"/,
    },
    {
      name: 'a file that is not CSV',
      file: () => Promise.resolve('models/schedule.onnx'),
      stderr:
        /schedule\.onnx: the header lacks the columns "OPERA", "TIPOVUELO", "Fecha-I", "SIGLADES"/,
    },
    ...[
      { model: 'nonexistent', stderr: /nonexistent/ },
      { model: 'onehot-37', stderr: /model "onehot-37" answers the "vuelos" format, not flights/ },
    ].map(({ model, stderr }) => ({
      name: `a model of models/ named ${model}`,
      file: async () => {
        const file = join(dir, `for-${model}.csv`);
        await writeFile(
          file,
          'OPERA,TIPOVUELO,Fecha-I,SIGLADES\nSky Airline,N,2017-07-14 08:30:00,Arica\n',
        );
        return file;
      },
      args: ['--model', model],
      stderr,
    })),
  ];

  it.concurrent.each(cases)(
    'exits 2 with one message and no stack on $name',
    async ({ file, stderr, args = [] }) => {
      const run = await runScript(CLI, ['--data', await file(), ...args]);
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(/^predict: /);
      expect(run.stderr).toMatch(stderr);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
    },
  );
});

describe('npm run predict writing to a pipe its reader closes', () => {
  // The reader goes away while the model's thread is still scoring: the command must say so and
  // exit 2, not abort (stopping the thread inside an ONNX Runtime run aborts the process).
  it('exits 2 with one message once the output is closed', async () => {
    const file = join(dir, 'long.csv');
    await writeFile(file, syntheticCsv(40_000, 9));
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, '--data', file]);
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.once('data', () => child.stdout.destroy());
    const [code, signal] = (await once(child, 'exit')) as [number | null, string | null];
    expect({ code, signal, stderr }).toEqual({
      code: 2,
      signal: null,
      stderr: 'predict: the output was closed before every row was written\n',
    });
  });
});
