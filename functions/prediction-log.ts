/**
 * The prediction log (LOG_PREDICTIONS): for a sampled share of the requests `POST /predict` and
 * `POST /bigquery` answer, what the model read of each flight (the request's own values), its
 * probability and the decision answered, written as structured log lines once the answer has gone.
 * schemas/prediction-log-entry.schema.json is their contract: a Cloud Logging sink routes them to
 * BigQuery (terraform/prediction-log.tf) and the monitor reads them.
 */
import { randomUUID } from 'node:crypto';
import type { ScheduledFlight } from './features.js';
import type { LatamFlight } from './latam.js';
import {
  MAX_LOG_LINE_BYTES,
  traceFields,
  type BatchLog,
  type LogEntry,
  type LogFields,
} from './logging.js';
import type { ModelCard } from './model-registry.js';
import { labelled, scored } from './probability.js';

/** The request formats the log tells apart: `POST /predict`'s three, and BigQuery's calls. */
export type LoggedShape = 'vuelos' | 'flights' | 'latam' | 'bigquery';

/** What a request was answered from: its flights as sent, the model, and the model's output. */
export interface ScoredBatch {
  shape: LoggedShape;
  card: Pick<ModelCard, 'name' | 'version' | 'threshold'>;
  /** Each scored flight as the request gave it, validated: a vuelos row, a flight, a LATAM flight. */
  inputs: readonly unknown[];
  /** P(delayed) of each input, in order, as the model returned it. */
  probabilities: Float32Array;
}

/**
 * A scoring route's answer with what it scored, one batch per model that scored (a request with
 * the airport's state may be answered by two): the handler sends `body` as a 200, then hands each
 * batch to the prediction log.
 */
export class ScoredAnswer {
  constructor(
    readonly body: unknown,
    readonly batches: readonly ScoredBatch[],
  ) {}
}

/** Samples a scored request and, when it is drawn, logs its entries after the current I/O. */
export type PredictionLog = (batch: ScoredBatch, traceHeader: string | undefined) => void;

/** A request drawn for the log, its entries not yet written. */
interface Drawn {
  batch: ScoredBatch;
  traceHeader: string | undefined;
}

/**
 * The prediction log of an instance: each request is drawn with probability `rate`. The requests
 * drawn in one turn of the event loop are logged together, in one immediate and one write: their
 * answers are sent before any of this work starts, and the turn's lines cost one system call
 * rather than one each. A request whose entries cannot be built is logged as one error and
 * touches nothing else.
 */
export function createPredictionLog(options: {
  rate: number;
  log: BatchLog;
  project: string | undefined;
}): PredictionLog {
  const { rate, log, project } = options;
  let drawn: Drawn[] = [];
  const writeDrawn = () => {
    process.removeListener('exit', writeDrawn);
    const requests = drawn;
    drawn = [];
    const loggedAt = new Date();
    log.all(requests.flatMap((request) => requestEntries(request, project, loggedAt)));
  };
  return (batch, traceHeader) => {
    if (!(Math.random() < rate)) return;
    if (drawn.push({ batch, traceHeader }) > 1) return;
    setImmediate(writeDrawn);
    // process.exit runs no immediate (the intake exits so when its grace period ends with requests
    // in flight): the drawn requests are then logged on the way out.
    process.once('exit', writeDrawn);
  };
}

/** A drawn request's entries, or the one error saying why they could not be built. */
function requestEntries(
  { batch, traceHeader }: Drawn,
  project: string | undefined,
  loggedAt: Date,
): LogEntry[] {
  const trace = traceFields(traceHeader, project);
  try {
    return predictionLogEntries(batch, trace, randomUUID(), loggedAt);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const message = `prediction log entries could not be built: ${reason}`;
    return [{ severity: 'ERROR', message, fields: trace }];
  }
}

/** A flight as logged. */
interface LoggedFlight {
  input: Record<string, unknown>;
  probability: number;
  delayed: boolean;
}

/** The fields each shape's model reads, with the request's values. */
const INPUT: Record<LoggedShape, (flight: never) => Record<string, unknown>> = {
  flights: scheduledInput,
  bigquery: scheduledInput,
  latam: ({ OPERA, TIPOVUELO, MES }: LatamFlight) => ({ OPERA, TIPOVUELO, MES }),
  // Every column is required in a vuelos request: the true ones say it all, in a fraction of
  // the bytes (schemas/prediction-log-entry.schema.json, seedInput).
  vuelos: (row: Record<string, boolean>) =>
    Object.fromEntries(Object.entries(row).filter(([, value]) => value)),
};

function scheduledInput(flight: ScheduledFlight) {
  const { OPERA, TIPOVUELO, SIGLADES } = flight;
  return { OPERA, TIPOVUELO, 'Fecha-I': flight['Fecha-I'], SIGLADES };
}

/**
 * The entries of one request: its flights, in order, split greedily into as few lines as hold
 * them within MAX_LOG_LINE_BYTES each, so that functions/logging.ts never has to cut one. None
 * when nothing was scored.
 */
export function predictionLogEntries(
  batch: ScoredBatch,
  trace: LogFields,
  requestId: string,
  loggedAt: Date,
): LogEntry[] {
  const { shape, card, inputs, probabilities } = batch;
  const threshold = card.threshold.value;
  const input = INPUT[shape] as (flight: unknown) => Record<string, unknown>;
  const flights = inputs.map((flight, i): LoggedFlight => ({
    input: input(flight),
    ...decision(shape, probabilities[i] ?? NaN, threshold),
  }));
  if (flights.length === 0) return [];
  const about = {
    endpoint: shape === 'bigquery' ? '/bigquery' : '/predict',
    shape,
    model: { name: card.name, version: card.version },
    threshold,
    loggedAt: loggedAt.toISOString(),
  };
  const entry = (chunk: number, chunks: number, part: LoggedFlight[]): LogEntry => ({
    severity: 'INFO',
    message: `predictions ${chunk + 1}/${chunks} of request ${requestId}`,
    fields: {
      ...trace,
      predictionLog: { schema: 1, requestId, chunk, chunks, ...about, flights: part },
    },
  });
  // One flight is a line of its own whatever its size, as greedyParts would make it: the
  // commonest request skips the sizing, which costs as much as writing the line.
  if (flights.length === 1) return [entry(0, 1, flights)];
  // The line around an empty list, with the widest chunk numbers the request can have.
  const last = flights.length;
  const { severity, message, fields } = entry(last, last, []);
  const frame = lineBytes({ severity, message, ...fields });
  const parts = greedyParts(
    flights.map((flight) => lineBytes(flight) - 1),
    MAX_LOG_LINE_BYTES - frame,
  );
  return parts.map(([start, end], chunk) => entry(chunk, parts.length, flights.slice(start, end)));
}

/** What a flight was answered: the probability and decision of its request's format. */
function decision(shape: LoggedShape, p: number, threshold: number) {
  // Formats that answer a probability show it rounded and decide on that; the others answer
  // labels decided on the model's probability itself (functions/probability.ts).
  if (shape === 'flights' || shape === 'bigquery') return scored(p, threshold);
  return { probability: p, delayed: labelled(p, threshold) };
}

/** Bytes of `value` as one JSON line, newline included. */
function lineBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value)) + 1;
}

/**
 * `[start, end)` runs of items whose sizes, with a comma between neighbours, fit in `room`; an
 * item that alone exceeds it still gets a run of its own.
 */
function greedyParts(sizes: readonly number[], room: number): Array<[number, number]> {
  const parts: Array<[number, number]> = [];
  let start = 0;
  let used = 0;
  sizes.forEach((size, i) => {
    if (i > start && used + 1 + size > room) {
      parts.push([start, i]);
      start = i;
      used = 0;
    }
    used += (i > start ? 1 : 0) + size;
  });
  parts.push([start, sizes.length]);
  return parts;
}
