import { describe, expect, it } from 'vitest';
import type { EncodedRows } from '../../../functions/features.js';
import { xgboostToOnnx } from '../../../scripts/onnx/tree-ensemble.js';
import { fit, predict } from '../../../scripts/train/boosting.js';
import {
  assertParity,
  maxAbsDifference,
  onnxProbabilities,
  PARITY_TOLERANCE,
} from '../../../scripts/train/onnx-runtime.js';

/** Rows of `width` values in [0, 1), about a quarter of them missing (NaN). */
function rowsWithMissing(rows: number, width: number, seed: number): EncodedRows {
  let state = seed;
  const next = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const data = Float32Array.from({ length: rows * width }, () => (next() < 0.25 ? NaN : next()));
  return { data, rows, width };
}

describe('libxgboost and the ONNX export agree', () => {
  it('on inputs with missing values, trained with missing values', async () => {
    const train = rowsWithMissing(600, 4, 1);
    // The label depends on whether x0 is missing, so trees must route NaN deliberately.
    const y = Float32Array.from({ length: 600 }, (_, r) => {
      const x0 = train.data[r * 4]!;
      return Number.isNaN(x0) || x0 + train.data[r * 4 + 1]! > 1 ? 1 : 0;
    });
    const params = {
      objective: 'binary:logistic',
      max_depth: '4',
      eta: '0.3',
      seed: '0',
      nthread: '1',
    };
    const { booster } = fit({ x: train, y }, { params, rounds: 25 });
    const test = rowsWithMissing(500, 4, 2);
    try {
      const xgboost = predict(booster, test);
      const onnx = await onnxProbabilities(xgboostToOnnx(JSON.parse(booster.toJson())), test);
      expect(new Set(xgboost).size).toBeGreaterThan(20);
      expect(maxAbsDifference(xgboost, onnx)).toBeLessThanOrEqual(PARITY_TOLERANCE);
    } finally {
      booster.free();
    }
  });
});

describe('assertParity', () => {
  it('returns the largest difference within tolerance', () => {
    expect(assertParity('m', [0.5, 0.25], [0.5, 0.250001])).toBeCloseTo(1e-6, 9);
  });

  it.each([
    ['beyond tolerance', [0.5], [0.5001]],
    ['NaN', [0.5], [NaN]],
  ])('fails the run on a difference %s', (_, xgboost, onnx) => {
    expect(() => assertParity('schedule', xgboost, onnx)).toThrow(
      /schedule: ONNX Runtime and XGBoost disagree/,
    );
  });
});
