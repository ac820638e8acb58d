/**
 * Performance estimated from the probabilities alone, before the actual times are known:
 * confidence-based performance estimation (NannyML's CBPE). When the probabilities are
 * calibrated, a flight answered p is delayed with probability p, so every count of a confusion
 * matrix has an expectation:
 *
 *   E[TP] = Σ_{p_i ≥ t} p_i        E[FP] = Σ_{p_i ≥ t} (1 − p_i)
 *   E[FN] = Σ_{p_i < t} p_i        E[TN] = Σ_{p_i < t} (1 − p_i)
 *
 * at the card's threshold t, and the estimated F1 = 2 E[TP] / (2 E[TP] + E[FP] + E[FN]). The
 * expected ROC curve takes those expectations at every threshold; its area is the ROC AUC of the
 * flights counted once as delayed with weight p_i and once as on time with weight 1 − p_i:
 *
 *   AUC_est = Σ_{i,j} p_i (1 − p_j) ([s_i > s_j] + ½ [s_i = s_j]) / (Σ_i p_i · Σ_j (1 − p_j))
 *
 * (the pair i = j adds ½ p_i (1 − p_i), a bias of order 1 / (2n)). Both are computed by
 * scripts/train/metrics.ts on those weighted rows. The estimate is only as good as the
 * calibration: under concept drift (delays changing for the same inputs) it cannot see the change.
 */
import type { BootstrapOptions, Interval } from '../train/bootstrap.js';
import { classScores, descendingOrder, rocAuc, sweep } from '../train/metrics.js';
import { groupBootstrap } from './resampling.js';

export interface Estimate {
  rocAuc: number;
  f1: number;
}

/**
 * The estimated ROC AUC of `probabilities`' rows, each weighted by `weights` (once each without).
 * Built once per set of rows, since resampling calls it with many weightings.
 */
export function estimatedRocAuc(
  probabilities: readonly number[],
): (weights?: ArrayLike<number>) => number | undefined {
  const n = probabilities.length;
  const scores = [...probabilities, ...probabilities];
  const labels = scores.map((_, i) => (i < n ? 1 : 0));
  const order = descendingOrder(scores);
  const rowWeights = new Float64Array(2 * n);
  return (weights) => {
    scores.forEach((p, i) => {
      rowWeights[i] = (weights ? weights[i % n]! : 1) * (i < n ? p : 1 - p);
    });
    try {
      return rocAuc(sweep(scores, labels, rowWeights, order));
    } catch {
      // Every weight on one class: all probabilities 0 or 1, or a draw of only such rows.
      return undefined;
    }
  };
}

/** The estimated F1 at `threshold`, from the expected confusion matrix. */
export function estimatedF1(probabilities: readonly number[], threshold: number): number {
  const expected = { tp: 0, fp: 0, tn: 0, fn: 0 };
  for (const p of probabilities) {
    if (p >= threshold) {
      expected.tp += p;
      expected.fp += 1 - p;
    } else {
      expected.fn += p;
      expected.tn += 1 - p;
    }
  }
  return classScores(expected).f1;
}

export function estimate(probabilities: readonly number[], threshold: number): Estimate {
  return {
    rocAuc: estimatedRocAuc(probabilities)() ?? NaN,
    f1: estimatedF1(probabilities, threshold),
  };
}

/** A bootstrap interval of the estimated ROC AUC, resampling `groups` (days, weeks). */
export function estimatedRocAucInterval(
  probabilities: readonly number[],
  groups: readonly string[],
  options: BootstrapOptions,
): Interval | undefined {
  return groupBootstrap(groups, estimatedRocAuc(probabilities), options);
}
