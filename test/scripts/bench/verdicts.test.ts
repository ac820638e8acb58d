/** Each target met on its side of the line and missed on the other. */
import { describe, expect, it } from 'vitest';
import { coldStartVerdicts } from '../../../scripts/bench/cold-start.js';
import { explainerVerdicts } from '../../../scripts/bench/explainer.js';
import { floorVerdicts } from '../../../scripts/bench/floors.js';
import { latencyVerdicts } from '../../../scripts/bench/latency.js';
import { loadVerdicts, type LoadedServer, type LoadResult } from '../../../scripts/bench/load.js';
import type { Verdict } from '../../../scripts/bench/plan.js';
import { rejectionVerdicts } from '../../../scripts/bench/rejection.js';
import { verdicts } from '../../../scripts/bench/report.js';
import { worstCaseVerdicts } from '../../../scripts/bench/worst-case-memory.js';
import * as fixture from './fixtures.js';

const met = (list: Verdict[]) => list.map((v) => v.met);

/** The prediction log's pair with these rounds of requests/s, without it and with it. */
function swinging(off: number[], on: number[]): LoadResult {
  const result = fixture.load();
  const [own, ceiling, logOff, logOn] = result.servers as [
    LoadedServer,
    LoadedServer,
    LoadedServer,
    LoadedServer,
  ];
  return {
    ...result,
    servers: [
      own,
      ceiling,
      { ...logOff, requestsPerSecond: off },
      { ...logOn, requestsPerSecond: on },
    ],
  };
}

describe('verdicts', () => {
  it.each([
    {
      name: 'requests/s at 85% of the ceiling',
      verdicts: loadVerdicts(fixture.load({ ratio: 0.85 })),
      met: [true, true, true, true],
    },
    {
      name: 'requests/s at 84%',
      verdicts: loadVerdicts(fixture.load({ ratio: 0.84 })),
      met: [false, true, true, true],
    },
    {
      name: 'errors under load',
      verdicts: loadVerdicts(fixture.load({ faults: ['1 × 500'] })),
      met: [false, true, true, true],
    },
    {
      name: 'p99 of 51 ms',
      verdicts: loadVerdicts(fixture.load({ p99Ms: 51 })),
      met: [true, false, true, true],
    },
    {
      name: 'RSS 11% up over the soak',
      verdicts: loadVerdicts(fixture.load({ rssMiB: 111 })),
      met: [true, true, false, true],
    },
    {
      name: 'RSS 20% down over the soak: memory given back, no leak',
      verdicts: loadVerdicts(fixture.load({ rssMiB: 80 })),
      met: [true, true, true, true],
    },
    {
      name: 'one-flight requests/s with the prediction log at 95% of those without',
      verdicts: loadVerdicts(fixture.load({ logged: 0.95 })),
      met: [true, true, true, true],
    },
    {
      name: 'the prediction log at 94%',
      verdicts: loadVerdicts(fixture.load({ logged: 0.94 })),
      met: [true, true, true, false],
    },
    {
      name: 'rounds that swing together: each round compared with its own pair',
      verdicts: loadVerdicts(swinging([3300, 3300, 2360, 3000], [3300, 2800, 2380, 3150])),
      met: [true, true, true, true],
    },
    {
      name: 'the prediction log 10% slower in every round, however the rounds swing',
      verdicts: loadVerdicts(swinging([3300, 2000, 3000, 2500], [2970, 1800, 2700, 2250])),
      met: [true, true, true, false],
    },
    {
      name: 'a request answered and not logged',
      verdicts: loadVerdicts(fixture.load({ logLines: 59_999 })),
      met: [true, true, true, false],
    },
    {
      name: 'errors with the prediction log on',
      verdicts: loadVerdicts(fixture.load({ logFaults: ['1 × 500'] })),
      met: [true, true, true, false],
    },
    {
      name: 'a 601 ms cold start',
      verdicts: coldStartVerdicts(fixture.coldStarts([601, 601, 601, 601], [601, 601, 601, 601])),
      met: [false, true],
    },
    {
      name: '/docs beyond the IQR',
      verdicts: coldStartVerdicts(fixture.coldStarts([300, 310, 320, 330], [400, 410, 420, 430])),
      met: [true, false],
    },
    {
      name: '10,000 flights in 151 ms',
      verdicts: latencyVerdicts(fixture.latency({ tenThousandMs: 151 })),
      met: [false, true],
    },
    {
      name: 'unexplained 5% slower, windows 2% apart',
      verdicts: latencyVerdicts(fixture.latency({ slower: 0.05 })),
      met: [true, false],
    },
    {
      name: 'unexplained 5% faster, windows 2% apart: as fast',
      verdicts: latencyVerdicts(fixture.latency({ slower: -0.05 })),
      met: [true, true],
    },
    {
      name: 'unexplained 5% slower, windows 2% apart',
      verdicts: latencyVerdicts(fixture.latency({ slower: 0.05 })),
      met: [true, false],
    },
    {
      name: 'unexplained 5% slower, windows 6% apart',
      verdicts: latencyVerdicts(fixture.latency({ slower: 0.05, spread: 0.06 })),
      met: [true, true],
    },
    {
      name: 'a peak of half the memory',
      verdicts: worstCaseVerdicts(fixture.worstCase(512)),
      met: [true],
    },
    {
      name: 'a peak over half the memory',
      verdicts: worstCaseVerdicts(fixture.worstCase(513)),
      met: [false],
    },
    {
      name: 'a server dead of its load',
      verdicts: worstCaseVerdicts(fixture.worstCase(100, 'FATAL ERROR')),
      met: [false],
    },
    {
      name: 'floors at 60% and 40%',
      verdicts: floorVerdicts(fixture.floors(0.6, 0.4)),
      met: [true, true],
    },
    {
      name: 'floors just under',
      verdicts: floorVerdicts(fixture.floors(0.59, 0.39)),
      met: [false, false],
    },
    {
      name: '/bigquery errors',
      verdicts: floorVerdicts(fixture.floors(0.7, 0.5, ['1 × 503'])),
      met: [true, false],
    },
    {
      name: 'rejecting at 2× and 2.1×',
      verdicts: rejectionVerdicts(fixture.rejection(2, 2.1)),
      met: [true, false],
    },
    {
      name: 'a valid body answered 400',
      verdicts: rejectionVerdicts(fixture.rejection(1, 1, ['400, not 200'])),
      met: [false, true],
    },
    {
      name: 'the explainer as fast as XGBoost',
      verdicts: explainerVerdicts(fixture.explainer([1000, 1000, 1000])),
      met: [true],
    },
    {
      name: 'the explainer slower',
      verdicts: explainerVerdicts(fixture.explainer([990, 5000, 900])),
      met: [false],
    },
  ])('$name', ({ verdicts, met: expected }) => {
    expect(met(verdicts)).toEqual(expected);
  });

  it('says what it measured, errors included', () => {
    expect(floorVerdicts(fixture.floors(0.7, 0.5, ['1 × 503']))[1]!.measured).toBe(
      '50% (100,000 of 200,000 rows/s); 1 × 503',
    );
    expect(latencyVerdicts(fixture.latency({ slower: 0.05 }))[1]!.measured).toMatch(
      /^1: \+5\.0% \(spread ±2\.0%\); 100: /,
    );
    expect(rejectionVerdicts(fixture.rejection(12.5))[0]!.measured).toBe('12.50×');
    expect(loadVerdicts(fixture.load({ logged: 0.96, logFaults: ['1 × 500'] }))[3]!.measured).toBe(
      '0.960; 60,000 log lines for 60,000 requests; 1 × 500',
    );
  });

  it('checks every target of a run, fourteen in all', () => {
    const all = verdicts(fixture.results());
    expect(all).toHaveLength(14);
    expect(all.every((v) => v.met)).toBe(true);
  });
});
