import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  CsvFileError,
  MAX_LINE_BYTES,
  readCsv,
  type CsvBatch,
} from '../../../scripts/predict/csv-batches.js';
import { temporaryDirectory } from '../train/helpers.js';

let dir: string;
let files = 0;
beforeAll(async () => {
  dir = await temporaryDirectory();
});

/** Every record of `content` read in chunks of `chunkBytes`, with its line and malformation. */
async function read(content: string | Buffer, chunkBytes = 1024) {
  const path = join(dir, `read-${files++}.csv`);
  await writeFile(path, content);
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

const CHUNK_SIZES = [3, 64, 64 * 1024];

describe('readCsv', () => {
  it('numbers each record by its line, past blank lines, CRLF and a byte-order mark', async () => {
    const { headers, records } = await read('\uFEFFa,b\r\n1,x\r\n\r\n2,"y, z"\r\n');
    expect(headers).toEqual([['a', 'b']]);
    expect(records).toEqual([
      { fields: ['1', 'x'], line: 2, malformed: undefined },
      { fields: ['2', 'y, z'], line: 4, malformed: undefined },
    ]);
  });

  it('reads a last line without a line break', async () => {
    const { records } = await read('a\n1\n2');
    expect(records.map((r) => r.fields)).toEqual([['1'], ['2']]);
  });

  it.each(CHUNK_SIZES)(
    'makes a stray quote cost its own line and no other, in chunks of %i bytes',
    async (chunkBytes) => {
      const rows = Array.from({ length: 200 }, (_, i) => `${i},v${i}`);
      rows[50] = '50,"v50'; // line 52: a quote never closed
      rows[150] = '150,"v150"x'; // line 152: a quote closed too early
      const { records, batches } = await read(`a,b\n${rows.join('\n')}\n`, chunkBytes);
      if (chunkBytes < 1024) expect(batches).toBeGreaterThan(10);
      expect(records.map((r) => r.line)).toEqual(rows.map((_, i) => i + 2));
      expect(records.filter((r) => r.malformed).map((r) => [r.line, r.fields])).toEqual([
        [52, []],
        [152, []],
      ]);
      expect(records[50]!.malformed).toMatch(/field 2 opens a quote/);
      expect(records.filter((r) => !r.malformed).map((r) => r.fields)).toEqual(
        rows.filter((_, i) => i !== 50 && i !== 150).map((row) => row.split(',')),
      );
    },
  );

  it.each(CHUNK_SIZES)(
    'makes a line that is not UTF-8 malformed, alone, in chunks of %i bytes',
    async (chunkBytes) => {
      const content = Buffer.concat([
        Buffer.from('OPERA,SIGLADES\nSky Airline,Concepción\n'),
        Buffer.from('Sky Airline,Concepci\xf3n\n', 'latin1'),
        Buffer.from('Sky Airline,Ñuñoa 🛫\n'),
      ]);
      const { records } = await read(content, chunkBytes);
      expect(records).toEqual([
        { fields: ['Sky Airline', 'Concepción'], line: 2, malformed: undefined },
        { fields: [], line: 3, malformed: expect.stringMatching(/not valid UTF-8/) as unknown },
        { fields: ['Sky Airline', 'Ñuñoa 🛫'], line: 4, malformed: undefined },
      ]);
    },
  );

  it.each([1000, 256 * 1024])(
    `makes a line beyond ${MAX_LINE_BYTES} bytes malformed, and reads on, in chunks of %i bytes`,
    async (chunkBytes) => {
      const longest = 'x'.repeat(MAX_LINE_BYTES);
      const tooLong = 'y'.repeat(MAX_LINE_BYTES + 1);
      const huge = 'z'.repeat(3 * MAX_LINE_BYTES);
      const { records } = await read(
        ['a', longest, tooLong, '1', huge, '2', tooLong].join('\n'),
        chunkBytes,
      );
      expect(records.map((r) => [r.line, r.malformed ?? r.fields[0]!.length])).toEqual([
        [2, MAX_LINE_BYTES],
        [3, expect.stringMatching(/longer than 65,536 bytes/) as unknown],
        [4, 1],
        [5, expect.stringMatching(/longer than/) as unknown],
        [6, 1],
        [7, expect.stringMatching(/longer than/) as unknown],
      ]);
    },
  );

  it.each([
    { content: '', error: /is empty: it has no header row/ },
    { content: '\n\n', error: /is empty: it has no header row/ },
    { content: 'a,"b\n1,2\n', error: /line 1 \(the header\): field 2 opens a quote/ },
    { content: '\n\xff,a\n1,2\n', error: /line 2 \(the header\): the line is not valid UTF-8/ },
  ])(
    'refuses a file whose header is missing or malformed: $content',
    async ({ content, error }) => {
      const reading = read(Buffer.from(content, 'latin1'));
      await expect(reading).rejects.toBeInstanceOf(CsvFileError);
      await expect(reading).rejects.toThrow(error);
    },
  );
});
