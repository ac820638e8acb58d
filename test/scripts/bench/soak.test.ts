import { describe, expect, it } from 'vitest';
import { runSoak, soakCheckpoints } from '../../../scripts/bench/soak.js';
import { WRK_SCRIPTS } from '../../../scripts/bench/wrk-scripts.js';

describe('soakCheckpoints', () => {
  it('reads RSS after the first 10,000 requests, at each quarter and at the end', () => {
    expect(soakCheckpoints(1_000_000)).toEqual([10_000, 250_000, 500_000, 750_000, 1_000_000]);
  });

  it('leaves out quarters that come before the first checkpoint', () => {
    expect(soakCheckpoints(20_000)).toEqual([10_000, 15_000, 20_000]);
    expect(soakCheckpoints(10_000)).toEqual([10_000]);
  });
});

describe('runSoak', () => {
  it('loads the function until it has answered the requests, with RSS at each checkpoint', async () => {
    const soak = await runSoak(10_000, {
      load: { script: WRK_SCRIPTS.seed.file, threads: 2, connections: 4 },
      progress: () => {},
    });
    expect([...soak.rssBytes.keys()]).toEqual([10_000]);
    expect(soak.faults).toEqual([]);
    expect(soak.wrkCommand).toBe(
      'wrk -t2 -c4 -d24h --latency -s scripts/wrk/seed.lua http://127.0.0.1:PORT/predict',
    );
  });
});
