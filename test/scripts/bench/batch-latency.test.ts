import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { measureBatchLatency } from '../../../scripts/bench/batch-latency.js';
import { startCommand, targetCommand } from '../../../scripts/bench/targets.js';
import type { FunctionProcess } from '../../helpers/process.js';

let server: FunctionProcess;
beforeAll(async () => {
  const base = targetCommand('function', ['--import=./scripts/bench/server-timing.ts']);
  server = await startCommand({ ...base, env: { ...base.env, LOG_REQUESTS: '1' } });
});
afterAll(() => server.stop());

describe('measureBatchLatency', () => {
  it('reads server-side times of N-flight requests from inside the function', async () => {
    const latency = await measureBatchLatency(server, 100, { duration: '1s', warmup: '1s' });
    expect(latency.flights).toBe(100);
    expect(latency.requests).toBeGreaterThan(0);
    expect(latency.command).toBe(
      'wrk -t1 -c1 -d1s --latency -s scripts/wrk/batch.lua http://127.0.0.1:PORT/predict -- 100',
    );
    // The whole request contains the handler's part of it.
    expect(latency.requestMs.p50).toBeGreaterThanOrEqual(latency.handlerMs.p50);
    expect(latency.requestMs.max).toBeGreaterThanOrEqual(latency.requestMs.p90);
  });
});
