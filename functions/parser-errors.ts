/**
 * The errors the Functions Framework's body parsers (body-parser, through Express) raise before
 * the function runs, as problems. They are http-errors: a 4xx `status`, a `type` such as
 * `entity.parse.failed`, and for parse failures the decoded `body`.
 */
import { ProblemError, type ProblemKind } from './errors.js';

interface ParserError extends Error {
  status?: unknown;
  type?: unknown;
  body?: unknown;
}

const KIND_BY_STATUS: Readonly<Record<number, ProblemKind>> = {
  400: 'invalid-request',
  413: 'body-too-large',
  415: 'unsupported-media-type',
};

/**
 * The problem a parser error answers, or the error itself when it is not the client's doing (it
 * is then logged as a bug and answered 500).
 */
export function parserProblem(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const { status, type, body } = error as ParserError;
  if (type === 'entity.parse.failed')
    return new ProblemError('invalid-json', jsonDetail(error, body));
  const kind = typeof status === 'number' ? KIND_BY_STATUS[status] : undefined;
  if (!kind) return error;
  return new ProblemError(kind, `the body could not be read: ${cut(error.message)}`);
}

function jsonDetail(error: Error, body: unknown): string {
  // The parser only takes an object or an array at the top; say so rather than quote JSON.parse.
  if (typeof body === 'string' && !/^\s*[[{]/.test(body)) {
    return (
      'the body must be a JSON object, {"vuelos": […]} or {"flights": […]}, not ' +
      (body.trim() === '' ? 'blank' : JSON.stringify(cut(body.trim(), 20)))
    );
  }
  return `the body is not valid JSON: ${cut(error.message)}`;
}

function cut(text: string, length = 200): string {
  return text.length > length ? `${text.slice(0, length)}…` : text;
}
