/**
 * A schedule CSV scored into another CSV, batch by batch: every input column plus `probability`
 * and `delayed`, in input order. While the model's thread scores one batch, this thread reads and
 * prepares the next (IN_FLIGHT); a batch's output is written, the writer drained, before another
 * is read: memory does not grow with the file.
 */
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { readCsv, type CsvBatch } from './csv-batches.js';
import type { ModelThread } from './model-thread.js';
import { scheduleColumns, ADDED_COLUMNS } from './schedule-columns.js';
import { spreadsheetRow } from './spreadsheet-cells.js';
import {
  batchPreparer,
  scoredBatch,
  type PreparedBatch,
  type Reject,
  type ScoredBatch,
} from './score-batch.js';

/** Bytes of the file read per batch: ~2,500 rows of the data set, enough for ONNX Runtime. */
export const CHUNK_BYTES = 256 * 1024;

/** Batches given to the model and not yet written: one scored while the next is prepared. */
const IN_FLIGHT = 2;

/** How many rejected records the summary keeps to show. */
export const SHOWN_REJECTS = 20;

export interface PredictFileOptions {
  data: string;
  model: Pick<ModelThread, 'card' | 'score'>;
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
  let prepare: ((batch: CsvBatch) => PreparedBatch) | undefined;
  let header = '';
  const inFlight: Array<{ prepared: PreparedBatch; probabilities: Promise<Float32Array> }> = [];
  const report = async (scored: ScoredBatch) => {
    if (rejects && scored.rejects.length > 0) {
      await write(rejects, scored.rejects.map((r) => `${JSON.stringify(r)}\n`).join(''));
    }
    firstRejects.push(...scored.rejects.slice(0, SHOWN_REJECTS - firstRejects.length));
    progress.scored += scored.scored;
    progress.rejected += scored.rejects.length;
    options.onProgress?.(progress);
  };
  const writeOldest = async () => {
    const { prepared, probabilities } = inFlight.shift()!;
    const scored = scoredBatch(prepared, await probabilities, model.card);
    await write(out, header + scored.csv);
    header = '';
    await report(scored);
  };
  await readCsv(options.data, options.chunkBytes ?? CHUNK_BYTES, {
    onHeader(fields) {
      prepare = batchPreparer(scheduleColumns(fields, options.data), model.card);
      header = `${spreadsheetRow([...fields, ...ADDED_COLUMNS])}\n`;
    },
    async onBatch(batch) {
      const prepared = prepare!(batch);
      const probabilities =
        prepared.rows.rows > 0 ? model.score(prepared.rows) : Promise.resolve(new Float32Array());
      // Awaited in turn by writeOldest; a failure before then must not count as unhandled.
      probabilities.catch(() => {});
      inFlight.push({ prepared, probabilities });
      if (inFlight.length >= IN_FLIGHT) await writeOldest();
    },
    onBytes(bytes) {
      progress.bytes = bytes;
    },
  });
  while (inFlight.length > 0) await writeOldest();
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
