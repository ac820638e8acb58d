/**
 * A model reading the airport's state, scored on the held-out weeks at each horizon it was trained
 * for, beside `schedule` on the same flights: its figures with week-bootstrap intervals, and the
 * paired difference of ROC AUC and log loss (the same resampled weeks for both models).
 */
import { pairedWeekBootstrap, weekBootstrap, type BootstrapOptions } from './bootstrap.js';
import type { Intervals, PairedDifference, PairedMetric } from './bootstrap.js';
import { evaluate, thresholdFree, type ThresholdFreeMetrics } from './metrics.js';

/** The figures at one horizon. */
export interface HorizonScore {
  horizonMinutes: number;
  metrics: ThresholdFreeMetrics;
  intervals: Intervals;
  /** `schedule` on the same flights (its probabilities do not depend on the horizon). */
  schedule: ThresholdFreeMetrics;
  /** This model − `schedule`. */
  difference: Record<PairedMetric, PairedDifference>;
}

/**
 * @param probabilities the model's probabilities at each horizon, one per held-out flight.
 * @param schedule `schedule`'s probabilities on the same flights, in the same order.
 * @param weeks the week of each held-out flight.
 */
export function scoreHorizons(
  probabilities: ReadonlyMap<number, Float32Array>,
  schedule: Float32Array,
  labels: Float32Array,
  weeks: readonly string[],
  bootstrap: BootstrapOptions,
): HorizonScore[] {
  const scheduleMetrics = thresholdFree(evaluate(schedule, labels, 0.5));
  return [...probabilities].map(([horizonMinutes, p]) => ({
    horizonMinutes,
    metrics: thresholdFree(evaluate(p, labels, 0.5)),
    intervals: weekBootstrap(p, labels, weeks, bootstrap),
    schedule: scheduleMetrics,
    difference: pairedWeekBootstrap(p, schedule, labels, weeks, bootstrap),
  }));
}
