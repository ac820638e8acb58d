import { describe, expect, it } from 'vitest';
import { readConfig, type TrainingConfig } from '../../../scripts/train/config.js';
import { MODEL_SPECS } from '../../../scripts/train/models.js';
import { cheapestWithin, combinations, tune } from '../../../scripts/train/tuning.js';
import { syntheticCsv } from '../../fixtures/synthetic-flights.js';
import { temporaryFile } from './helpers.js';

describe('combinations', () => {
  it('lists every combination in key order', () => {
    expect(combinations({ a: ['1', '2'], b: ['x', 'y'] })).toEqual([
      { a: '1', b: 'x' },
      { a: '1', b: 'y' },
      { a: '2', b: 'x' },
      { a: '2', b: 'y' },
    ]);
    expect(combinations({})).toEqual([{}]);
  });
});

describe('cheapestWithin', () => {
  const point = (max_depth: string, rounds: number, logLoss: number) => ({
    params: { max_depth },
    rounds,
    logLoss,
    rocAuc: 0.7,
  });
  const grid = [point('8', 328, 0.4274), point('6', 412, 0.4275), point('8', 250, 0.4278)];

  it('takes the fewest rounds × depth among points within the tolerance of the best', () => {
    expect(cheapestWithin(grid, 0.001, {})).toBe(grid[2]);
    expect(cheapestWithin(grid, 0.0002, {})).toBe(grid[1]);
  });

  it('with no tolerance is the lowest log loss', () => {
    expect(cheapestWithin(grid, 0, {})).toBe(grid[0]);
  });

  it('breaks a tie in cost by log loss, and takes a depth from the base parameters', () => {
    const tie = [point('4', 300, 0.43), point('6', 200, 0.4295)];
    expect(cheapestWithin(tie, 0.01, {})).toBe(tie[1]);
    const noDepth = [
      { params: {}, rounds: 100, logLoss: 0.43, rocAuc: 0.7 },
      point('4', 200, 0.43),
    ];
    expect(cheapestWithin(noDepth, 0.01, { max_depth: '10' })).toBe(noDepth[1]);
  });
});

describe('tune (on a small synthetic sample)', async () => {
  const committed = await readConfig();
  const config: TrainingConfig = {
    ...committed,
    crossValidation: { folds: 3, seed: 1 },
    search: {
      ...committed.search,
      grid: { max_depth: ['2', '3'], eta: ['0.3'] },
      studyParams: { max_depth: '2', eta: '0.3' },
      maxRounds: 12,
    },
  };
  const dataPath = await temporaryFile('flights.csv', syntheticCsv(600, 2));
  const tuned = await tune({ dataPath, config });

  it('measures every schedule feature set and picks the lowest log loss', () => {
    const study = tuned.tuning!.featureStudy;
    expect(study.map((s) => s.featureSet)).toEqual(MODEL_SPECS.schedule.featureSets);
    const best = Math.min(...study.map((s) => s.logLoss));
    expect(study.find((s) => s.featureSet === tuned.models.schedule.featureSet)?.logLoss).toBe(
      best,
    );
    expect(tuned.models['onehot-37'].featureSet).toBe('seed-37');
  });

  it('tries the whole grid per model and keeps the winner’s parameters and rounds', () => {
    for (const model of ['onehot-37', 'schedule'] as const) {
      const tried = tuned.tuning!.grid.filter((g) => g.model === model);
      expect(tried.map((g) => g.params)).toEqual(combinations(config.search.grid));
      const { logLossTolerance, baseParams } = config.search;
      const best = cheapestWithin(tried, logLossTolerance, baseParams);
      expect(tuned.models[model].params).toEqual({ ...config.search.baseParams, ...best.params });
      expect(tuned.models[model].rounds).toBe(best.rounds);
      expect(best.rounds).toBeGreaterThanOrEqual(1);
      expect(best.rounds).toBeLessThanOrEqual(12);
    }
  });

  it('records the data it measured and leaves the rest of the config alone', () => {
    expect(tuned.tuning!.data).toMatchObject({ file: 'flights.csv' });
    expect(tuned.split).toEqual(config.split);
    expect(tuned.search).toEqual(config.search);
  });
});
