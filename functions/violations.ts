/**
 * Ajv's errors as the problem document's violations: where (a JSON Pointer into the body), and
 * what is wrong there, in words a client can act on. Nothing a client sent comes back longer than
 * a short quote: a 30 MB string or a 10 MB field name must not make a 30 MB answer.
 */
import type { ErrorObject } from 'ajv/dist/2020.js';
import type { Violation } from './errors.js';
import { scheduledTimeProblem } from './santiago-time.js';

/** Longest quote of a client's value or field name in a message, in characters. */
export const MAX_QUOTED_LENGTH = 60;

// A field name longer than this is not put in a pointer: the pointer names its object instead.
const MAX_POINTED_NAME_LENGTH = 200;

/**
 * One Ajv error as a violation. `at` is the pointer of the value the validator was given, for a
 * validator run on one item of the body.
 */
export function toViolation(error: ErrorObject, at = ''): Violation {
  const { params } = error;
  const instancePath = at + error.instancePath;
  switch (error.keyword) {
    case 'required':
      return {
        pointer: child(instancePath, String(params.missingProperty)),
        message: 'is required',
      };
    case 'additionalProperties':
      return unknownField(instancePath, String(params.additionalProperty));
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
    case 'maximum':
    case 'minimum':
      return {
        pointer: instancePath,
        message: `${quote(error.data)} is ${error.keyword === 'maximum' ? 'more' : 'less'} than ${String(params.limit)}, the ${error.keyword === 'maximum' ? 'largest' : 'smallest'} accepted`,
      };
    default:
      return { pointer: instancePath, message: error.message ?? `fails ${error.keyword}` };
  }
}

function unknownField(object: string, name: string): Violation {
  if (name.length <= MAX_POINTED_NAME_LENGTH) {
    return { pointer: child(object, name), message: `unknown field ${quote(name)}` };
  }
  return {
    pointer: object,
    message: `unknown field ${quote(name)} (a name of ${name.length} characters)`,
  };
}

function formatMessage(format: string, value: unknown): string {
  const problem = format === 'santiago-date-time' ? scheduledTimeProblem(String(value)) : undefined;
  return `${quote(value)} ${problem ?? `is not a valid ${format}`}`;
}

/** A JSON Pointer one level below `parent` (RFC 6901 escaping). */
function child(parent: string, key: string): string {
  return `${parent}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`;
}

/**
 * A client's value as an answer may quote it: scalars cut short (a client's 30 MB string must not
 * come back whole), and a 100,000-deep array is not walked to print it either.
 */
export function quote(value: unknown): string {
  if (typeof value === 'object' && value !== null) return `an ${typeName(value)}`;
  // Cut before JSON.stringify, which would copy all of a 30 MB string first.
  const text =
    typeof value === 'string'
      ? JSON.stringify(value.slice(0, MAX_QUOTED_LENGTH))
      : (JSON.stringify(value) ?? String(value));
  return text.length > MAX_QUOTED_LENGTH ? `${text.slice(0, MAX_QUOTED_LENGTH - 3)}...` : text;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (Number.isInteger(value)) return 'integer';
  return typeof value;
}
