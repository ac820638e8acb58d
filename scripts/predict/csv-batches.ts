/**
 * Reads a schedule CSV as a stream of batches of records, one record a line (csv-line.ts), each
 * with its line number.
 *
 * The file is read `chunkBytes` at a time, and the next chunk only once the consumer is done with
 * the batch of the last one (backpressure): what is held at once is one chunk, its records and at
 * most MAX_LINE_BYTES of a line not yet ended. Memory grows neither with the file nor with a line.
 *
 * Every line of the file ends up a record, a blank line, or a malformed record with its reason: a
 * line that is not UTF-8 (the command, as `POST /predict`, repairs no byte), one longer than
 * MAX_LINE_BYTES (dropped as it is read, never held whole), or one whose quotes do not make fields.
 */
import { isUtf8 } from 'node:buffer';
import { open } from 'node:fs/promises';
import { fieldsOf, type MalformedLine } from './csv-line.js';

/** The most bytes a line may hold, its line break aside: hundreds of times a schedule's row. */
export const MAX_LINE_BYTES = 64 * 1024;

/** Records read from one chunk of the file, in file order. */
export interface CsvBatch {
  /** Each record's fields (none for a malformed line); a blank line is no record. */
  records: string[][];
  /** The 1-based line of the file each record is. */
  lines: number[];
  /** Why a line is not a record, by index in `records`. */
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

const LF = 0x0a;
const EMPTY = Buffer.alloc(0);
const TOO_LONG: MalformedLine = {
  malformed: `the line is longer than ${MAX_LINE_BYTES.toLocaleString('en-US')} bytes`,
};
const NOT_UTF8: MalformedLine = {
  malformed: 'the line is not valid UTF-8 (save the file as UTF-8: no byte is repaired)',
};

/** A line of the file as text, or why it cannot be read as text. */
type Line = string | MalformedLine;

/**
 * Reads the CSV at `path` into `reader`, `chunkBytes` of the file at a time.
 * @throws CsvFileError when the file cannot be read or its header is missing or malformed;
 *   whatever `reader` throws.
 */
export async function readCsv(path: string, chunkBytes: number, reader: CsvReader): Promise<void> {
  const file = await open(path, 'r').catch((error: unknown) => {
    throw readError(path, error);
  });
  // One buffer read into again and again: what is kept of a chunk (text, a line not yet ended)
  // is copied out of it, so reading leaves no garbage behind, however large the file.
  const buffer = Buffer.allocUnsafe(chunkBytes);
  const lines = lineCutter();
  const records = recordReader(path, reader);
  let bytes = 0;
  try {
    for (;;) {
      const { bytesRead } = await file.read(buffer, 0, chunkBytes).catch((error: unknown) => {
        throw readError(path, error);
      });
      if (bytesRead === 0) break;
      bytes += bytesRead;
      reader.onBytes?.(bytes);
      await records.read(lines.cut(buffer.subarray(0, bytesRead)));
    }
    await records.read(lines.end());
  } finally {
    await file.close();
  }
  if (!records.hadHeader()) throw new CsvFileError(`${path} is empty: it has no header row`);
}

/**
 * Cuts the bytes of a file, chunk after chunk, into lines. It keeps the line not yet ended,
 * unless that passes MAX_LINE_BYTES: then its bytes are dropped up to its end, and it is TOO_LONG.
 */
function lineCutter() {
  let partial = EMPTY;
  let dropping = false;
  return {
    /** The lines `chunk` ends. */
    cut(chunk: Buffer): Line[] {
      const lines: Line[] = [];
      let start = 0;
      if (dropping) {
        start = chunk.indexOf(LF) + 1;
        if (start === 0) return lines;
        lines.push(TOO_LONG);
        dropping = false;
      }
      const end = chunk.lastIndexOf(LF) + 1;
      if (end > start) {
        const whole = chunk.subarray(start, end);
        decodeLines(partial.length > 0 ? Buffer.concat([partial, whole]) : whole, lines);
        partial = Buffer.from(chunk.subarray(end));
      } else {
        partial = Buffer.concat([partial, chunk.subarray(start)]);
      }
      if (partial.length > MAX_LINE_BYTES) {
        partial = EMPTY;
        dropping = true;
      }
      return lines;
    },
    /** The last line, when the file does not end with a line break. */
    end(): Line[] {
      const lines: Line[] = dropping ? [TOO_LONG] : [];
      if (partial.length > 0) decodeLines(partial, lines);
      return lines;
    },
  };
}

/** Lines made records and batches, the first that is not blank given to the reader as the header. */
function recordReader(path: string, reader: CsvReader) {
  let line = 0;
  let header = false;
  return {
    hadHeader: () => header,
    async read(lines: readonly Line[]) {
      const batch: CsvBatch = { records: [], lines: [], malformed: new Map() };
      for (let text of lines) {
        line += 1;
        if (typeof text === 'string') {
          if (text.endsWith('\r')) text = text.slice(0, -1);
          if (line === 1 && text.startsWith('\uFEFF')) text = text.slice(1);
          if (text === '') continue;
        }
        const fields = typeof text === 'string' ? fieldsOf(text) : text;
        if (!header) {
          if (!Array.isArray(fields)) {
            throw new CsvFileError(`${path}, line ${line} (the header): ${fields.malformed}`);
          }
          header = true;
          reader.onHeader(fields);
          continue;
        }
        if (!Array.isArray(fields)) batch.malformed.set(batch.records.length, fields.malformed);
        batch.records.push(Array.isArray(fields) ? fields : []);
        batch.lines.push(line);
      }
      if (batch.records.length > 0) await reader.onBatch(batch);
    },
  };
}

/** The lines of `block` (each ended by a line break, but maybe the last) added to `lines`. */
function decodeLines(block: Buffer, lines: Line[]): void {
  if (isUtf8(block)) {
    const texts = block.toString('utf8').split('\n');
    if (block.at(-1) === LF) texts.pop();
    // A character takes at most 3 bytes per UTF-16 unit: only long strings need counting.
    for (const text of texts) {
      const tooLong = text.length * 3 > MAX_LINE_BYTES && Buffer.byteLength(text) > MAX_LINE_BYTES;
      lines.push(tooLong ? TOO_LONG : text);
    }
    return;
  }
  // Some line is not UTF-8: found line by line, and only that one rejected.
  for (let start = 0; start < block.length;) {
    let end = block.indexOf(LF, start);
    if (end === -1) end = block.length;
    const bytes = block.subarray(start, end);
    if (bytes.length > MAX_LINE_BYTES) lines.push(TOO_LONG);
    else lines.push(isUtf8(bytes) ? bytes.toString('utf8') : NOT_UTF8);
    start = end + 1;
  }
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
