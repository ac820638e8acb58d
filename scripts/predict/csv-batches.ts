/**
 * Reads a CSV file as a stream of batches of records, each record with the line it starts on.
 *
 * Parsing is papaparse's, fed by the file's read stream one chunk at a time. The read stream is
 * paused while the consumer works on a chunk's records, so however large the file, what is held
 * at once is one chunk and the records parsed from it (backpressure). papaparse rather than
 * csv-parse, which the training reader uses: csv-parse alone costs ~5 µs a row, about what the
 * model itself costs, and would cap `npm run predict` near half of ONNX Runtime's throughput
 * (docs/BENCHMARKS.md).
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import Papa from 'papaparse';

/** Records parsed from one chunk of the file, in file order. */
export interface CsvBatch {
  /** Each record's fields; a blank line is no record. */
  records: string[][];
  /** The 1-based line of the file each record starts on. */
  lines: number[];
  /** Why papaparse found a record malformed (a stray or missing quote), by index in `records`. */
  malformed: Map<number, string>;
}

export interface CsvReader {
  /** The header row, before any batch; what it throws ends the read with that error. */
  onHeader(header: readonly string[]): void;
  /** A batch; the file is not read further until the promise settles. */
  onBatch(batch: CsvBatch): Promise<void>;
  /** Bytes of the file read so far, after each chunk. */
  onBytes?(bytes: number): void;
}

/** Thrown when the file cannot be read or has no header row: a message for the user. */
export class CsvFileError extends Error {
  override name = 'CsvFileError';
}

/** The size of the file at `path`, checking that it can be opened for reading. */
export async function csvFileSize(path: string): Promise<number> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw readError(path, error);
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new CsvFileError(`cannot read ${path}: not a file`);
    return stat.size;
  } finally {
    await handle.close();
  }
}

/**
 * Reads the CSV at `path` into `reader`, `chunkBytes` of the file at a time.
 * @throws CsvFileError when the file cannot be read or holds no header; whatever `reader` throws.
 */
export function readCsv(path: string, chunkBytes: number, reader: CsvReader): Promise<void> {
  return new Promise((resolve, reject) => {
    // Decoded by the stream, whose decoder keeps a character split between two chunks whole.
    const file = createReadStream(path, { encoding: 'utf8', highWaterMark: chunkBytes });
    let line = 1;
    let header: string[] | undefined;
    let work = Promise.resolve();
    let failed = false;
    const fail = (error: unknown) => {
      failed = true;
      file.destroy();
      reject(error instanceof Error ? error : new Error(String(error)));
    };
    file.on('error', (error) => fail(readError(path, error)));
    Papa.parse<string[]>(file, {
      // Never guessed: a one-column file would make papaparse guess, and warn on every row.
      delimiter: ',',
      chunk({ data, errors, meta }) {
        if (failed) return;
        file.pause();
        // A record spans one line more for each line break inside its quoted fields.
        const breakChar = meta.linebreak.at(-1) ?? '\n';
        const batch: CsvBatch = { records: [], lines: [], malformed: new Map() };
        // The index in `records` of each row of `data` that is a record.
        const recordOf: number[] = [];
        data.forEach((fields, row) => {
          const start = line;
          for (const field of fields) line += count(field, breakChar);
          line += 1;
          if (fields.length === 1 && fields[0] === '') return;
          if (header) {
            recordOf[row] = batch.records.length;
            batch.records.push(fields);
            batch.lines.push(start);
            return;
          }
          header = fields;
          if (header[0]?.startsWith('\uFEFF')) header[0] = header[0].slice(1);
          try {
            reader.onHeader(header);
          } catch (error) {
            fail(error);
          }
        });
        if (failed) return;
        // Errors name records of this chunk's parse, which may include the unfinished last
        // line: that one is parsed again with the next chunk, and reported then.
        for (const { row, message } of errors) {
          const at = row === undefined ? undefined : recordOf[row];
          if (at !== undefined) batch.malformed.set(at, message);
        }
        reader.onBytes?.(file.bytesRead);
        work = work
          .then(async () => {
            if (batch.records.length > 0) await reader.onBatch(batch);
            file.resume();
          })
          .catch(fail);
      },
      complete() {
        void work.then(() => {
          if (failed) return;
          if (!header) return fail(new CsvFileError(`${path} is empty: it has no header row`));
          resolve();
        });
      },
      error: fail,
    });
  });
}

/** Occurrences of `char` in `text`. */
function count(text: string, char: string): number {
  let found = 0;
  for (let at = text.indexOf(char); at !== -1; at = text.indexOf(char, at + 1)) found++;
  return found;
}

function readError(path: string, error: unknown): CsvFileError {
  return new CsvFileError(`cannot read ${path}: ${reason(error)}`, { cause: error });
}

function reason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  const known: Record<string, string> = {
    ENOENT: 'no such file',
    EACCES: 'permission denied',
    EISDIR: 'it is a folder, not a file',
  };
  return (code && known[code]) ?? (error instanceof Error ? error.message : String(error));
}
