/**
 * npm run monitor on the function's own log: the schedule card's held-out weeks replayed through
 * a real function with LOG_PREDICTIONS=1, read back with the data set's actual times, reproduce
 * the card's figures and raise no alert; the same weeks with 40% of the flights moved to another
 * airline and every scheduled time three hours later raise alerts on both fields.
 */
import { readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runScript, type ScriptRun } from '../../scripts/lib/process.js';
import { heldOutFlights, type TrainingCard } from '../../scripts/train/card.js';
import { readDataset, type FlightRecord } from '../../scripts/train/dataset.js';
import { scheduledTimeProblem } from '../../functions/santiago-time.js';
import { hasSharedData, SHARED_DATA, temporaryDirectory } from '../scripts/train/helpers.js';
import { replayLog } from './replay.js';

const card = JSON.parse(readFileSync('models/schedule.json', 'utf8')) as TrainingCard;

interface Summary {
  alerts: Array<{ kind: string; field?: string; week: string; metric: string; value: number }>;
  realized?: { rocAuc: number; intervals: { rocAuc: { low: number; high: number } } };
  models: Array<{ period: { estimated: { rocAuc: number } } }>;
}

/** Three hours later on Santiago's wall clock, an hour more where that hour was skipped. */
function threeHoursLater(text: string): string {
  const time = new Date(`${text.replace(' ', 'T')}Z`);
  for (let hours = 3; ; hours++) {
    const later = new Date(time.getTime() + hours * 3_600_000).toISOString();
    const shifted = `${later.slice(0, 10)} ${later.slice(11, 19)}`;
    if (scheduledTimeProblem(shifted) === undefined) return shifted;
  }
}

/** Every fifth flight's first two of five (40%) moved to JetSmart, every time three hours on. */
function drifted(records: readonly FlightRecord[]): FlightRecord[] {
  return records.map((record, i) => ({
    ...record,
    OPERA: i % 5 < 2 ? 'JetSmart SPA' : record.OPERA,
    'Fecha-I': threeHoursLater(record['Fecha-I']),
  }));
}

async function monitor(log: string, dir: string, args: string[]) {
  const path = join(dir, `${args.length}.log`);
  // npm's banner, as a file of `npm start`'s output begins: not JSON, skipped.
  await writeFile(path, `> scl-delay-predictor@1.0.0 start\n${log}`);
  const json = join(dir, `${args.length}.json`);
  const run = await runScript('scripts/monitor.ts', [path, '--json', json, ...args]);
  const summary =
    run.code === 2 ? undefined : (JSON.parse(await readFile(json, 'utf8')) as Summary);
  return { run, summary };
}

// In CI the data set must be there (../shared beside the clone): the test must not skip.
describe.skipIf(!hasSharedData && !process.env.CI)('npm run monitor on a replayed log', () => {
  let held: { run: ScriptRun; summary: Summary | undefined };
  let shifted: { run: ScriptRun; summary: Summary | undefined };
  let out: string;
  beforeAll(async () => {
    const dir = await temporaryDirectory();
    out = join(dir, 'report');
    const records = heldOutFlights(card, (await readDataset(SHARED_DATA)).flights).map(
      (f) => f.record,
    );
    const [heldLog, driftedLog] = [await replayLog(records), await replayLog(drifted(records))];
    [held, shifted] = await Promise.all([
      monitor(heldLog, dir, ['--actual', SHARED_DATA, '--out', out]),
      monitor(driftedLog, dir, []),
    ]);
  }, 120_000);

  it('reproduces the card’s held-out ROC AUC from the log and the actual times, without alert', () => {
    expect(held.run.stderr).toBe('');
    expect(held.summary?.alerts).toEqual([]);
    expect(held.run.code).toBe(0);
    expect(Math.abs(held.summary!.realized!.rocAuc - card.metrics.rocAuc)).toBeLessThan(0.002);
  });

  it('estimates, from the probabilities alone, a ROC AUC inside the realized one’s interval', () => {
    const estimated = held.summary!.models[0]!.period.estimated.rocAuc;
    const { low, high } = held.summary!.realized!.intervals.rocAuc;
    expect(estimated).toBeGreaterThan(low);
    expect(estimated).toBeLessThan(high);
  });

  it('writes the report with its charts', async () => {
    const report = await readFile(join(out, 'report.md'), 'utf8');
    for (const [, file] of report.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)) {
      expect(await readFile(join(out, file!), 'utf8')).toMatch(/^<svg/);
    }
  });

  it('alerts on the airline and the time of day when the traffic moves, exit 3', () => {
    expect(shifted.run.code).toBe(3);
    const fields = new Set(shifted.summary!.alerts.map((a) => a.field));
    expect(fields).toContain('OPERA');
    expect(fields).toContain('hora');
  });
});
