/**
 * Rows scored per second against the model's own floor, on one CPU: ONNX Runtime alone on the
 * data set's rows encoded beforehand (scripts/bench/onnx-floor.ts), and `npm run predict` on the
 * same file, in interleaved rounds so that a busy spell of the machine falls on both. Other ways
 * in (`/bigquery`) measure their own floor with {@link measureFloor} and compare with
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
  predict: PredictThroughput;
}

/** Rounds of the phase: the floor (PASSES timed passes), then one `npm run predict`, each. */
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

/** The floor and `npm run predict` on `data`, in ROUNDS rounds, both pinned to `cpus`. */
export async function throughput(options: {
  data: string;
  cpus?: string;
  progress: (line: string) => void;
}): Promise<ThroughputResults> {
  const { data, cpus, progress } = options;
  const out = mkdtempSync(join(tmpdir(), 'bench-predict-'));
  const predictCommand = pinned(
    tsx('scripts/predict.ts', ['--data', data, '--out', join(out, 'scored.csv')]),
    cpus,
  );
  const predict: PredictThroughput = {
    command: commandLine(predictCommand).replaceAll(out, '$TMP'),
    rowsPerSecond: [],
    wallSeconds: [],
  };
  const floors: OnnxFloor[] = [];
  try {
    for (let round = 1; round <= ROUNDS; round++) {
      floors.push(await measureFloor({ data, cpus }));
      const started = performance.now();
      const scored = await run(predictCommand);
      predict.wallSeconds.push((performance.now() - started) / 1000);
      predict.rowsPerSecond.push(rowsPerSecond(scored.stderr));
      progress(
        `throughput, round ${round}/${ROUNDS}: floor ` +
          `${floors.at(-1)!.rowsPerSecond.map(Math.round).join(', ')} rows/s; ` +
          `npm run predict ${predict.rowsPerSecond.at(-1)} rows/s`,
      );
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
  return { floor: pooledFloor(floors), predict };
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
