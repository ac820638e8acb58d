import { describe, expect, it } from 'vitest';
import { pairedWeekBootstrap, quantile, weekBootstrap } from '../../../scripts/train/bootstrap.js';
import { evaluate, logLoss, rocAuc, sweep } from '../../../scripts/train/metrics.js';
import { mulberry32 } from '../../../scripts/train/split.js';

const options = { replicates: 400, seed: 7, level: 0.95 };

/** 20 weeks of 50 flights; each week's delays shifted by its own offset, as bad weeks are. */
function weeklyData(seed: number) {
  const random = mulberry32(seed);
  const weeks: string[] = [];
  const probabilities: number[] = [];
  const labels: number[] = [];
  for (let w = 0; w < 20; w++) {
    const offset = (random() - 0.5) * 0.6;
    for (let i = 0; i < 50; i++) {
      const p = 0.1 + 0.6 * random();
      weeks.push(`2017-W${String(w + 1).padStart(2, '0')}`);
      probabilities.push(p);
      labels.push(random() < Math.min(Math.max(p + offset, 0), 1) ? 1 : 0);
    }
  }
  return {
    weeks,
    probabilities: Float32Array.from(probabilities),
    labels: Float32Array.from(labels),
  };
}

describe('weekBootstrap', () => {
  const { weeks, probabilities, labels } = weeklyData(3);
  const intervals = weekBootstrap(probabilities, labels, weeks, options);
  const point = evaluate(probabilities, labels, 0.5);

  it('brackets every point estimate with an interval of positive width', () => {
    for (const metric of ['rocAuc', 'prAuc', 'logLoss', 'brier'] as const) {
      const { low, high } = intervals[metric];
      expect(low).toBeLessThan(high);
      expect(point[metric]).toBeGreaterThanOrEqual(low);
      expect(point[metric]).toBeLessThanOrEqual(high);
    }
    // ECE sums absolute gaps, so resampling noise only adds to it: its interval has width but
    // may lie above the point estimate.
    expect(intervals.ece.low).toBeLessThan(intervals.ece.high);
  });

  it('is wider than a bootstrap that treats every row as its own week', () => {
    const rows = weeks.map((_, i) => String(i));
    const rowIntervals = weekBootstrap(probabilities, labels, rows, options);
    const width = ({ low, high }: { low: number; high: number }) => high - low;
    expect(width(intervals.logLoss)).toBeGreaterThan(width(rowIntervals.logLoss));
    expect(width(intervals.ece)).toBeGreaterThan(width(rowIntervals.ece));
  });

  it('gives the same intervals for the same seed, and other ones for another seed', () => {
    expect(weekBootstrap(probabilities, labels, weeks, options)).toEqual(intervals);
    expect(weekBootstrap(probabilities, labels, weeks, { ...options, seed: 8 })).not.toEqual(
      intervals,
    );
  });
});

describe('pairedWeekBootstrap', () => {
  const { weeks, probabilities, labels } = weeklyData(5);
  const random = mulberry32(11);
  // Knows each flight's outcome a little better: the truth blended into the first model's scores.
  const better = Float32Array.from(probabilities, (p, i) => 0.7 * p + 0.3 * labels[i]! * random());

  it('gives a model against itself a difference of 0 with an interval of zero width', () => {
    const difference = pairedWeekBootstrap(probabilities, probabilities, labels, weeks, options);
    expect(difference).toEqual({
      rocAuc: { value: 0, low: 0, high: 0 },
      logLoss: { value: 0, low: 0, high: 0 },
    });
  });

  it('puts the interval of a better model’s difference above 0 (ROC AUC) and below (log loss)', () => {
    const { rocAuc: auc, logLoss: loss } = pairedWeekBootstrap(
      better,
      probabilities,
      labels,
      weeks,
      options,
    );
    expect(auc.low).toBeGreaterThan(0);
    expect(loss.high).toBeLessThan(0);
    expect(auc.value).toBeCloseTo(
      rocAuc(sweep(better, labels)) - rocAuc(sweep(probabilities, labels)),
      12,
    );
    expect(loss.value).toBeCloseTo(logLoss(better, labels) - logLoss(probabilities, labels), 12);
  });

  it('resamples the weeks weekBootstrap resamples: against a constant, its intervals shifted', () => {
    // Every replicate scores a constant at ROC AUC ½ and log loss ln 2, so the difference's
    // percentiles are the model's own, computed by weekBootstrap from row weights.
    const constant = new Float32Array(labels.length).fill(0.5);
    const single = weekBootstrap(probabilities, labels, weeks, options);
    const paired = pairedWeekBootstrap(probabilities, constant, labels, weeks, options);
    expect(paired.rocAuc.low).toBeCloseTo(single.rocAuc.low - 0.5, 12);
    expect(paired.rocAuc.high).toBeCloseTo(single.rocAuc.high - 0.5, 12);
    expect(paired.logLoss.low).toBeCloseTo(single.logLoss.low - Math.LN2, 12);
    expect(paired.logLoss.high).toBeCloseTo(single.logLoss.high - Math.LN2, 12);
  });

  it('is narrower than the two models’ separate intervals: shared weeks cancel out', () => {
    const a = weekBootstrap(better, labels, weeks, options).rocAuc;
    const b = weekBootstrap(probabilities, labels, weeks, options).rocAuc;
    const { low, high } = pairedWeekBootstrap(better, probabilities, labels, weeks, options).rocAuc;
    expect(high - low).toBeLessThan(a.high - a.low);
    expect(high - low).toBeLessThan(b.high - b.low);
  });
});

describe('quantile', () => {
  it('interpolates between order statistics', () => {
    expect(quantile([3, 1, 2, 4], 0)).toBe(1);
    expect(quantile([3, 1, 2, 4], 1)).toBe(4);
    expect(quantile([3, 1, 2, 4], 0.5)).toBe(2.5);
    expect(quantile([10, 20], 0.25)).toBe(12.5);
  });
});
