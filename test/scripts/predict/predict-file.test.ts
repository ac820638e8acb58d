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

  it('writes the header alone for a schedule without flights', async () => {
    const { records, summary } = await score('OPERA,TIPOVUELO,Fecha-I,SIGLADES\n');
    expect(records).toEqual([
      ['OPERA', 'TIPOVUELO', 'Fecha-I', 'SIGLADES', 'probability', 'delayed'],
    ]);
    expect(summary).toMatchObject({ scored: 0, rejected: 0 });
  });
});
