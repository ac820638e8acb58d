/**
 * Coalescing of model runs: every set of rows submitted in the same turn of the event loop goes
 * through the model in one run. Under concurrent load each request is small (the seed's two
 * flights) while a run has a fixed cost — ~30 µs of native time, plus ONNX Runtime's wrapper, an
 * immediate and several promises, each also taxed by the domain the Functions Framework runs every
 * request in (docs/BENCHMARKS.md). A tree ensemble scores each row on its own, so a row's
 * probability does not depend on the rows it shares a run with.
 */
import type { EncodedRows } from './features.js';

/** One output value per input row, in order. */
export type Run = (rows: EncodedRows) => Promise<Float32Array>;

interface Submission {
  rows: EncodedRows;
  resolve: (values: Float32Array) => void;
  reject: (error: unknown) => void;
}

/** `run`, with submissions of one event-loop turn concatenated into a single call. */
export function coalesceRuns(run: Run): Run {
  let pending: Submission[] = [];
  const flush = () => {
    const batch = pending;
    pending = [];
    run(concatenate(batch.map((submission) => submission.rows))).then(
      (values) => {
        let offset = 0;
        for (const { rows, resolve } of batch) {
          resolve(values.subarray(offset, offset + rows.rows));
          offset += rows.rows;
        }
      },
      (error: unknown) => batch.forEach(({ reject }) => reject(error)),
    );
  };
  return (rows) =>
    new Promise((resolve, reject) => {
      // An immediate runs after the event loop has handled every request that arrived with this
      // one, so they all find the queue open.
      if (pending.length === 0) setImmediate(flush);
      pending.push({ rows, resolve, reject });
    });
}

/** The parts' rows one after the other; a single part is passed through without a copy. */
function concatenate(parts: EncodedRows[]): EncodedRows {
  const [first] = parts;
  if (parts.length === 1 && first) return first;
  const data = new Float32Array(parts.reduce((length, part) => length + part.data.length, 0));
  let offset = 0;
  for (const part of parts) {
    data.set(part.data, offset);
    offset += part.data.length;
  }
  const width = first?.width ?? 0;
  return { data, rows: width === 0 ? 0 : data.length / width, width };
}
