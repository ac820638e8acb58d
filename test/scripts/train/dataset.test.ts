import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  describeDataset,
  readDataset,
  REJECTION_REASONS,
  REQUIRED_COLUMNS,
} from '../../../scripts/train/dataset.js';
import {
  ORIGINAL_COLUMNS,
  SCL_2017_COLUMNS,
  syntheticCsv,
} from '../../fixtures/synthetic-flights.js';
import { hasSharedData, SHARED_DATA, temporaryFile } from './helpers.js';

const HEADER = SCL_2017_COLUMNS.join(',');
const GOOD = '2017-01-01 23:30:00,2017-01-02 00:10:00,2,1,2017,Lunes,I,American Airlines,Miami';

const noRejections = Object.fromEntries(REJECTION_REASONS.map((reason) => [reason, 0]));

describe('readDataset', () => {
  it('reads every row of a well-formed file, with the delay label', async () => {
    const path = await temporaryFile('flights.csv', `${HEADER}\n${GOOD}\n`);
    const dataset = await readDataset(path);
    expect(dataset).toMatchObject({ file: 'flights.csv', read: 1, rejected: noRejections });
    expect(dataset.sha256).toBe(createHash('sha256').update(readFileSync(path)).digest('hex'));
    const [flight] = dataset.flights;
    // 23:30 → 00:10 the next day is 40 minutes late.
    expect(flight?.delayed).toBe(1);
    expect(flight?.record).toMatchObject({ OPERA: 'American Airlines', SIGLADES: 'Miami' });
  });

  it('reads quoted fields with commas', async () => {
    const row = GOOD.replace('Miami', '"Curitiba, Bra."');
    const dataset = await readDataset(await temporaryFile('quoted.csv', `${HEADER}\n${row}\n`));
    expect(dataset.flights[0]?.record.SIGLADES).toBe('Curitiba, Bra.');
  });

  it.each([
    ['wrong field count', GOOD.split(',').slice(0, 8).join(',')],
    ['missing field', GOOD.replace('American Airlines', '')],
    ['missing field', GOOD.replace(',2017,', ', ,')],
    ['unparseable Fecha-I', GOOD.replace('2017-01-01 23:30:00', '01/01/2017 23:30')],
    ['unparseable Fecha-I', GOOD.replace('2017-01-01 23:30:00', '2017-02-30 10:00:00')],
    ['unparseable Fecha-O', GOOD.replace('2017-01-02 00:10:00', '2017-01-02 24:10:00')],
    ['unknown TIPOVUELO', GOOD.replace(',I,', ',X,')],
  ])('counts a row rejected for %s, with its line number', async (reason, bad) => {
    const path = await temporaryFile('bad.csv', `${HEADER}\n${GOOD}\n${bad}\n${GOOD}\n`);
    const dataset = await readDataset(path);
    expect(dataset.read).toBe(3);
    expect(dataset.flights).toHaveLength(2);
    expect(dataset.rejected).toEqual({ ...noRejections, [reason]: 1 });
    expect(dataset.rejectedLines[reason as keyof typeof dataset.rejectedLines]).toEqual([3]);
    expect(describeDataset(dataset)).toContain(`  rejected, ${reason}: 1 (first at line 3)`);
  });

  it.each(REQUIRED_COLUMNS.map((column) => [column]))(
    'refuses a file without the %s column, naming it',
    async (column) => {
      const columns = SCL_2017_COLUMNS.filter((c) => c !== column);
      const path = await temporaryFile('short.csv', syntheticCsv(3, 1, columns));
      await expect(readDataset(path)).rejects.toThrow(`missing required column "${column}"`);
    },
  );

  it('accepts the original 18-column layout and reads the same flights as the 9-column one', async () => {
    const original = await readDataset(
      await temporaryFile('dataset_SCL.csv', syntheticCsv(300, 7, ORIGINAL_COLUMNS)),
    );
    const reduced = await readDataset(await temporaryFile('scl-2017.csv', syntheticCsv(300, 7)));
    expect(original.read).toBe(300);
    expect(original.rejected).toEqual(noRejections);
    expect(original.flights.map((f) => f.record)).toEqual(reduced.flights.map((f) => f.record));
    expect(original.flights.map((f) => f.delayed)).toEqual(reduced.flights.map((f) => f.delayed));
  });

  it.skipIf(!hasSharedData)('reads the shared data set as its README describes it', async () => {
    const dataset = await readDataset(SHARED_DATA);
    expect(dataset.read).toBe(68_206);
    expect(dataset.rejected).toEqual(noRejections);
    const rate = (flights: typeof dataset.flights) =>
      flights.filter((f) => f.delayed).length / flights.length;
    // The README's published figures: 18.5% overall, Grupo LATAM 18%, Plus Ultra 61%.
    expect(rate(dataset.flights)).toBeCloseTo(0.185, 3);
    const airline = (name: string) => dataset.flights.filter((f) => f.record.OPERA === name);
    expect(Math.round(100 * rate(airline('Grupo LATAM')))).toBe(18);
    expect(Math.round(100 * rate(airline('Plus Ultra Lineas Aereas')))).toBe(61);
  });
});
