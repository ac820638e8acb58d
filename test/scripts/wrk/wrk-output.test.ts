import { describe, expect, it } from 'vitest';
import { milliseconds, parseWrkOutput } from '../../../scripts/wrk/wrk-output.js';

// The seed README's own stress test result: wrk 4 against Cloud Run, without --latency.
const SEED_README = `Running 45s test @ https://api-od26sbu7kq-uc.a.run.app/predict
  10 threads and 50 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   286.85ms   48.83ms   1.73s    76.93%
    Req/Sec    17.11      7.76    40.00     64.78%
  7584 requests in 45.08s, 1.80MB read
  Socket errors: connect 0, read 0, write 0, timeout 13
Requests/sec:    168.22
Transfer/sec:     40.90KB
`;

// scripts/wrk/mix.lua with --latency against the function.
const MIX = `Running 1s test @ http://127.0.0.1:18080/predict
  2 threads and 4 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     3.85ms    2.40ms  18.60ms   87.16%
    Req/Sec   558.10    134.96     1.12k    90.48%
  Latency Distribution
     50%  806.00us
     75%    3.86ms
     90%    6.00ms
     99%    1.17s 
  1169 requests in 1.10s, 351.47KB read
  Non-2xx or 3xx responses: 116
Requests/sec:   1061.73
Transfer/sec:    319.22KB
Responses by status:
  200: 1053
  400: 116
`;

describe('parseWrkOutput', () => {
  it("reads the seed README's report, timeouts included", () => {
    expect(parseWrkOutput(SEED_README)).toEqual({
      requests: 7584,
      durationS: 45.08,
      requestsPerSecond: 168.22,
      socketErrors: { connect: 0, read: 0, write: 0, timeout: 13 },
      errorResponses: 0,
    });
  });

  it('reads latency percentiles in any unit, error responses and the status counts', () => {
    const result = parseWrkOutput(MIX);
    expect(result.latencyMs).toEqual({ p50: 0.806, p75: 3.86, p90: 6, p99: 1170 });
    expect(result.errorResponses).toBe(116);
    expect(result.socketErrors).toEqual({ connect: 0, read: 0, write: 0, timeout: 0 });
    expect(result.statuses).toEqual(
      new Map([
        [200, 1053],
        [400, 116],
      ]),
    );
  });

  it('refuses text that holds no report', () => {
    expect(() => parseWrkOutput('unable to connect to 127.0.0.1:1 Connection refused')).toThrow(
      /not a wrk report/,
    );
  });
});

describe('milliseconds', () => {
  it.each([
    ['806.00us', 0.806],
    ['35.60ms', 35.6],
    ['1.17s', 1170],
    ['1.50m', 90_000],
    ['2.00h', 7_200_000],
  ])('%s is %d ms', (text, expected) => {
    expect(milliseconds(text)).toBeCloseTo(expected, 9);
  });

  it('refuses a number without a unit', () => {
    expect(() => milliseconds('12.5')).toThrow(/not a wrk time/);
  });
});
