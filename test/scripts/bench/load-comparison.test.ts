import { describe, expect, it } from 'vitest';
import { compareLoad } from '../../../scripts/bench/load-comparison.js';
import { WRK_SCRIPTS } from '../../../scripts/bench/wrk-scripts.js';

describe('compareLoad', () => {
  it('loads each server in interleaved rounds and reads its memory, then stops them', async () => {
    const lines: string[] = [];
    const { wrkCommand, results } = await compareLoad(
      ['node-http-constant', 'framework-constant'],
      {
        load: { script: WRK_SCRIPTS.seed.file, threads: 2, connections: 4 },
        duration: '1s',
        warmup: '1s',
        repeats: 2,
        progress: (line) => lines.push(line),
      },
    );
    expect(wrkCommand).toBe(
      'wrk -t2 -c4 -d1s --latency -s scripts/wrk/seed.lua http://127.0.0.1:PORT/predict',
    );
    expect(results.map((r) => r.target)).toEqual(['node-http-constant', 'framework-constant']);
    for (const result of results) {
      expect(result.requestsPerSecond).toHaveLength(2);
      expect(result.p99Ms).toHaveLength(2);
      expect(result.cpuUsPerRequest.every((us) => us >= 0)).toBe(true);
      expect(result.faults).toEqual([]);
      expect(result.memory.peakRssBytes).toBeGreaterThanOrEqual(result.memory.rssBytes);
    }
    expect(lines.filter((line) => line.startsWith('round')).map((l) => l.slice(0, 30))).toEqual([
      expect.stringContaining('round 1/2 node-http-constant'),
      expect.stringContaining('round 1/2 framework-constant'),
      expect.stringContaining('round 2/2 node-http-constant'),
      expect.stringContaining('round 2/2 framework-constant'),
    ]);
  });
});
