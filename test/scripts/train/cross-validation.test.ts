import { describe, expect, it } from 'vitest';
import { flightEncoder } from '../../../functions/features.js';
import { fit, predict, selectRows, type LabelledRows } from '../../../scripts/train/boosting.js';
import { crossValidate } from '../../../scripts/train/cross-validation.js';
import { SEED_FEATURES } from '../../../scripts/train/feature-sets.js';
import { weekFolds } from '../../../scripts/train/split.js';
import { isoWeekKey } from '../../../scripts/train/weeks.js';
import { syntheticDataset } from './helpers.js';

const { flights } = await syntheticDataset(900, 5);
const data: LabelledRows = {
  x: flightEncoder(SEED_FEATURES)(flights.map((f) => f.record)),
  y: Float32Array.from(flights, (f) => f.delayed),
};
const folds = weekFolds(
  flights.map((f) => isoWeekKey(f.scheduled)),
  3,
  1,
);
const params = {
  objective: 'binary:logistic',
  eval_metric: 'logloss',
  max_depth: '3',
  seed: '0',
  nthread: '1',
};

describe('crossValidate', () => {
  it('predicts each row with the model of the fold that held it out', () => {
    const cv = crossValidate(data, folds, { params, rounds: 8, predictAt: 8 });
    const heldOut = folds[1]!;
    const trainRows = [...data.y.keys()].filter((row) => !heldOut.includes(row));
    const { booster } = fit(selectRows(data, trainRows), { params, rounds: 8 });
    try {
      const expected = predict(booster, selectRows(data, heldOut).x);
      expect(heldOut.map((row) => cv.oof[row])).toEqual([...expected]);
    } finally {
      booster.free();
    }
  });

  it('averages the folds’ validation log loss per round and can predict at its minimum', () => {
    const cv = crossValidate(data, folds, {
      params: { ...params, eta: '0.5' },
      rounds: 40,
      predictAt: 'best',
    });
    expect(cv.logLossByRound).toHaveLength(40);
    expect(cv.logLossByRound[cv.round - 1]).toBe(Math.min(...cv.logLossByRound));
    const atLast = crossValidate(data, folds, {
      params: { ...params, eta: '0.5' },
      rounds: 40,
      predictAt: 40,
    });
    expect(atLast.logLossByRound).toEqual(cv.logLossByRound);
    expect(cv.round === 40 || atLast.oof.some((p, row) => p !== cv.oof[row])).toBe(true);
  });

  it('ticks once per round of every fold', () => {
    let ticks = 0;
    crossValidate(data, folds, { params, rounds: 5, predictAt: 5, onRound: () => ticks++ });
    expect(ticks).toBe(15);
  });

  it.each([0, 6])('refuses to predict at round %i of 5', (round) => {
    expect(() => crossValidate(data, folds, { params, rounds: 5, predictAt: round })).toThrow(
      RangeError,
    );
  });
});
