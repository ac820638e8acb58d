/**
 * npm run monitor's exit status and its one line when it cannot run, and a log of LATAM flights
 * (no date: grouped by the week they were logged, drift and estimation only).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createLog } from '../../../functions/logging.js';
import { predictionLogEntries } from '../../../functions/prediction-log.js';
import { runScript } from '../../../scripts/lib/process.js';
import { temporaryDirectory } from '../train/helpers.js';

const MONITOR = 'scripts/monitor.ts';

/** The log lines of one request of the `latam` shape answered by `model`. */
function latamLog(model: string, flights: number): string {
  const lines: string[] = [];
  const log = createLog((line) => lines.push(line));
  const entries = predictionLogEntries(
    {
      shape: 'latam',
      card: { name: model, version: 'abc123def456', threshold: { value: 0.2 } },
      inputs: Array.from({ length: flights }, (_, i) => ({
        OPERA: i % 3 ? 'Grupo LATAM' : 'Sky Airline',
        TIPOVUELO: i % 2 ? 'I' : 'N',
        MES: 1 + (i % 12),
      })),
      probabilities: Float32Array.from({ length: flights }, (_, i) => 0.05 + (i % 50) / 100),
    },
    {},
    '0f8fad5b-d9cb-469f-a165-70867728950e',
    new Date('2026-12-07T10:00:00Z'),
  );
  for (const { message, fields } of entries) log('INFO', message, fields);
  return lines.join('');
}

let dir: string;
beforeAll(async () => {
  dir = await temporaryDirectory();
  await writeFile(join(dir, 'empty.log'), '> npm start\n{"severity":"INFO","message":"ready"}\n');
  await writeFile(join(dir, 'unknown.log'), latamLog('no-such-model', 3));
  await writeFile(join(dir, 'latam.log'), latamLog('onehot-37', 600));
});

describe('npm run monitor cannot run: exit 2, one line', () => {
  it.each([
    ['no log file', [], /^monitor: no log file given/],
    ['an unreadable file', ['missing.log'], /^monitor: .*missing\.log/],
    ['a log without entries', ['empty.log'], /^monitor: no prediction log entries in /],
    ['a model without a card', ['unknown.log'], /^monitor: unknown model "no-such-model"/],
    [
      'a threshold out of range',
      ['latam.log', '--threshold', 'hora=2'],
      /^monitor: --threshold hora=2/,
    ],
  ])('%s', async (_, files, message) => {
    const args = files.map((f) => (f.endsWith('.log') ? join(dir, f) : f));
    const run = await runScript(MONITOR, args);
    expect(run.code).toBe(2);
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(message);
  });
});

describe('flights without a date (LATAM)', () => {
  it('are grouped by the week they were logged, with drift and estimation only', async () => {
    const json = join(dir, 'latam.json');
    const run = await runScript(MONITOR, [join(dir, 'latam.log'), '--json', json]);
    expect([0, 3]).toContain(run.code);
    const summary = JSON.parse(await readFile(json, 'utf8')) as {
      realized?: unknown;
      models: Array<{
        undated: number;
        weeks: Array<{ week: string; weekOf: string; drift: Array<{ field: string }> }>;
      }>;
    };
    const [model] = summary.models;
    expect(model!.undated).toBe(600);
    expect(model!.weeks).toMatchObject([{ week: '2026-W50', weekOf: 'logged' }]);
    expect(model!.weeks[0]!.drift.map((d) => d.field).sort()).toEqual([
      'OPERA',
      'TIPOVUELO',
      'probability',
    ]);
    expect(summary.realized).toBeUndefined();
  });
});
