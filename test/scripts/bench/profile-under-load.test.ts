import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { profileUnderLoad } from '../../../scripts/bench/profile-under-load.js';
import { WRK_SCRIPTS } from '../../../scripts/bench/wrk-scripts.js';

describe('profileUnderLoad', () => {
  it("profiles the function's measured run and finds time in its own code", async () => {
    const run = await profileUnderLoad('function', {
      load: { script: WRK_SCRIPTS.seed.file, threads: 2, connections: 4 },
      duration: '1s',
      warmup: '1s',
    });
    expect(run.requests).toBeGreaterThan(0);
    expect(existsSync(run.file)).toBe(true);
    expect(run.serverCommand).toContain('--import=./scripts/bench/cpu-profile-window.ts');
    expect(run.serverCommand).not.toContain(run.file);
    expect(run.summary.busyMs).toBeGreaterThan(0);
    const origins = run.summary.byArea.map((a) => a.name);
    expect(origins).toEqual(
      expect.arrayContaining(['functions/ (this function)', 'onnxruntime-node']),
    );
    expect(run.summary.ownInclusive.map((c) => c.name)).toContain('dispatch functions/handler.ts');
  });
});
