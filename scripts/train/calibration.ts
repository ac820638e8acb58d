/**
 * Platt scaling: P = sigmoid(slope · margin + intercept), fitted on out-of-fold predictions. On
 * weeks a model has not seen its trees are overconfident (the days they learned do not come back),
 * and a slope below 1 pulls the probabilities back toward the delay rate. The step is linear in
 * the margin, so the exporter folds it into the trees (every leaf times the slope): serving stays
 * one ONNX session. Isotonic regression would need a lookup step after the trees; not used.
 */
import { logLoss } from './metrics.js';

export interface Platt {
  slope: number;
  intercept: number;
}

/** The identity: sigmoid(margin). */
export const NO_CALIBRATION: Platt = { slope: 1, intercept: 0 };

const NEWTON_STEPS = 50;

/** log(p / (1 − p)), the trees' margin behind a probability. */
export function logit(p: number): number {
  return Math.log(p / (1 - p));
}

export function sigmoid(margin: number): number {
  return 1 / (1 + Math.exp(-margin));
}

/** The calibrated probability of each margin. */
export function applyPlatt({ slope, intercept }: Platt, margins: ArrayLike<number>): Float64Array {
  return Float64Array.from(margins, (m) => sigmoid(slope * m + intercept));
}

/**
 * The slope and intercept of least log loss: a two-parameter logistic regression of the labels on
 * the margins, by Newton's method from the identity (the loss is convex, so it converges).
 */
export function fitPlatt(margins: ArrayLike<number>, labels: ArrayLike<number>): Platt {
  let { slope, intercept } = NO_CALIBRATION;
  for (let step = 0; step < NEWTON_STEPS; step++) {
    // Gradient and Hessian of the summed log loss in (slope, intercept).
    let gs = 0;
    let gi = 0;
    let hss = 0;
    let hsi = 0;
    let hii = 0;
    for (let i = 0; i < labels.length; i++) {
      const m = margins[i]!;
      const p = sigmoid(slope * m + intercept);
      const residual = p - labels[i]!;
      const curvature = Math.max(p * (1 - p), 1e-12);
      gs += residual * m;
      gi += residual;
      hss += curvature * m * m;
      hsi += curvature * m;
      hii += curvature;
    }
    const determinant = hss * hii - hsi * hsi;
    const ds = (hii * gs - hsi * gi) / determinant;
    const di = (hss * gi - hsi * gs) / determinant;
    slope -= ds;
    intercept -= di;
    if (Math.abs(ds) < 1e-12 && Math.abs(di) < 1e-12) break;
  }
  return { slope, intercept };
}

/** What cross-validating the calibration step measured, and whether it is used. */
export interface CalibrationChoice {
  platt: Platt;
  used: boolean;
  /** Log loss of the out-of-fold probabilities as the trees give them. */
  rawLogLoss: number;
  /**
   * Log loss when each fold's rows are calibrated by a step fitted on the other folds' rows:
   * the calibration, too, is scored only on weeks it did not learn from.
   */
  calibratedLogLoss: number;
}

/**
 * Decides on Platt scaling from out-of-fold probabilities: used only when the cross-validated
 * calibration lowers the log loss; then fitted on all of them.
 * @param folds validation rows of each fold (indices into `probabilities`).
 */
export function choosePlatt(
  probabilities: ArrayLike<number>,
  labels: ArrayLike<number>,
  folds: readonly (readonly number[])[],
): CalibrationChoice {
  const margins = Float64Array.from(probabilities, logit);
  const calibrated = new Float64Array(labels.length);
  const inFold = new Int32Array(labels.length);
  folds.forEach((rows, fold) => rows.forEach((row) => (inFold[row] = fold)));
  folds.forEach((rows, fold) => {
    const others = [...inFold.keys()].filter((row) => inFold[row] !== fold);
    const platt = fitPlatt(
      others.map((row) => margins[row]!),
      others.map((row) => labels[row]!),
    );
    const fitted = applyPlatt(
      platt,
      rows.map((row) => margins[row]!),
    );
    rows.forEach((row, i) => (calibrated[row] = fitted[i]!));
  });
  const rawLogLoss = logLoss(probabilities, labels);
  const calibratedLogLoss = logLoss(calibrated, labels);
  const used = calibratedLogLoss < rawLogLoss;
  return {
    platt: used ? fitPlatt(margins, labels) : NO_CALIBRATION,
    used,
    rawLogLoss,
    calibratedLogLoss,
  };
}
