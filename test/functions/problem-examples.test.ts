/**
 * The error examples of GET /openapi.json, one per status the function documents, are what the
 * function answers: each is sent as schemas/examples/problems.json says, to a real server.
 */
import { describe, expect, it } from 'vitest';
import problemExamples from '../../schemas/examples/problems.json' with { type: 'json' };
import { PROBLEM_MEDIA_TYPE, PROBLEMS } from '../../functions/errors.js';
import { openApiDocument } from '../../functions/openapi.js';
import { expectSchema } from '../helpers/contract.js';
import { sendProblemExample, type ProblemStatus } from '../helpers/problem-examples.js';

const statuses = Object.keys(problemExamples) as ProblemStatus[];

describe('error examples', () => {
  it('cover every status of the error catalogue', () => {
    const catalogued = [...new Set(Object.values(PROBLEMS).map((p) => String(p.status)))];
    expect(statuses.sort()).toEqual(catalogued.sort());
  });

  it.each(statuses)('%s: the function answers the example exactly', async (status) => {
    const answer = await sendProblemExample(status);
    expect(answer.status).toBe(Number(status));
    expect(answer.headers.get('content-type')).toContain(PROBLEM_MEDIA_TYPE);
    expectSchema('problem.schema.json', answer.body);
    expect(answer.body).toEqual(problemExamples[status].problem);
    if (status === '405') expect(answer.headers.get('allow')).toBe('POST');
  });

  it('appear in the document under their status', () => {
    const document = openApiDocument('1.2.3') as {
      paths: { '/predict': { post: { responses: Record<string, unknown> } } };
    };
    const { responses } = document.paths['/predict'].post;
    for (const status of statuses.filter((s) => s !== '404')) {
      expect(JSON.stringify(responses[status])).toContain(
        JSON.stringify(problemExamples[status].problem),
      );
    }
  });
});
