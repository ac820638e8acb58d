import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  poolWindows,
  timeBatchWindow,
  type BatchWindow,
} from '../../../scripts/bench/batch-latency.js';
import { median } from '../../../scripts/bench/stats.js';
import { startCommand, targetCommand } from '../../../scripts/bench/targets.js';
import type { FunctionProcess } from '../../helpers/process.js';

describe('timeBatchWindow', () => {
  let server: FunctionProcess;
  beforeAll(async () => {
    const base = targetCommand('function', ['--import=./scripts/bench/server-timing.ts']);
    server = await startCommand({ ...base, env: { ...base.env, LOG_REQUESTS: '1' } });
  });
  afterAll(() => server.stop());

  it('reads server-side times of N-flight requests from inside the function', async () => {
    const window = await timeBatchWindow(server, 100, { duration: '1s', warmup: '1s' });
    expect(window.flights).toBe(100);
    expect(window.requestMs.length).toBeGreaterThan(0);
    expect(window.handlerMs.length).toBeGreaterThan(0);
    expect(window.command).toBe(
      'wrk -t1 -c1 -d1s --latency -s scripts/wrk/batch.lua http://127.0.0.1:PORT/predict -- 100',
    );
    // The whole request contains the handler's part of it.
    expect(median(window.requestMs)).toBeGreaterThanOrEqual(median(window.handlerMs));
  });
});

describe('poolWindows', () => {
  const window = (requestMs: number[], clientP50Ms: number): BatchWindow => ({
    flights: 10_000,
    requestMs,
    handlerMs: requestMs.map((ms) => ms - 5),
    clientP50Ms,
    command: 'wrk -t1 -c1 -d5s',
  });

  it('pools every window’s requests, so one slow window cannot set the median alone', () => {
    const pooled = poolWindows([
      window([110, 112, 114], 113),
      window([160, 170, 180], 171),
      window([111, 113], 112),
    ]);
    expect(pooled).toMatchObject({ flights: 10_000, requests: 8, windows: 3 });
    expect(pooled.requestMs).toEqual({ p50: 113.5, p90: expect.any(Number) as number, max: 180 });
    expect(pooled.handlerMs.p50).toBe(108.5);
    expect(pooled.clientP50Ms).toBe(113);
    expect(pooled.windowP50Ms).toEqual([112, 170, 112]);
    expect(pooled.command).toBe('wrk -t1 -c1 -d5s');
  });

  it('refuses an empty list', () => {
    expect(() => poolWindows([])).toThrow(/no batch windows/);
  });
});
