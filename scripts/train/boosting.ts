/**
 * Fitting one booster: labelled rows in, a trained {@link Booster} out, with an optional
 * validation set whose log loss is recorded after every round (XGBoost's own evaluation).
 */
import type { EncodedRows } from '../../functions/features.js';
import { Booster, DMatrix, type BoosterParams } from '../xgboost/booster.js';

/** Encoded rows and their 0/1 labels. */
export interface LabelledRows {
  x: EncodedRows;
  y: Float32Array;
}

/** The rows at `indices`, in that order. */
export function selectRows({ x, y }: LabelledRows, indices: readonly number[]): LabelledRows {
  const data = new Float32Array(indices.length * x.width);
  indices.forEach((row, i) =>
    data.set(x.data.subarray(row * x.width, (row + 1) * x.width), i * x.width),
  );
  return {
    x: { data, rows: indices.length, width: x.width },
    y: Float32Array.from(indices, (row) => y[row]!),
  };
}

export interface FitOptions {
  /** Parameters for XGBoosterSetParam; must include `eval_metric: logloss` when validating. */
  params: BoosterParams;
  rounds: number;
  /** Rows whose metric is evaluated after every round. */
  validation?: LabelledRows;
  /** Called after every round (progress bars). */
  onRound?: () => void;
}

/** A trained booster (the caller frees it) and the validation metric after each round. */
export interface Fit {
  booster: Booster;
  validationByRound: number[];
}

/** Trains a booster for `rounds` rounds on `train`. */
export function fit(train: LabelledRows, options: FitOptions): Fit {
  const trainMatrix = DMatrix.fromRows(train.x, train.y);
  const validationMatrix =
    options.validation && DMatrix.fromRows(options.validation.x, options.validation.y);
  let booster: Booster | undefined;
  try {
    booster = Booster.create(options.params, trainMatrix);
    const validationByRound: number[] = [];
    for (let round = 0; round < options.rounds; round++) {
      booster.update(round, trainMatrix);
      if (validationMatrix) validationByRound.push(booster.evaluate(round, validationMatrix));
      options.onRound?.();
    }
    return { booster, validationByRound };
  } catch (error) {
    booster?.free();
    throw error;
  } finally {
    trainMatrix.free();
    validationMatrix?.free();
  }
}

/** The booster's P(delayed) for every row, using its first `rounds` rounds (0: all). */
export function predict(booster: Booster, x: EncodedRows, rounds = 0): Float32Array {
  const matrix = DMatrix.fromRows(x);
  try {
    return booster.predict(matrix, rounds);
  } finally {
    matrix.free();
  }
}
