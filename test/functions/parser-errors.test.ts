import { describe, expect, it } from 'vitest';
import type { ProblemError } from '../../functions/errors.js';
import { parserProblem } from '../../functions/parser-errors.js';

/** An error as body-parser raises them (http-errors: a message, a status, a type, …). */
const createError = (status: number, message: string, fields: Record<string, unknown> = {}) =>
  Object.assign(new Error(message), { status, ...fields });

/** body-parser's parse failure: the body it read, and JSON.parse's message (or its own). */
const parseFailure = (body: string, message = "Unexpected token 'x'") =>
  createError(400, message, { body, type: 'entity.parse.failed' });

describe('parserProblem', () => {
  it.each([
    ['null', 'null', /must be a JSON object, .* not "null"$/],
    ['a number', '1', /not "1"$/],
    ['a long string, cut', `"${'x'.repeat(100)}"`, /not "\\"x{19}…"$/],
    ['whitespace', '  \n', /not blank$/],
  ])('answers %s, not an object, with invalid-json', (_name, body, detail) => {
    const problem = parserProblem(parseFailure(body)) as ProblemError;
    expect(problem.kind).toBe('invalid-json');
    expect(problem.detail).toMatch(detail);
  });

  it("answers broken JSON with invalid-json and JSON.parse's reason", () => {
    const problem = parserProblem(
      parseFailure('{"vuelos": [', 'Unexpected end of JSON input'),
    ) as ProblemError;
    expect(problem.kind).toBe('invalid-json');
    expect(problem.detail).toBe('the body is not valid JSON: Unexpected end of JSON input');
  });

  it.each([
    [createError(413, 'request entity too large', { type: 'entity.too.large' }), 'body-too-large'],
    [
      createError(415, 'unsupported charset "UTF-7"', { type: 'charset.unsupported' }),
      'unsupported-media-type',
    ],
    [createError(400, 'request aborted', { type: 'request.aborted' }), 'invalid-request'],
  ])('answers %s by its status', (error, kind) => {
    const problem = parserProblem(error) as ProblemError;
    expect(problem.kind).toBe(kind);
    expect(problem.detail).toBe(`the body could not be read: ${error.message}`);
  });

  it('hands back what is not a client error, to be logged as a bug', () => {
    const bug = new TypeError('x is undefined');
    expect(parserProblem(bug)).toBe(bug);
    expect(parserProblem(createError(500, 'boom'))).toBeInstanceOf(Error);
    expect(parserProblem('thrown text')).toBe('thrown text');
  });
});
