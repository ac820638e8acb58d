import { readFile } from 'node:fs/promises';
import * as ort from 'onnxruntime-node';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { flightEncoder, type EncodedRows } from '../../../functions/features.js';
import { SESSION_OPTIONS } from '../../../functions/model-registry.js';
import {
  ONNX_INPUT,
  ONNX_PROBABILITIES,
  xgboostToOnnx,
} from '../../../scripts/onnx/tree-ensemble.js';
import { fit, predict } from '../../../scripts/train/boosting.js';
import { SEED_FEATURES } from '../../../scripts/train/feature-sets.js';
import { evaluate } from '../../../scripts/train/metrics.js';
import {
  assertParity,
  maxAbsDifference,
  onnxProbabilities,
  PARITY_TOLERANCE,
} from '../../../scripts/train/onnx-runtime.js';
import { BASELINE } from '../../../scripts/train/pipeline.js';
import { syntheticDataset } from './helpers.js';

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

describe("the seed model's figures", () => {
  afterEach(() => vi.restoreAllMocks());

  /** The seed's model and enough synthetic flights, encoded as training encodes the test rows. */
  async function seedModelAndRows() {
    const model = xgboostToOnnx(JSON.parse(await readFile(BASELINE.path, 'utf8')));
    const dataset = await syntheticDataset(20_000);
    const x = flightEncoder(SEED_FEATURES)(dataset.flights.map((f) => f.record));
    const y = Float32Array.from(dataset.flights, (f) => f.delayed);
    return { model, x, y };
  }

  /** Figures from a session with `intraOpNumThreads` threads, everything else as served. */
  async function figuresAt(threads: number, model: Uint8Array, x: EncodedRows, y: Float32Array) {
    const options = { ...SESSION_OPTIONS, intraOpNumThreads: threads };
    const session = await ort.InferenceSession.create(model, options);
    try {
      const input = new ort.Tensor('float32', x.data, [x.rows, x.width]);
      const output = await session.run({ [ONNX_INPUT]: input }, [ONNX_PROBABILITIES]);
      const both = output[ONNX_PROBABILITIES]!.data as Float32Array;
      return evaluate(
        Float32Array.from({ length: x.rows }, (_, row) => both[row * 2 + 1]!),
        y,
        0.5,
      );
    } finally {
      await session.release();
    }
  }

  it('are scored with the session options the function serves with', async () => {
    const create = vi.spyOn(ort.InferenceSession, 'create');
    const { model, x } = await seedModelAndRows();
    await onnxProbabilities(model, x);
    expect(create).toHaveBeenCalledWith(model, SESSION_OPTIONS);
    expect(SESSION_OPTIONS).toMatchObject({ intraOpNumThreads: 1, executionMode: 'sequential' });
  });

  it('are the same twice, whatever thread count ONNX Runtime gets elsewhere', async () => {
    const { model, x, y } = await seedModelAndRows();
    const twice = [
      evaluate(await onnxProbabilities(model, x), y, 0.5),
      evaluate(await onnxProbabilities(model, x), y, 0.5),
    ];
    const [single, dual, many] = [
      await figuresAt(1, model, x, y),
      await figuresAt(2, model, x, y),
      await figuresAt(8, model, x, y),
    ];
    expect(twice[0]).toEqual(single);
    expect(twice[1]).toEqual(single);
    // More threads sum the trees in another order: the same figures to float32 rounding only,
    // which is what made a retrained card differ in the 8th digit from one machine to another.
    for (const threaded of [dual, many]) {
      expect(threaded.logLoss).toBeCloseTo(single.logLoss, 6);
      expect(threaded.rocAuc).toBeCloseTo(single.rocAuc, 6);
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
