/**
 * Rows/s against the model's floor — ONNX Runtime alone on one CPU on the data set's rows encoded
 * beforehand (onnx-floor.ts), which nothing scoring with this model on one CPU can beat — for
 * `npm run predict` on the data set (the machine's CPUs, as a user runs it) and POST /bigquery
 * under 500-row calls of its flights from 8 callers (the server on one CPU). Each round measures
 * the floor on the same rows beside the way in, so that a busy spell falls on both.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commandLine, runProcess, withServers } from '../lib/process.js';
import { rowsPerSecond } from '../predict/summary.js';
import { writeBigQueryCalls } from '../wrk/bigquery-calls.js';
import { runProblems, WRK_SCRIPTS } from '../wrk/load-scripts.js';
import { runWrk, wrkCommand, type WrkRun } from '../wrk/wrk.js';
import { count, counts, percent, section } from './markdown.js';
import type { Plan, Verdict } from './plan.js';
import { pinned, serverLine, sourceCommand } from './servers.js';
import { median } from './stats.js';

/** `npm run predict` and /bigquery score at least these shares of the floor's rows/s. */
export const TARGET_PREDICT_SHARE = 0.6;
export const TARGET_BIGQUERY_SHARE = 0.4;
const ROUNDS = 3;
const ROWS_PER_CALL = 500;
const CALLERS = 8;
/** A /bigquery rate is steady long before the seed's 45 s, which is for its p99. */
const BIGQUERY_DURATION = '15s';

/** ONNX Runtime alone: the most rows/s any path through this model can score on one CPU. */
export interface OnnxFloor {
  command: string;
  rows: number;
  /** Rows per session run. */
  batchRows: number;
  /** Each timed pass over every row, over every round. */
  rowsPerSecond: number[];
}

/** One way in against the floor measured beside it. */
export interface FloorComparison {
  /** The way in, as the verdict names it, and the share of the floor it must reach. */
  what: string;
  target: number;
  floor: OnnxFloor;
  /** Each round's rows/s. */
  rowsPerSecond: number[];
  /** Unexpected answers and socket errors (/bigquery). */
  faults: string[];
  commands: string[];
}

/** The floor on `data` pinned to `cpus`, `batchRows` rows a run (default: `npm run predict`'s). */
async function measureFloor(data: string, cpus?: string, batchRows?: number): Promise<OnnxFloor> {
  const args = [data, ...(batchRows ? [String(batchRows)] : [])];
  const { stdout, line } = await runScript('scripts/bench/onnx-floor.ts', args, cpus);
  return { command: line, ...(JSON.parse(stdout) as Omit<OnnxFloor, 'command'>) };
}

/** `round` ROUNDS times, each after a floor of `batchRows`; the floors pooled. */
async function beside(plan: Plan, batchRows: number | undefined, round: () => Promise<number>) {
  const floors: OnnxFloor[] = [];
  const rates: number[] = [];
  for (let i = 1; i <= ROUNDS; i++) {
    floors.push(await measureFloor(plan.data, plan.serverCpus, batchRows));
    rates.push(await round());
    const floor = floors.at(-1)!.rowsPerSecond.map(Math.round).join(', ');
    plan.progress(`round ${i}/${ROUNDS}: ${Math.round(rates.at(-1)!)} rows/s, floor ${floor}`);
  }
  const floor = { ...floors[0]!, rowsPerSecond: floors.flatMap((f) => f.rowsPerSecond) };
  return { floor, rowsPerSecond: rates };
}

export async function measurePredict(plan: Plan): Promise<FloorComparison> {
  const out = mkdtempSync(join(tmpdir(), 'bench-predict-'));
  const args = ['--data', plan.data, '--out', join(out, 'scored.csv')];
  plan.progress(`npm run predict against the floor`);
  try {
    let line = '';
    const measured = await beside(plan, undefined, async () => {
      const run = await runScript('scripts/predict.ts', args);
      line = run.line.replaceAll(out, '$TMP');
      return rowsPerSecond(run.stderr);
    });
    const commands = [measured.floor.command, line];
    const what = "`npm run predict` on the data set, with the machine's CPUs";
    return { what, target: TARGET_PREDICT_SHARE, ...measured, faults: [], commands };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

export async function measureBigQuery(plan: Plan): Promise<FloorComparison> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-bigquery-'));
  const calls = join(dir, 'calls.jsonl');
  const command = pinned(sourceCommand(), plan.serverCpus);
  const load = (url: string, duration: string): WrkRun => ({
    url: `${url}/bigquery`,
    script: WRK_SCRIPTS.bigquery.file,
    scriptArgs: [String(ROWS_PER_CALL), calls],
    // Two threads keep wrk's own Lua and parsing off the critical path at 8 connections.
    threads: 2,
    connections: CALLERS,
    duration,
    // A call on a busy machine can outlast wrk's default 2 s.
    timeout: '30s',
    ...(plan.load.cpus === undefined ? {} : { cpus: plan.load.cpus }),
  });
  plan.progress(`POST /bigquery against the floor`);
  try {
    await writeBigQueryCalls(plan.data, calls);
    return await withServers([command], async ([server]) => {
      const faults: string[] = [];
      await runWrk(load(server!.url, plan.warmup));
      const measured = await beside(plan, ROWS_PER_CALL, async () => {
        const { result } = await runWrk(load(server!.url, BIGQUERY_DURATION));
        faults.push(...runProblems(WRK_SCRIPTS.bigquery, result));
        return result.requestsPerSecond * ROWS_PER_CALL;
      });
      const wrk = wrkCommand(load('http://127.0.0.1:PORT', BIGQUERY_DURATION)).join(' ');
      const commands = [measured.floor.command, wrk.replaceAll(dir, '$TMP'), serverLine(command)];
      const what = `POST /bigquery, ${ROWS_PER_CALL}-row calls of the data set from ${CALLERS} callers, server on one CPU`;
      return { what, target: TARGET_BIGQUERY_SHARE, ...measured, faults, commands };
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const share = (c: FloorComparison) => median(c.rowsPerSecond) / median(c.floor.rowsPerSecond);

export function floorVerdicts(comparisons: FloorComparison[]): Verdict[] {
  return comparisons.map((c) => ({
    target: `${c.what} ≥ ${percent(c.target)} of ONNX Runtime's rows/s on the same rows on one CPU (the floor)`,
    measured: [
      `${percent(share(c))} (${count(median(c.rowsPerSecond))} of ${count(median(c.floor.rowsPerSecond))} rows/s)`,
      ...c.faults,
    ].join('; '),
    met: share(c) >= c.target && c.faults.length === 0,
  }));
}

export function floorSection(comparisons: FloorComparison[]): string {
  const head = ['', 'Rows/s', 'Share of the floor', 'Rounds (rows/s)', 'Floor (rows/s)', 'Faults'];
  const rows = comparisons.map((c) => [
    c.what,
    count(median(c.rowsPerSecond)),
    percent(share(c)),
    counts(c.rowsPerSecond),
    counts(c.floor.rowsPerSecond),
    c.faults.join('; ') || 'none',
  ]);
  const how = `${ROUNDS} rounds, each beside its floor, on the data set's ${count(comparisons[0]!.floor.rows)} flights.`;
  const commands = comparisons.flatMap((c) => c.commands);
  return section("Rows/s against the model's floor", how, [head, ...rows], commands);
}

/** Runs a TypeScript script to its end as the package scripts do (tsx), pinned to `cpus`. */
async function runScript(script: string, args: string[], cpus?: string) {
  const command = { command: process.execPath, args: ['--import=tsx', script, ...args], env: {} };
  const { command: file, args: words } = pinned(command, cpus);
  const result = await runProcess(file, words);
  const line = commandLine(pinned(command, cpus));
  if (result.code !== 0) throw new Error(`${line} exited ${result.code}:\n${result.stderr}`);
  return { ...result, line };
}
