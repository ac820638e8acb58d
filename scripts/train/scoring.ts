/**
 * A model scored on the held-out weeks: its probabilities, its figures at its threshold and their
 * week-bootstrap intervals. Every model the report and the cards compare is scored this way.
 */
import { weekBootstrap, type Intervals } from './bootstrap.js';
import type { TrainingConfig } from './config.js';
import { evaluate, type BinaryMetrics } from './metrics.js';

/** A model's probabilities on the held-out weeks, its figures there and their intervals. */
export interface Scored {
  testProbabilities: Float32Array;
  metrics: BinaryMetrics;
  intervals: Intervals;
}

/** Figures at `threshold` on the test rows, with week-bootstrap intervals. */
export function score(
  probabilities: Float32Array,
  labels: Float32Array,
  threshold: number,
  weeks: readonly string[],
  config: TrainingConfig,
): Scored {
  return {
    testProbabilities: probabilities,
    metrics: evaluate(probabilities, labels, threshold),
    intervals: weekBootstrap(probabilities, labels, weeks, config.bootstrap),
  };
}
