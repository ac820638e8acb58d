/**
 * A schedule CSV scored into another CSV, batch by batch: every input column plus `probability`
 * and `delayed`, in input order. Nothing waits on more than one batch, and a batch's output is
 * written, the writer drained, before the next one is read: memory does not grow with the file.
 */
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { ServedModel } from '../../functions/model-registry.js';
import { csvRow } from '../train/csv.js';
import { readCsv } from './csv-batches.js';
import { scheduleColumns, ADDED_COLUMNS, type ScheduleColumns } from './schedule-columns.js';
import { scoreBatch, type Reject } from './score-batch.js';

/** Bytes of the file read per batch: ~2,500 rows of the data set, enough for ONNX Runtime. */
export const CHUNK_BYTES = 256 * 1024;

/** How many rejected records the summary keeps to show. */
export const SHOWN_REJECTS = 20;

export interface PredictFileOptions {
  data: string;
  model: ServedModel;
  out: Writable;
  /** Where every rejected record goes, one JSON object a line. */
  rejects?: Writable;
  onProgress?: (progress: Progress) => void;
  chunkBytes?: number;
}

export interface Progress {
  bytes: number;
  scored: number;
  rejected: number;
}

export interface PredictSummary extends Progress {
  /** The first SHOWN_REJECTS rejected records. */
  firstRejects: Reject[];
  seconds: number;
}

/**
 * Scores the CSV at `options.data` into `options.out`.
 * @throws CsvFileError or HeaderError for a file it cannot score; an error of a writer.
 */
export async function predictFile(options: PredictFileOptions): Promise<PredictSummary> {
  const { model, out, rejects } = options;
  const started = performance.now();
  const progress: Progress = { bytes: 0, scored: 0, rejected: 0 };
  const firstRejects: Reject[] = [];
  let columns: ScheduleColumns | undefined;
  let header = '';
  await readCsv(options.data, options.chunkBytes ?? CHUNK_BYTES, {
    onHeader(fields) {
      columns = scheduleColumns(fields, options.data);
      header = `${csvRow([...fields, ...ADDED_COLUMNS])}\n`;
    },
    async onBatch(batch) {
      const scored = await scoreBatch(batch, columns!, model);
      await write(out, header + scored.csv);
      header = '';
      if (rejects && scored.rejects.length > 0) {
        await write(rejects, scored.rejects.map((r) => `${JSON.stringify(r)}\n`).join(''));
      }
      firstRejects.push(...scored.rejects.slice(0, SHOWN_REJECTS - firstRejects.length));
      progress.scored += scored.scored;
      progress.rejected += scored.rejects.length;
      options.onProgress?.(progress);
    },
    onBytes(bytes) {
      progress.bytes = bytes;
    },
  });
  // A file of a header alone still gets its header out.
  if (header) await write(out, header);
  return { ...progress, firstRejects, seconds: (performance.now() - started) / 1000 };
}

/**
 * Writes `text`, waiting for the writer to drain when its buffer is full.
 * @throws the writer's error (a closed pipe, a full disk): once it has one it never drains.
 */
async function write(stream: Writable, text: string): Promise<void> {
  if (stream.errored) throw stream.errored;
  if (text === '' || stream.write(text)) return;
  await once(stream, 'drain');
}
