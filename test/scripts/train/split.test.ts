import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stratifiedFolds, stratifiedSplit } from '../../../scripts/train/split.js';

const labelsArbitrary = fc
  .array(fc.constantFrom(0, 1), { minLength: 2, maxLength: 400 })
  .filter((labels) => labels.includes(0) && labels.includes(1));

const count = (rows: number[], labels: number[], label: number) =>
  rows.filter((row) => labels[row] === label).length;

describe('stratifiedSplit', () => {
  it('puts round(n × fraction) rows of each class in the test side, every row exactly once', () => {
    fc.assert(
      fc.property(
        labelsArbitrary,
        fc.double({ min: 0.05, max: 0.95, noNaN: true }),
        fc.integer(),
        (labels, fraction, seed) => {
          const { train, test } = stratifiedSplit(labels, fraction, seed);
          expect([...train, ...test].sort((a, b) => a - b)).toEqual(labels.map((_, i) => i));
          for (const label of [0, 1]) {
            const rows = labels.filter((l) => l === label).length;
            expect(count(test, labels, label)).toBe(Math.round(rows * fraction));
          }
        },
      ),
    );
  });

  it('gives the same split for the same seed, and another for another seed', () => {
    const labels = Array.from({ length: 1000 }, (_, i) => (i % 5 === 0 ? 1 : 0));
    expect(stratifiedSplit(labels, 0.33, 42)).toEqual(stratifiedSplit(labels, 0.33, 42));
    expect(stratifiedSplit(labels, 0.33, 42).test).not.toEqual(
      stratifiedSplit(labels, 0.33, 43).test,
    );
  });

  it('keeps the delay rate on both sides', () => {
    const labels = Array.from({ length: 10_000 }, (_, i) => (i % 100 < 18 ? 1 : 0));
    const { train, test } = stratifiedSplit(labels, 0.33, 1);
    expect(count(test, labels, 1) / test.length).toBeCloseTo(0.18, 3);
    expect(count(train, labels, 1) / train.length).toBeCloseTo(0.18, 3);
  });

  it.each([0, 1, -0.1, Number.NaN])('rejects test fraction %s', (fraction) => {
    expect(() => stratifiedSplit([0, 1], fraction, 1)).toThrow(RangeError);
  });
});

describe('stratifiedFolds', () => {
  it('partitions the rows into k folds whose class counts differ by at most one', () => {
    fc.assert(
      fc.property(
        labelsArbitrary,
        fc.integer({ min: 2, max: 10 }),
        fc.integer(),
        (labels, k, seed) => {
          const folds = stratifiedFolds(labels, k, seed);
          expect(folds).toHaveLength(k);
          expect(folds.flat().sort((a, b) => a - b)).toEqual(labels.map((_, i) => i));
          for (const label of [0, 1]) {
            const counts = folds.map((fold) => count(fold, labels, label));
            expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
          }
        },
      ),
    );
  });

  it('is reproducible from its seed', () => {
    const labels = Array.from({ length: 500 }, (_, i) => (i % 3 === 0 ? 1 : 0));
    expect(stratifiedFolds(labels, 5, 9)).toEqual(stratifiedFolds(labels, 5, 9));
    expect(stratifiedFolds(labels, 5, 9)).not.toEqual(stratifiedFolds(labels, 5, 10));
  });

  it.each([1, 2.5])('rejects k = %s', (k) => {
    expect(() => stratifiedFolds([0, 1, 0, 1], k, 1)).toThrow(RangeError);
  });
});
