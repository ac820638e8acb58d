import { describe, expect, it } from 'vitest';
import { readConfig, type TrainingConfig } from '../../../scripts/train/config.js';
import { CANDIDATE_FEATURES } from '../../../scripts/train/feature-sets.js';
import { MODEL_SPECS } from '../../../scripts/train/models.js';
import { HORIZONS } from '../../../scripts/train/airport-samples.js';
import { growingWindows } from '../../../scripts/train/state-windows.js';
import {
  cheapestWithin,
  chooseConfiguration,
  combinations,
  fewestWithin,
  tune,
} from '../../../scripts/train/tuning.js';
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

const point = (max_depth: string, rounds: number, logLoss: number) => ({
  params: { max_depth },
  rounds,
  logLoss,
  rocAuc: 0.7,
});

describe('cheapestWithin', () => {
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

describe('fewestWithin', () => {
  const candidate = (features: number, logLoss: number) => ({
    features,
    logLoss,
    rounds: 100,
    rocAuc: 0.7,
  });
  const study = [candidate(78, 0.44), candidate(82, 0.431), candidate(86, 0.4302)];

  it('takes the fewest columns among candidates within the tolerance of the lowest log loss', () => {
    expect(fewestWithin(study, 0.001)).toBe(study[1]);
    expect(fewestWithin(study, 0.0005)).toBe(study[2]);
    expect(fewestWithin(study, 0.01)).toBe(study[0]);
  });

  it('breaks a tie in columns by log loss', () => {
    const tie = [candidate(80, 0.4305), candidate(80, 0.43)];
    expect(fewestWithin(tie, 0.01)).toBe(tie[1]);
  });
});

describe('chooseConfiguration', () => {
  const grid = [point('8', 300, 0.43), point('6', 200, 0.4305)];
  const search = { logLossTolerance: 0.001, baseParams: {} };

  it('keeps the plain configuration unless the grid beats it by more than the tolerance', () => {
    expect(chooseConfiguration(grid, { rounds: 300, logLoss: 0.4309, rocAuc: 0.7 }, search)).toBe(
      undefined,
    );
    expect(chooseConfiguration(grid, { rounds: 300, logLoss: 0.431, rocAuc: 0.7 }, search)).toBe(
      undefined,
    );
  });

  it('then serves the cheapest grid point within the tolerance of the lowest', () => {
    expect(chooseConfiguration(grid, { rounds: 300, logLoss: 0.4311, rocAuc: 0.7 }, search)).toBe(
      grid[1],
    );
  });
});

describe('tune (on a small synthetic sample)', async () => {
  const committed = await readConfig();
  const config: TrainingConfig = {
    ...committed,
    crossValidation: { folds: 3, seed: 1 },
    plainBaseline: { ...committed.plainBaseline, rounds: 10 },
    search: {
      ...committed.search,
      grid: { max_depth: ['2', '3'], eta: ['0.3'] },
      studyParams: { max_depth: '2', eta: '0.3' },
      maxRounds: 12,
    },
  };
  const dataPath = await temporaryFile('flights.csv', syntheticCsv(600, 2));
  const tuned = await tune({ dataPath, config });

  it('measures every feature set, then each candidate on the best, and picks the lowest log loss', () => {
    const study = tuned.tuning!.featureStudy;
    const sets = study.filter((s) => s.extraFeatures.length === 0);
    expect(sets.map((s) => s.featureSet)).toEqual(MODEL_SPECS.schedule.featureSets);
    const best = sets.reduce((a, b) => (b.logLoss < a.logLoss ? b : a));
    const singles = study.filter((s) => s.extraFeatures.length === 1);
    expect(singles.map((s) => s.extraFeatures[0])).toEqual(Object.keys(CANDIDATE_FEATURES));
    expect(singles.every((s) => s.featureSet === best.featureSet)).toBe(true);
    const { featureSet, extraFeatures } = tuned.models.schedule;
    const chosen = study.find(
      (s) => s.featureSet === featureSet && s.extraFeatures.join() === extraFeatures.join(),
    );
    expect(chosen?.logLoss).toBe(Math.min(...study.map((s) => s.logLoss)));
    for (const feature of extraFeatures) {
      const alone = singles.find((s) => s.extraFeatures[0] === feature)!;
      expect(alone.logLoss).toBeLessThan(best.logLoss);
    }
    expect(tuned.models['onehot-37']).toMatchObject({ featureSet: 'seed-37', extraFeatures: [] });
  });

  it('tries the whole grid and the plain configuration per model, and serves what the rule picks', () => {
    for (const model of ['onehot-37', 'schedule'] as const) {
      const tried = tuned.tuning!.grid.filter((g) => g.model === model);
      expect(tried.map((g) => g.params)).toEqual(combinations(config.search.grid));
      const plain = tuned.tuning!.reference.find((r) => r.model === model)!;
      expect(plain.rounds).toBe(10);
      const best = chooseConfiguration(tried, plain, config.search);
      expect(tuned.models[model]).toMatchObject(
        best
          ? { params: { ...config.search.baseParams, ...best.params }, rounds: best.rounds }
          : { params: config.plainBaseline.params, rounds: 10 },
      );
      expect(tuned.models[model].rounds).toBeGreaterThanOrEqual(1);
      expect(tuned.models[model].rounds).toBeLessThanOrEqual(12);
    }
  });

  it('studies the state windows on the training samples and gives nowcast the schedule’s choice, its windows and their best rounds', () => {
    const { candidates, horizons, trainingSamples, leftOut } = tuned.tuning!.stateStudy!;
    expect(horizons).toEqual(HORIZONS);
    expect(trainingSamples + leftOut).toBe(tuned.tuning!.data.trainingRows * HORIZONS.length);
    const airport = candidates.slice(0, 1 + growingWindows().length);
    expect(airport.map((c) => [c.airport, c.airline])).toEqual([
      [[], []],
      ...growingWindows().map((w) => [w, []]),
    ]);
    const base = fewestWithin(airport, config.search.logLossTolerance);
    expect(candidates.slice(airport.length).map((c) => [c.airport, c.airline])).toEqual(
      growingWindows().map((w) => [base.airport, w]),
    );
    const chosen = fewestWithin(candidates, config.search.logLossTolerance);
    const { featureSet, extraFeatures, params } = tuned.models.schedule;
    expect(tuned.models.nowcast).toEqual({
      featureSet,
      extraFeatures,
      airportState: { airport: chosen.airport, airline: chosen.airline },
      params,
      rounds: chosen.rounds,
    });
  });

  it('runs the state study alone on a tuned config, to the same result', async () => {
    expect(await tune({ dataPath, config: tuned, stateOnly: true })).toEqual(tuned);
    const { tuning: _none, ...untuned } = config;
    await expect(tune({ dataPath, config: untuned, stateOnly: true })).rejects.toThrow(
      'no search is recorded in the config',
    );
  });

  it('records the data it measured and leaves the rest of the config alone', () => {
    expect(tuned.tuning!.data).toMatchObject({ file: 'flights.csv' });
    expect(tuned.tuning!.data.trainingWeeks).toBeGreaterThan(0);
    expect(tuned.split).toEqual(config.split);
    expect(tuned.search).toEqual(config.search);
  });
});
