import { Writable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startModelThread, type ModelThread } from '../../../scripts/predict/model-thread.js';
import { predictFile, type PredictFileOptions } from '../../../scripts/predict/predict-file.js';
import {
  ORIGINAL_COLUMNS,
  SCL_2017_COLUMNS,
  syntheticCsv,
} from '../../fixtures/synthetic-flights.js';
import { temporaryFile } from '../train/helpers.js';

const FLIGHT_COLUMNS = ['OPERA', 'TIPOVUELO', 'Fecha-I', 'SIGLADES'] as const;

let model: ModelThread;
beforeAll(async () => {
  model = await startModelThread({ dir: 'models', name: 'schedule' });
});
afterAll(() => model.close());

/** The output of scoring `text` as records (header first), and the summary. */
async function score(text: string, options: Partial<PredictFileOptions> = {}) {
  let csv = '';
  const out = new Writable({
    write(chunk: Buffer, _encoding, done) {
      csv += chunk.toString();
      done();
    },
  });
  const data = await temporaryFile('schedule.csv', text);
  const summary = await predictFile({ data, model, out, ...options });
  return { records: parse(csv), summary };
}

describe('predictFile', () => {
  it('scores the 18-, 9- and 4-column layouts alike, carrying every input column through', async () => {
    const layouts = [ORIGINAL_COLUMNS, SCL_2017_COLUMNS, FLIGHT_COLUMNS];
    const scored = await Promise.all(
      layouts.map((columns) => score(syntheticCsv(300, 7, columns))),
    );
    for (const [i, { records, summary }] of scored.entries()) {
      const input = parse(syntheticCsv(300, 7, layouts[i]));
      expect(summary).toMatchObject({ scored: 300, rejected: 0 });
      expect(records[0]).toEqual([...input[0]!, 'probability', 'delayed']);
      expect(records.map((r) => r.slice(0, -2))).toEqual(input);
    }
    const answers = scored.map(({ records }) => records.slice(1).map((r) => r.slice(-2)));
    expect(answers[0]).toEqual(answers[1]);
    expect(answers[2]).toEqual(answers[1]);
    expect(new Set(answers[0]!.map(([, delayed]) => delayed))).toEqual(new Set(['true', 'false']));
  });

  it('keeps input order over many small batches', async () => {
    const text = syntheticCsv(500, 3);
    const whole = await score(text);
    const pieces = await score(text, { chunkBytes: 300 });
    expect(pieces.records).toEqual(whole.records);
  });

  it('names every wrong row of a batch, however many: far more than 50', async () => {
    const good = 'Sky Airline,N,2017-07-14 08:30:00,Arica';
    const rows = Array.from({ length: 300 }, (_, i) =>
      i % 3 === 0 ? good : `Sky Airline,X${i},2017-07-14 08:30:00,Arica`,
    );
    const rejects: string[] = [];
    const out = new Writable({
      write(chunk: Buffer, _encoding, done) {
        rejects.push(...chunk.toString().trim().split('\n'));
        done();
      },
    });
    const { records, summary } = await score(
      `OPERA,TIPOVUELO,Fecha-I,SIGLADES\n${rows.join('\n')}\n`,
      {
        rejects: out,
      },
    );
    expect(summary).toMatchObject({ scored: 100, rejected: 200 });
    expect(records).toHaveLength(101);
    const listed = rejects.map((line) => JSON.parse(line) as { line: number; reasons: string[] });
    const wrong = rows.flatMap((_, i) => (i % 3 === 0 ? [] : [i + 2]));
    expect(listed.map((r) => r.line)).toEqual(wrong);
    for (const { line, reasons } of listed) {
      expect(reasons).toEqual([
        expect.stringMatching(new RegExp(`^TIPOVUELO: "X${line - 2}" is not one of`)),
      ]);
    }
  });

  it('writes the header alone for a schedule without flights', async () => {
    const { records, summary } = await score('OPERA,TIPOVUELO,Fecha-I,SIGLADES\n');
    expect(records).toEqual([
      ['OPERA', 'TIPOVUELO', 'Fecha-I', 'SIGLADES', 'probability', 'delayed'],
    ]);
    expect(summary).toMatchObject({ scored: 0, rejected: 0 });
  });
});
