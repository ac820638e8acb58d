/**
 * Validation against the JSON Schemas in schemas/ — the single source of the contract: the Ajv
 * instance and its options, and violations turned into the problem document's `errors`.
 */
import {
  Ajv2020,
  type CodeOptions,
  type ErrorObject,
  type ValidateFunction,
} from 'ajv/dist/2020.js';
import bigqueryError from '../schemas/bigquery-error.schema.json' with { type: 'json' };
import bigqueryRequest from '../schemas/bigquery-request.schema.json' with { type: 'json' };
import bigqueryResponse from '../schemas/bigquery-response.schema.json' with { type: 'json' };
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
import { MAX_LISTED_VIOLATIONS, type Violation } from './errors.js';
import { FORMATS } from './formats.js';
import { scheduledTimeProblem } from './santiago-time.js';

/** Every schema of the contract, keyed by its file name (which is also how schemas $ref them). */
export const SCHEMAS = {
  'bigquery-error.schema.json': bigqueryError,
  'bigquery-request.schema.json': bigqueryRequest,
  'bigquery-response.schema.json': bigqueryResponse,
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

/** The schemas the function validates with, by the name of the validator compiled from each. */
export const VALIDATED_SCHEMAS = {
  seedRequest: 'seed-request.schema.json',
  flightsRequest: 'flights-request.schema.json',
  latamRequest: 'latam-request.schema.json',
  bigqueryRequest: 'bigquery-request.schema.json',
  modelCard: 'model-card.schema.json',
} as const satisfies Record<string, SchemaFile>;

export type ValidatorName = keyof typeof VALIDATED_SCHEMAS;

/**
 * An Ajv instance holding every schema of the contract and its formats. `code` is for generating
 * standalone validators at build time.
 */
export function createAjv(code?: CodeOptions): Ajv2020 {
  const ajv = new Ajv2020({
    // List every violation, not only the first: a client fixing a batch wants them all at once.
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
    schemas: Object.values(SCHEMAS),
    ...(code ? { code } : {}),
  });
  for (const [name, format] of Object.entries(FORMATS)) ajv.addFormat(name, format);
  return ajv;
}

/** Every validator of {@link VALIDATED_SCHEMAS}, compiled. */
export function compileValidators(ajv: Ajv2020): Record<ValidatorName, ValidateFunction> {
  const compiled = Object.entries(VALIDATED_SCHEMAS).map(([name, file]) => [
    name,
    compileSchema(ajv, file),
  ]);
  // Object.fromEntries loses the keys' type; they are VALIDATED_SCHEMAS' own.
  return Object.fromEntries(compiled) as Record<ValidatorName, ValidateFunction>;
}

/** The compiled validator of one schema file. */
export function compileSchema(ajv: Ajv2020, file: SchemaFile): ValidateFunction {
  const validate = ajv.getSchema(SCHEMAS[file].$id);
  if (!validate) throw new Error(`schema ${file} is not registered`);
  return validate;
}

/** Violations of a failed validation, at most MAX_LISTED_VIOLATIONS listed, the rest counted. */
export function violationsOf(errors: readonly ErrorObject[]): {
  violations: Violation[];
  omitted: number;
} {
  return {
    violations: errors.slice(0, MAX_LISTED_VIOLATIONS).map(toViolation),
    omitted: Math.max(0, errors.length - MAX_LISTED_VIOLATIONS),
  };
}

/** One Ajv error as the problem document's violation: where, and what is wrong there. */
export function toViolation(error: ErrorObject): Violation {
  const { instancePath, params } = error;
  switch (error.keyword) {
    case 'required':
      return {
        pointer: child(instancePath, String(params.missingProperty)),
        message: 'is required',
      };
    case 'additionalProperties':
      return {
        pointer: child(instancePath, String(params.additionalProperty)),
        message: `unknown field "${String(params.additionalProperty)}"`,
      };
    case 'enum':
      return {
        pointer: instancePath,
        message: `${quote(error.data)} is not one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`,
      };
    case 'type':
      return {
        pointer: instancePath,
        message: `must be ${String(params.type)}, not ${typeName(error.data)}`,
      };
    case 'format':
      return { pointer: instancePath, message: formatMessage(String(params.format), error.data) };
    case 'minItems':
      return {
        pointer: instancePath,
        message: `must hold at least ${String(params.limit)} item${params.limit === 1 ? '' : 's'}`,
      };
    default:
      return { pointer: instancePath, message: error.message ?? `fails ${error.keyword}` };
  }
}

function formatMessage(format: string, value: unknown): string {
  const problem = format === 'santiago-date-time' ? scheduledTimeProblem(String(value)) : undefined;
  return `${quote(value)} ${problem ?? `is not a valid ${format}`}`;
}

/** A JSON Pointer one level below `parent` (RFC 6901 escaping). */
function child(parent: string, key: string): string {
  return `${parent}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`;
}

// Only scalars are quoted, cut short: a client's 30 MB string or 100,000-deep array must not come
// back in the error (nor be walked to print it).
function quote(value: unknown): string {
  if (typeof value === 'object' && value !== null) return `an ${typeName(value)}`;
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (Number.isInteger(value)) return 'integer';
  return typeof value;
}
