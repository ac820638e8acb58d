import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { DepartureBoard, timedDepartures } from '../../../functions/airport-state.js';
import {
  FEATURE_COLUMNS,
  flightEncoder,
  type FlightInState,
  seedKey,
  seedRowEncoder,
} from '../../../functions/features.js';
import { parseScheduledTime } from '../../../functions/santiago-time.js';
import { sha256, validateCard, type TrainingCard } from '../../../scripts/train/card.js';
import { SEED_FEATURES } from '../../../scripts/train/feature-sets.js';
import { MODEL_NAMES, MODEL_SPECS } from '../../../scripts/train/models.js';

const at = (text: string) => parseScheduledTime(text)!;
const modelFile = (file: string) =>
  fileURLToPath(new URL(`../../../models/${file}`, import.meta.url));
const committed = MODEL_NAMES.map((name) => {
  const card = JSON.parse(readFileSync(modelFile(`${name}.json`), 'utf8')) as TrainingCard;
  return { name, card, onnx: readFileSync(modelFile(card.onnx.file)) };
});

describe.each(committed)('the committed $name model', ({ name, card, onnx }) => {
  it('has a card that validates against schemas/model-card.schema.json', () => {
    expect(() => validateCard(card)).not.toThrow();
    expect(card.name).toBe(name);
    expect(card.requestFormat).toBe(MODEL_SPECS[name].requestFormat);
  });

  it('is the ONNX file its card describes (SHA-256, version)', () => {
    expect(card.onnx.file).toBe(`${name}.onnx`);
    expect(sha256(onnx)).toBe(card.onnx.sha256);
    expect(card.version).toBe(card.onnx.sha256.slice(0, 12));
  });

  it('reads the card’s features through the card’s tensor names', async () => {
    const session = await ort.InferenceSession.create(onnx);
    try {
      expect(session.inputNames).toEqual([card.onnx.input]);
      expect(session.outputNames).toContain(card.onnx.output);
      const flight = {
        OPERA: 'Grupo LATAM',
        TIPOVUELO: 'N',
        'Fecha-I': '2017-07-14 19:30:00',
        SIGLADES: 'Antofagasta',
      };
      // With the board of two departures, which a model reading no state ignores.
      const state = new DepartureBoard(
        timedDepartures([
          {
            OPERA: 'Grupo LATAM',
            'Fecha-I': '2017-07-14 18:00:00',
            'Fecha-O': '2017-07-14 18:40:00',
          },
          {
            OPERA: 'Sky Airline',
            'Fecha-I': '2017-07-14 18:10:00',
            'Fecha-O': '2017-07-14 18:12:00',
          },
        ]),
      ).stateAt(at('2017-07-14 18:30:00'), flight.OPERA, at(flight['Fecha-I']));
      const inState: FlightInState = { ...flight, state };
      const x =
        card.requestFormat === 'flights'
          ? flightEncoder(card.features)([inState])
          : seedRowEncoder(card.features)([
              { [seedKey('OPERA_Grupo LATAM')]: true, TIPOVUELO_N: true, MES_7: true },
            ]);
      const input = new ort.Tensor('float32', x.data, [1, card.features.length]);
      const output = await session.run({ [card.onnx.input]: input });
      const [, delayed] = output[card.onnx.output]!.data as Float32Array;
      expect(delayed).toBeGreaterThan(0);
      expect(delayed).toBeLessThan(1);
    } finally {
      await session.release();
    }
  });

  it('shows the seed’s figures on the same test rows, and beats its log loss', () => {
    expect(card.baseline.name).toBe('seed-xgb-upsampling');
    expect(card.baseline.metrics.rows).toBe(card.metrics.rows);
    expect(card.metrics.rows).toBe(card.data.split.test);
    expect(card.metrics.logLoss).toBeLessThan(card.baseline.metrics.logLoss);
  });

  it('counts its training rows over the fields it reads, as its features read them', () => {
    const { rows, weeks, fields, byMonth } = card.trainingDistribution;
    // One per training flight: for a model reading the airport's state, its headline samples.
    const headline = card.airportState?.byHorizon.find(
      (h) => h.horizonMinutes === card.airportState?.headlineHorizonMinutes,
    );
    expect({ rows, weeks }).toEqual({
      rows: headline ? headline.trainingSamples : card.data.split.train,
      weeks: card.data.split.trainWeeks,
    });
    for (const { counts } of Object.values(fields)) {
      expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(rows);
    }
    expect(Object.values(byMonth).reduce((total, month) => total + month.rows, 0)).toBe(rows);
    // Every one-hot column is a value with training rows: OPERA and, pooled, SIGLADES.
    for (const field of ['OPERA', 'SIGLADES'].filter((f) => f in fields)) {
      const columns = card.features.filter((f) => f.startsWith(`${field}_`));
      const values = Object.keys(fields[field]!.counts).map((value) => `${field}_${value}`);
      expect(values.sort()).toEqual(columns.sort());
    }
  });

  it('names about a third of the ISO weeks as held out', () => {
    const { testWeeks, trainWeeks } = card.data.split;
    expect(testWeeks.length / (testWeeks.length + trainWeeks)).toBeCloseTo(1 / 3, 1);
  });
});

describe('the committed schedule model on its held-out weeks', () => {
  const { card } = committed.find((m) => m.name === 'schedule')!;
  const plain = card.plainBaseline.metrics;

  it('beats its plain baseline by at least 0.003 ROC AUC, with log loss no worse', () => {
    expect(card.plainBaseline.metrics.rows).toBe(card.metrics.rows);
    expect(card.metrics.rocAuc - plain.rocAuc).toBeGreaterThanOrEqual(0.003);
    expect(card.metrics.logLoss).toBeLessThanOrEqual(plain.logLoss);
  });

  it('is calibrated no worse than its baseline + 0.005 ECE', () => {
    expect(card.metrics.ece).toBeLessThanOrEqual(plain.ece + 0.005);
  });
});

describe('the committed cards', () => {
  it('give onehot-37 exactly the seed’s 37 inputs in order', () => {
    expect(committed.find((m) => m.name === 'onehot-37')?.card.features).toEqual(SEED_FEATURES);
  });

  it('were trained on the same data and held-out weeks (nowcast on samples of the flights)', () => {
    const [first, ...others] = committed.map((m) => m.card.data);
    for (const data of others) {
      expect({ ...data, split: { ...data.split, train: 0 } }).toEqual({
        ...first,
        split: { ...first!.split, train: 0 },
      });
    }
  });
});

describe('the committed nowcast model', () => {
  const { card } = committed.find((m) => m.name === 'nowcast')!;
  const schedule = committed.find((m) => m.name === 'schedule')!.card;
  const state = card.airportState!;
  const headline = state.byHorizon.find((h) => h.horizonMinutes === state.headlineHorizonMinutes)!;

  it('answers the range of horizons it was trained on, and is scored at each of them', () => {
    expect(state.horizonMinutes).toEqual({
      min: Math.min(...state.trainingHorizons),
      max: Math.max(...state.trainingHorizons),
    });
    expect(state.byHorizon.map((h) => h.horizonMinutes)).toEqual(state.trainingHorizons);
    expect(state.stateFeatures).toEqual(
      card.features.filter((f) => FEATURE_COLUMNS.state.includes(f)),
    );
    expect(state.stateFeatures).toContain('horizonte');
  });

  it('has headline figures that are the held-out flights at the headline horizon', () => {
    const { rows, rocAuc, prAuc, logLoss, brier, ece } = card.metrics;
    expect(headline.metrics).toEqual({ rows, rocAuc, prAuc, logLoss, brier, ece });
    expect(headline.intervals).toEqual(card.intervals);
    expect(rows).toBe(state.samples.heldOutPerHorizon);
  });

  it('compares with schedule on the same flights: schedule’s own held-out figures', () => {
    const { rows, rocAuc, prAuc, logLoss, brier, ece } = schedule.metrics;
    for (const h of state.byHorizon) {
      expect(h.schedule).toEqual({ rows, rocAuc, prAuc, logLoss, brier, ece });
      expect(h.difference.rocAuc.value).toBeCloseTo(h.metrics.rocAuc - rocAuc, 12);
      expect(h.difference.logLoss.value).toBeCloseTo(h.metrics.logLoss - logLoss, 12);
      for (const d of Object.values(h.difference)) {
        expect(d.low).toBeLessThanOrEqual(d.high);
      }
    }
  });

  it('counts the samples it learned from', () => {
    const sum = state.byHorizon.reduce((total, h) => total + h.trainingSamples, 0);
    expect(sum).toBe(state.samples.training);
    expect(card.data.split.train).toBe(state.samples.training);
    expect(state.samples.training + state.samples.leftOut).toBe(
      schedule.data.split.train * state.trainingHorizons.length,
    );
  });
});

describe('validateCard', () => {
  const [{ card }] = committed as [(typeof committed)[number]];
  const nowcast = committed.find((m) => m.name === 'nowcast')!.card;

  it.each([
    [
      'a nowcast card without its served range',
      { ...nowcast, airportState: { ...nowcast.airportState, horizonMinutes: undefined } },
      /\/airportState must have required property 'horizonMinutes'/,
    ],
    [
      'a window the board does not have',
      {
        ...nowcast,
        airportState: { ...nowcast.airportState, windows: { airport: ['2h'], airline: [] } },
      },
      /\/airportState\/windows\/airport\/0 must be equal to one of the allowed values/,
    ],
    [
      'a missing field',
      { ...card, threshold: undefined },
      /must have required property 'threshold'/,
    ],
    ['a bad version', { ...card, version: 'v1' }, /\/version must match pattern/],
    ['an unknown field', { ...card, extra: 1 }, /must NOT have additional properties/],
    ['a bad createdAt', { ...card, createdAt: 'yesterday' }, /\/createdAt must match format/],
    [
      'a training card without its training distribution',
      { ...card, trainingDistribution: undefined },
      /must have required property 'trainingDistribution'/,
    ],
    [
      'a count that is not a whole number of rows',
      {
        ...card,
        trainingDistribution: {
          ...card.trainingDistribution,
          fields: { OPERA: { kind: 'categorical', counts: { 'Grupo LATAM': 0.5 } } },
        },
      },
      /\/trainingDistribution\/fields\/OPERA\/counts\/Grupo LATAM must be integer/,
    ],
  ])('lists %s', (_, invalid, message) => {
    expect(() => validateCard(JSON.parse(JSON.stringify(invalid)))).toThrow(message);
  });
});
