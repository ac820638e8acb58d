import { describe, expect, it } from 'vitest';
import { createBodyBudget, MAX_BODY_BYTES } from '../../functions/body-admission.js';
import { ProblemError } from '../../functions/errors.js';

const MiB = 1024 * 1024;
const json = (bytes: number, extra: Record<string, string> = {}) => ({
  'content-type': 'application/json',
  'content-length': String(bytes),
  ...extra,
});

function refusal(admit: () => unknown): ProblemError {
  try {
    admit();
  } catch (error) {
    if (error instanceof ProblemError) return error;
    throw error;
  }
  throw new Error('admitted');
}

describe('the body budget', () => {
  it.each([
    {
      name: 'gzip',
      headers: json(10, { 'content-encoding': 'gzip' }),
      kind: 'unsupported-media-type',
      detail: /compressed.*"gzip"/,
    },
    {
      name: 'charset latin1',
      headers: json(10, { 'content-type': 'application/json; charset=latin1' }),
      kind: 'unsupported-media-type',
      detail: /UTF-8.*"latin1"/,
    },
    {
      name: 'charset utf-16',
      headers: json(10, { 'content-type': 'text/plain;charset=UTF-16' }),
      kind: 'unsupported-media-type',
      detail: /"UTF-16"/,
    },
    {
      name: 'over 32 MiB',
      headers: json(MAX_BODY_BYTES + 1),
      kind: 'body-too-large',
      detail: /33554433 bytes/,
    },
  ])('refuses $name from the headers alone', ({ headers, kind, detail }) => {
    const problem = refusal(() => createBodyBudget(64 * MiB).admit(headers));
    expect(problem.kind).toBe(kind);
    expect(problem.detail).toMatch(detail);
  });

  it.each([
    ['no body', {}],
    ['UTF-8 in any case', json(10, { 'content-type': 'application/json; charset=Utf-8' })],
    ['identity encoding', json(10, { 'content-encoding': 'identity' })],
    ['a Content-Type that does not parse', json(10, { 'content-type': '???' })],
    ['exactly 32 MiB', json(MAX_BODY_BYTES)],
  ])('admits %s', (_name, headers) => {
    expect(() => createBodyBudget(MiB).admit(headers)).not.toThrow();
  });

  it('turns away a body that would pass the limit while others are in flight, until released', () => {
    const budget = createBodyBudget(10 * MiB);
    const first = budget.admit(json(6 * MiB));
    const problem = refusal(() => budget.admit(json(5 * MiB)));
    expect(problem.status).toBe(503);
    expect(problem.extras.headers).toEqual({ 'Retry-After': '1' });
    expect(problem.detail).toMatch(/reading 6\.0 MiB .* 5\.0 MiB more .* limit of 10\.0 MiB/);
    // Bodies that fit, and those without a body, still pass.
    budget.admit(json(4 * MiB))();
    budget.admit({})();
    first();
    first(); // a second release frees nothing more
    const second = budget.admit(json(5 * MiB));
    expect(() => budget.admit(json(5 * MiB))).not.toThrow();
    expect(() => budget.admit(json(1))).toThrow(ProblemError);
    second();
  });

  it('admits a body larger than the limit when nothing else is in flight', () => {
    const budget = createBodyBudget(MiB);
    const release = budget.admit(json(20 * MiB));
    expect(() => budget.admit(json(1))).toThrow(ProblemError);
    release();
  });

  it('counts a streamed body of unknown length as the whole limit', () => {
    const budget = createBodyBudget(MiB);
    const release = budget.admit({ 'transfer-encoding': 'chunked' });
    expect(() => budget.admit(json(1))).toThrow(ProblemError);
    release();
    expect(() => budget.admit(json(1))).not.toThrow();
  });
});
