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
  /** Requests measured. */
  requests: number;
  /** From request headers parsed to response sent, in the server process. */
  requestMs: Spread;
  /** From the handler's start to its response, as functions/handler.ts logs it. */
  handlerMs: Spread;
  /** What wrk saw, network included. */
  clientP50Ms: number;
  command: string;
}

/**
 * Measures `flights`-flight requests against `server`, which must run with LOG_REQUESTS=1 and the
 * server-timing.ts preload. A first run of `warmup` is not counted: it lets V8 optimise the path.
 */
export async function measureBatchLatency(
  server: FunctionProcess,
  flights: number,
  options: { duration: string; warmup: string; wrkCpus?: string },
): Promise<BatchLatency> {
  const run = (duration: string) =>
    predictRun(batchLoad(flights, options.wrkCpus), server.url, duration);
  await runWrk(run(options.warmup));
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
    requests: requestMs.length,
    requestMs: spread(requestMs),
    handlerMs: spread(handlerMs),
    clientP50Ms: result.latencyMs!.p50,
    command: loadCommand(batchLoad(flights, options.wrkCpus), options.duration),
  };
}

/** One connection sending `flights`-flight requests back to back. */
export function batchLoad(flights: number, cpus?: string): WrkLoad {
  return {
    script: WRK_SCRIPTS.batch.file,
    scriptArgs: [String(flights)],
    threads: 1,
    connections: 1,
    ...(cpus === undefined ? {} : { cpus }),
  };
}

function spread(values: readonly number[]): Spread {
  return { p50: quantile(values, 0.5), p90: quantile(values, 0.9), max: quantile(values, 1) };
}
