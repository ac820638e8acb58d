/**
 * Reads the report wrk prints at the end of a run, plus the "Responses by status" block that
 * scripts/wrk/status-counts.lua adds to it.
 */

/** What one wrk run measured. */
export interface WrkResult {
  /** Responses received. */
  requests: number;
  durationS: number;
  requestsPerSecond: number;
  /** Latency percentiles in milliseconds; wrk prints them only with --latency. */
  latencyMs?: { p50: number; p75: number; p90: number; p99: number };
  socketErrors: { connect: number; read: number; write: number; timeout: number };
  /** Responses with a status of 400 or more (wrk's "Non-2xx or 3xx responses"). */
  errorResponses: number;
  /** Responses by status; undefined when the script did not count them. */
  statuses?: ReadonlyMap<number, number>;
}

// wrk's time units (src/units.c): microseconds up to seconds, then minutes and hours.
const MILLISECONDS_PER_UNIT: Readonly<Record<string, number>> = {
  us: 0.001,
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
};

/**
 * Parses wrk's report.
 * @throws Error when the text holds no report (wrk failed before measuring anything).
 */
export function parseWrkOutput(text: string): WrkResult {
  const totals = /(\d+) requests in ([\d.]+\w+), [\d.]+\w+ read/.exec(text);
  const rate = /Requests\/sec:\s+([\d.]+)/.exec(text);
  if (!totals?.[1] || !totals[2] || !rate?.[1]) {
    throw new Error(`not a wrk report:\n${text}`);
  }
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(text);
  const latencyMs = latencyPercentiles(text);
  const statuses = statusCounts(text);
  return {
    requests: Number(totals[1]),
    durationS: milliseconds(totals[2]) / 1000,
    requestsPerSecond: Number(rate[1]),
    ...(latencyMs ? { latencyMs } : {}),
    socketErrors: {
      connect: Number(socket?.[1] ?? 0),
      read: Number(socket?.[2] ?? 0),
      write: Number(socket?.[3] ?? 0),
      timeout: Number(socket?.[4] ?? 0),
    },
    errorResponses: Number(/Non-2xx or 3xx responses: (\d+)/.exec(text)?.[1] ?? 0),
    ...(statuses ? { statuses } : {}),
  };
}

/** A wrk time such as `806.00us`, `35.60ms` or `1.17s`, in milliseconds. */
export function milliseconds(text: string): number {
  const match = /^([\d.]+)(us|ms|s|m|h)$/.exec(text.trim());
  const perUnit = match?.[2] ? MILLISECONDS_PER_UNIT[match[2]] : undefined;
  if (!match || perUnit === undefined) throw new Error(`not a wrk time: "${text}"`);
  return Number(match[1]) * perUnit;
}

function latencyPercentiles(text: string): WrkResult['latencyMs'] {
  const at = (percent: number) => {
    const match = new RegExp(`^\\s+${percent}%\\s+(\\S+)\\s*$`, 'm').exec(text);
    return match?.[1] ? milliseconds(match[1]) : undefined;
  };
  const [p50, p75, p90, p99] = [at(50), at(75), at(90), at(99)];
  if (p50 === undefined || p75 === undefined || p90 === undefined || p99 === undefined) {
    return undefined;
  }
  return { p50, p75, p90, p99 };
}

function statusCounts(text: string): ReadonlyMap<number, number> | undefined {
  const start = text.indexOf('Responses by status:');
  if (start < 0) return undefined;
  const counts = new Map<number, number>();
  for (const [, status, count] of text.slice(start).matchAll(/^\s+(\d{3}): (\d+)$/gm)) {
    counts.set(Number(status), Number(count));
  }
  return counts;
}
