/**
 * Rows scored per second against the model's own floor: ONNX Runtime alone on one CPU, on the data
 * set's rows encoded beforehand (scripts/bench/onnx-floor.ts), and `npm run predict` on the same
 * file, in interleaved rounds so that a busy spell of the machine falls on all. `npm run predict`
 * runs its model on a thread of its own beside the one that reads and writes, so it is measured
 * with the machine's CPUs, as a user runs it, and again pinned to the floor's CPU. Other ways in
 * (`/bigquery`) measure their own floor with {@link measureFloor} and compare with
 * {@link shareOfFloor}.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runProcess } from '../../test/helpers/process.js';
import { rowsPerSecond } from '../predict/summary.js';
import { median } from './stats.js';
import { commandLine, pinned, type Command } from './targets.js';

/** ONNX Runtime alone: the most rows/s any path through this model can score. */
export interface OnnxFloor {
  command: string;
  rows: number;
  /** Rows per session run. */
  batchRows: number;
  /** Each timed pass over every row. */
  rowsPerSecond: number[];
}

/** `npm run predict` on the data set, one process per round. */
export interface PredictThroughput {
  command: string;
  /** What each run's summary line reported: its rows over the time from opening the file. */
  rowsPerSecond: number[];
  /** Each run from spawning the process to its exit: start-up and model load included. */
  wallSeconds: number[];
}

export interface ThroughputResults {
  floor: OnnxFloor;
  /** With every CPU of the machine: what the target is judged on. */
  predict: PredictThroughput;
  /** Pinned to the floor's CPU, where its two threads share one. */
  predictOneCpu: PredictThroughput;
}

/** Rounds of the phase, each: the floor (PASSES timed passes), then both runs of `npm run predict`. */
export const ROUNDS = 3;
const PASSES = 3;

/** The median of `rates` as a share of the floor's median. */
export function shareOfFloor(rates: readonly number[], floor: OnnxFloor): number {
  return median(rates) / median(floor.rowsPerSecond);
}

/**
 * The floor on `data`: PASSES timed passes in one process pinned to `cpus`, `batchRows` rows a
 * session run (default: the rows `npm run predict` reads per batch of this file).
 */
export async function measureFloor(options: {
  data: string;
  cpus?: string | undefined;
  batchRows?: number;
}): Promise<OnnxFloor> {
  const { data, cpus, batchRows } = options;
  const args = [data, String(PASSES), ...(batchRows ? [String(batchRows)] : [])];
  const command = pinned(tsx('scripts/bench/onnx-floor.ts', args), cpus);
  const measured = JSON.parse((await run(command)).stdout) as Omit<OnnxFloor, 'command'>;
  return { command: commandLine(command), ...measured };
}

/** The floor (pinned to `cpus`) and `npm run predict` on `data`, in ROUNDS rounds. */
export async function throughput(options: {
  data: string;
  cpus?: string;
  progress: (line: string) => void;
}): Promise<ThroughputResults> {
  const { data, cpus, progress } = options;
  const out = mkdtempSync(join(tmpdir(), 'bench-predict-'));
  const command = tsx('scripts/predict.ts', ['--data', data, '--out', join(out, 'scored.csv')]);
  const predict = predictRuns(command, out);
  const predictOneCpu = predictRuns(pinned(command, cpus), out);
  const floors: OnnxFloor[] = [];
  try {
    for (let round = 1; round <= ROUNDS; round++) {
      floors.push(await measureFloor({ data, cpus }));
      await predict.run();
      await predictOneCpu.run();
      progress(
        `throughput, round ${round}/${ROUNDS}: floor ` +
          `${floors.at(-1)!.rowsPerSecond.map(Math.round).join(', ')} rows/s; npm run predict ` +
          `${predict.result.rowsPerSecond.at(-1)} rows/s, ` +
          `${predictOneCpu.result.rowsPerSecond.at(-1)} on one CPU`,
      );
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
  return {
    floor: pooledFloor(floors),
    predict: predict.result,
    predictOneCpu: predictOneCpu.result,
  };
}

/** `command`'s runs, one process each, as they are made; `out` is shown as `$TMP`. */
function predictRuns(command: Command, out: string) {
  const result: PredictThroughput = {
    command: commandLine(command).replaceAll(out, '$TMP'),
    rowsPerSecond: [],
    wallSeconds: [],
  };
  return {
    result,
    async run() {
      const started = performance.now();
      const scored = await run(command);
      result.wallSeconds.push((performance.now() - started) / 1000);
      result.rowsPerSecond.push(rowsPerSecond(scored.stderr));
    },
  };
}

/** Floors measured in rounds as one: every round's passes. */
export function pooledFloor(floors: readonly OnnxFloor[]): OnnxFloor {
  return { ...floors[0]!, rowsPerSecond: floors.flatMap((f) => f.rowsPerSecond) };
}

/** A TypeScript script run as the package scripts run them (tsx). */
function tsx(script: string, args: string[]): Command {
  return { command: process.execPath, args: ['--import=tsx', script, ...args], env: {} };
}

/** Runs `command` to its end; rejects with its output when it fails. */
async function run(command: Command): Promise<{ stdout: string; stderr: string }> {
  const result = await runProcess(command.command, command.args, { env: command.env });
  if (result.code !== 0) {
    throw new Error(
      `${commandLine(command)} exited ${result.code}:\n${result.stderr.slice(-2000)}`,
    );
  }
  return result;
}
