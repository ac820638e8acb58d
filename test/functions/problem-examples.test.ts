/**
 * The error examples of GET /openapi.json, at least one per status the function documents, are
 * what the function answers: each is sent as schemas/examples/problems.json says, to a real
 * server.
 */
import { describe, expect, it } from 'vitest';
import problemExamples from '../../schemas/examples/problems.json' with { type: 'json' };
import { PROBLEM_MEDIA_TYPE, PROBLEMS } from '../../functions/errors.js';
import { openApiDocument } from '../../functions/openapi.js';
import { expectSchema } from '../helpers/contract.js';
import { sendProblemExample, type ProblemExampleName } from '../helpers/problem-examples.js';

const names = Object.keys(problemExamples) as ProblemExampleName[];

describe('error examples', () => {
  it('cover every status of the error catalogue', () => {
    const catalogued = new Set(Object.values(PROBLEMS).map((p) => p.status));
    const shown = new Set(names.map((name) => problemExamples[name].problem.status));
    expect([...shown].sort()).toEqual([...catalogued].sort());
  });

  it.each(names)('%s: the function answers the example exactly', async (name) => {
    const { problem } = problemExamples[name];
    const answer = await sendProblemExample(name);
    expect(answer.status).toBe(problem.status);
    expect(answer.headers.get('content-type')).toContain(PROBLEM_MEDIA_TYPE);
    expectSchema('problem.schema.json', answer.body);
    expect(answer.body).toEqual(problem);
    if (problem.status === 405) expect(answer.headers.get('allow')).toBe('POST');
  });

  it('appear in the document under their status', () => {
    const document = openApiDocument('1.2.3') as {
      paths: { '/predict': { post: { responses: Record<string, unknown> } } };
    };
    const { responses } = document.paths['/predict'].post;
    for (const { problem } of Object.values(problemExamples)) {
      if (problem.status === 404) continue;
      expect(JSON.stringify(responses[String(problem.status)])).toContain(JSON.stringify(problem));
    }
  });
});
