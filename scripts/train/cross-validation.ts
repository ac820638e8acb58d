/**
 * k-fold cross-validation on the training split: the mean validation log loss after every round
 * (to choose the number of rounds) and the out-of-fold probabilities at a chosen round (to score
 * the fold models and to choose the decision threshold on rows no model saw while fitting).
 */
import type { BoosterParams } from '../xgboost/booster.js';
import { fit, predict, selectRows, type Fit, type LabelledRows } from './boosting.js';
import { evaluate } from './metrics.js';

export interface CrossValidationOptions {
  params: BoosterParams;
  /** Rounds each fold model is trained for. */
  rounds: number;
  /** The round the out-of-fold probabilities are taken at: a number, or the best mean log loss. */
  predictAt: number | 'best';
  onRound?: () => void;
}

export interface CrossValidation {
  /** Mean validation log loss over the folds after rounds 1, 2, … (index 0 is round 1). */
  logLossByRound: number[];
  /** The round `oof` was taken at. */
  round: number;
  /** Each row's probability from the model of the fold that held it out. */
  oof: Float32Array;
}

/** Figures over the folds of a cross-validation: each fold scored on its own rows. */
export interface FoldSummary {
  rocAuc: { mean: number; min: number; max: number };
  logLoss: { mean: number; min: number; max: number };
}

/**
 * Cross-validates on `data` with the given folds (validation row indices per fold).
 * @throws RangeError when `predictAt` is outside 1…rounds (before any training).
 */
export function crossValidate(
  data: LabelledRows,
  folds: readonly (readonly number[])[],
  options: CrossValidationOptions,
): CrossValidation {
  if (options.predictAt !== 'best') checkRound(options.predictAt, options.rounds);
  const inFold = new Int32Array(data.y.length);
  folds.forEach((rows, fold) => rows.forEach((row) => (inFold[row] = fold)));
  const fits: Fit[] = [];
  try {
    for (const [fold, validationRows] of folds.entries()) {
      const trainRows = [...inFold.keys()].filter((row) => inFold[row] !== fold);
      fits.push(
        fit(selectRows(data, trainRows), {
          params: options.params,
          rounds: options.rounds,
          validation: selectRows(data, validationRows),
          ...(options.onRound && { onRound: options.onRound }),
        }),
      );
    }
    const logLossByRound = Array.from(
      { length: options.rounds },
      (_, r) => fits.reduce((sum, f) => sum + f.validationByRound[r]!, 0) / fits.length,
    );
    const round = options.predictAt === 'best' ? argmin(logLossByRound) + 1 : options.predictAt;
    const oof = new Float32Array(data.y.length);
    fits.forEach(({ booster }, fold) => {
      const rows = folds[fold]!;
      predict(booster, selectRows(data, rows).x, round).forEach((p, i) => (oof[rows[i]!] = p));
    });
    return { logLossByRound, round, oof };
  } finally {
    for (const { booster } of fits) booster.free();
  }
}

function checkRound(round: number, rounds: number): void {
  if (!(Number.isInteger(round) && round >= 1 && round <= rounds)) {
    throw new RangeError(`predictAt ${round} is outside 1…${rounds}`);
  }
}

function argmin(values: readonly number[]): number {
  return values.reduce((best, value, i) => (value < values[best]! ? i : best), 0);
}

/** Mean and range of ROC AUC and log loss over the folds' out-of-fold predictions. */
export function foldSummary(
  oof: Float32Array,
  labels: Float32Array,
  folds: readonly (readonly number[])[],
): FoldSummary {
  const perFold = folds.map((rows) =>
    evaluate(
      rows.map((row) => oof[row]!),
      rows.map((row) => labels[row]!),
      0.5,
    ),
  );
  const range = (values: number[]) => ({
    mean: values.reduce((a, b) => a + b, 0) / values.length,
    min: Math.min(...values),
    max: Math.max(...values),
  });
  return {
    rocAuc: range(perFold.map((m) => m.rocAuc)),
    logLoss: range(perFold.map((m) => m.logLoss)),
  };
}
