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
  const distinct = [...new Set(weeks)].sort();
  const weekIndex = new Map(distinct.map((week, i) => [week, i]));
  const rowWeek = Int32Array.from(weeks, (week) => weekIndex.get(week)!);
  const order = descendingOrder(probabilities);
  const random = mulberry32(options.seed);
  const values = Object.fromEntries(INTERVAL_METRICS.map((m) => [m, [] as number[]])) as Record<
    IntervalMetric,
    number[]
  >;
  const weights = new Float64Array(labels.length);
  for (let r = 0; r < options.replicates; r++) {
    const draws = new Float64Array(distinct.length);
    for (const week of sampleWithReplacement(distinct, distinct.length, random)) {
      draws[weekIndex.get(week)!]!++;
    }
    rowWeek.forEach((week, row) => (weights[row] = draws[week]!));
    const s = sweep(probabilities, labels, weights, order);
    values.rocAuc.push(rocAuc(s));
    values.prAuc.push(averagePrecision(s));
    values.logLoss.push(logLoss(probabilities, labels, weights));
    values.brier.push(brierScore(probabilities, labels, weights));
    values.ece.push(expectedCalibrationError(probabilities, labels, weights));
  }
  const tail = (1 - options.level) / 2;
  return Object.fromEntries(
    INTERVAL_METRICS.map((m) => [
      m,
      { low: quantile(values[m], tail), high: quantile(values[m], 1 - tail) },
    ]),
  ) as Intervals;
}

/** The q-quantile with linear interpolation between order statistics (R's type 7). */
export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below]! + (sorted[above]! - sorted[below]!) * (position - below);
}
