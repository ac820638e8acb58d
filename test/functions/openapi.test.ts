import { describe, expect, it } from 'vitest';
import { PROBLEMS, problemType, type ProblemKind } from '../../functions/errors.js';
import { BIGQUERY_EXAMPLES, openApiDocument, REQUEST_EXAMPLES } from '../../functions/openapi.js';
import { SCHEDULED_TIME_PATTERN } from '../../functions/santiago-time-pattern.js';
import { expectSchema } from '../helpers/contract.js';

const document = openApiDocument('1.2.3') as {
  paths: Record<string, unknown>;
  components: { schemas: Record<string, unknown> };
};

type Responses = Record<string, { description: string; headers?: unknown } | undefined>;

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

interface Operation {
  operationId: string;
  summary: string;
  description: string;
  tags: string[];
  responses: Responses;
}

/** Every operation, with where it is (`GET /`). */
function operations(): Array<[string, Operation]> {
  return Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods as Record<string, Operation>).map(
      ([method, operation]): [string, Operation] => [`${method.toUpperCase()} ${path}`, operation],
    ),
  );
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

  it('refers to whole components only, never into another schema', () => {
    for (const [ref] of references()) {
      expect(ref, ref).toMatch(/^#\/components\/(?:schemas|headers)\/[A-Za-z]+$/);
    }
  });

  it('documents every endpoint', () => {
    expect(Object.keys(document.paths).sort()).toEqual(
      [
        '/',
        '/bigquery',
        '/docs',
        '/docs/{asset}',
        '/health',
        '/healthz',
        '/models',
        '/openapi.json',
        '/predict',
        '/readyz',
      ].sort(),
    );
  });

  it('gives every operation a unique id, a summary, a description and a known tag', () => {
    const tags = (document as unknown as { tags: Array<{ name: string }> }).tags.map((t) => t.name);
    const ids = operations().map(([, operation]) => operation.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const [where, operation] of operations()) {
      expect(operation.operationId, where).toMatch(/^[a-z][A-Za-z]+$/);
      expect(operation.summary, where).toBeTruthy();
      expect(operation.description, where).toBeTruthy();
      expect(operation.tags.length, where).toBeGreaterThan(0);
      for (const tag of operation.tags) expect(tags, where).toContain(tag);
    }
  });

  it('asks for the identity token on every operation', () => {
    const { security, components } = document as unknown as {
      security: unknown;
      components: { securitySchemes: Record<string, unknown> };
    };
    expect(security).toEqual([{ identityToken: [] }]);
    expect(components.securitySchemes.identityToken).toMatchObject({
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
    });
  });

  it('documents 405 with its Allow header, and 500, on every operation', () => {
    for (const [where, { responses }] of operations()) {
      expect(responses['405'], where).toMatchObject({
        headers: { Allow: { $ref: '#/components/headers/Allow' } },
      });
      expect(responses['500'], where).toBeDefined();
    }
  });

  it('gives a scheduled time its format and a pattern generic validators check', () => {
    const flight = document.components.schemas.Flight as {
      properties: Record<string, { $ref?: string }>;
    };
    // A definition of its own, which POST /bigquery's calls share.
    expect(flight.properties['Fecha-I']).toEqual({
      $ref: '#/components/schemas/FlightScheduledTime',
    });
    expect(document.components.schemas.FlightScheduledTime).toMatchObject({
      format: 'santiago-date-time',
      pattern: SCHEDULED_TIME_PATTERN,
    });
    expect(new RegExp(SCHEDULED_TIME_PATTERN).test('2017-02-30 08:00:00')).toBe(false);
  });

  it('documents every problem POST /predict answers, kinds sharing a status included', () => {
    const { responses } = (document.paths['/predict'] as { post: { responses: Responses } }).post;
    const kinds: ProblemKind[] = [
      'invalid-json',
      'invalid-request',
      'too-many-flights',
      'body-too-large',
      'unsupported-media-type',
      'internal-error',
      'model-unavailable',
      'busy',
    ];
    for (const kind of kinds) {
      expect(responses[String(PROBLEMS[kind].status)]?.description).toContain(problemType(kind));
    }
  });

  it.each(Object.entries(REQUEST_EXAMPLES))('example %s is a valid request', (name, { value }) => {
    const schema =
      name === 'latam'
        ? 'latam-request.schema.json'
        : 'vuelos' in value
          ? 'seed-request.schema.json'
          : 'flights-request.schema.json';
    expectSchema(schema, value);
  });

  it('documents every failure of POST /bigquery as the errorMessage BigQuery reads', () => {
    const { responses } = (
      document.paths['/bigquery'] as {
        post: { responses: Record<string, { content: Record<string, { schema: unknown }> }> };
      }
    ).post;
    const failures = Object.entries(responses).filter(([status]) => status !== '200');
    expect(failures.map(([status]) => status).sort()).toEqual([
      '400',
      '405',
      '408',
      '413',
      '415',
      '500',
      '503',
    ]);
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
