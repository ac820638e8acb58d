/**
 * `POST /predict`: recognise the request format, bound and validate the batch, run the model that
 * serves the format, and answer in that format's response shape. Flights sent with the airport's
 * state are answered by functions/airport-answer.ts.
 */
import {
  batchViolations,
  checkBatchSize,
  type BatchLimit,
  type BatchValidators,
} from './batch-validation.js';
import { answerWithAirport } from './airport-answer.js';
import { readAirport, type AirportRequest } from './airport-request.js';
import {
  airportEnvelope,
  departure,
  flight,
  flightsEnvelope,
  latamEnvelope,
  latamFlight,
  seedEnvelope,
  seedFlight,
} from './compiled-validators.js';
import { MAX_LISTED_VIOLATIONS, ProblemError, type Violation } from './errors.js';
import type { Explanation } from './explain/flight-explainer.js';
import type { ScheduledFlight } from './features.js';
import { isLatamShape, latamSeedRows, type LatamFlight, type LatamResponse } from './latam.js';
import { whenLoaded } from './lazy.js';
import { chooseModel, type RequestShape, type SeedColumnModel } from './model-choice.js';
import type { ExplainedPredictions, ModelRegistry, ServedModel } from './model-registry.js';
import { mapOutcome, type Outcome } from './outcome.js';
import { ScoredAnswer } from './prediction-log.js';
import { labelled, scored } from './probability.js';
import { REQUEST_FORMATS, type RequestFormat } from './request-formats.js';

/** The seed's response: one 0/1 label per flight. */
export type SeedResponse = Array<0 | 1>;

export interface FlightsResponse {
  model: { name: string; version: string };
  threshold: number;
  predictions: Array<{ probability: number; delayed: boolean; explanation?: Explanation }>;
}

const VALIDATORS: Record<RequestShape, BatchValidators> = {
  vuelos: { envelope: seedEnvelope, item: seedFlight, property: 'vuelos' },
  flights: { envelope: flightsEnvelope, item: flight, property: 'flights' },
  latam: { envelope: latamEnvelope, item: latamFlight, property: 'flights' },
};

/** A flights request's `airport`, a batch of departures of its own. */
const AIRPORT_VALIDATORS: BatchValidators = {
  envelope: airportEnvelope,
  item: departure,
  property: 'departures',
};

/** The format of the model card that answers each shape: LATAM flights are scored as seed rows. */
const CARD_FORMAT = { vuelos: 'vuelos', flights: 'flights', latam: 'vuelos' } as const;

export type PredictResponse = SeedResponse | FlightsResponse | LatamResponse;

/**
 * Builds the `/predict` answerer: it throws a ProblemError for a bad request at once, and
 * delivers the answer to a valid one to `outcome`, with what it scored. `requestedModel` is the
 * `model` query parameter (functions/model-choice.ts).
 */
export function createPredictor(options: {
  registry: ModelRegistry;
  maxFlights: number;
  maxExplainedFlights: number;
  maxDepartures: number;
  vuelosModel: SeedColumnModel;
}): (body: unknown, outcome: Outcome<ScoredAnswer>, requestedModel?: unknown) => void {
  const { registry, maxFlights, maxExplainedFlights, maxDepartures, vuelosModel } = options;
  const accepted: BatchLimit = { max: maxFlights, setting: 'MAX_FLIGHTS', verb: 'accepted' };
  const explained: BatchLimit = {
    max: maxExplainedFlights,
    setting: 'MAX_EXPLAINED_FLIGHTS',
    verb: 'explained',
  };
  const departures: BatchLimit = {
    max: maxDepartures,
    setting: 'MAX_DEPARTURES',
    verb: 'accepted',
    items: 'departures',
  };
  return (body, outcome, requestedModel) => {
    const format = recognise(body);
    const explain = (body as Record<string, unknown>)['explain'] === true;
    // Checked before validation so an oversized batch costs no schema work.
    checkBatchSize(body, format, accepted);
    if (explain) checkBatchSize(body, format, explained);
    checkBatchSize(body, 'airport.departures', departures);
    const items = (body as Record<RequestFormat, unknown>)[format];
    const shape: RequestShape = format === 'flights' && isLatamShape(items) ? 'latam' : format;
    const withAirport = Object.hasOwn(body as object, 'airport');
    if (withAirport && shape !== 'flights') throw airportNotRead(shape);
    const modelName = chooseModel(withAirport ? 'airport' : shape, requestedModel, vuelosModel);
    const { count, listed } = requestViolations(body, shape, withAirport);
    if (count > 0) {
      const name = shape === 'latam' ? 'LATAM "flights"' : `"${format}"`;
      throw new ProblemError(
        'invalid-request',
        `the request does not match the ${name} format (${count} violation${count === 1 ? '' : 's'})`,
        { violations: listed, omitted: count - listed.length },
      );
    }
    const sent = items as unknown[];
    if (withAirport) {
      const { airport } = body as { airport: AirportRequest };
      const request = {
        flights: sent as ScheduledFlight[],
        airport: readAirport(airport),
        explain,
      };
      return answerWithAirport(registry, modelName, request, outcome);
    }
    const flights = shape === 'latam' ? latamSeedRows(sent as LatamFlight[]) : sent;
    const request = { shape, sent, flights, explain };
    // Requests that arrive while the model loads wait for it (promises, but once per instance).
    whenLoaded(registry.get(modelName), outcome.reject, (model) => answer(model, request, outcome));
  };
}

/**
 * A validated request: its shape, its flights as sent and as the model reads them, and whether it
 * asks for explanations.
 */
interface ValidRequest {
  shape: RequestShape;
  sent: unknown[];
  flights: unknown[];
  explain: boolean;
}

/** The model's answer to validated flights, in the shape of their request format. */
function answer(
  model: ServedModel,
  { shape, sent, flights, explain }: ValidRequest,
  outcome: Outcome<ScoredAnswer>,
): void {
  const { card } = model;
  const format = CARD_FORMAT[shape];
  if (card.requestFormat !== format) {
    throw new ProblemError('model-unavailable', `model "${card.name}" does not serve "${format}"`);
  }
  const threshold = card.threshold.value;
  const flightsResponse = (
    output: Float32Array,
    explanations?: Explanation[],
  ): FlightsResponse => ({
    model: { name: card.name, version: card.version },
    threshold,
    predictions: Array.from(output, (p, i) => {
      const prediction = scored(p, threshold);
      return explanations ? { ...prediction, explanation: explanations[i]! } : prediction;
    }),
  });
  const answered = (body: PredictResponse, probabilities: Float32Array) =>
    new ScoredAnswer(body, [{ shape, card, inputs: sent, probabilities }]);
  if (explain) {
    const explained = ({ probabilities, explanations }: ExplainedPredictions) =>
      answered(flightsResponse(probabilities, explanations), probabilities);
    return model.explain(flights, mapOutcome(outcome, explained));
  }
  const shaped = (output: Float32Array): PredictResponse => {
    if (shape === 'flights') return flightsResponse(output);
    const labels = Array.from(output, (p) => (labelled(p, threshold) ? 1 : 0));
    return shape === 'latam' ? { predict: labels } : labels;
  };
  model.predict(
    flights,
    mapOutcome(outcome, (output: Float32Array) => answered(shaped(output), output)),
  );
}

/** Every violation of the request's schema: its batch's, and its airport's departures'. */
function requestViolations(
  body: unknown,
  shape: RequestShape,
  withAirport: boolean,
): { count: number; listed: Violation[] } {
  const found = batchViolations(body, VALIDATORS[shape]);
  if (!withAirport) return found;
  const airport = (body as Record<string, unknown>)['airport'];
  const ofAirport = batchViolations(airport, AIRPORT_VALIDATORS, '/airport');
  return {
    count: found.count + ofAirport.count,
    listed: [...found.listed, ...ofAirport.listed].slice(0, MAX_LISTED_VIOLATIONS),
  };
}

/** `airport` on a request whose flights have no Fecha-I to measure a horizon from. */
function airportNotRead(shape: RequestShape): ProblemError {
  const request = shape === 'latam' ? 'LATAM "flights" (without Fecha-I)' : '"vuelos"';
  const message =
    `is read only with "flights" that carry Fecha-I (answered by the nowcast model), ` +
    `not with ${request}`;
  return new ProblemError('invalid-request', `"airport" ${message}`, {
    violations: [{ pointer: '/airport', message }],
  });
}

/** The request's format, from the one top-level array it holds. */
function recognise(body: unknown): RequestFormat {
  const expected = 'a JSON object holding either "vuelos" (the seed format) or "flights"';
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalidBody(`the request body must be ${expected}`);
  }
  const present = REQUEST_FORMATS.filter((format) => Object.hasOwn(body, format));
  const [format] = present;
  if (present.length !== 1 || !format) {
    throw invalidBody(
      `the request body must be ${expected}${present.length > 1 ? ', not both' : ''}`,
    );
  }
  return format;
}

function invalidBody(message: string): ProblemError {
  return new ProblemError('invalid-request', message, { violations: [{ pointer: '', message }] });
}
