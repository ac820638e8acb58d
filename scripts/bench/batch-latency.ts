/**
 * Server-side latency by batch size: one connection sends scripts/wrk/batch.lua's N-flight
 * request again and again, and the server process itself reports how long each took, through
 * the server-timing.ts preload (whole request) and LOG_REQUESTS=1 (handler only).
 */
import type { FunctionProcess } from '../../test/helpers/process.js';
import { jsonLines, predictTimings } from './server-output.js';
import { quantile } from './stats.js';
import { loadCommand, predictRun, runWrk, type WrkLoad } from './wrk.js';
import { WRK_SCRIPTS } from './wrk-scripts.js';

/** Median, 90th percentile and maximum, in milliseconds. */
export interface Spread {
  p50: number;
  p90: number;
  max: number;
}

export interface BatchLatency {
  flights: number;
  /** Requests measured, over every window. */
  requests: number;
  /** Measured windows, spread over the benchmark's batch phase, whose timings are pooled. */
  windows: number;
  /** From request headers parsed to response sent, in the server process. */
  requestMs: Spread;
  /** From the handler's start to its response, as functions/handler.ts logs it. */
  handlerMs: Spread;
  /** Each window's median request time, in order: how far a figure moves between windows. */
  windowP50Ms: number[];
  /** What wrk saw, network included: the median of the windows' medians. */
  clientP50Ms: number;
  /** The wrk command of one window. */
  command: string;
}

/** The timings of one window of `flights`-flight requests. */
export interface BatchWindow {
  flights: number;
  requestMs: number[];
  handlerMs: number[];
  clientP50Ms: number;
  command: string;
}

/**
 * Times `flights`-flight requests (each prediction explained with `explain`) against `server`,
 * which must run with LOG_REQUESTS=1 and the server-timing.ts preload, for one window of
 * `duration`. A first run of `warmup`, when given, is not counted: it lets V8 optimise the path.
 */
export async function timeBatchWindow(
  server: FunctionProcess,
  flights: number,
  options: { duration: string; warmup?: string; wrkCpus?: string; explain?: boolean },
): Promise<BatchWindow> {
  const load = batchLoad(flights, options.wrkCpus, options.explain);
  const run = (duration: string) => predictRun(load, server.url, duration);
  if (options.warmup) await runWrk(run(options.warmup));
  const from = server.output().length;
  const { result } = await runWrk(run(options.duration));
  const { requestMs, handlerMs } = predictTimings(jsonLines(server.output().slice(from)));
  if (requestMs.length === 0 || handlerMs.length === 0) {
    throw new Error(
      `no server-side timings for ${flights} flights: preload or LOG_REQUESTS missing?`,
    );
  }
  return {
    flights,
    requestMs,
    handlerMs,
    clientP50Ms: result.latencyMs!.p50,
    command: loadCommand(load, options.duration),
  };
}

/**
 * The windows of one batch size pooled: a slow spell of the shared machine that covers one window
 * moves the median much less than if it covered the only one.
 */
export function poolWindows(windows: readonly BatchWindow[]): BatchLatency {
  const [first] = windows;
  if (!first) throw new Error('no batch windows to pool');
  const requestMs = windows.flatMap((w) => w.requestMs);
  return {
    flights: first.flights,
    requests: requestMs.length,
    windows: windows.length,
    requestMs: spread(requestMs),
    handlerMs: spread(windows.flatMap((w) => w.handlerMs)),
    windowP50Ms: windows.map((w) => quantile(w.requestMs, 0.5)),
    clientP50Ms: quantile(
      windows.map((w) => w.clientP50Ms),
      0.5,
    ),
    command: first.command,
  };
}

/** One connection sending `flights`-flight requests back to back, explained with `explain`. */
export function batchLoad(flights: number, cpus?: string, explain = false): WrkLoad {
  return {
    script: WRK_SCRIPTS.batch.file,
    scriptArgs: explain ? [String(flights), 'explain'] : [String(flights)],
    threads: 1,
    connections: 1,
    ...(cpus === undefined ? {} : { cpus }),
  };
}

function spread(values: readonly number[]): Spread {
  return { p50: quantile(values, 0.5), p90: quantile(values, 0.9), max: quantile(values, 1) };
}
