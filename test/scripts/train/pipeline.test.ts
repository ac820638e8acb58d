import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareModels, writeModels } from '../../../scripts/train/artifacts.js';
import {
  airportSamples,
  HEADLINE_HORIZON,
  HORIZONS,
} from '../../../scripts/train/airport-samples.js';
import { validateCard } from '../../../scripts/train/card.js';
import { readConfig, type TrainingConfig } from '../../../scripts/train/config.js';
import { onnxProbabilities, PARITY_TOLERANCE } from '../../../scripts/train/onnx-runtime.js';
import { toCsv } from '../../../scripts/train/csv.js';
import { thresholdFree } from '../../../scripts/train/metrics.js';
import { train } from '../../../scripts/train/pipeline.js';
import { loadTrainingData } from '../../../scripts/train/training-data.js';
import { isoWeekKey } from '../../../scripts/train/weeks.js';
import { writeReport } from '../../../scripts/train/report.js';
import { flightEncoder } from '../../../functions/features.js';
import { scored } from '../../../functions/probability.js';
import { parseScheduledTime } from '../../../functions/santiago-time.js';
import {
  SCL_2017_COLUMNS,
  syntheticCsv,
  syntheticFlights,
} from '../../fixtures/synthetic-flights.js';
import { hasSharedData, SHARED_DATA, temporaryDirectory, temporaryFile } from './helpers.js';

/** The committed config with few rounds and folds, so that a run takes a second. */
async function smallConfig(): Promise<TrainingConfig> {
  const config = await readConfig();
  const small = (name: keyof TrainingConfig['models']) => ({
    ...config.models[name],
    params: { ...config.models[name].params, max_depth: '3' },
    rounds: 15,
  });
  return {
    ...config,
    crossValidation: { folds: 3, seed: 1 },
    bootstrap: { ...config.bootstrap, replicates: 50 },
    plainBaseline: { ...config.plainBaseline, rounds: 10 },
    models: {
      'onehot-37': small('onehot-37'),
      schedule: small('schedule'),
      nowcast: small('nowcast'),
    },
  };
}

const config = await smallConfig();
// 800 good rows and one with an unknown flight type, which the cards must count.
const BAD_ROW = '2017-03-01 10:00:00,2017-03-01 10:05:00,1,3,2017,Miercoles,X,Sky Airline,Arica\n';
const dataPath = await temporaryFile('flights.csv', syntheticCsv(800, 11) + BAD_ROW);
const now = new Date('2024-01-02T03:04:05Z');
const run = await train({ dataPath, config, now });

describe('train (end to end on a small synthetic sample)', () => {
  it('produces the three models with valid cards', () => {
    expect(run.models.map((m) => m.name)).toEqual(['onehot-37', 'schedule', 'nowcast']);
    for (const { card } of run.models) {
      expect(() => validateCard(card)).not.toThrow();
      expect(card.createdAt).toBe(now.toISOString());
      expect(card.data).toMatchObject({
        file: 'flights.csv',
        rows: {
          read: 801,
          used: 800,
          rejected: {
            'wrong field count': 0,
            'missing field': 0,
            'unparseable Fecha-I': 0,
            'unparseable Fecha-O': 0,
            'unknown TIPOVUELO': 1,
          },
        },
        split: {
          unit: 'ISO week',
          // nowcast's training rows are its samples.
          train: card.airportState?.samples.training ?? run.split.train.length,
          test: run.split.test.length,
          testWeeks: run.split.testWeeks,
        },
      });
    }
  });

  it('scores nowcast on the held-out flights at every horizon, beside schedule on the same flights', () => {
    const nowcast = run.models.find((m) => m.name === 'nowcast')!;
    const schedule = run.models.find((m) => m.name === 'schedule')!;
    const state = nowcast.card.airportState!;
    expect(state.byHorizon.map((h) => h.horizonMinutes)).toEqual(HORIZONS);
    expect(state.horizonMinutes).toEqual({ min: 15, max: 360 });
    for (const h of state.byHorizon) {
      expect(h.metrics.rows).toBe(run.split.test.length);
      expect(h.schedule).toEqual(thresholdFree(schedule.metrics));
      expect(h.difference.rocAuc.value).toBeCloseTo(h.metrics.rocAuc - schedule.metrics.rocAuc, 12);
    }
    const headline = state.byHorizon.find((h) => h.horizonMinutes === HEADLINE_HORIZON)!;
    expect(headline.metrics).toEqual(thresholdFree(nowcast.metrics));
    expect(nowcast.card.features).toEqual(expect.arrayContaining(['horizonte']));
    // Its plain baseline is schedule's: the schedule-only features, fitted on the flights.
    expect(nowcast.plainBaseline).toBe(schedule.plainBaseline);
  });

  it('holds out whole weeks: the card’s test weeks are exactly the test rows’ weeks', () => {
    expect(new Set(run.testWeeks)).toEqual(new Set(run.split.testWeeks));
    const testWeeks = new Set(run.split.testWeeks);
    const flights = run.dataset.flights;
    expect(run.split.train.some((row) => testWeeks.has(isoWeekKey(flights[row]!.scheduled)))).toBe(
      false,
    );
  });

  it('gives every headline figure a bootstrap interval, beside both baselines on the same rows', () => {
    for (const { card } of run.models) {
      for (const metric of ['rocAuc', 'prAuc', 'logLoss', 'brier'] as const) {
        expect(card.intervals[metric].low).toBeLessThanOrEqual(card.metrics[metric]);
        expect(card.intervals[metric].high).toBeGreaterThanOrEqual(card.metrics[metric]);
      }
      expect(card.plainBaseline.metrics.rows).toBe(card.metrics.rows);
      expect(card.baseline.metrics.rows).toBe(card.metrics.rows);
      expect(card.crossValidation.rocAuc.min).toBeLessThanOrEqual(card.crossValidation.rocAuc.max);
      expect(card.rowSplit.metrics.rows).toBeGreaterThan(0);
    }
  });

  it('folds a chosen calibration step into the ONNX trees: served probabilities are calibrated', () => {
    for (const model of run.models) {
      const { method, slope, intercept } = model.card.calibration;
      expect(method === 'platt').toBe(model.calibration.used);
      if (method === 'none') expect({ slope, intercept }).toEqual({ slope: 1, intercept: 0 });
    }
  });

  it('scores the test rows with ONNX Runtime, matching XGBoost', () => {
    for (const model of run.models) {
      expect(model.parity).toBeLessThanOrEqual(PARITY_TOLERANCE);
      expect(model.testProbabilities).toHaveLength(run.split.test.length);
      expect(model.card.metrics.rows).toBe(run.split.test.length);
      expect(model.card.baseline.metrics).toEqual(run.baseline.metrics);
      expect(model.card.baseline.intervals).toEqual(run.baseline.intervals);
    }
  });

  it('keeps the test rows out of training', () => {
    const test = new Set(run.split.test);
    expect(run.split.train.some((row) => test.has(row))).toBe(false);
    expect(run.split.train.length + run.split.test.length).toBe(800);
  });

  it('gives identical ONNX bytes and cards when run again on the same data', async () => {
    const again = await train({ dataPath, config, now: new Date() });
    again.models.forEach((model, i) => {
      const { createdAt: _a, ...card } = model.card;
      const { createdAt: _b, ...first } = run.models[i]!.card;
      expect(Buffer.from(model.onnx).equals(Buffer.from(run.models[i]!.onnx))).toBe(true);
      expect(card).toEqual(first);
    });
  });
});

describe('the cards’ training distribution', () => {
  it('bins the served model’s probabilities on the training rows, as the service decides on them', async () => {
    // One per training flight: for nowcast, the training flights 1 hour before departure.
    const samples = airportSamples(await loadTrainingData(dataPath, config, () => {}));
    const flights = run.split.train.map((row) => run.dataset.flights[row]!.record);
    for (const { card, onnx } of run.models) {
      const training = card.airportState
        ? samples.data.referenceRows.map((i) => samples.byIndex[i]!.record)
        : flights;
      expect(samples.byIndex[samples.data.referenceRows[0]!]!.horizon).toBe(HEADLINE_HORIZON);
      const { rows, weeks, probability } = card.trainingDistribution;
      expect({ rows, weeks }).toEqual({
        rows: training.length,
        weeks: run.split.trainWeeks.length,
      });
      const served = await onnxProbabilities(onnx, flightEncoder(card.features)(training));
      // The rows from each edge on are those a threshold at that edge calls delayed.
      probability.edges.slice(0, -1).forEach((edge, bin) => {
        const delayed = served.filter((p) => scored(p, edge).delayed).length;
        expect(probability.counts.slice(bin).reduce((a, b) => a + b, 0)).toBe(delayed);
      });
    }
  });

  it('never changes with the rows of held-out weeks', async () => {
    const testWeeks = new Set(run.split.testWeeks);
    const flights = syntheticFlights(800, 11).map((flight, i) => {
      if (!testWeeks.has(isoWeekKey(parseScheduledTime(flight['Fecha-I'])!))) return flight;
      const date = flight['Fecha-I'].slice(0, 10);
      return {
        ...flight,
        OPERA: 'Sky Airline',
        TIPOVUELO: 'I',
        SIGLADES: 'Arica',
        'Fecha-I': `${date} 03:15:00`,
        // Every other one delayed, so that the held-out weeks keep both classes.
        'Fecha-O': `${date} ${i % 2 === 0 ? '04:00:00' : '03:20:00'}`,
      };
    });
    const csv = toCsv([SCL_2017_COLUMNS, ...flights.map((f) => SCL_2017_COLUMNS.map((c) => f[c]))]);
    const changed = await train({
      dataPath: await temporaryFile('changed.csv', csv + BAD_ROW),
      config,
      now,
    });
    expect(changed.split.testWeeks).toEqual(run.split.testWeeks);
    changed.models.forEach(({ card }, i) => {
      const { card: original } = run.models[i]!;
      expect(card.metrics).not.toEqual(original.metrics);
      expect(card.trainingDistribution).toEqual(original.trainingDistribution);
    });
  });
});

describe('explanations of the test rows', () => {
  it('add up, with the base, to the logit of each served probability', () => {
    for (const model of run.models) {
      model.testExplanations.forEach(({ base, contributions }, row) => {
        const p = model.testProbabilities[row]!;
        const sum = contributions.reduce((total, c) => total + c.contribution, base);
        expect(Math.abs(sum - Math.log(p / (1 - p)))).toBeLessThan(1e-4);
      });
    }
  });

  it('give each card the mean |contribution| per field, largest first', () => {
    for (const model of run.models) {
      const fields = model.card.importance.map((i) => i.field);
      const field = fields[0]!;
      const mean =
        model.testExplanations.reduce(
          (sum, e) => sum + Math.abs(e.contributions.find((c) => c.field === field)!.contribution),
          0,
        ) / model.testExplanations.length;
      expect(model.card.importance[0]!.meanAbsContribution).toBeCloseTo(mean, 6);
      const values = model.card.importance.map((i) => i.meanAbsContribution);
      expect(values).toEqual([...values].sort((a, b) => b - a));
    }
  });
});

describe('--check', () => {
  it('finds nothing to report against the files the same run wrote', async () => {
    const dir = await temporaryDirectory();
    await writeModels(run.models, dir);
    expect(await compareModels(run.models, dir)).toEqual([]);
  });

  it('ignores createdAt but names every other difference', async () => {
    const dir = await temporaryDirectory();
    await writeModels(run.models, dir);
    const cardPath = join(dir, 'schedule.json');
    const card = JSON.parse(await readFile(cardPath, 'utf8')) as Record<string, unknown>;
    await writeFile(
      cardPath,
      JSON.stringify({
        ...card,
        createdAt: '2000-01-01T00:00:00Z',
        threshold: { value: 0.5, rule: 'x' },
      }),
    );
    await writeFile(join(dir, 'onehot-37.onnx'), 'not a model');
    const differences = await compareModels(run.models, dir);
    expect(differences).toHaveLength(3);
    expect(differences[0]).toMatch(/onehot-37\.onnx: bytes differ/);
    expect(differences.slice(1).join('\n')).toMatch(/schedule\.json: \/threshold\/value: 0\.5 → /);
    expect(differences.join('\n')).not.toMatch(/createdAt/);
  });

  it('reports committed files that are missing', async () => {
    const dir = await temporaryDirectory();
    expect(await compareModels(run.models.slice(0, 1), dir)).toEqual([
      `${join(dir, 'onehot-37.onnx')}: missing`,
      `${join(dir, 'onehot-37.xgboost.json')}: missing`,
      `${join(dir, 'onehot-37.json')}: missing`,
    ]);
  });
});

describe('writeReport', () => {
  it('writes the report and its SVG charts, two of them for schedule’s top fields', async () => {
    const dir = await temporaryDirectory();
    const written = await writeReport(run, config, dir);
    const top = run.models.find((m) => m.name === 'schedule')!.importance.slice(0, 2);
    expect(written.map((path) => path.slice(dir.length + 1))).toEqual([
      'model-report.md',
      'roc.svg',
      'precision-recall.svg',
      'calibration.svg',
      'nowcast-calibration.svg',
      'field-importance.svg',
      ...top.map(({ field }) => `contribution-by-${field.toLowerCase()}.svg`),
      'delay-by-airline.svg',
      'delay-by-month.svg',
    ]);
    const report = await readFile(join(dir, 'model-report.md'), 'utf8');
    for (const text of [
      '| ROC AUC ↑',
      '`schedule`',
      '`schedule plain baseline`',
      '`seed`',
      'What a random row split hides',
      ...run.split.testWeeks.map((week) => `\`${week}\``),
      '![ROC curve](roc.svg)',
      '`nowcast`: the airport',
      '![Reliability diagram at 60 min](nowcast-calibration.svg)',
      'flights.csv',
    ]) {
      expect(report).toContain(text);
    }
    // A row per horizon in nowcast's table.
    for (const horizon of HORIZONS) expect(report).toMatch(new RegExp(`\\| ${horizon} min +\\|`));
    for (const svg of written.slice(1)) expect(await readFile(svg, 'utf8')).toMatch(/^<svg /);
  });
});

describe.skipIf(!hasSharedData)('train on a sample of the shared data set', () => {
  it('runs every step on every 20th real row', async () => {
    const lines = (await readFile(SHARED_DATA, 'utf8')).trimEnd().split('\n');
    const sample = [lines[0], ...lines.slice(1).filter((_, i) => i % 20 === 0)].join('\n');
    const sampled = await train({
      dataPath: await temporaryFile('sample.csv', `${sample}\n`),
      config,
    });
    expect(sampled.dataset.read).toBe(Math.ceil((lines.length - 1) / 20));
    expect(sampled.dataset.flights).toHaveLength(sampled.dataset.read);
    for (const model of sampled.models) {
      expect(model.parity).toBeLessThanOrEqual(PARITY_TOLERANCE);
      expect(model.card.features.length).toBeGreaterThan(0);
    }
  });
});
