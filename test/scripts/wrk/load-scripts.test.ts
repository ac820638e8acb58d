import { describe, expect, it } from 'vitest';
import type { WrkResult } from '../../../scripts/wrk/wrk-output.js';
import { runProblems, WRK_SCRIPTS } from '../../../scripts/wrk/load-scripts.js';

function result(statuses: Record<number, number>, changes: Partial<WrkResult> = {}): WrkResult {
  const counts = new Map(Object.entries(statuses).map(([s, n]) => [Number(s), n]));
  return {
    requests: [...counts.values()].reduce((a, b) => a + b, 0),
    durationS: 45,
    requestsPerSecond: 1000,
    socketErrors: { connect: 0, read: 0, write: 0, timeout: 0 },
    errorResponses: 0,
    statuses: counts,
    ...changes,
  };
}

describe('runProblems', () => {
  it.each([
    {
      name: 'only 200s for a valid body',
      script: 'seed',
      run: result({ 200: 5000 }),
      problems: [],
    },
    {
      name: 'the mix with one invalid body in ten',
      script: 'mix',
      run: result({ 200: 9000, 400: 1000 }),
      problems: [],
    },
  ] as const)('accepts $name', ({ script, run, problems }) => {
    expect(runProblems(WRK_SCRIPTS[script], run)).toEqual(problems);
  });

  it.each([
    {
      name: 'a 400 for a valid body',
      script: 'seed',
      run: result({ 200: 4999, 400: 1 }),
      problem: '1 response(s) with status 400',
    },
    {
      name: 'a 5xx in the mix',
      script: 'mix',
      run: result({ 200: 8999, 400: 1000, 503: 1 }),
      problem: '1 response(s) with status 503',
    },
    {
      name: 'invalid bodies answered 200',
      script: 'mix',
      run: result({ 200: 10000 }),
      problem: '0.0% of responses had status 400, expected 10.0%',
    },
    {
      name: 'a timeout',
      script: 'flight',
      run: result({ 200: 100 }, { socketErrors: { connect: 0, read: 0, write: 0, timeout: 13 } }),
      problem: 'socket errors: connect 0, read 0, write 0, timeout 13',
    },
    {
      name: 'counts that do not add up to the responses',
      script: 'batch',
      run: result({ 200: 100 }, { requests: 150 }),
      problem: 'status counts add up to 100, but wrk received 150',
    },
    {
      name: 'a script that printed no counts',
      script: 'seed',
      run: { ...result({}), statuses: undefined },
      problem: 'the script printed no status counts',
    },
  ] as const)('reports $name', ({ script, run, problem }) => {
    expect(runProblems(WRK_SCRIPTS[script], run as WrkResult)).toEqual([problem]);
  });
});
