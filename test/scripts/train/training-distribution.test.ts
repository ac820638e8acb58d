import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ScheduledFlight } from '../../../functions/features.js';
import { SEED_FEATURES } from '../../../scripts/train/feature-sets.js';
import { weekSplit } from '../../../scripts/train/split.js';
import {
  trainingDistribution,
  type CategoricalDistribution,
  type NumericalDistribution,
} from '../../../scripts/train/training-distribution.js';
import { isoWeekKey } from '../../../scripts/train/weeks.js';
import { syntheticDataset } from './helpers.js';

const { flights } = await syntheticDataset(3000, 7);
const records: ScheduledFlight[] = flights.map((f) => f.record);
const split = weekSplit(
  flights.map((f) => isoWeekKey(f.scheduled)),
  0.33,
  2017,
);
const data = (rows: readonly ScheduledFlight[]) => ({
  split,
  records: (indices: readonly number[]) => indices.map((i) => rows[i]!),
});
const training = split.train.map((row) => records[row]!);

// Two airlines of the five with a column, destinations pooled but for Lima, month, weekday and
// hour read as numbers, and a fact of the date alone.
const FEATURES = [
  'OPERA_Grupo LATAM',
  'OPERA_Sky Airline',
  'TIPOVUELO_I',
  'TIPOVUELO_N',
  'SIGLADES_Lima',
  'SIGLADES_other',
  'mes',
  'dia_semana',
  'hora',
  'temporada_alta',
];

/** Probabilities on the edges and between them: k / 20 for k = 0…20, then k / 20 + 0.01. */
const probabilityOf = (row: number) =>
  row % 42 <= 20 ? (row % 42) / 20 : Math.min(1, ((row % 42) - 21) / 20 + 0.01);
const probabilities = Float32Array.from(split.train, (_, i) => probabilityOf(i));

const distribution = trainingDistribution(data(records), probabilities, FEATURES);

/** The data set's weekday names, Sunday first as Date.getUTCDay counts. */
const WEEKDAYS = ['Domingo', 'Lunes', 'Martes', 'Miercoles', 'Jueves', 'Viernes', 'Sabado'];

/** Rows per value, counted here from the records themselves. */
function tally(values: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}

const categorical = (field: string) =>
  (distribution.fields[field] as CategoricalDistribution).counts;
const sum = (counts: Record<string, number> | number[]) =>
  Object.values(counts).reduce((a, b) => a + b, 0);

describe('trainingDistribution', () => {
  it('describes the fields the features read, and no fact of the date alone', () => {
    expect(Object.keys(distribution.fields)).toEqual([
      'OPERA',
      'TIPOVUELO',
      'SIGLADES',
      'MES',
      'DIANOM',
      'hora',
    ]);
    const seed = trainingDistribution(data(records), probabilities, SEED_FEATURES);
    expect(Object.keys(seed.fields)).toEqual(['OPERA', 'TIPOVUELO', 'MES']);
  });

  it('counts every training row once per field, and in the probability', () => {
    expect(distribution.rows).toBe(split.train.length);
    expect(distribution.weeks).toBe(split.trainWeeks.length);
    for (const field of Object.values(distribution.fields)) {
      expect(sum(field.counts)).toBe(split.train.length);
    }
    expect(sum(distribution.probability.counts)).toBe(split.train.length);
  });

  it('lists every value of the training rows; a value without a column is pooled only where the features pool', () => {
    expect(categorical('OPERA')).toEqual(tally(training.map((f) => f.OPERA)));
    expect(categorical('TIPOVUELO')).toEqual(tally(training.map((f) => f.TIPOVUELO)));
    expect(categorical('SIGLADES')).toEqual(
      tally(training.map((f) => (f.SIGLADES === 'Lima' ? 'Lima' : 'other'))),
    );
    expect(categorical('MES')).toEqual(
      tally(training.map((f) => String(Number(f['Fecha-I'].slice(5, 7))))),
    );
    const weekday = (f: ScheduledFlight) =>
      WEEKDAYS[new Date(`${f['Fecha-I'].slice(0, 10)}T00:00:00Z`).getUTCDay()]!;
    expect(categorical('DIANOM')).toEqual(tally(training.map(weekday)));
  });

  it('bins the scheduled hour by whole hours and the probability by 0.05, the last bin closed', () => {
    const hora = distribution.fields.hora as NumericalDistribution;
    expect(hora.edges).toEqual(Array.from({ length: 25 }, (_, i) => i));
    const byHour = tally(training.map((f) => String(Number(f['Fecha-I'].slice(11, 13)))));
    expect(hora.counts).toEqual(hora.counts.map((_, hour) => byHour[hour] ?? 0));
    const { edges, counts } = distribution.probability;
    expect(edges).toEqual(Array.from({ length: 21 }, (_, i) => i / 20));
    const expected = new Array<number>(20).fill(0);
    split.train.forEach((_, i) => {
      const k = i % 42;
      expected[Math.min(19, k <= 20 ? k : k - 21)]!++;
    });
    expect(counts).toEqual(expected);
  });

  it('splits the seasonal fields’ counts by month of the scheduled date, adding up to the whole', () => {
    const months = Object.entries(distribution.byMonth);
    expect(Object.fromEntries(months.map(([month, m]) => [month, m.rows]))).toEqual(
      categorical('MES'),
    );
    for (const [field, whole] of Object.entries(distribution.fields)) {
      if (field === 'MES' || field === 'DIANOM') {
        for (const [, month] of months) expect(month.fields).not.toHaveProperty(field);
        continue;
      }
      const added: Record<string, number> = {};
      for (const [, month] of months) {
        const counts = month.fields[field]!;
        expect(sum(counts)).toBe(month.rows);
        for (const [key, n] of Object.entries(counts)) added[key] = (added[key] ?? 0) + n;
      }
      expect(added).toEqual({ ...whole.counts });
    }
    const probability = distribution.probability.counts.map((_, bin) =>
      sum(months.map(([, m]) => m.probability[bin]!)),
    );
    expect(probability).toEqual(distribution.probability.counts);
  });

  it('never changes with the rows of held-out weeks, whatever they hold', () => {
    const heldOutFlight = fc.record({
      OPERA: fc.string({ minLength: 1 }),
      TIPOVUELO: fc.constantFrom('I', 'N'),
      SIGLADES: fc.string({ minLength: 1 }),
      'Fecha-I': fc
        .date({ min: new Date('2015-01-01'), max: new Date('2030-12-31'), noInvalidDate: true })
        .map((d) => d.toISOString().slice(0, 19).replace('T', ' ')),
    });
    fc.assert(
      fc.property(fc.array(heldOutFlight, { minLength: 1, maxLength: 50 }), (replacements) => {
        const changed = [...records];
        split.test.forEach((row, i) => (changed[row] = replacements[i % replacements.length]!));
        expect(trainingDistribution(data(changed), probabilities, FEATURES)).toEqual(distribution);
      }),
      { numRuns: 20 },
    );
  });

  it('refuses probabilities that are not one per training row, or outside [0, 1]', () => {
    expect(() => trainingDistribution(data(records), probabilities.slice(1), FEATURES)).toThrow(
      RangeError,
    );
    const outside = Float32Array.from(probabilities, (p, i) => (i === 3 ? 1.5 : p));
    expect(() => trainingDistribution(data(records), outside, FEATURES)).toThrow(
      'probability 1.5 lies outside [0, 1]',
    );
  });
});
