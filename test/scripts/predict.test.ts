/**
 * `npm run predict` as a user runs it: a child process on real files with the committed model,
 * its answers checked against `POST /predict` on a real server for the same flights.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvRow } from '../../scripts/train/csv.js';
import { runScript, type ScriptRun } from '../../scripts/lib/process.js';
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
    // Line by line, each input line's own text and the two answers: the data set has no cell to
    // escape, and quotes only what must be. (Text, not parsed rows: parsing both files with
    // csv-parse was most of this test's time.)
    const input = (await readFile(SHARED_DATA, 'utf8')).split('\n');
    const output = (await readFile(out, 'utf8')).split('\n');
    expect(output).toHaveLength(input.length);
    expect(output[0]).toBe(`${input[0]},probability,delayed`);
    expect(output.map((line) => line.replace(/,[^,]*,[^,]*$/, ''))).toEqual(input);
    // A sample spread over the year: every 68th flight, 1,004 of them.
    const [header, ...sample] = parse(
      [output[0], ...output.slice(1, -1).filter((_, i) => i % 68 === 0)].join('\n'),
    );
    expect(sample).toHaveLength(1_004);
    expect(sample.map((row) => row.slice(-2))).toEqual(await functionAnswers(header!, sample));
  });
});

const HEADER = 'Fecha-I,Vlo-I,OPERA,TIPOVUELO,SIGLADES';
/** Cells a spreadsheet would evaluate (OWASP, "CSV Injection") and how the output must hold them. */
const FORMULAS: Array<[cell: string, written: string]> = [
  ['=HYPERLINK("http://evil.example","x")', `'=HYPERLINK("http://evil.example","x")`],
  ["+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"],
  ['@SUM(1+1)', "'@SUM(1+1)"],
  ['-2+3', "'-2+3"],
  ['\t=1+2', "'\t=1+2"],
];
const GOOD = [
  '2017-07-14 08:30:00,226,Grupo LATAM,N,Antofagasta',
  '2017-12-22T23:10:00-03:00,11,Sky Airline,I,"Lima, Peru"',
  '2017-03-01 06:00:00,-2.5,K.L.M.,I,Amsterdam',
  // Carried through (Vlo-I) and an unknown destination (SIGLADES): both written out.
  ...FORMULAS.map(([cell]) => csvRow(['2017-05-02 10:00:00', cell, 'Sky Airline', 'N', cell])),
];
const BAD = [
  { row: '2017-07-14 09:10:00,5,Grupo LATAM,N,"Arica', reason: /field 5 opens a quote/ },
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
  {
    row: '2017-07-14 11:00:00,6,Sky Airline,N,Concepci\xf3n',
    reason: /the line is not valid UTF-8/,
  },
];
// Good and bad rows interleaved, a stray quote first: lines 2, 3, 4, 5 … of the file.
const MIXED = [
  HEADER,
  GOOD[0],
  BAD[0]!.row,
  BAD[1]!.row,
  BAD[2]!.row,
  GOOD[1],
  BAD[3]!.row,
  GOOD[2],
  BAD[4]!.row,
  BAD[5]!.row,
  ...GOOD.slice(3),
];
const BAD_LINES = [3, 4, 5, 7, 9, 10];

/** The peak RSS a run's summary line reports, in MiB. */
function peakRss(run: { stderr: string }): number {
  const match = /peak RSS (\d+) MiB/.exec(run.stderr);
  if (!match) throw new Error(`no peak RSS in:\n${run.stderr}`);
  return Number(match[1]);
}

describe('npm run predict on a file with bad rows', () => {
  let mixed: string;
  let run: ScriptRun;
  const out = () => join(dir, 'mixed-scored.csv');
  const rejects = () => join(dir, 'rejects.jsonl');
  beforeAll(async () => {
    mixed = join(dir, 'mixed.csv');
    // Latin-1, as a spreadsheet saving "CSV" in a Western locale writes it.
    await writeFile(mixed, Buffer.from(`${MIXED.join('\n')}\n`, 'latin1'));
    run = await runScript(CLI, ['--data', mixed, '--out', out(), '--rejects', rejects()]);
  });

  it('names every rejected row with its line and reason, and exits 1', async () => {
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`rejected 6 rows (every one is in ${rejects()}):`);
    for (const [i, { reason }] of BAD.entries()) {
      expect(run.stderr).toMatch(new RegExp(`^  line ${BAD_LINES[i]}: ${reason.source}`, 'm'));
    }
    const listed = (await readFile(rejects(), 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { line: number; reasons: string[]; fields: string[] });
    expect(listed.map((r) => r.line)).toEqual(BAD_LINES);
    expect(listed[3]!.fields).toEqual(['2017-07-14 10:00:00', '3', 'Grupo LATAM', 'N']);
  });

  it('accounts for every line: scored or rejected, a stray quote swallowing no other', () => {
    const lines = MIXED.length - 1;
    expect(GOOD.length + BAD.length).toBe(lines);
    expect(run.stderr).toMatch(
      new RegExp(`predict: ${lines} rows, ${GOOD.length} scored, ${BAD.length} rejected`),
    );
  });

  it("writes every good row in order, with /predict's answers and no cell a spreadsheet evaluates", async () => {
    const output = parse(await readFile(out()));
    const rows = parse(`${[HEADER, ...GOOD].join('\n')}\n`);
    const formulas = new Map(FORMULAS);
    const written = rows.map((row) => row.map((cell) => formulas.get(cell) ?? cell));
    expect(output.map((row) => row.slice(0, -2))).toEqual(written);
    expect(output.slice(1).map((row) => row.slice(-2))).toEqual(
      await functionAnswers(rows[0]!, rows.slice(1)),
    );
  });

  it('exits 0 with --allow-rejects, still reporting them, writing to stdout without --out', async () => {
    const allowed = await runScript(CLI, ['--data', mixed, '--allow-rejects']);
    expect(allowed.code).toBe(0);
    expect(allowed.stderr).toContain('rejected 6 rows (pass --rejects FILE to list them all):');
    expect(parse(allowed.stdout)).toEqual(parse(await readFile(out())));
  });

  it(`rejects a line of a 50 MB field by its number, in about the memory of a small file`, async () => {
    const huge = join(dir, 'huge-field.csv');
    const field = Buffer.alloc(50_000_000, 'x');
    await writeFile(
      huge,
      Buffer.concat([
        Buffer.from(`${HEADER}\n${GOOD[0]}\n${GOOD[1]},`),
        field,
        Buffer.from(`\n${GOOD[2]}\n`),
      ]),
    );
    const big = await runScript(CLI, ['--data', huge, '--out', join(dir, 'huge-scored.csv')]);
    expect(big.code).toBe(1);
    expect(big.stderr).toMatch(/^ {2}line 3: the line is longer than 65,536 bytes$/m);
    expect(big.stderr).toMatch(/predict: 3 rows, 2 scored, 1 rejected/);
    // The small file is the mixed one. Holding the field, even once, would take 48 MiB more.
    expect(peakRss(big)).toBeLessThan(peakRss(run) + 24);
  });
});

describe('npm run predict --help', () => {
  it('prints the usage and exits 0, reading and writing nothing', async () => {
    const out = join(dir, 'help.csv');
    const run = await runScript(CLI, ['--help', '--data', join(dir, 'absent.csv'), '--out', out]);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(/^usage: npm run predict -- --data IN\.csv/);
    expect(existsSync(out)).toBe(false);
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
      stderr: /schedule\.onnx, line 1 \(the header\): the line is not valid UTF-8/,
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
    await writeFile(file, `${HEADER}\n${`${GOOD[0]}\n`.repeat(40_000)}`);
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
