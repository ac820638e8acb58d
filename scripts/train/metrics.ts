/**
 * Binary classification metrics for P(delayed) scores against 0/1 labels. Threshold-free metrics
 * (ROC AUC, average precision) come from one sweep over the distinct scores, highest first, where
 * a row counts as predicted positive when its score is ≥ the threshold. The threshold-free metrics
 * take optional row weights, which is how the bootstrap counts a week drawn twice.
 */

/** Counts at a threshold; positive = delayed. */
export interface Confusion {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
}

/** The figures a model card reports for one model on one set of rows. */
export interface BinaryMetrics {
  rows: number;
  rocAuc: number;
  /** Average precision: the area under the step-wise precision–recall curve. */
  prAuc: number;
  logLoss: number;
  brier: number;
  /** Expected calibration error over {@link ECE_BINS} equal-width probability bins. */
  ece: number;
  threshold: number;
  precision: number;
  recall: number;
  f1: number;
  confusion: Confusion;
}

/** The figures that need no threshold: what the row-split comparison reports. */
export type ThresholdFreeMetrics = Pick<
  BinaryMetrics,
  'rows' | 'rocAuc' | 'prAuc' | 'logLoss' | 'brier' | 'ece'
>;

/** The threshold-free part of a model's figures. */
export function thresholdFree({
  rows,
  rocAuc,
  prAuc,
  logLoss,
  brier,
  ece,
}: ThresholdFreeMetrics): ThresholdFreeMetrics {
  return { rows, rocAuc, prAuc, logLoss, brier, ece };
}

/** Cumulative (weighted) counts of rows scored ≥ each distinct score, scores descending. */
export interface Sweep {
  thresholds: number[];
  tp: number[];
  fp: number[];
  positives: number;
  negatives: number;
}

/** Row indices by score, highest first: the order a sweep walks (reusable across weightings). */
export function descendingOrder(scores: ArrayLike<number>): number[] {
  return Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
}

/**
 * Counts true and false positives at every distinct score, each row counted `weights[row]` times
 * (once without weights).
 * @param order {@link descendingOrder} of `scores`, when the caller already has it.
 * @throws RangeError when lengths differ, a label is not 0/1, or a class is absent.
 */
export function sweep(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  weights?: ArrayLike<number>,
  order: readonly number[] = descendingOrder(scores),
): Sweep {
  checkInputs(scores, labels, weights);
  const result: Sweep = { thresholds: [], tp: [], fp: [], positives: 0, negatives: 0 };
  let tp = 0;
  let fp = 0;
  order.forEach((row, k) => {
    const weight = weights ? weights[row]! : 1;
    if (labels[row] === 1) tp += weight;
    else fp += weight;
    const next = order[k + 1];
    if (next === undefined || scores[next] !== scores[row]) {
      result.thresholds.push(scores[row]!);
      result.tp.push(tp);
      result.fp.push(fp);
    }
  });
  if (tp === 0 || fp === 0) throw new RangeError('both classes must be present');
  return { ...result, positives: tp, negatives: fp };
}

/** Area under the ROC curve (ties between classes count one half). */
export function rocAuc(s: Sweep): number {
  let area = 0;
  let previousTp = 0;
  let previousFp = 0;
  s.tp.forEach((tp, k) => {
    const fp = s.fp[k]!;
    area += ((fp - previousFp) * (tp + previousTp)) / 2;
    previousTp = tp;
    previousFp = fp;
  });
  return area / (s.positives * s.negatives);
}

/** Average precision: Σ (recall gained at a threshold) × (precision at it). */
export function averagePrecision(s: Sweep): number {
  let sum = 0;
  let previousTp = 0;
  s.tp.forEach((tp, k) => {
    // A step that gains no recall adds nothing; skipping it also skips the 0/0 precision of the
    // top scores when the bootstrap gave their rows weight 0.
    if (tp > previousTp) sum += ((tp - previousTp) / s.positives) * (tp / (tp + s.fp[k]!));
    previousTp = tp;
  });
  return sum;
}

/** The ROC curve's points from (0, 0), one per distinct score. */
export function rocCurve(s: Sweep): Array<{ fpr: number; tpr: number }> {
  return [
    { fpr: 0, tpr: 0 },
    ...s.tp.map((tp, k) => ({ fpr: s.fp[k]! / s.negatives, tpr: tp / s.positives })),
  ];
}

/** The precision–recall curve's points, one per distinct score. */
export function prCurve(s: Sweep): Array<{ recall: number; precision: number }> {
  return s.tp.map((tp, k) => ({ recall: tp / s.positives, precision: tp / (tp + s.fp[k]!) }));
}

/** Probabilities are clipped this far from 0 and 1 so that one confident mistake stays finite. */
const LOG_LOSS_EPSILON = 1e-15;

/** Mean negative log-likelihood of the labels (natural log), optionally weighted. */
export function logLoss(
  probabilities: ArrayLike<number>,
  labels: ArrayLike<number>,
  weights?: ArrayLike<number>,
): number {
  return weightedMean(probabilities, labels, weights, (p, label) => {
    const clipped = Math.min(Math.max(p, LOG_LOSS_EPSILON), 1 - LOG_LOSS_EPSILON);
    return -Math.log(label === 1 ? clipped : 1 - clipped);
  });
}

/** Mean squared difference between probability and label, optionally weighted. */
export function brierScore(
  probabilities: ArrayLike<number>,
  labels: ArrayLike<number>,
  weights?: ArrayLike<number>,
): number {
  return weightedMean(probabilities, labels, weights, (p, label) => (p - label) ** 2);
}

/** Bins of the expected calibration error: ten of equal width, as is customary. */
export const ECE_BINS = 10;

/**
 * Expected calibration error: the rows cut into {@link ECE_BINS} equal-width bins of predicted
 * probability; the mean over rows of |mean predicted − observed rate| of their bin.
 */
export function expectedCalibrationError(
  probabilities: ArrayLike<number>,
  labels: ArrayLike<number>,
  weights?: ArrayLike<number>,
): number {
  checkInputs(probabilities, labels, weights);
  const gap = new Float64Array(ECE_BINS);
  let total = 0;
  for (let i = 0; i < labels.length; i++) {
    const weight = weights ? weights[i]! : 1;
    const p = probabilities[i]!;
    gap[Math.min(Math.floor(p * ECE_BINS), ECE_BINS - 1)]! += weight * (p - labels[i]!);
    total += weight;
  }
  return gap.reduce((sum, g) => sum + Math.abs(g), 0) / total;
}

function weightedMean(
  probabilities: ArrayLike<number>,
  labels: ArrayLike<number>,
  weights: ArrayLike<number> | undefined,
  loss: (p: number, label: number) => number,
): number {
  checkInputs(probabilities, labels, weights);
  let sum = 0;
  let total = 0;
  for (let i = 0; i < labels.length; i++) {
    const weight = weights ? weights[i]! : 1;
    sum += weight * loss(probabilities[i]!, labels[i]!);
    total += weight;
  }
  return sum / total;
}

/** Counts with "delayed" predicted when probability ≥ threshold. */
export function confusionAt(
  probabilities: ArrayLike<number>,
  labels: ArrayLike<number>,
  threshold: number,
): Confusion {
  checkInputs(probabilities, labels);
  const counts: Confusion = { tp: 0, fp: 0, tn: 0, fn: 0 };
  for (let i = 0; i < labels.length; i++) {
    const predicted = probabilities[i]! >= threshold;
    if (labels[i] === 1) counts[predicted ? 'tp' : 'fn']++;
    else counts[predicted ? 'fp' : 'tn']++;
  }
  return counts;
}

/** Precision, recall and F1 of the positive class; 0 where a ratio is 0/0. */
export function classScores({ tp, fp, fn }: Confusion): {
  precision: number;
  recall: number;
  f1: number;
} {
  return {
    precision: tp + fp === 0 ? 0 : tp / (tp + fp),
    recall: tp + fn === 0 ? 0 : tp / (tp + fn),
    f1: tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn),
  };
}

/** Every figure a model card reports, at `threshold`. */
export function evaluate(
  probabilities: ArrayLike<number>,
  labels: ArrayLike<number>,
  threshold: number,
): BinaryMetrics {
  const s = sweep(probabilities, labels);
  const confusion = confusionAt(probabilities, labels, threshold);
  return {
    rows: labels.length,
    rocAuc: rocAuc(s),
    prAuc: averagePrecision(s),
    logLoss: logLoss(probabilities, labels),
    brier: brierScore(probabilities, labels),
    ece: expectedCalibrationError(probabilities, labels),
    threshold,
    ...classScores(confusion),
    confusion,
  };
}

/** One bin of a calibration plot. */
export interface CalibrationBin {
  /** Mean predicted probability in the bin. */
  predicted: number;
  /** Observed delay rate in the bin. */
  observed: number;
  rows: number;
}

/**
 * Sorts rows by probability and cuts them into `bins` groups of (nearly) equal size, so that every
 * point of the plot rests on the same number of flights.
 */
export function calibrationBins(
  probabilities: ArrayLike<number>,
  labels: ArrayLike<number>,
  bins: number,
): CalibrationBin[] {
  checkInputs(probabilities, labels);
  const order = Array.from({ length: labels.length }, (_, i) => i).sort(
    (a, b) => probabilities[a]! - probabilities[b]!,
  );
  return Array.from({ length: bins }, (_, b) => {
    const rows = order.slice(
      Math.round((b * order.length) / bins),
      Math.round(((b + 1) * order.length) / bins),
    );
    const mean = (value: (row: number) => number) =>
      rows.reduce((sum, row) => sum + value(row), 0) / rows.length;
    return {
      predicted: mean((row) => probabilities[row]!),
      observed: mean((row) => labels[row]!),
      rows: rows.length,
    };
  }).filter((bin) => bin.rows > 0);
}

function checkInputs(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  weights?: ArrayLike<number>,
): void {
  if (scores.length !== labels.length) {
    throw new RangeError(`${scores.length} scores for ${labels.length} labels`);
  }
  if (weights && weights.length !== labels.length) {
    throw new RangeError(`${weights.length} weights for ${labels.length} labels`);
  }
  if (scores.length === 0) throw new RangeError('no rows');
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] !== 0 && labels[i] !== 1) {
      throw new RangeError(`label ${i} is ${labels[i]}, not 0 or 1`);
    }
  }
}
