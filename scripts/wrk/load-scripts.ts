/**
 * The load scripts of scripts/wrk/ and what a healthy run of each looks like.
 */
import type { WrkResult } from './wrk-output.js';

export interface WrkScript {
  file: string;
  description: string;
  /** The endpoint its bodies are for. */
  path: '/predict' | '/bigquery';
  /** Every response must have one of these statuses. */
  expectedStatuses: readonly number[];
  /** Statuses that must answer this share of the requests, give or take SHARE_TOLERANCE. */
  expectedShares?: Readonly<Record<number, number>>;
}

/**
 * Requests still in flight when wrk stops are not counted, so a share is only nearly exact: at
 * most one request per connection, under 0.1% of a 45-second run at 50 connections.
 */
export const SHARE_TOLERANCE = 0.01;

export const WRK_SCRIPTS = {
  seed: {
    file: 'scripts/wrk/seed.lua',
    description: "the seed README's two-flight body, seed format",
    path: '/predict',
    expectedStatuses: [200],
  },
  flight: {
    file: 'scripts/wrk/flight.lua',
    description: 'one flight, flights format',
    path: '/predict',
    expectedStatuses: [200],
  },
  batch: {
    file: 'scripts/wrk/batch.lua',
    description: '1,000 flights per request, flights format',
    path: '/predict',
    expectedStatuses: [200],
  },
  bigquery: {
    file: 'scripts/wrk/bigquery.lua',
    description: 'a BigQuery remote function call batch of 500 rows',
    path: '/bigquery',
    expectedStatuses: [200],
  },
  mix: {
    file: 'scripts/wrk/mix.lua',
    description: '90% valid bodies (both formats), 10% invalid ones',
    path: '/predict',
    expectedStatuses: [200, 400],
    expectedShares: { 400: 0.1 },
  },
} as const satisfies Record<string, WrkScript>;

export type WrkScriptName = keyof typeof WRK_SCRIPTS;

/** The script of scripts/wrk/ at `file`. */
export function scriptAt(file: string): WrkScript {
  const script = Object.values(WRK_SCRIPTS).find((s) => s.file === file);
  if (!script) throw new Error(`${file} is not a script of scripts/wrk/`);
  return script;
}

/** What went wrong in a run of `script`, one sentence per fault; empty when nothing did. */
export function runProblems(script: WrkScript, result: WrkResult): string[] {
  const problems: string[] = [];
  const { connect, read, write, timeout } = result.socketErrors;
  if (connect + read + write + timeout > 0) {
    problems.push(
      `socket errors: connect ${connect}, read ${read}, write ${write}, timeout ${timeout}`,
    );
  }
  if (!result.statuses) {
    problems.push('the script printed no status counts');
    return problems;
  }
  let counted = 0;
  for (const [status, count] of result.statuses) {
    counted += count;
    if (!script.expectedStatuses.includes(status)) {
      problems.push(`${count} response(s) with status ${status}`);
    }
  }
  for (const [status, share] of Object.entries(script.expectedShares ?? {})) {
    const actual = (result.statuses.get(Number(status)) ?? 0) / Math.max(counted, 1);
    if (Math.abs(actual - share) > SHARE_TOLERANCE) {
      problems.push(
        `${percent(actual)} of responses had status ${status}, expected ${percent(share)}`,
      );
    }
  }
  if (counted !== result.requests) {
    problems.push(`status counts add up to ${counted}, but wrk received ${result.requests}`);
  }
  return problems;
}

function percent(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}
