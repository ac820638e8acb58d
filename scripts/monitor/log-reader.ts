/**
 * Reads prediction log entries from the text of a file, in any of the forms they reach an
 * engineer: the function's own stdout (one JSON object per line, among other log lines and
 * non-JSON lines, which are skipped and counted), Cloud Logging's export (`gcloud logging read
 * --format=json`: one JSON array of LogEntry objects, the entry under `jsonPayload`), and the
 * BigQuery sink's rows (`bq query --format=json` or a newline-delimited export: the table's rows,
 * with BigQuery's names and numbers possibly as strings; or the one-row-per-flight query of
 * docs/MONITORING.md). Keys are read through their BigQuery names; nothing else is guessed.
 */
import { withBigQueryNames } from './bigquery-names.js';
import type { LoggedFlight } from './logged-flight.js';

/** What one file held. */
export interface LogFile {
  flights: LoggedFlight[];
  /** Lines that were not a JSON object, or a JSON object that is no prediction log entry. */
  skipped: number;
  /** Prediction log entries (or flight rows) read. */
  entries: number;
  /** Chunks each request said it had, by request id, where the entries say it. */
  chunks: Map<string, number>;
}

type Json = Record<string, unknown>;

const SHAPES = new Set(['vuelos', 'flights', 'latam', 'bigquery']);

/**
 * @param name the file's name, for messages.
 * @throws Error naming the file and line (or array item) of an entry that is not one the
 *   contract allows, or a file that opens a JSON array but does not hold one.
 */
export function readLogText(name: string, text: string): LogFile {
  const file: LogFile = { flights: [], skipped: 0, entries: 0, chunks: new Map() };
  for (const { where, value } of jsonValues(name, text)) {
    const row = isObject(value) ? (withBigQueryNames(value) as Json) : undefined;
    const read = row && entryFlights(row);
    if (!read) {
      file.skipped++;
      continue;
    }
    try {
      const { flights, chunks } = read();
      file.entries++;
      file.flights.push(...flights);
      if (chunks !== undefined) file.chunks.set(flights[0]!.requestId, chunks);
    } catch (error) {
      throw new Error(`${name}, ${where}: ${(error as Error).message}`, { cause: error });
    }
  }
  return file;
}

/** The file's JSON values: the items of a JSON array, or each line that parses as JSON. */
function* jsonValues(name: string, text: string): Generator<{ where: string; value: unknown }> {
  if (text.trimStart().startsWith('[')) {
    let items: unknown;
    try {
      items = JSON.parse(text);
    } catch (error) {
      throw new Error(`${name}: opens a JSON array but is not one: ${(error as Error).message}`, {
        cause: error,
      });
    }
    if (!Array.isArray(items)) throw new Error(`${name}: opens a JSON array but is not one`);
    for (const [i, value] of items.entries()) yield { where: `item ${i + 1}`, value };
    return;
  }
  for (const [i, line] of text.split('\n').entries()) {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      value = undefined;
    }
    yield { where: `line ${i + 1}`, value };
  }
}

/**
 * How to read a row's flights, when it is a prediction log entry: the function's line
 * (`predictionlog`), a Cloud Logging LogEntry or a sink row (`jsonpayload.predictionlog`), or a
 * flight row of the documented query (`request_id`, `position`, `input`).
 */
function entryFlights(
  row: Json,
): (() => { flights: LoggedFlight[]; chunks: number | undefined }) | undefined {
  const payload = isObject(row.jsonpayload) ? row.jsonpayload : row;
  const entry = payload.predictionlog;
  if (isObject(entry)) return () => ({ flights: entryRows(entry), chunks: count(entry.chunks) });
  if ('request_id' in row && 'position' in row && 'input' in row) {
    return () => ({ flights: [flightRow(row)], chunks: undefined });
  }
  return undefined;
}

function entryRows(entry: Json): LoggedFlight[] {
  const model = isObject(entry.model) ? entry.model.name : undefined;
  const about = {
    requestId: text(entry.requestid, 'requestId'),
    chunk: count(entry.chunk) ?? fail('chunk is not a whole number'),
    shape: shape(entry.shape),
    model: text(model, 'model.name'),
    loggedAt: text(entry.loggedat, 'loggedAt'),
  };
  if (!Array.isArray(entry.flights) || entry.flights.length === 0) fail('flights is not a list');
  return entry.flights.map((flight: unknown, position) => {
    if (!isObject(flight)) fail(`flights[${position}] is not an object`);
    return { ...about, position, ...scoredInput(flight) };
  });
}

/** A row of docs/MONITORING.md's query: one flight, its input as JSON text. */
function flightRow(row: Json): LoggedFlight {
  const input = typeof row.input === 'string' ? (JSON.parse(row.input) as unknown) : row.input;
  return {
    requestId: text(row.request_id, 'request_id'),
    chunk: count(row.chunk) ?? fail('chunk is not a whole number'),
    position: count(row.position) ?? fail('position is not a whole number'),
    shape: shape(row.shape),
    model: text(row.model, 'model'),
    loggedAt: text(row.timestamp, 'timestamp'),
    ...scoredInput({ input: withBigQueryNames(input), probability: row.probability }),
  };
}

function scoredInput(flight: Json): Pick<LoggedFlight, 'input' | 'probability'> {
  if (!isObject(flight.input)) fail('a flight has no input object');
  const probability = Number(flight.probability);
  if (flight.probability === null || !(probability >= 0 && probability <= 1)) {
    fail(`probability ${JSON.stringify(flight.probability)} is not a number from 0 to 1`);
  }
  return { input: flight.input, probability };
}

function shape(value: unknown): LoggedFlight['shape'] {
  if (typeof value === 'string' && SHAPES.has(value)) return value as LoggedFlight['shape'];
  return fail(`shape ${JSON.stringify(value)} is none of ${[...SHAPES].join(', ')}`);
}

function text(value: unknown, name: string): string {
  if (typeof value === 'string' && value !== '') return value;
  return fail(`${name} is missing`);
}

/** A whole number, written as a number or (BigQuery's JSON) as a string. */
function count(value: unknown): number | undefined {
  const number = typeof value === 'string' && value !== '' ? Number(value) : value;
  return Number.isInteger(number) && (number as number) >= 0 ? (number as number) : undefined;
}

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function fail(message: string): never {
  throw new Error(message);
}
