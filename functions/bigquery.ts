/**
 * `POST /bigquery`: BigQuery's remote-function protocol
 * (https://cloud.google.com/bigquery/docs/remote-functions). Each call of a batch is one flight,
 * `(OPERA, TIPOVUELO, fecha_i, SIGLADES)`, checked against the same field schemas, encoded by the
 * same encoder and scored by the same model as a flight of `POST /predict`; each reply is the JSON
 * value of a function declared `RETURNS JSON`. Replies depend only on the calls, so a batch
 * BigQuery sends again gets the same answer.
 */
import {
  batchViolations,
  checkBatchSize,
  type BatchLimit,
  type BatchValidators,
} from './batch-validation.js';
import { bigqueryCall, bigqueryEnvelope } from './compiled-validators.js';
import { fitted, MAX_ERROR_MESSAGE_LENGTH } from './error-message.js';
import { ProblemError } from './errors.js';
import type { ScheduledFlight } from './features.js';
import type { Log } from './logging.js';
import { whenLoaded } from './lazy.js';
import type { ModelRegistry, ServedModel } from './model-registry.js';
import { mapOutcome, type Outcome } from './outcome.js';
import { ScoredAnswer } from './prediction-log.js';
import { scored } from './probability.js';
import { MODEL_FOR_FORMAT } from './request-formats.js';

/** The endpoint a BigQuery remote function's `endpoint` names (the function URL + this path). */
export const BIGQUERY_PATH = '/bigquery';

/** The remote function's parameters, in order: how a violation names its argument. */
export const BIGQUERY_ARGUMENTS = ['OPERA', 'TIPOVUELO', 'fecha_i', 'SIGLADES'] as const;

/** One call's reply: the JSON value SQL reads with JSON_VALUE(reply, '$.probability'). */
export interface BigQueryReply {
  probability: number;
  delayed: boolean;
  model: string;
  version: string;
}

export interface BigQueryResponse {
  replies: Array<BigQueryReply | null>;
}

type Call = [string, string, string, string];

/** The fields of a request that passed its schema, each call then still to be checked. */
interface BigQueryRequest {
  requestId?: string;
  caller?: string;
  userDefinedContext?: { on_invalid?: 'fail' | 'null' };
  calls: unknown[];
}

/** The calls of a valid request, and those answered null because they are not. */
interface Batch {
  calls: readonly unknown[];
  invalid: ReadonlySet<number>;
}

const CALL_POINTER = /^\/calls\/(\d+)(\/\d+)?/;

const VALIDATORS: BatchValidators = {
  envelope: bigqueryEnvelope,
  item: bigqueryCall,
  property: 'calls',
};

/**
 * Builds the `/bigquery` answerer: it throws a ProblemError for a request it refuses, and
 * delivers the replies to a valid one to `outcome`, with the calls it scored.
 */
export function createBigQueryScorer(options: {
  registry: ModelRegistry;
  maxFlights: number;
  log: Log;
}): (body: unknown, outcome: Outcome<ScoredAnswer>) => void {
  const { registry, maxFlights, log } = options;
  const accepted: BatchLimit = {
    max: maxFlights,
    setting: 'MAX_FLIGHTS',
    verb: 'accepted',
    advice: "set the remote function's max_batching_rows to at most that",
  };
  return (body, outcome) => {
    // Checked before validation so an oversized batch costs no schema work.
    checkBatchSize(body, 'calls', accepted);
    const batch = validBatch(body);
    if (batch.invalid.size > 0) {
      const { requestId, caller } = body as BigQueryRequest;
      log('WARNING', `POST /bigquery answered null to ${batch.invalid.size} invalid calls`, {
        requestId,
        caller,
        calls: batch.calls.length,
        nullReplies: batch.invalid.size,
      });
    }
    whenLoaded(registry.get(MODEL_FOR_FORMAT.flights), outcome.reject, (model) =>
      reply(model, batch, outcome),
    );
  };
}

/**
 * The request's calls, once the request has passed its schema; invalid calls are refused with
 * their violations counted and the first named, or set aside when the function's context says
 * `on_invalid: "null"`.
 */
function validBatch(body: unknown): Batch {
  const { count, listed, envelopeValid, invalidItems } = batchViolations(body, VALIDATORS);
  if (!envelopeValid) {
    const messages = listed.map(({ pointer, message }) => `${pointer || '/'} ${message}`);
    throw invalidRequest(
      'the request is not a BigQuery remote function call batch',
      messages,
      count,
    );
  }
  // The request around the calls is valid.
  const { calls, userDefinedContext } = body as BigQueryRequest;
  if (count === 0 || userDefinedContext?.on_invalid === 'null') {
    return { calls, invalid: invalidItems };
  }
  throw invalidRequest(
    `${count} violation${count === 1 ? '' : 's'} in ${invalidItems.size} of ${calls.length} calls`,
    listed.map(({ pointer, message }) => {
      const [, call, argument] = CALL_POINTER.exec(pointer) ?? [];
      const name = argument
        ? ` ${BIGQUERY_ARGUMENTS[Number(argument.slice(1))] ?? 'argument'}`
        : '';
      return `call ${call}${name}: ${message}`;
    }),
    count,
  );
}

/** `violations` are the first of `total` (batch-validation.ts lists at most 50). */
function invalidRequest(head: string, violations: readonly string[], total: number) {
  // The detail is BigQuery's errorMessage: it shows it in the query's error, under 1 KB.
  const detail = fitted(head, violations, MAX_ERROR_MESSAGE_LENGTH, total);
  return new ProblemError('invalid-request', detail);
}

/** The model's replies to the batch's valid calls, null for the others, in call order. */
function reply(model: ServedModel, { calls, invalid }: Batch, outcome: Outcome<ScoredAnswer>) {
  const { card } = model;
  const { name, version, threshold, requestFormat } = card;
  // Calls are turned into flights: only a model of the flights format can score them.
  if (requestFormat !== 'flights') {
    throw new ProblemError('model-unavailable', `model "${name}" does not serve flights`);
  }
  const valid = invalid.size === 0 ? calls : calls.filter((_, i) => !invalid.has(i));
  // Indexing rather than destructuring, and object literals rather than spreads: this runs for
  // every row, and a CPU profile of large batches found the spreads among the costliest steps.
  const flights = (valid as Call[]).map((call): ScheduledFlight => ({
    OPERA: call[0],
    TIPOVUELO: call[1],
    'Fecha-I': call[2],
    SIGLADES: call[3],
  }));
  const replies = (probabilities: Float32Array): ScoredAnswer => {
    let next = 0;
    const body: BigQueryResponse = {
      replies: calls.map((_, i) => {
        if (invalid.has(i)) return null;
        const { probability, delayed } = scored(probabilities[next++] ?? NaN, threshold.value);
        return { probability, delayed, model: name, version };
      }),
    };
    return new ScoredAnswer(body, [{ shape: 'bigquery', card, inputs: flights, probabilities }]);
  };
  // Nothing to score when every call was invalid; the model still had to load (503 otherwise).
  if (flights.length === 0) return outcome.resolve(replies(new Float32Array(0)));
  model.predict(flights, mapOutcome(outcome, replies));
}
