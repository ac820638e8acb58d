/**
 * Confidence intervals for test figures from a bootstrap that resamples whole weeks: delays come
 * in bad days and bad weeks, so rows of one week are not independent, and resampling rows would
 * understate how much the figures move from one set of weeks to another.
 */
import {
  averagePrecision,
  brierScore,
  descendingOrder,
  expectedCalibrationError,
  logLoss,
  rocAuc,
  sweep,
} from './metrics.js';
import { mulberry32, sampleWithReplacement } from './split.js';

/** The figures that get an interval. */
export const INTERVAL_METRICS = ['rocAuc', 'prAuc', 'logLoss', 'brier', 'ece'] as const;

export type IntervalMetric = (typeof INTERVAL_METRICS)[number];

export interface Interval {
  low: number;
  high: number;
}

export type Intervals = Record<IntervalMetric, Interval>;

export interface BootstrapOptions {
  replicates: number;
  seed: number;
  /** Coverage of the percentile interval (0.95: from the 2.5th to the 97.5th percentile). */
  level: number;
}

/**
 * Percentile intervals over `replicates` resamplings: each draws as many weeks as there are, with
 * replacement, and weighs every row by how often its week was drawn.
 * @param weeks the week of each row.
 */
export function weekBootstrap(
  probabilities: ArrayLike<number>,
  labels: ArrayLike<number>,
  weeks: readonly string[],
  options: BootstrapOptions,
): Intervals {
  const { rowWeek, draws } = weekResampling(weeks, options);
  const order = descendingOrder(probabilities);
  const values = Object.fromEntries(INTERVAL_METRICS.map((m) => [m, [] as number[]])) as Record<
    IntervalMetric,
    number[]
  >;
  const weights = new Float64Array(labels.length);
  for (const drawn of draws) {
    rowWeek.forEach((week, row) => (weights[row] = drawn[week]!));
    const s = sweep(probabilities, labels, weights, order);
    values.rocAuc.push(rocAuc(s));
    values.prAuc.push(averagePrecision(s));
    values.logLoss.push(logLoss(probabilities, labels, weights));
    values.brier.push(brierScore(probabilities, labels, weights));
    values.ece.push(expectedCalibrationError(probabilities, labels, weights));
  }
  return percentileIntervals(values, INTERVAL_METRICS, options.level);
}

/** The figures a paired comparison gives an interval. */
export const PAIRED_METRICS = ['rocAuc', 'logLoss'] as const;

export type PairedMetric = (typeof PAIRED_METRICS)[number];

/** A difference between two models on the same rows, with its bootstrap interval. */
export interface PairedDifference extends Interval {
  value: number;
}

/**
 * The difference `a − b` of two models' figures on the same rows, with percentile intervals over
 * the resamplings {@link weekBootstrap} draws (the same seed draws the same weeks): each replicate
 * scores both models on the same drawn weeks, so what the weeks share — a bad week is hard for
 * both — cancels out of the difference.
 *
 * Each replicate is computed from per-week sums, which give the weighted figures exactly: ROC AUC
 * counts, for every pair of weeks, the delayed flights of one scored above the on-time flights of
 * the other, and log loss sums per week. The point values are the unweighted figures.
 * @param weeks the week of each row.
 */
export function pairedWeekBootstrap(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  labels: ArrayLike<number>,
  weeks: readonly string[],
  options: BootstrapOptions,
): Record<PairedMetric, PairedDifference> {
  const { rowWeek, weekCount, draws } = weekResampling(weeks, options);
  const [sumsA, sumsB] = [a, b].map((p) => weekSums(p, labels, rowWeek, weekCount)) as [
    WeekSums,
    WeekSums,
  ];
  const values = { rocAuc: [] as number[], logLoss: [] as number[] };
  for (const drawn of draws) {
    values.rocAuc.push(drawnRocAuc(sumsA, drawn) - drawnRocAuc(sumsB, drawn));
    values.logLoss.push(drawnLogLoss(sumsA, drawn) - drawnLogLoss(sumsB, drawn));
  }
  const intervals = percentileIntervals(values, PAIRED_METRICS, options.level);
  const auc = (p: ArrayLike<number>) => rocAuc(sweep(p, labels));
  return {
    rocAuc: { value: auc(a) - auc(b), ...intervals.rocAuc },
    logLoss: { value: logLoss(a, labels) - logLoss(b, labels), ...intervals.logLoss },
  };
}

/** One model's figures summed per week, from which any resampling's figures follow. */
interface WeekSums {
  weekCount: number;
  /** [w × weekCount + v]: delayed rows of week w scored above on-time rows of week v (ties ½). */
  orderedPairs: Float64Array;
  delayed: Float64Array;
  onTime: Float64Array;
  logLoss: Float64Array;
}

/**
 * @throws RangeError when a class is absent or lengths differ (as the metrics do).
 */
function weekSums(
  probabilities: ArrayLike<number>,
  labels: ArrayLike<number>,
  rowWeek: Int32Array,
  weekCount: number,
): WeekSums {
  const sums: WeekSums = {
    weekCount,
    orderedPairs: new Float64Array(weekCount * weekCount),
    delayed: new Float64Array(weekCount),
    onTime: new Float64Array(weekCount),
    logLoss: new Float64Array(weekCount),
  };
  // Lowest scores first, ties together: each delayed row is counted against the on-time rows
  // scored below it and, at one half, against those tied with it.
  const order = descendingOrder(probabilities).reverse();
  const tied = new Float64Array(weekCount);
  for (let start = 0; start < order.length;) {
    let end = start + 1;
    while (end < order.length && probabilities[order[end]!] === probabilities[order[start]!]) end++;
    const group = order.slice(start, end);
    for (const row of group) if (labels[row] === 0) tied[rowWeek[row]!]!++;
    for (const row of group) {
      if (labels[row] !== 1) continue;
      const offset = rowWeek[row]! * weekCount;
      for (let v = 0; v < weekCount; v++) {
        sums.orderedPairs[offset + v]! += sums.onTime[v]! + tied[v]! / 2;
      }
    }
    for (const row of group) {
      const week = rowWeek[row]!;
      if (labels[row] === 1) sums.delayed[week]!++;
      else {
        sums.onTime[week]!++;
        tied[week] = 0;
      }
    }
    start = end;
  }
  rowWeek.forEach(
    (week, row) => (sums.logLoss[week]! += logLoss([probabilities[row]!], [labels[row]!])),
  );
  if (sums.delayed.every((n) => n === 0) || sums.onTime.every((n) => n === 0)) {
    throw new RangeError('both classes must be present');
  }
  return sums;
}

/** ROC AUC when week w counts drawn[w] times. */
function drawnRocAuc(sums: WeekSums, drawn: Float64Array): number {
  const { weekCount, orderedPairs } = sums;
  let pairs = 0;
  for (let w = 0; w < weekCount; w++) {
    if (drawn[w] === 0) continue;
    for (let v = 0; v < weekCount; v++) {
      pairs += drawn[w]! * drawn[v]! * orderedPairs[w * weekCount + v]!;
    }
  }
  return pairs / (weighted(sums.delayed, drawn) * weighted(sums.onTime, drawn));
}

/** Log loss when week w counts drawn[w] times. */
function drawnLogLoss(sums: WeekSums, drawn: Float64Array): number {
  const rows = weighted(sums.delayed, drawn) + weighted(sums.onTime, drawn);
  return weighted(sums.logLoss, drawn) / rows;
}

function weighted(perWeek: Float64Array, drawn: Float64Array): number {
  return perWeek.reduce((sum, value, w) => sum + value * drawn[w]!, 0);
}

/**
 * The weeks' resampling: each row's week (an index into the sorted distinct weeks) and, per
 * replicate, how often each week was drawn (as many draws as there are weeks, with replacement).
 * The seed fixes the draws: every bootstrap with the same options resamples the same weeks.
 */
function weekResampling(
  weeks: readonly string[],
  options: BootstrapOptions,
): { rowWeek: Int32Array; weekCount: number; draws: Iterable<Float64Array> } {
  const distinct = [...new Set(weeks)].sort();
  const weekIndex = new Map(distinct.map((week, i) => [week, i]));
  function* draws(): Generator<Float64Array> {
    const random = mulberry32(options.seed);
    for (let r = 0; r < options.replicates; r++) {
      const drawn = new Float64Array(distinct.length);
      for (const week of sampleWithReplacement(distinct, distinct.length, random)) {
        drawn[weekIndex.get(week)!]!++;
      }
      yield drawn;
    }
  }
  return {
    rowWeek: Int32Array.from(weeks, (week) => weekIndex.get(week)!),
    weekCount: distinct.length,
    draws: draws(),
  };
}

/** The central `level` percentile interval of each metric's replicate values. */
function percentileIntervals<M extends string>(
  values: Record<M, number[]>,
  metrics: readonly M[],
  level: number,
): Record<M, Interval> {
  const tail = (1 - level) / 2;
  return Object.fromEntries(
    metrics.map((m) => [
      m,
      { low: quantile(values[m], tail), high: quantile(values[m], 1 - tail) },
    ]),
  ) as Record<M, Interval>;
}

/** The q-quantile with linear interpolation between order statistics (R's type 7). */
export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below]! + (sorted[above]! - sorted[below]!) * (position - below);
}
