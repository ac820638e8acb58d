import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { csvField, toCsv } from '../../../scripts/train/csv.js';
import { readDataset } from '../../../scripts/train/dataset.js';
import { syntheticFeatureTable } from '../../../scripts/train/synthetic-features.js';
import { ORIGINAL_COLUMNS, syntheticCsv } from '../../fixtures/synthetic-flights.js';
import { temporaryFile } from './helpers.js';

const HEADER = 'Fecha-I,Fecha-O,DIA,MES,AÑO,DIANOM,TIPOVUELO,OPERA,SIGLADES';

describe('syntheticFeatureTable', () => {
  it.each([
    // Jan 1 is high season; 23:30 → 00:10 next day is 40 min late; 23:30 is night.
    ['2017-01-01 23:30:00', '2017-01-02 00:10:00', [1, 40, 1, 'noche']],
    // Mar 4 is not high season; 15 min late is not "late"; 05:00 is morning.
    ['2017-03-04 05:00:00', '2017-03-04 05:15:00', [0, 15, 0, 'mañana']],
    // Sep 11 is high season; early departures have negative dif_min; 12:00 is afternoon.
    ['2017-09-11 12:00:00', '2017-09-11 11:55:00', [1, -5, 0, 'tarde']],
  ])('adds the seed columns for %s → %s', async (scheduled, operated, added) => {
    const row = `${scheduled},${operated},1,1,2017,Lunes,N,Sky Airline,"Punta Arenas, Chile"`;
    const dataset = await readDataset(await temporaryFile('f.csv', `${HEADER}\n${row}\n`));
    expect(syntheticFeatureTable(dataset)).toEqual([
      [...HEADER.split(','), 'temporada_alta', 'dif_min', 'atraso_15', 'periodo_dia'],
      [
        scheduled,
        operated,
        '1',
        '1',
        '2017',
        'Lunes',
        'N',
        'Sky Airline',
        'Punta Arenas, Chile',
        ...added,
      ],
    ]);
  });

  it('keeps every input column of the 18-column layout', async () => {
    const path = await temporaryFile('original.csv', syntheticCsv(5, 1, ORIGINAL_COLUMNS));
    const [header] = syntheticFeatureTable(await readDataset(path));
    expect(header?.slice(0, 18)).toEqual(ORIGINAL_COLUMNS);
    expect(header).toHaveLength(22);
  });
});

describe('toCsv', () => {
  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    [-5, '-5'],
  ])('writes %j as %j', (value, written) => {
    expect(csvField(value)).toBe(written);
  });

  it('writes what csv-parse reads back', () => {
    const rows = [
      ['h1', 'h2'],
      ['a,b', 'say "hi"'],
      ['x\ny', ''],
    ];
    expect(parse(toCsv(rows))).toEqual(rows);
  });
});
