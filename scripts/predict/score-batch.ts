/**
 * One batch of schedule records scored as `POST /predict` scores flights: the same flight
 * validator, the same encoder and served model (on the model's thread, model-thread.ts) and the
 * same rounding and threshold. Records the function would refuse are rejected, each with its line
 * and every reason. A batch is prepared (checked and encoded), scored, then written out.
 */
import { flightEncoder, type EncodedRows, type ScheduledFlight } from '../../functions/features.js';
import type { ModelCard } from '../../functions/model-registry.js';
import { scored } from '../../functions/probability.js';
import { flight as flightValidator } from '../../functions/compiled-validators.js';
import { toViolation } from '../../functions/violations.js';
import type { CsvBatch } from './csv-batches.js';
import type { ScheduleColumns } from './schedule-columns.js';
import { spreadsheetRow } from './spreadsheet-cells.js';

/** A record left out of the output, and why. */
export interface Reject {
  line: number;
  reasons: string[];
  fields: readonly string[];
}

/** A batch checked and encoded: what the model scores, and what it leaves out. */
export interface PreparedBatch {
  batch: CsvBatch;
  /** Why each rejected record was rejected, by index in `batch.records`. */
  reasons: Map<number, string[]>;
  /** The other records, encoded in order for the model. */
  rows: EncodedRows;
}

export interface ScoredBatch {
  /** The scored records as spreadsheet-safe CSV lines, in input order, each with its newline. */
  csv: string;
  scored: number;
  rejects: Reject[];
}

/** Prepares `batch`, whose records follow the header `columns` was read from, for `card`'s model. */
export function batchPreparer(
  columns: ScheduleColumns,
  card: ModelCard,
): (batch: CsvBatch) => PreparedBatch {
  // The function's encoder for flights (functions/model-registry.ts), built once.
  const encode = flightEncoder(card.features);
  return (batch) => {
    const { flights, recordOf, reasons } = flightsOf(batch, columns);
    const invalid = invalidFlights(flights);
    for (const [flight, violations] of invalid) reasons.set(recordOf[flight]!, violations);
    return { batch, reasons, rows: encode(flights.filter((_, flight) => !invalid.has(flight))) };
  };
}

/** `prepared` with the probabilities the model gave its rows, as output lines and rejects. */
export function scoredBatch(
  { batch, reasons }: PreparedBatch,
  probabilities: Float32Array,
  card: ModelCard,
): ScoredBatch {
  let csv = '';
  let next = 0;
  const rejects: Reject[] = [];
  for (const [at, fields] of batch.records.entries()) {
    const why = reasons.get(at);
    if (why) {
      rejects.push({ line: batch.lines[at]!, reasons: why, fields });
    } else {
      const { probability, delayed } = scored(probabilities[next++]!, card.threshold.value);
      csv += `${spreadsheetRow(fields)},${probability},${delayed}\n`;
    }
  }
  return { csv, scored: next, rejects };
}

/** The records of the right shape as flights, with the record index of each; why others are not. */
function flightsOf(batch: CsvBatch, columns: ScheduleColumns) {
  const reasons = new Map<number, string[]>();
  const flights: ScheduledFlight[] = [];
  const recordOf: number[] = [];
  const { OPERA, TIPOVUELO, SIGLADES } = columns.index;
  for (const [at, fields] of batch.records.entries()) {
    const malformed = batch.malformed.get(at);
    if (malformed !== undefined) {
      reasons.set(at, [malformed]);
    } else if (fields.length !== columns.width) {
      reasons.set(at, [`has ${fields.length} fields; the header has ${columns.width}`]);
    } else {
      flights.push({
        OPERA: fields[OPERA]!,
        TIPOVUELO: fields[TIPOVUELO]!,
        'Fecha-I': fields[columns.index['Fecha-I']]!,
        SIGLADES: fields[SIGLADES]!,
      });
      recordOf.push(at);
    }
  }
  return { flights, recordOf, reasons };
}

/**
 * The violations of each flight the function's flight validator refuses, by index. Each flight is
 * validated on its own, as `POST /predict` validates a request's flights: one validation of the
 * whole batch listing every error would take time quadratic in its invalid flights.
 */
function invalidFlights(flights: ScheduledFlight[]): Map<number, string[]> {
  const invalid = new Map<number, string[]>();
  for (const [index, flight] of flights.entries()) {
    if (flightValidator(flight)) continue;
    const reasons = (flightValidator.errors ?? []).map((error) => {
      const { pointer, message } = toViolation(error);
      return `${pointer.slice(1)}: ${message}`;
    });
    invalid.set(index, reasons);
  }
  return invalid;
}
