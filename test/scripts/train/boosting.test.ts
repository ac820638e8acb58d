import { describe, expect, it } from 'vitest';
import { flightEncoder } from '../../../functions/features.js';
import { fit, predict, selectRows, type LabelledRows } from '../../../scripts/train/boosting.js';
import { FEATURE_SETS } from '../../../scripts/train/feature-sets.js';
import { syntheticDataset } from './helpers.js';

const { flights } = await syntheticDataset(2000, 3);
const records = flights.map((f) => f.record);
const data: LabelledRows = {
  x: flightEncoder(FEATURE_SETS['numeric-calendar']!.names(records))(records),
  y: Float32Array.from(flights, (f) => f.delayed),
};
// Row and column sampling draw random numbers: the seed must make them repeatable.
const PARAMS = {
  objective: 'binary:logistic',
  eval_metric: 'logloss',
  tree_method: 'hist',
  max_depth: '4',
  subsample: '0.8',
  colsample_bytree: '0.8',
  seed: '7',
  nthread: '1',
};

function modelJson(params: Record<string, string>): string {
  const { booster } = fit(data, { params, rounds: 30 });
  try {
    return booster.toJson();
  } finally {
    booster.free();
  }
}

describe('fit', () => {
  it('gives byte-identical models for the same data and parameters', () => {
    expect(modelJson(PARAMS)).toBe(modelJson(PARAMS));
  });

  it('gives byte-identical models with one thread and with two', () => {
    expect(modelJson({ ...PARAMS, nthread: '1' })).toBe(modelJson({ ...PARAMS, nthread: '2' }));
  });

  it('changes the model when the seed changes (the seed is used)', () => {
    expect(modelJson({ ...PARAMS, seed: '8' })).not.toBe(modelJson(PARAMS));
  });

  it('records the validation metric after every round and calls back per round', () => {
    let rounds = 0;
    const { booster, validationByRound } = fit(selectRows(data, [...Array(1500).keys()]), {
      params: PARAMS,
      rounds: 12,
      validation: selectRows(
        data,
        [...Array(500).keys()].map((i) => 1500 + i),
      ),
      onRound: () => rounds++,
    });
    booster.free();
    expect(rounds).toBe(12);
    expect(validationByRound).toHaveLength(12);
    expect(validationByRound[11]!).toBeLessThan(validationByRound[0]!);
  });
});

describe('selectRows', () => {
  it('copies the chosen rows and labels in the order given', () => {
    const picked = selectRows(data, [5, 2]);
    const width = data.x.width;
    expect(picked.x.rows).toBe(2);
    expect([...picked.x.data]).toEqual([
      ...data.x.data.subarray(5 * width, 6 * width),
      ...data.x.data.subarray(2 * width, 3 * width),
    ]);
    expect([...picked.y]).toEqual([data.y[5], data.y[2]]);
  });
});

describe('predict', () => {
  it('uses every round by default and the first rounds when asked', () => {
    const { booster } = fit(data, { params: PARAMS, rounds: 10 });
    try {
      const all = predict(booster, data.x);
      expect(all).toHaveLength(2000);
      expect(predict(booster, data.x, 10)).toEqual(all);
      expect(predict(booster, data.x, 3)).not.toEqual(all);
    } finally {
      booster.free();
    }
  });
});
