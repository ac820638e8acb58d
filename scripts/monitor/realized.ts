/**
 * Performance measured once the actual times are known: ROC AUC, log loss and ECE by
 * scripts/train/metrics.ts, with percentile intervals by scripts/train/bootstrap.ts resampling
 * whole groups (the weeks of a period; the days of a single week).
 */
import { weekBootstrap, type BootstrapOptions, type Interval } from '../train/bootstrap.js';
import { expectedCalibrationError, logLoss, rocAuc, sweep } from '../train/metrics.js';

export const REALIZED_METRICS = ['rocAuc', 'logLoss', 'ece'] as const;
export type RealizedMetric = (typeof REALIZED_METRICS)[number];

export interface Realized {
  flights: number;
  delayed: number;
  rocAuc: number;
  logLoss: number;
  ece: number;
  /** Absent when the rows hold a single group, or a draw left a class out. */
  intervals?: Record<RealizedMetric, Interval>;
}

/** Undefined when the rows do not hold both classes. */
export function realized(
  probabilities: readonly number[],
  labels: readonly number[],
  groups: readonly string[],
  options: BootstrapOptions,
): Realized | undefined {
  const delayed = labels.reduce((a, b) => a + b, 0);
  if (delayed === 0 || delayed === labels.length) return undefined;
  const figures = {
    flights: labels.length,
    delayed,
    rocAuc: rocAuc(sweep(probabilities, labels)),
    logLoss: logLoss(probabilities, labels),
    ece: expectedCalibrationError(probabilities, labels),
  };
  if (new Set(groups).size < 2) return figures;
  try {
    const {
      rocAuc: auc,
      logLoss: loss,
      ece,
    } = weekBootstrap(probabilities, labels, groups, options);
    return { ...figures, intervals: { rocAuc: auc, logLoss: loss, ece } };
  } catch {
    // A draw of groups holding one class only: with so few groups no interval is given.
    return figures;
  }
}
