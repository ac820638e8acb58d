import { afterEach, describe, expect, it, vi } from 'vitest';
import type { EncodedRows } from '../../../functions/features.js';
import { Booster, DMatrix, type BoosterParams } from '../../../scripts/xgboost/booster.js';
import { XGBoostError, xgboostVersion } from '../../../scripts/xgboost/library.js';

// label = x0 > 0.5; x1 is noise, missing (NaN) on every third row.
const ROWS = 200;
const rows: EncodedRows = {
  data: Float32Array.from({ length: ROWS * 2 }, (_, i) =>
    i % 2 === 0 ? (((i / 2) * 7919) % 100) / 100 : (i / 2) % 3 === 0 ? NaN : (i % 7) / 7,
  ),
  rows: ROWS,
  width: 2,
};
const labels = Float32Array.from({ length: ROWS }, (_, r) => (rows.data[r * 2]! > 0.5 ? 1 : 0));
const PARAMS: BoosterParams = {
  objective: 'binary:logistic',
  eval_metric: 'logloss',
  max_depth: '2',
  seed: '0',
  // One thread: tests run in parallel on small machines, where OpenMP threads contend.
  nthread: '1',
};

const owned: Array<{ free(): void }> = [];
const own = <T extends { free(): void }>(handle: T): T => (owned.push(handle), handle);
afterEach(() => owned.splice(0).forEach((handle) => handle.free()));

function trained(rounds: number): { booster: Booster; matrix: DMatrix; logLoss: number[] } {
  const matrix = own(DMatrix.fromRows(rows, labels));
  const booster = own(Booster.create(PARAMS, matrix));
  const logLoss: number[] = [];
  for (let round = 0; round < rounds; round++) {
    booster.update(round, matrix);
    logLoss.push(booster.evaluate(round, matrix));
  }
  return { booster, matrix, logLoss };
}

describe('libxgboost through koffi', () => {
  it('reports its version as the library writes it into models', () => {
    const { booster } = trained(1);
    const model = JSON.parse(booster.toJson()) as { version: number[] };
    expect(xgboostVersion()).toBe(model.version.join('.'));
  });

  it('trains a tiny model that separates the classes, with falling training loss', () => {
    const { booster, matrix, logLoss } = trained(20);
    const predictions = booster.predict(matrix);
    expect(predictions).toHaveLength(ROWS);
    predictions.forEach((p, r) => expect(p > 0.5 ? 1 : 0).toBe(labels[r]));
    expect(logLoss[19]!).toBeLessThan(logLoss[0]!);
    expect(logLoss[0]).toBeLessThan(Math.LN2);
  });

  it('predicts with the first rounds only when asked', () => {
    const { booster, matrix } = trained(10);
    const [first] = trained(1).booster.predict(matrix);
    expect(booster.predict(matrix, 1)[0]).toBe(first);
    expect(booster.predict(matrix)[0]).not.toBe(first);
  });

  it('gives margins whose sigmoid is the probability', () => {
    const { booster, matrix } = trained(5);
    const probabilities = booster.predict(matrix);
    booster.predictMargin(matrix).forEach((margin, r) => {
      expect(1 / (1 + Math.exp(-margin))).toBeCloseTo(probabilities[r]!, 6);
    });
  });

  it('gives per-feature contributions and a bias per row that sum to the margin', () => {
    const { booster, matrix } = trained(5);
    const margins = booster.predictMargin(matrix);
    const contributions = booster.predictContributions(matrix);
    expect(contributions).toHaveLength(ROWS * 3);
    margins.forEach((margin, r) => {
      const [x0, x1, bias] = contributions.subarray(r * 3, r * 3 + 3);
      expect(x0! + x1! + bias!).toBeCloseTo(margin, 5);
    });
    // x0 decides the label, so it moves the margin most: up for label 1, down for label 0.
    labels.forEach((label, r) => expect(Math.sign(contributions[r * 3]!)).toBe(label ? 1 : -1));
  });

  it('saves XGBoost JSON that loads back into the same predictions', () => {
    const { booster, matrix } = trained(5);
    const json = booster.toJson();
    const model = JSON.parse(json) as {
      learner: { gradient_booster: { model: { trees: unknown[] } } };
    };
    expect(model.learner.gradient_booster.model.trees).toHaveLength(5);
    const loaded = own(Booster.fromJson(json));
    expect(loaded.predict(matrix)).toEqual(booster.predict(matrix));
    expect(loaded.toJson()).toBe(json);
  });

  it('throws with XGBGetLastError’s message when a call fails', () => {
    const matrix = own(DMatrix.fromRows(rows, labels));
    const booster = own(Booster.create({ objective: 'no:such' }, matrix));
    expect(() => booster.update(0, matrix)).toThrow(
      /XGBoosterUpdateOneIter failed: .*Unknown objective function: `no:such`/,
    );
    expect(() => Booster.fromJson('{"not": "a model"}')).toThrow(
      /XGBoosterLoadModelFromBuffer failed: .*Invalid cast/,
    );
  });

  it('refuses data or labels that do not match the shape, and a handle used after free()', () => {
    expect(() => DMatrix.fromRows(rows, new Float32Array(3))).toThrow('3 labels for 200 rows');
    expect(() => DMatrix.fromRows({ ...rows, rows: 201 })).toThrow(
      '400 values for 201 rows of 2 features',
    );
    const matrix = DMatrix.fromRows(rows);
    matrix.free();
    matrix.free();
    expect(() => matrix.native()).toThrow(XGBoostError);
  });
});

describe('loading the library', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  it('takes the path from XGBOOST_LIB and names it when it cannot load', async () => {
    vi.stubEnv('XGBOOST_LIB', '/nonexistent/libxgboost.so');
    vi.resetModules();
    const library = await import('../../../scripts/xgboost/library.js');
    expect(() => library.xgboost()).toThrow(
      /cannot load XGBoost from "\/nonexistent\/libxgboost\.so"/,
    );
  });
});
