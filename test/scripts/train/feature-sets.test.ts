import { describe, expect, it } from 'vitest';
import { categoryValue, FEATURE_COLUMNS, flightEncoder } from '../../../functions/features.js';
import {
  CANDIDATE_FEATURES,
  choiceLabel,
  choiceNames,
  FEATURE_SETS,
  featureSet,
  MIN_CATEGORY_ROWS,
  oneHotNames,
  SEED_FEATURES,
} from '../../../scripts/train/feature-sets.js';
import { syntheticDataset } from './helpers.js';

const { flights } = await syntheticDataset(2000, 4);
const records = flights.map((f) => f.record);
const flight = (SIGLADES: string, month = 1) => ({
  OPERA: 'Sky Airline',
  TIPOVUELO: 'N',
  'Fecha-I': `2017-${String(month).padStart(2, '0')}-10 10:00:00`,
  SIGLADES,
});

describe('categoryValue (functions/features.ts)', () => {
  it.each([
    ['OPERA', 'Sky Airline'],
    ['SIGLADES', 'Arica'],
    ['MES', '7'],
    // 2017-07-10 was a Monday; 10:00 is morning.
    ['DIANOM', 'Lunes'],
    ['periodo_dia', 'mañana'],
  ])('reads %s as the encoder matches it: %s', (column, value) => {
    expect(categoryValue(column, flight('Arica', 7))).toBe(value);
    expect(flightEncoder([`${column}_${value}`])([flight('Arica', 7)]).data[0]).toBe(1);
  });

  it('refuses a column that is not categorical', () => {
    expect(() => categoryValue('hora', flight('Arica'))).toThrow(
      'unknown categorical column "hora"',
    );
  });
});

describe('oneHotNames', () => {
  it('gives values with enough rows a column and pools the rest into _other', () => {
    const training = [
      ...Array.from({ length: MIN_CATEGORY_ROWS }, () => flight('Arica')),
      ...Array.from({ length: MIN_CATEGORY_ROWS - 1 }, () => flight('Osorno')),
      ...Array.from({ length: MIN_CATEGORY_ROWS }, () => flight('Antofagasta')),
    ];
    expect(oneHotNames('SIGLADES', training)).toEqual([
      'SIGLADES_Antofagasta',
      'SIGLADES_Arica',
      'SIGLADES_other',
    ]);
  });

  it('orders numeric values naturally and adds no _other when nothing is pooled', () => {
    const training = [2, 10, 1].flatMap((month) =>
      Array.from({ length: MIN_CATEGORY_ROWS }, () => flight('Arica', month)),
    );
    expect(oneHotNames('MES', training)).toEqual(['MES_1', 'MES_2', 'MES_10']);
  });

  it('sets every column it names for some training flight', () => {
    for (const column of ['OPERA', 'SIGLADES', 'DIANOM', 'periodo_dia', 'MES']) {
      const names = oneHotNames(column, records);
      const encoded = flightEncoder(names)(records);
      names.forEach((name, i) => {
        const hits = records.filter((_, r) => encoded.data[r * names.length + i] === 1).length;
        expect(hits, name).toBeGreaterThan(0);
      });
    }
  });
});

describe('FEATURE_SETS', () => {
  it.each(Object.keys(FEATURE_SETS))('%s names unique features the encoder serves', (name) => {
    const names = featureSet(name).names(records);
    expect(new Set(names).size).toBe(names.length);
    expect(() => flightEncoder(names)).not.toThrow();
  });

  it('starts the seed-37 family with the seed’s columns', () => {
    expect(featureSet('seed-37').names(records)).toEqual(SEED_FEATURES);
    expect(featureSet('seed-37+weekday').names(records).slice(0, 37)).toEqual(SEED_FEATURES);
  });

  it('names the known sets when asked for an unknown one', () => {
    expect(() => featureSet('nope')).toThrow(/unknown feature set "nope" \(known: seed-37, /);
  });
});

describe('CANDIDATE_FEATURES', () => {
  it.each(Object.keys(CANDIDATE_FEATURES))('%s is a numeric column the encoder serves', (name) => {
    expect(() => flightEncoder([name])).not.toThrow();
    expect(FEATURE_COLUMNS.numeric).toContain(name);
  });

  it('appends a choice’s extra features after its set’s columns', () => {
    const choice = { featureSet: 'numeric-calendar', extraFeatures: ['festivo', 'dia_mes'] };
    const names = choiceNames(choice, records);
    expect(names.slice(0, -2)).toEqual(featureSet('numeric-calendar').names(records));
    expect(names.slice(-2)).toEqual(['festivo', 'dia_mes']);
    expect(choiceLabel(choice)).toBe('numeric-calendar + festivo + dia_mes');
  });
});
