import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { profileUnderLoad } from '../../../scripts/bench/profile-under-load.js';
import { WRK_SCRIPTS } from '../../../scripts/bench/wrk-scripts.js';

const OPTIONS = {
  load: { script: WRK_SCRIPTS.seed.file, threads: 2, connections: 4 },
  duration: '1s',
  warmup: '1s',
};

describe('profileUnderLoad', () => {
  it("profiles the function's measured run and finds time in its own code", async () => {
    const run = await profileUnderLoad('cpu', 'function', OPTIONS);
    expect(run.requests).toBeGreaterThan(0);
    expect(existsSync(run.file)).toBe(true);
    expect(run.serverCommand).toContain('PROFILE=cpu');
    expect(run.serverCommand).toContain('--import=./scripts/bench/profile-window.ts');
    expect(run.serverCommand).not.toContain(run.file);
    expect(run.summary.busyMs).toBeGreaterThan(0);
    const origins = run.summary.byArea.map((a) => a.name);
    expect(origins).toEqual(
      expect.arrayContaining(['functions/ (this function)', 'onnxruntime-node']),
    );
    expect(run.summary.ownInclusive.map((c) => c.name)).toContain('dispatch functions/handler.ts');
  });

  it("samples what the function's measured run allocates, its own code's share included", async () => {
    const run = await profileUnderLoad('heap', 'function', OPTIONS);
    expect(run.file).toMatch(/\.heapprofile$/);
    expect(run.serverCommand).toContain('PROFILE=heap');
    const origins = new Map(run.summary.byArea.map((a) => [a.name, a.value]));
    // Every request builds Express's request and response objects and parses its JSON body.
    expect(run.summary.bytes / run.requests).toBeGreaterThan(10_000);
    expect(origins.get('functions/ (this function)')).toBeGreaterThan(0);
    expect(origins.get('express')).toBeGreaterThan(0);
  });
});
