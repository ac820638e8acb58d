/**
 * Coalescing of model runs: every set of rows submitted in the same turn of the event loop goes
 * through the model in one run. Under concurrent load each request is small (the seed's two
 * flights) while a run has a fixed cost — native time, plus ONNX Runtime's wrapper, an
 * immediate and several promises, each also taxed by the domain the Functions Framework runs every
 * request in (docs/BENCHMARKS.md). A tree ensemble scores each row on its own, and a
 * single-threaded session sums a row's trees in the same order whatever the batch, so a row's
 * probability does not depend on the rows it shares a run with (bit for bit).
 */
import type { EncodedRows } from './features.js';
import type { Outcome } from './outcome.js';

/** One output value per input row, in order. */
export type Run = (rows: EncodedRows) => Promise<Float32Array>;

/** Rows submitted for a run, and where their values go. */
export type Submit = (rows: EncodedRows, outcome: Outcome<Float32Array>) => void;

interface Submission {
  rows: EncodedRows;
  outcome: Outcome<Float32Array>;
}

/** `run`, with submissions of one event-loop turn concatenated into a single call. */
export function coalesceRuns(run: Run): Submit {
  let pending: Submission[] = [];
  const flush = () => {
    const batch = pending;
    pending = [];
    run(concatenate(batch.map((submission) => submission.rows))).then(
      (values) => {
        let offset = 0;
        for (const { rows, outcome } of batch) {
          outcome.resolve(values.subarray(offset, offset + rows.rows));
          offset += rows.rows;
        }
      },
      (error: unknown) => batch.forEach(({ outcome }) => outcome.reject(error)),
    );
  };
  return (rows, outcome) => {
    // An immediate runs after the event loop has handled every request that arrived with this
    // one, so they all find the queue open.
    if (pending.length === 0) setImmediate(flush);
    pending.push({ rows, outcome });
  };
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
