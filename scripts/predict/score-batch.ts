/**
 * One batch of schedule records scored as `POST /predict` scores flights: the same request
 * validator, the same served model (encoder and ONNX session) and the same rounding and
 * threshold. Records the function would refuse are rejected, each with its line and every reason.
 */
import type { ScheduledFlight } from '../../functions/features.js';
import type { ServedModel } from '../../functions/model-registry.js';
import { scored } from '../../functions/probability.js';
import { toViolation } from '../../functions/validation.js';
import { flightsRequest } from '../../functions/validators.js';
import { csvRow } from '../train/csv.js';
import type { CsvBatch } from './csv-batches.js';
import type { ScheduleColumns } from './schedule-columns.js';

/** A record left out of the output, and why. */
export interface Reject {
  line: number;
  reasons: string[];
  fields: readonly string[];
}

export interface ScoredBatch {
  /** The scored records as output CSV lines, in input order, each ending in a newline. */
  csv: string;
  scored: number;
  rejects: Reject[];
}

/** Scores `batch`, whose records follow the header `columns` was read from. */
export async function scoreBatch(
  batch: CsvBatch,
  columns: ScheduleColumns,
  model: ServedModel,
): Promise<ScoredBatch> {
  const reasons = new Map<number, string[]>();
  const flights: ScheduledFlight[] = [];
  // Record index of each flight: records with the wrong shape never become flights.
  const recordOf: number[] = [];
  for (const [at, fields] of batch.records.entries()) {
    const malformed = batch.malformed.get(at);
    if (malformed !== undefined) {
      reasons.set(at, [`malformed CSV: ${malformed}`]);
    } else if (fields.length !== columns.width) {
      reasons.set(at, [`has ${fields.length} fields; the header has ${columns.width}`]);
    } else {
      const { OPERA, TIPOVUELO, SIGLADES } = columns.index;
      flights.push({
        OPERA: fields[OPERA]!,
        TIPOVUELO: fields[TIPOVUELO]!,
        'Fecha-I': fields[columns.index['Fecha-I']]!,
        SIGLADES: fields[SIGLADES]!,
      });
      recordOf.push(at);
    }
  }
  const invalid = invalidFlights(flights);
  for (const [flight, violations] of invalid) reasons.set(recordOf[flight]!, violations);
  const valid = flights.filter((_, flight) => !invalid.has(flight));
  const probabilities = valid.length > 0 ? await predict(model, valid) : new Float32Array();
  const threshold = model.card.threshold.value;
  let csv = '';
  let next = 0;
  const rejects: Reject[] = [];
  for (const [at, fields] of batch.records.entries()) {
    const why = reasons.get(at);
    if (why) {
      rejects.push({ line: batch.lines[at]!, reasons: why, fields });
    } else {
      const { probability, delayed } = scored(probabilities[next++]!, threshold);
      csv += `${csvRow(fields)},${probability},${delayed}\n`;
    }
  }
  return { csv, scored: next, rejects };
}

/**
 * The violations of each flight the function's request validator refuses, by index: a batch is
 * validated as one request, and Ajv's pointers (`/flights/12/OPERA`) say which flight is wrong.
 */
function invalidFlights(flights: ScheduledFlight[]): Map<number, string[]> {
  const invalid = new Map<number, string[]>();
  if (flights.length === 0 || flightsRequest({ flights })) return invalid;
  for (const error of flightsRequest.errors ?? []) {
    const { pointer, message } = toViolation(error);
    const [, , flight, ...field] = pointer.split('/');
    const list = invalid.get(Number(flight)) ?? [];
    list.push(`${field.join('/')}: ${message}`);
    invalid.set(Number(flight), list);
  }
  return invalid;
}

function predict(model: ServedModel, flights: ScheduledFlight[]): Promise<Float32Array> {
  return new Promise((resolve, reject) => model.predict(flights, { resolve, reject }));
}
