import { describe, expect, it } from 'vitest';
import { fieldContributions, fieldOf, fieldsOf } from '../../../functions/explain/fields.js';
import { FEATURE_COLUMNS, flightEncoder } from '../../../functions/features.js';

const FEATURES = [
  'OPERA_Grupo LATAM',
  'OPERA_Sky Airline',
  'OPERA_other',
  'TIPOVUELO_I',
  'MES_12',
  'mes',
  'DIANOM_Viernes',
  'dia_semana',
  'SIGLADES_Lima',
  'SIGLADES_other',
  'hora',
  'periodo_dia_noche',
  'temporada_alta',
  'festivo',
  'dias_a_festivo',
];

// Friday 22 December 2017, 23:10 in Santiago (summer time, UTC-3): high season, three days
// before Christmas.
const FLIGHT = {
  OPERA: 'Sky Airline',
  TIPOVUELO: 'I',
  'Fecha-I': '2017-12-23T02:10:00Z',
  SIGLADES: 'Lima',
};

describe('fieldsOf', () => {
  it('gives every feature column a field', () => {
    for (const column of FEATURE_COLUMNS.categorical) expect(fieldOf(`${column}_x`)).toBe(column);
    for (const column of FEATURE_COLUMNS.numeric) expect(fieldOf(column)).toBeTypeOf('string');
  });

  it('groups one-hot columns by column, and the month and weekday numbers with their one-hots', () => {
    expect(fieldsOf(FEATURES)).toEqual([
      { name: 'OPERA', columns: [0, 1, 2] },
      { name: 'TIPOVUELO', columns: [3] },
      { name: 'MES', columns: [4, 5] },
      { name: 'DIANOM', columns: [6, 7] },
      { name: 'SIGLADES', columns: [8, 9] },
      { name: 'hora', columns: [10] },
      { name: 'periodo_dia', columns: [11] },
      { name: 'temporada_alta', columns: [12] },
      { name: 'festivo', columns: [13] },
      { name: 'dias_a_festivo', columns: [14] },
    ]);
  });

  it('refuses a feature of no known field, naming it', () => {
    expect(() => fieldsOf(['OPERA_Sky Airline', 'gate_12'])).toThrow(
      'feature "gate_12" belongs to no known input field',
    );
  });
});

describe('fieldContributions', () => {
  const fields = fieldsOf(FEATURES);
  const encoded = flightEncoder(FEATURES)([FLIGHT]).data;
  // Column i contributes (i + 1) / 100, negative for odd i.
  const contributions = FEATURES.map((_, i) => ((i % 2 === 0 ? 1 : -1) * (i + 1)) / 100);

  it('sums each field’s columns and sorts by size, largest first', () => {
    const result = fieldContributions(fields, FLIGHT, encoded, contributions);
    const byField = Object.fromEntries(result.map((c) => [c.field, c.contribution]));
    expect(byField['OPERA']).toBeCloseTo(0.01 - 0.02 + 0.03, 12);
    expect(byField['MES']).toBeCloseTo(0.05 - 0.06, 12);
    expect(byField['dias_a_festivo']).toBeCloseTo(0.15, 12);
    const sizes = result.map((c) => Math.abs(c.contribution));
    expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
    expect(result).toHaveLength(fields.length);
  });

  it('shows the value each field had for the flight, as a person reads it', () => {
    const result = fieldContributions(fields, FLIGHT, encoded, contributions);
    expect(Object.fromEntries(result.map((c) => [c.field, c.value]))).toEqual({
      OPERA: 'Sky Airline',
      TIPOVUELO: 'I',
      MES: 12,
      DIANOM: 'Viernes',
      SIGLADES: 'Lima',
      hora: '23:10',
      periodo_dia: 'noche',
      temporada_alta: true,
      festivo: false,
      dias_a_festivo: 3,
    });
  });

  it('shows an unseen destination as the flight named it', () => {
    const elsewhere = { ...FLIGHT, SIGLADES: 'Nowhere' };
    const row = flightEncoder(FEATURES)([elsewhere]).data;
    const result = fieldContributions(fields, elsewhere, row, contributions);
    expect(result.find((c) => c.field === 'SIGLADES')?.value).toBe('Nowhere');
  });
});
