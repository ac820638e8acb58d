/**
 * Which model answers a `POST /predict`: each request shape's default (VUELOS_MODEL for `vuelos`),
 * or the one the `model` query parameter names among those that read the shape's input. Names are
 * checked against these lists before anything loads, so a client never names a file.
 */
import { ProblemError } from './errors.js';
import { MODEL_FOR_FORMAT } from './request-formats.js';
import { quote } from './violations.js';

/** The original service's model (models/original.onnx), answering exactly as it answered. */
export const ORIGINAL_MODEL = 'original';

/** The models reading the seed's 37 one-hot columns: they answer `vuelos` and LATAM requests. */
export const SEED_COLUMN_MODELS = [MODEL_FOR_FORMAT.vuelos, ORIGINAL_MODEL] as const;

export type SeedColumnModel = (typeof SEED_COLUMN_MODELS)[number];

/**
 * The model reading the airport's recent departures beside the schedule: it answers the flights
 * of a request with `airport` that are due within its card's horizons (functions/airport-answer.ts).
 */
export const NOWCAST_MODEL = 'nowcast';

/** Every model the function serves: what /models and /readyz list and `npm run build` bundles. */
export const SERVED_MODELS = [
  MODEL_FOR_FORMAT.vuelos,
  MODEL_FOR_FORMAT.flights,
  ORIGINAL_MODEL,
  NOWCAST_MODEL,
];

/** The request shapes `POST /predict` tells apart (`latam`: `flights` as the LATAM API sends them). */
export type RequestShape = 'vuelos' | 'flights' | 'latam';

/** What chooses a model: the request's shape, or (`airport`) flights sent with the airport's state. */
export type ModelChoiceShape = RequestShape | 'airport';

const MODELS_FOR_SHAPE: Record<ModelChoiceShape, readonly string[]> = {
  vuelos: SEED_COLUMN_MODELS,
  latam: SEED_COLUMN_MODELS,
  flights: [MODEL_FOR_FORMAT.flights],
  airport: [NOWCAST_MODEL],
};

/** Each shape's model when the request names none (`vuelos`: VUELOS_MODEL's). */
const DEFAULT_MODEL: Record<Exclude<ModelChoiceShape, 'vuelos'>, string> = {
  latam: MODEL_FOR_FORMAT.vuelos,
  flights: MODEL_FOR_FORMAT.flights,
  airport: NOWCAST_MODEL,
};

const SHAPE_NAMES: Record<ModelChoiceShape, string> = {
  vuelos: '"vuelos" request',
  latam: 'LATAM "flights" request',
  flights: '"flights" request',
  airport: '"flights" request with "airport"',
};

/**
 * The model answering a request of `shape`: `requested` (the `model` query parameter) when given,
 * else the shape's default — `vuelosModel` for `vuelos`, onehot-37 for LATAM, schedule for flights,
 * nowcast for flights with the airport's state.
 * @throws ProblemError 'invalid-request' when `requested` is not one text naming a model that
 *   reads this shape.
 */
export function chooseModel(
  shape: ModelChoiceShape,
  requested: unknown,
  vuelosModel: SeedColumnModel,
): string {
  if (requested === undefined) return shape === 'vuelos' ? vuelosModel : DEFAULT_MODEL[shape];
  const allowed = MODELS_FOR_SHAPE[shape];
  if (typeof requested === 'string' && allowed.includes(requested)) return requested;
  const given = typeof requested === 'string' ? `, not ${quote(requested)}` : ', given once';
  // schedule answers such flights too, but only the ones beyond nowcast's horizons.
  const advice = shape === 'airport' ? '; send the flights without "airport" for schedule' : '';
  throw new ProblemError(
    'invalid-request',
    `the query parameter "model" must be ${allowed.map((name) => `"${name}"`).join(' or ')} ` +
      `for a ${SHAPE_NAMES[shape]}${given}${advice}`,
  );
}
