import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  jensenShannonDistance,
  jensenShannonDivergence,
  lInfinityDistance,
} from '../../../scripts/monitor/distances.js';
import { DEFAULT_THRESHOLDS } from '../../../scripts/monitor/thresholds.js';
import type { TrainingCard } from '../../../scripts/train/card.js';

describe('lInfinityDistance', () => {
  it('is the largest change of one value’s share, whatever the totals', () => {
    expect(lInfinityDistance({ a: 1, b: 1 }, { a: 30, b: 10 })).toBeCloseTo(0.25, 12);
    expect(lInfinityDistance({ a: 5 }, { a: 9 })).toBe(0);
  });

  it('counts a value absent on one side as share 0', () => {
    expect(lInfinityDistance({ a: 3, b: 1 }, { a: 3, c: 1 })).toBeCloseTo(0.25, 12);
    expect(lInfinityDistance({ a: 1 }, { b: 1 })).toBe(1);
  });
});

describe('jensenShannonDivergence', () => {
  it('is ½ KL(P‖M) + ½ KL(Q‖M) in bits', () => {
    // P = (1, 0), Q = (½, ½), M = (¾, ¼), worked by hand.
    const expected = (Math.log2(4 / 3) + 0.5 * Math.log2(2 / 3) + 0.5 * Math.log2(2)) / 2;
    expect(jensenShannonDivergence([2, 0], [5, 5])).toBeCloseTo(expected, 12);
    expect(jensenShannonDivergence([5, 5], [2, 0])).toBeCloseTo(expected, 12);
  });

  it('runs from 0 (the same shares) to 1 (no bin shared)', () => {
    expect(jensenShannonDivergence([1, 2, 3], [2, 4, 6])).toBe(0);
    expect(jensenShannonDivergence([1, 0], [0, 7])).toBeCloseTo(1, 12);
  });

  it('refuses histograms over different bins', () => {
    expect(() => jensenShannonDivergence([1, 2], [1, 2, 3])).toThrow(RangeError);
  });
});

describe('the Jensen–Shannon distance on the schedule card’s hours', () => {
  const card = JSON.parse(readFileSync('models/schedule.json', 'utf8')) as TrainingCard;
  const hours = card.trainingDistribution.fields.hora!.counts as number[];
  const later = hours.map((_, h) => hours[(h + 21) % 24]!); // every flight three hours later

  it('flags the day moved three hours, which the divergence at Vertex AI’s 0.3 would not', () => {
    expect(jensenShannonDivergence(hours, later)).toBeLessThan(0.3);
    expect(jensenShannonDistance(hours, later)).toBeGreaterThan(DEFAULT_THRESHOLDS.numerical);
  });
});
