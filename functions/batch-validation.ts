/**
 * A request carrying a batch (flights, seed rows, BigQuery calls), checked in time proportional
 * to its size: first how many items it holds, then its envelope once and each item with a
 * validator of its own (compiled from the same schemas, contract-schemas.ts). One Ajv validation
 * of the whole batch listing every error would grow its error array item after item: quadratic.
 */
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import { MAX_LISTED_VIOLATIONS, ProblemError, type Violation } from './errors.js';
import { toViolation } from './violations.js';

/** The validators of one batch request, and the property holding its batch. */
export interface BatchValidators {
  /** The request with its batch's items unchecked. */
  envelope: ValidateFunction;
  /** One item of the batch. */
  item: ValidateFunction;
  property: string;
}

export interface BatchViolations {
  /** Every violation found, counted. */
  count: number;
  /** The first MAX_LISTED_VIOLATIONS: the envelope's first, then the items' in order. */
  listed: Violation[];
  /** Whether the request around the batch is valid. */
  envelopeValid: boolean;
  /** The index of every item that is not valid. */
  invalidItems: Set<number>;
}

/**
 * Every violation of `body` counted, and the first MAX_LISTED_VIOLATIONS of them listed. `at` is
 * the pointer of `body` in the request, for a part of a request that holds a batch of its own.
 */
export function batchViolations(
  body: unknown,
  { envelope, item, property }: BatchValidators,
  at = '',
): BatchViolations {
  const found: BatchViolations = {
    count: 0,
    listed: [],
    envelopeValid: envelope(body),
    invalidItems: new Set(),
  };
  if (!found.envelopeValid) note(found, envelope.errors, at);
  const batch = isObject(body) ? body[property] : undefined;
  if (!Array.isArray(batch)) return found;
  for (const [index, value] of batch.entries()) {
    if (item(value)) continue;
    found.invalidItems.add(index);
    note(found, item.errors, `${at}/${property}/${index}`);
  }
  return found;
}

// Each item's errors come in a short array of their own: counting them is linear in the body,
// and only the listed ones are turned into messages.
function note(found: BatchViolations, errors: ErrorObject[] | null | undefined, at: string): void {
  for (const error of errors ?? []) {
    if (found.listed.length < MAX_LISTED_VIOLATIONS) found.listed.push(toViolation(error, at));
    found.count++;
  }
}

/** How many items one request may hold, and the setting that says so. */
export interface BatchLimit {
  max: number;
  setting: 'MAX_FLIGHTS' | 'MAX_EXPLAINED_FLIGHTS' | 'MAX_DEPARTURES';
  /** What the limit bounds: the flights accepted, or those explained. */
  verb: 'accepted' | 'explained';
  /** What the batch holds: flights, or departures (flights that have left). */
  items?: 'flights' | 'departures';
  /** What the client can do about it, when there is more to say than the setting. */
  advice?: string;
}

/**
 * Refuses a batch over `limit` before any schema work, in the one shape of that message. `path`
 * names the batch's property, or the properties leading to it (`airport.departures`).
 */
export function checkBatchSize(body: unknown, path: string, limit: BatchLimit): void {
  const batch = path
    .split('.')
    .reduce((value, key) => (isObject(value) ? value[key] : undefined), body);
  if (!Array.isArray(batch) || batch.length <= limit.max) return;
  const { max, setting, verb, items = 'flights', advice } = limit;
  throw new ProblemError(
    'too-many-flights',
    `"${path}" holds ${batch.length} ${items}; at most ${max} are ${verb} per request ` +
      `(${setting})${advice ? `: ${advice}` : ''}`,
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
