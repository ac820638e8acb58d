import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stratifiedSplit, weekFolds, weekSplit } from '../../../scripts/train/split.js';

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

/** Rows spread over 2…60 distinct weeks, in any order, some weeks with many rows. */
const weeksArbitrary = fc
  .array(fc.integer({ min: 1, max: 60 }), { minLength: 2, maxLength: 500 })
  .map((numbers) =>
    numbers.map((n) => `20${16 + Math.floor(n / 53)}-W${String((n % 53) + 1).padStart(2, '0')}`),
  )
  .filter((weeks) => new Set(weeks).size >= 2);

const weeksOf = (rows: readonly number[], weeks: readonly string[]) =>
  new Set(rows.map((row) => weeks[row]!));

describe('weekSplit', () => {
  it('holds out round(weeks × fraction) whole weeks: no week on both sides, every row once', () => {
    fc.assert(
      fc.property(
        weeksArbitrary,
        fc.double({ min: 0.05, max: 0.95, noNaN: true }),
        fc.integer(),
        (weeks, fraction, seed) => {
          const split = weekSplit(weeks, fraction, seed);
          expect([...split.train, ...split.test].sort((a, b) => a - b)).toEqual(
            weeks.map((_, i) => i),
          );
          const test = weeksOf(split.test, weeks);
          expect([...weeksOf(split.train, weeks)].some((week) => test.has(week))).toBe(false);
          expect(split.testWeeks).toEqual([...test].sort());
          expect(test.size).toBe(Math.round(new Set(weeks).size * fraction));
          expect(split.trainWeeks.length + split.testWeeks.length).toBe(new Set(weeks).size);
        },
      ),
    );
  });

  it('draws the same weeks for the same seed whatever the row order, others for another seed', () => {
    const weeks = Array.from(
      { length: 2000 },
      (_, i) => `2017-W${String((i % 52) + 1).padStart(2, '0')}`,
    );
    const drawn = weekSplit(weeks, 0.33, 2017).testWeeks;
    expect(weekSplit([...weeks].reverse(), 0.33, 2017).testWeeks).toEqual(drawn);
    expect(weekSplit(weeks, 0.33, 2018).testWeeks).not.toEqual(drawn);
  });

  it.each([0, 1, Number.NaN])('rejects test fraction %s', (fraction) => {
    expect(() => weekSplit(['2017-W01', '2017-W02'], fraction, 1)).toThrow(RangeError);
  });
});

describe('weekFolds', () => {
  it('deals whole weeks into k folds: no week in two folds, every row once, ±1 week per fold', () => {
    fc.assert(
      fc.property(
        weeksArbitrary,
        fc.integer({ min: 2, max: 10 }),
        fc.integer(),
        (weeks, k, seed) => {
          fc.pre(new Set(weeks).size >= k);
          const folds = weekFolds(weeks, k, seed);
          expect(folds).toHaveLength(k);
          expect(folds.flat().sort((a, b) => a - b)).toEqual(weeks.map((_, i) => i));
          const foldWeeks = folds.map((rows) => weeksOf(rows, weeks));
          foldWeeks.forEach((mine, i) =>
            foldWeeks.forEach((theirs, j) => {
              if (i !== j) expect([...mine].some((week) => theirs.has(week))).toBe(false);
            }),
          );
          const sizes = foldWeeks.map((set) => set.size);
          expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
        },
      ),
    );
  });

  it('keeps the test weeks of a split out of every fold of its training rows', () => {
    fc.assert(
      fc.property(weeksArbitrary, fc.integer(), (weeks, seed) => {
        fc.pre(new Set(weeks).size >= 8);
        const split = weekSplit(weeks, 0.33, seed);
        const trainWeeks = split.train.map((row) => weeks[row]!);
        const test = new Set(split.testWeeks);
        for (const fold of weekFolds(trainWeeks, 5, seed)) {
          expect(fold.some((row) => test.has(trainWeeks[row]!))).toBe(false);
        }
      }),
    );
  });

  it('is reproducible from its seed', () => {
    const weeks = Array.from(
      { length: 500 },
      (_, i) => `2017-W${String((i % 40) + 1).padStart(2, '0')}`,
    );
    expect(weekFolds(weeks, 5, 9)).toEqual(weekFolds(weeks, 5, 9));
    expect(weekFolds(weeks, 5, 9)).not.toEqual(weekFolds(weeks, 5, 10));
  });

  it('rejects k below 2, a fractional k, and fewer weeks than folds', () => {
    expect(() => weekFolds(['2017-W01', '2017-W02'], 1, 1)).toThrow(RangeError);
    expect(() => weekFolds(['2017-W01', '2017-W02'], 2.5, 1)).toThrow(RangeError);
    expect(() => weekFolds(['2017-W01', '2017-W02'], 3, 1)).toThrow(/2 weeks cannot fill 3 folds/);
  });
});
