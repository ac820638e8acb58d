/**
 * `POST /bigquery` throughput: what one instance scores when BigQuery calls it — batches of
 * `rowsPerCall` rows (scripts/wrk/bigquery.lua) from `callers` concurrent callers, the function on
 * one CPU as a deployed instance has it — in rows per second. The calls are a data set's flights
 * in file order, as BigQuery would send a schedule table's rows. Before each round, the floor of
 * the same rows in batches of the same size, on the same CPU: the load's own floor, measured
 * beside it, since a machine shared with other work may be slower minutes later.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { count } from './markdown.js';
import { writeBigQueryCalls } from './bigquery-calls.js';
import { processCpuMs } from './process-usage.js';
import { median } from './stats.js';
import { pinned, serverLine, targetCommand, withServers } from './targets.js';
import { runWrk, wrkCommand, type WrkRun } from './wrk.js';
import { runProblems, WRK_SCRIPTS } from './wrk-scripts.js';
import { measureFloor, pooledFloor, type OnnxFloor } from './throughput.js';

/** The load: 500-row calls from 8 callers, the instance's default concurrency. */
export const BIGQUERY_LOAD = { rowsPerCall: 500, callers: 8 } as const;

export interface BigQueryThroughput {
  rowsPerCall: number;
  callers: number;
  serverCommand: string;
  wrkCommand: string;
  /** Where the calls come from. */
  calls: string;
  /** Each measured run, in order. */
  rowsPerSecond: number[];
  p50Ms: number[];
  p99Ms: number[];
  /** Server CPU time (user + system) per row: less disturbed by a busy machine than rates. */
  cpuUsPerRow: number[];
  /** Responses that were not 200, and socket errors, over all runs. */
  faults: string[];
  /** ONNX Runtime alone on the calls' rows, `rowsPerCall` a run, before each round. */
  floor: OnnxFloor;
}

export interface BigQueryOptions {
  rowsPerCall?: number;
  callers?: number;
  /** The data set whose flights are the calls. */
  data: string;
  serverCpus?: string;
  wrkCpus?: string;
  /** Each measured run. */
  duration: string;
  /** One uncounted run first: model load, JIT. */
  warmup: string;
  repeats: number;
  progress: (line: string) => void;
}

/** Starts the function, loads its `/bigquery` endpoint `repeats` times, and stops it. */
export async function bigqueryThroughput(options: BigQueryOptions): Promise<BigQueryThroughput> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-bigquery-'));
  try {
    const callsFile = join(dir, 'calls.jsonl');
    const written = await writeBigQueryCalls(options.data, callsFile);
    const calls = `the ${count(written)} flights of ${options.data} in file order`;
    const result = await loadBigQuery(options, callsFile, calls);
    return { ...result, wrkCommand: result.wrkCommand.replaceAll(dir, '$TMP') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function loadBigQuery(
  options: BigQueryOptions,
  callsFile: string,
  calls: string,
): Promise<BigQueryThroughput> {
  const { rowsPerCall = BIGQUERY_LOAD.rowsPerCall, callers = BIGQUERY_LOAD.callers } = options;
  const cpus = options.serverCpus;
  const command = pinned(targetCommand('function'), cpus);
  const run = (url: string, duration: string): WrkRun => ({
    url: `${url}${WRK_SCRIPTS.bigquery.path}`,
    script: WRK_SCRIPTS.bigquery.file,
    scriptArgs: [String(rowsPerCall), callsFile],
    // Two threads keep wrk's own Lua and parsing off the critical path at 8 connections.
    threads: Math.min(2, callers),
    connections: callers,
    duration,
    // A call of 10,000 rows takes longer than wrk's default 2 s timeout on a busy machine.
    timeout: '30s',
    ...(options.wrkCpus === undefined ? {} : { cpus: options.wrkCpus }),
  });
  return withServers([command], async ([server]) => {
    const pid = server!.child.pid!;
    const result: Omit<BigQueryThroughput, 'floor'> = {
      rowsPerCall,
      callers,
      serverCommand: serverLine(command),
      wrkCommand: wrkCommand(run('http://127.0.0.1:PORT', options.duration)).join(' '),
      calls,
      rowsPerSecond: [],
      p50Ms: [],
      p99Ms: [],
      cpuUsPerRow: [],
      faults: [],
    };
    const floors: OnnxFloor[] = [];
    options.progress(`bigquery: warming up (${options.warmup})`);
    await runWrk(run(server!.url, options.warmup));
    for (let round = 1; round <= options.repeats; round++) {
      floors.push(await measureFloor({ data: options.data, cpus, batchRows: rowsPerCall }));
      const cpuBefore = processCpuMs(pid);
      const { result: wrk } = await runWrk(run(server!.url, options.duration));
      const rows = wrk.requests * rowsPerCall;
      const cpuUs = ((processCpuMs(pid) - cpuBefore) * 1000) / rows;
      result.rowsPerSecond.push(wrk.requestsPerSecond * rowsPerCall);
      result.p50Ms.push(wrk.latencyMs!.p50);
      result.p99Ms.push(wrk.latencyMs!.p99);
      result.cpuUsPerRow.push(cpuUs);
      const problems = runProblems(WRK_SCRIPTS.bigquery, wrk);
      result.faults.push(...problems.map((p) => `round ${round}: ${p}`));
      options.progress(
        `bigquery round ${round}/${options.repeats}, ${rowsPerCall}-row calls × ${callers}: ` +
          `${Math.round(wrk.requestsPerSecond * rowsPerCall)} rows/s ` +
          `(floor ${floors.at(-1)!.rowsPerSecond.map(Math.round).join(', ')}), ` +
          `p50 ${wrk.latencyMs!.p50} ms, ${cpuUs.toFixed(2)} µs CPU/row` +
          (problems.length ? ` — ${problems.join('; ')}` : ''),
      );
    }
    return { ...result, floor: pooledFloor(floors) };
  });
}

/** The median over the rounds: the rows/s one instance scores. */
export function bigqueryRowsPerSecond(throughput: BigQueryThroughput): number {
  return median(throughput.rowsPerSecond);
}
