import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  dayPeriod,
  flightEncoder,
  isHighSeason,
  seedKey,
  seedRowEncoder,
  type ScheduledFlight,
} from '../../functions/features.js';
import { delayMinutes } from '../../functions/delay.js';

const time = (month: number, day: number, hour = 0, minute = 0, second = 0) => ({
  year: 2017,
  month,
  day,
  hour,
  minute,
  second,
});

describe('dayPeriod', () => {
  it.each([
    [0, 0, 0, 'noche'],
    [4, 59, 59, 'noche'],
    [5, 0, 0, 'mañana'],
    [11, 59, 59, 'mañana'],
    [12, 0, 0, 'tarde'],
    [18, 59, 59, 'tarde'],
    [19, 0, 0, 'noche'],
    [23, 59, 59, 'noche'],
  ])('%i:%i:%i is %s', (hour, minute, second, period) => {
    expect(dayPeriod(time(1, 1, hour, minute, second))).toBe(period);
  });

  it('puts every second of the day in exactly one period', () => {
    const seconds = { mañana: 0, tarde: 0, noche: 0 };
    for (let s = 0; s < 86_400; s++) {
      seconds[dayPeriod(time(1, 1, Math.floor(s / 3600), Math.floor(s / 60) % 60, s % 60))]++;
    }
    expect(seconds).toEqual({ mañana: 7 * 3600, tarde: 7 * 3600, noche: 10 * 3600 });
  });
});

describe('isHighSeason', () => {
  it.each([
    [12, 14, false],
    [12, 15, true],
    [12, 31, true],
    [1, 1, true],
    [3, 3, true],
    [3, 4, false],
    [7, 14, false],
    [7, 15, true],
    [7, 31, true],
    [8, 1, false],
    [9, 10, false],
    [9, 11, true],
    [9, 30, true],
    [10, 1, false],
  ])('month %i day %i: %s', (month, day, expected) => {
    // Inclusive by calendar date: the first and last second of the day agree.
    expect(isHighSeason(time(month, day, 0, 0, 0))).toBe(expected);
    expect(isHighSeason(time(month, day, 23, 59, 59))).toBe(expected);
  });
});

describe('delayMinutes', () => {
  it('subtracts the schedule from the operation across midnight', () => {
    expect(delayMinutes(time(1, 1, 23, 30), time(1, 2, 0, 10))).toBe(40);
  });
});

const flight = (overrides: Partial<ScheduledFlight> = {}): ScheduledFlight => ({
  OPERA: 'Grupo LATAM',
  TIPOVUELO: 'N',
  'Fecha-I': '2017-07-14 08:30:00',
  SIGLADES: 'Antofagasta',
  ...overrides,
});

describe('flightEncoder', () => {
  const names = [
    'OPERA_Grupo LATAM',
    'OPERA_Sky Airline',
    'TIPOVUELO_I',
    'MES_7',
    'DIANOM_Viernes',
    'periodo_dia_mañana',
    'SIGLADES_Antofagasta',
    'SIGLADES_other',
    'hora',
    'temporada_alta',
    'mes',
    'dia_semana',
  ];
  const encode = flightEncoder(names);
  const row = (f: ScheduledFlight) => Array.from(encode([f]).data);

  it('sets the one-hot columns of the flight and its numeric columns', () => {
    // 2017-07-14 was a Friday, the day before the July high season begins.
    expect(row(flight())).toEqual([1, 0, 0, 1, 1, 1, 1, 0, 8.5, 0, 7, 5]);
  });

  it('pools a destination the card does not list into the other column', () => {
    expect(row(flight({ SIGLADES: 'Ushuia', 'Fecha-I': '2017-07-15 20:00:00' }))).toEqual([
      1, 0, 0, 1, 0, 0, 0, 1, 20, 1, 7, 6,
    ]);
  });

  it('leaves a one-hot group without an other column all zero for an unlisted value', () => {
    expect(row(flight({ OPERA: 'Iberia', TIPOVUELO: 'I' })).slice(0, 3)).toEqual([0, 0, 1]);
  });

  it('encodes a batch row-major', () => {
    const batch = encode([flight(), flight({ OPERA: 'Sky Airline' })]);
    expect(batch).toMatchObject({ rows: 2, width: names.length });
    expect(Array.from(batch.data.subarray(names.length, names.length + 2))).toEqual([0, 1]);
  });

  it('refuses a feature name no column explains', () => {
    expect(() => flightEncoder(['OPERA_Grupo LATAM', 'weather'])).toThrow(
      'unknown feature "weather"',
    );
  });
});

describe('seed format', () => {
  const seedNames: string[] = JSON.parse(
    readFileSync(new URL('../../models/baseline/seed-feature-names.json', import.meta.url), 'utf8'),
  ) as string[];

  it.each([
    ['OPERA_Grupo LATAM', 'OPERA_Grupo_LATAM'],
    ['OPERA_K.L.M.', 'OPERA_K_L_M'],
    ['OPERA_Plus Ultra Lineas Aereas', 'OPERA_Plus_Ultra_Lineas_Aereas'],
    ['TIPOVUELO_I', 'TIPOVUELO_I'],
    ['MES_12', 'MES_12'],
  ])('keys %s as %s', (name, key) => {
    expect(seedKey(name)).toBe(key);
  });

  it('gives every reference feature a distinct key', () => {
    expect(new Set(seedNames.map(seedKey)).size).toBe(seedNames.length);
  });

  it('encodes booleans as 0/1 in card order', () => {
    const encode = seedRowEncoder(['OPERA_K.L.M.', 'TIPOVUELO_I', 'MES_3']);
    const { data } = encode([{ OPERA_K_L_M: true, TIPOVUELO_I: false, MES_3: true }]);
    expect(Array.from(data)).toEqual([1, 0, 1]);
  });
});
