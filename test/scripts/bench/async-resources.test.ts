import { describe, expect, it } from 'vitest';
import { countAsyncResources } from '../../../scripts/bench/async-resources.js';
import { WRK_SCRIPTS } from '../../../scripts/bench/wrk-scripts.js';

describe('countAsyncResources', () => {
  it('counts what a server creates per /predict response over one wrk run', async () => {
    const count = await countAsyncResources('framework-constant', {
      load: { script: WRK_SCRIPTS.seed.file, threads: 1, connections: 2 },
      duration: '1s',
    });
    expect(count.requests).toBeGreaterThan(0);
    expect(count.serverCommand).toContain('--import=./scripts/bench/async-resources-window.ts');
    // The framework's async body-parsing middleware makes at least one promise per request.
    expect(count.perRequest.PROMISE).toBeGreaterThanOrEqual(1);
  });
});
