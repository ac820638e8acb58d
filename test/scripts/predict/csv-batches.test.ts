import { describe, expect, it } from 'vitest';
import { readCsv, type CsvBatch } from '../../../scripts/predict/csv-batches.js';
import { temporaryFile } from '../train/helpers.js';

/** Every record of `text` read in chunks of `chunkBytes`, with its line and malformation. */
async function read(text: string, chunkBytes = 1024) {
  const path = await temporaryFile('read.csv', text);
  const headers: string[][] = [];
  const batches: CsvBatch[] = [];
  await readCsv(path, chunkBytes, {
    onHeader: (header) => headers.push([...header]),
    onBatch: (batch) => {
      batches.push(batch);
      return Promise.resolve();
    },
  });
  const records = batches.flatMap((batch) =>
    batch.records.map((fields, at) => ({
      fields,
      line: batch.lines[at],
      malformed: batch.malformed.get(at),
    })),
  );
  return { headers, records, batches: batches.length };
}

describe('readCsv', () => {
  it('numbers each record by the line it starts on, past quoted line breaks and blank lines', async () => {
    const { headers, records } = await read('\uFEFFa,b\r\n1,"x\r\ny"\r\n\r\n2,z\r\n');
    expect(headers).toEqual([['a', 'b']]);
    expect(records).toEqual([
      { fields: ['1', 'x\r\ny'], line: 2, malformed: undefined },
      { fields: ['2', 'z'], line: 5, malformed: undefined },
    ]);
  });

  it('reports a malformed quote on its record, once, across chunk boundaries', async () => {
    const rows = Array.from({ length: 200 }, (_, i) => `${i},"v${i}"`);
    rows[150] = '150,"v150"x';
    const { records, batches } = await read(`a,b\n${rows.join('\n')}\n`, 64);
    expect(batches).toBeGreaterThan(10);
    // papaparse reads the stray quote as opening a quoted field, which takes the next line in.
    const lines = rows.map((_, i) => i + 2).filter((line) => line !== 153);
    expect(records.map((r) => r.line)).toEqual(lines);
    const malformed = records.filter((r) => r.malformed);
    expect(malformed.map((r) => r.line)).toEqual([152]);
    expect(malformed[0]?.malformed).toMatch(/quote/i);
  });

  it('reads a last line without a line break', async () => {
    const { records } = await read('a\n1\n2');
    expect(records.map((r) => r.fields)).toEqual([['1'], ['2']]);
  });
});
