/**
 * The contract's JSON Schemas (schemas/, its single source) in one Ajv instance, with the options
 * and string formats every validator shares, and the validators the function compiles from them.
 */
import { Ajv2020, type CodeOptions, type ValidateFunction } from 'ajv/dist/2020.js';
import airportFlightsResponse from '../schemas/airport-flights-response.schema.json' with { type: 'json' };
import airportState from '../schemas/airport-state.schema.json' with { type: 'json' };
import bigqueryError from '../schemas/bigquery-error.schema.json' with { type: 'json' };
import bigqueryRequest from '../schemas/bigquery-request.schema.json' with { type: 'json' };
import bigqueryResponse from '../schemas/bigquery-response.schema.json' with { type: 'json' };
import departure from '../schemas/departure.schema.json' with { type: 'json' };
import flight from '../schemas/flight.schema.json' with { type: 'json' };
import flightsRequest from '../schemas/flights-request.schema.json' with { type: 'json' };
import flightsResponse from '../schemas/flights-response.schema.json' with { type: 'json' };
import health from '../schemas/health.schema.json' with { type: 'json' };
import latamFlight from '../schemas/latam-flight.schema.json' with { type: 'json' };
import latamRequest from '../schemas/latam-request.schema.json' with { type: 'json' };
import latamResponse from '../schemas/latam-response.schema.json' with { type: 'json' };
import modelCard from '../schemas/model-card.schema.json' with { type: 'json' };
import modelsResponse from '../schemas/models-response.schema.json' with { type: 'json' };
import problem from '../schemas/problem.schema.json' with { type: 'json' };
import seedFlight from '../schemas/seed-flight.schema.json' with { type: 'json' };
import seedRequest from '../schemas/seed-request.schema.json' with { type: 'json' };
import seedResponse from '../schemas/seed-response.schema.json' with { type: 'json' };
import serviceInfo from '../schemas/service-info.schema.json' with { type: 'json' };
import status from '../schemas/status.schema.json' with { type: 'json' };
import { STRING_FORMATS } from './string-formats.js';

/** Every schema of the contract, keyed by its file name (which is also how schemas $ref them). */
export const SCHEMAS = {
  'airport-flights-response.schema.json': airportFlightsResponse,
  'airport-state.schema.json': airportState,
  'bigquery-error.schema.json': bigqueryError,
  'bigquery-request.schema.json': bigqueryRequest,
  'bigquery-response.schema.json': bigqueryResponse,
  'departure.schema.json': departure,
  'flight.schema.json': flight,
  'flights-request.schema.json': flightsRequest,
  'flights-response.schema.json': flightsResponse,
  'health.schema.json': health,
  'latam-flight.schema.json': latamFlight,
  'latam-request.schema.json': latamRequest,
  'latam-response.schema.json': latamResponse,
  'model-card.schema.json': modelCard,
  'models-response.schema.json': modelsResponse,
  'problem.schema.json': problem,
  'seed-flight.schema.json': seedFlight,
  'seed-request.schema.json': seedRequest,
  'seed-response.schema.json': seedResponse,
  'service-info.schema.json': serviceInfo,
  'status.schema.json': status,
} as const;

export type SchemaFile = keyof typeof SCHEMAS;

/**
 * The requests that carry a batch, and the property holding it; the airport's state, a part of a
 * flights request, holds one too (its departures). A batch is validated in two parts, both taken
 * from the request's schema: its envelope (the schema with the batch's items left unchecked), then
 * each item against the schema its `items` names, so that each item's errors come in a short list
 * of their own (batch-validation.ts).
 */
const BATCH_PROPERTY = {
  'seed-request.schema.json': 'vuelos',
  'flights-request.schema.json': 'flights',
  'latam-request.schema.json': 'flights',
  'bigquery-request.schema.json': 'calls',
  'airport-state.schema.json': 'departures',
} as const satisfies Partial<Record<SchemaFile, string>>;

type BatchRequestFile = keyof typeof BATCH_PROPERTY;

/** The schema each validator the function uses is compiled from, by the validator's name. */
export const VALIDATED_REFS = {
  seedEnvelope: envelopeId('seed-request.schema.json'),
  seedFlight: itemRef('seed-request.schema.json'),
  flightsEnvelope: envelopeId('flights-request.schema.json'),
  flight: itemRef('flights-request.schema.json'),
  latamEnvelope: envelopeId('latam-request.schema.json'),
  latamFlight: itemRef('latam-request.schema.json'),
  bigqueryEnvelope: envelopeId('bigquery-request.schema.json'),
  bigqueryCall: itemRef('bigquery-request.schema.json'),
  airportEnvelope: envelopeId('airport-state.schema.json'),
  departure: itemRef('airport-state.schema.json'),
  modelCard: SCHEMAS['model-card.schema.json'].$id,
} as const;

export type ValidatorName = keyof typeof VALIDATED_REFS;

/**
 * An Ajv instance holding every schema of the contract (and each batch request's envelope) and
 * its formats. `code` is for generating standalone validators at build time.
 */
export function createAjv(code?: CodeOptions): Ajv2020 {
  const envelopes = (Object.keys(BATCH_PROPERTY) as BatchRequestFile[]).map(envelopeSchema);
  const ajv = new Ajv2020({
    // List every violation of a value, not only the first: a client fixing a batch wants them all
    // at once. Batches are validated item by item, so the lists stay short (batch-validation.ts).
    allErrors: true,
    // Model input is rejected, never rewritten: no type coercion, no dropped fields, no defaults.
    coerceTypes: false,
    removeAdditional: false,
    useDefaults: false,
    // Unknown keywords or formats in a schema are mistakes: fail at compile time.
    strict: true,
    // Data-set columns like Vlo-I hold flight numbers written either as text or as numbers.
    allowUnionTypes: true,
    // Error objects then carry the offending value, which the messages quote.
    verbose: true,
    schemas: [...Object.values(SCHEMAS), ...envelopes],
    ...(code ? { code } : {}),
  });
  for (const [name, format] of Object.entries(STRING_FORMATS)) ajv.addFormat(name, format);
  return ajv;
}

/** Every validator of {@link VALIDATED_REFS}, compiled. */
export function compileValidators(ajv: Ajv2020): Record<ValidatorName, ValidateFunction> {
  const compiled = Object.entries(VALIDATED_REFS).map(([name, ref]) => [
    name,
    compileRef(ajv, ref),
  ]);
  // Object.fromEntries loses the keys' type; they are VALIDATED_REFS' own.
  return Object.fromEntries(compiled) as Record<ValidatorName, ValidateFunction>;
}

/** The compiled validator of one schema file. */
export function compileSchema(ajv: Ajv2020, file: SchemaFile): ValidateFunction {
  return compileRef(ajv, SCHEMAS[file].$id);
}

function compileRef(ajv: Ajv2020, ref: string): ValidateFunction {
  const validate = ajv.getSchema(ref);
  if (!validate) throw new Error(`schema ${ref} is not registered`);
  return validate;
}

function batchSchema(file: BatchRequestFile) {
  const schema = SCHEMAS[file];
  // JSON imports are typed file by file; only the batch property's shape matters here.
  const properties = schema.properties as Record<string, { items?: { $ref?: string } }>;
  return { schema, batch: properties[BATCH_PROPERTY[file]] };
}

/**
 * The request's schema with its batch's items unchecked, under an $id of its own. A property
 * holding another batch request (the flights request's `airport`, with its departures) is left
 * unchecked too: that request's own envelope and item validators check it, item by item.
 */
function envelopeSchema(file: BatchRequestFile): object {
  const { schema, batch } = batchSchema(file);
  const property = BATCH_PROPERTY[file];
  const properties = Object.entries(schema.properties as Record<string, { $ref?: string }>).map(
    ([name, value]): [string, unknown] => [name, isBatchRequest(value.$ref) ? true : value],
  );
  return {
    ...schema,
    $id: envelopeId(file),
    properties: { ...Object.fromEntries(properties), [property]: { ...batch, items: true } },
  };
}

function isBatchRequest(ref: string | undefined): boolean {
  return ref !== undefined && Object.hasOwn(BATCH_PROPERTY, ref);
}

// Beside the request's own schema, so that the relative $refs it holds resolve the same.
function envelopeId(file: BatchRequestFile): string {
  return SCHEMAS[file].$id.replace(/\.schema\.json$/, '.envelope.json');
}

/** The absolute reference of the schema each item of the request's batch must match. */
function itemRef(file: BatchRequestFile): string {
  const { schema, batch } = batchSchema(file);
  const ref = batch?.items?.$ref;
  if (!ref) throw new Error(`${file}: ${BATCH_PROPERTY[file]} names no item schema`);
  return new URL(ref, schema.$id).href;
}
