import { describe, expect, it } from 'vitest';
import { PROBLEMS, problemType, type ProblemKind } from '../../functions/errors.js';
import { BIGQUERY_EXAMPLES, openApiDocument, REQUEST_EXAMPLES } from '../../functions/openapi.js';
import { expectSchema } from '../helpers/contract.js';

const document = openApiDocument('1.2.3') as {
  paths: Record<string, unknown>;
  components: { schemas: Record<string, unknown> };
};

type Responses = Record<string, { description: string } | undefined>;

/** Every `$ref` in the document, with the JSON value it points to (undefined when dangling). */
function references(): Array<[string, unknown]> {
  const found: Array<[string, unknown]> = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node === null || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') found.push([value, resolvePointer(value)]);
      else walk(value);
    }
  };
  walk(document);
  return found;
}

function resolvePointer(ref: string): unknown {
  return ref
    .slice(2)
    .split('/')
    .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], document);
}

describe('GET /openapi.json document', () => {
  it('resolves every reference inside the document', () => {
    const refs = references();
    expect(refs.length).toBeGreaterThan(10);
    for (const [ref, target] of refs) expect(target, ref).toBeDefined();
  });

  it('documents every endpoint', () => {
    expect(Object.keys(document.paths).sort()).toEqual(
      ['/', '/bigquery', '/healthz', '/models', '/openapi.json', '/predict', '/readyz'].sort(),
    );
  });

  it('documents every problem POST /predict answers, kinds sharing a status included', () => {
    const { responses } = (document.paths['/predict'] as { post: { responses: Responses } }).post;
    const kinds: ProblemKind[] = [
      'invalid-json',
      'invalid-request',
      'too-many-flights',
      'body-too-large',
      'unsupported-media-type',
      'model-unavailable',
      'busy',
    ];
    for (const kind of kinds) {
      expect(responses[String(PROBLEMS[kind].status)]?.description).toContain(problemType(kind));
    }
  });

  it.each(Object.entries(REQUEST_EXAMPLES))('example %s is a valid request', (_name, { value }) => {
    expectSchema(
      'vuelos' in value ? 'seed-request.schema.json' : 'flights-request.schema.json',
      value,
    );
  });

  it('documents every failure of POST /bigquery as the errorMessage BigQuery reads', () => {
    const { responses } = (
      document.paths['/bigquery'] as {
        post: { responses: Record<string, { content: Record<string, { schema: unknown }> }> };
      }
    ).post;
    const failures = Object.entries(responses).filter(([status]) => status !== '200');
    expect(failures.map(([status]) => status).sort()).toEqual(['400', '405', '413', '415', '503']);
    for (const [, { content }] of failures) {
      expect(content).toEqual({
        'application/json': { schema: { $ref: '#/components/schemas/BigQueryError' } },
      });
    }
  });

  it.each(Object.entries(BIGQUERY_EXAMPLES))(
    'BigQuery example %s is a valid request',
    (_n, { value }) => {
      expectSchema('bigquery-request.schema.json', value);
    },
  );
});
