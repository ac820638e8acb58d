import { describe, expect, it } from 'vitest';
import { flightEncoder } from '../../functions/features.js';
import {
  daysSinceHoliday,
  daysToHoliday,
  isLongWeekend,
  isPublicHoliday,
} from '../../functions/holiday-calendar.js';

const date = (text: string) => {
  const [year, month, day] = text.split('-').map(Number) as [number, number, number];
  return { year, month, day, hour: 12, minute: 0, second: 0 };
};

// Dates fixed by Chilean law (Ley 2.977 and later), not read off the library.
describe('Chilean public holidays', () => {
  it.each([
    ['2017-01-01', true], // Año Nuevo
    ['2017-05-01', true], // Día del Trabajador
    ['2017-09-18', true], // Fiestas Patrias
    ['2017-09-19', true], // Glorias del Ejército
    ['2017-12-25', true], // Navidad
    ['2026-09-18', true],
    ['2017-09-20', false],
    ['2017-07-14', false],
  ])('%s is a holiday: %s', (day, expected) => {
    expect(isPublicHoliday(date(day))).toBe(expected);
  });

  it.each([
    ['2017-09-16', true], // Saturday before Fiestas Patrias (Sat–Tue off)
    ['2017-09-19', true],
    ['2017-12-23', true], // Saturday before Christmas Monday
    ['2017-07-15', false], // a plain Saturday
    ['2017-09-20', false], // a working day
  ])('%s lies in a long weekend: %s', (day, expected) => {
    expect(isLongWeekend(date(day))).toBe(expected);
  });

  it('counts days since the last holiday and until the next, across the new year', () => {
    expect(daysSinceHoliday(date('2017-09-20'))).toBe(1);
    expect(daysToHoliday(date('2017-09-15'))).toBe(3);
    expect(daysSinceHoliday(date('2017-12-25'))).toBe(0);
    expect(daysToHoliday(date('2017-12-26'))).toBe(6); // 2018-01-01
    expect(daysSinceHoliday(date('2018-01-05'))).toBe(4);
  });

  it('encodes the holiday facts as the numeric features the models read', () => {
    const encode = flightEncoder([
      'festivo',
      'fin_de_semana_largo',
      'dias_desde_festivo',
      'dia_mes',
    ]);
    const flight = { OPERA: 'Sky Airline', TIPOVUELO: 'N', SIGLADES: 'Arica' };
    const { data } = encode([
      { ...flight, 'Fecha-I': '2017-09-18 10:00:00' },
      { ...flight, 'Fecha-I': '2017-09-21T02:00:00Z' }, // 20 September, 23:00 in Santiago
    ]);
    expect(Array.from(data)).toEqual([1, 1, 0, 18, 0, 0, 1, 20]);
  });
});
