import { describe, expect, it } from 'vitest';
import { median, quantile } from '../../../scripts/bench/stats.js';

describe('quantile', () => {
  it('interpolates between the neighbours of an unsorted sample', () => {
    expect(quantile([40, 10, 30, 20], 0.5)).toBe(25);
    expect(quantile([40, 10, 30, 20], 0)).toBe(10);
    expect(quantile([40, 10, 30, 20], 1)).toBe(40);
    expect(quantile([0, 100], 0.9)).toBeCloseTo(90);
  });

  it('is the middle value of an odd sample, and NaN of none', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([])).toBeNaN();
  });
});
