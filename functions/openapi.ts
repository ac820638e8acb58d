/**
 * `GET /openapi.json`: the OpenAPI 3.1 document, assembled from the schema files the handler
 * validates with and the example requests the tests send — so the document cannot drift from the
 * code.
 */
import bigqueryExample from '../schemas/examples/bigquery-request.json' with { type: 'json' };
import datasetRowExample from '../schemas/examples/dataset-row-request.json' with { type: 'json' };
import explainedExample from '../schemas/examples/explained-request.json' with { type: 'json' };
import flightsExample from '../schemas/examples/flights-request.json' with { type: 'json' };
import seedExample from '../schemas/examples/seed-request.json' with { type: 'json' };
import { BIGQUERY_PATH } from './error-message.js';
import { PROBLEM_MEDIA_TYPE, PROBLEMS, problemType, type ProblemKind } from './errors.js';
import { SCHEMAS, type SchemaFile } from './validation.js';

/** The example requests of the contract, by OpenAPI example name. */
export const REQUEST_EXAMPLES = {
  seed: { summary: "The seed service's own example (two flights)", value: seedExample },
  flights: {
    summary: 'Flights by data-set fields, with and without offsets',
    value: flightsExample,
  },
  datasetRow: { summary: 'A row of dataset_SCL.csv posted as JSON', value: datasetRowExample },
  explained: {
    summary: 'Flights with the explanation of each prediction, by input field',
    value: explainedExample,
  },
};

/** The example request of `POST /bigquery`, shaped as Google's documentation shows one. */
export const BIGQUERY_EXAMPLES = {
  schedule: {
    summary: 'Three flights, fecha_i as a DATETIME and as TIMESTAMPs (TO_JSON_STRING encodings)',
    value: bigqueryExample,
  },
};

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Builds the document; `version` is the service's release. */
export function openApiDocument(version: string): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 'SCL flight delay predictor',
      version,
      description:
        'Probability that flights departing Santiago de Chile (SCL) leave more than 15 minutes ' +
        'late. Errors are RFC 9457 problem documents.',
    },
    paths: {
      '/predict': { post: predictOperation() },
      [BIGQUERY_PATH]: { post: bigqueryOperation() },
      '/': getOperation('Service information', 'service-info.schema.json'),
      '/healthz': getOperation(
        'Liveness: the process answers (models are not touched)',
        'status.schema.json',
      ),
      '/readyz': getOperation('Readiness: every model loads and answers', 'status.schema.json', [
        'model-unavailable',
      ]),
      '/models': getOperation('The served models’ cards', 'models-response.schema.json', [
        'model-unavailable',
      ]),
      '/openapi.json': {
        get: { summary: 'This document', responses: { '200': { description: 'OpenAPI 3.1' } } },
      },
    },
    components: {
      schemas: Object.fromEntries(
        (Object.keys(SCHEMAS) as SchemaFile[]).map((file) => [
          componentName(file),
          component(file),
        ]),
      ),
    },
  };
}

/** What a POST of a batch may fail with, at the edge or in the handler. */
const POST_FAILURES: ProblemKind[] = [
  'invalid-json',
  'invalid-request',
  'method-not-allowed',
  'too-many-flights',
  'body-too-large',
  'unsupported-media-type',
  'model-unavailable',
  'busy',
];

function predictOperation() {
  return {
    summary: 'Predict delays for a batch of flights',
    requestBody: {
      description:
        'A JSON object in UTF-8 (no other charset), uncompressed (no Content-Encoding), at most ' +
        '32 MiB. An instance turns a body away with 503 and Retry-After while it is already ' +
        'reading its limit of request bodies (BODY_BUDGET_MIB).',
      required: true,
      content: {
        'application/json': {
          schema: { oneOf: [ref('seed-request.schema.json'), ref('flights-request.schema.json')] },
          examples: REQUEST_EXAMPLES,
        },
      },
    },
    responses: {
      '200': {
        description:
          'A bare array of labels for `vuelos`; probabilities and decisions for `flights`.',
        content: {
          'application/json': {
            schema: {
              oneOf: [ref('seed-response.schema.json'), ref('flights-response.schema.json')],
            },
          },
        },
      },
      ...problemResponses(POST_FAILURES),
    },
  };
}

function bigqueryOperation() {
  return {
    summary: 'Score the rows of a BigQuery remote function call batch',
    description:
      "BigQuery's remote-function protocol (https://cloud.google.com/bigquery/docs/remote-functions): " +
      'each call is one flight, scored as POST /predict scores it. Failures are ' +
      '{"errorMessage"} bodies; BigQuery retries 408, 429, 500, 503 and 504, and shows the ' +
      'message of any other status in the query error.',
    requestBody: {
      required: true,
      content: {
        'application/json': {
          schema: ref('bigquery-request.schema.json'),
          examples: BIGQUERY_EXAMPLES,
        },
      },
    },
    responses: {
      '200': {
        description: 'One reply per call, in call order.',
        content: { 'application/json': { schema: ref('bigquery-response.schema.json') } },
      },
      ...Object.fromEntries(
        Object.entries(problemResponses(POST_FAILURES)).map(([status, { description }]) => [
          status,
          {
            description,
            content: { 'application/json': { schema: ref('bigquery-error.schema.json') } },
          },
        ]),
      ),
    },
  };
}

function getOperation(summary: string, schema: SchemaFile, problems: ProblemKind[] = []) {
  return {
    get: {
      summary,
      responses: {
        '200': { description: summary, content: { 'application/json': { schema: ref(schema) } } },
        ...problemResponses(['method-not-allowed', ...problems]),
      },
    },
  };
}

/** One response per status; kinds that share a status are listed in its description. */
function problemResponses(kinds: ProblemKind[]) {
  const statuses = [...new Set(kinds.map((kind) => PROBLEMS[kind].status))];
  return Object.fromEntries(
    statuses.map((status) => [
      String(status),
      {
        description: kinds
          .filter((kind) => PROBLEMS[kind].status === status)
          .map((kind) => `${PROBLEMS[kind].title} (type ${problemType(kind)})`)
          .join('; '),
        content: { [PROBLEM_MEDIA_TYPE]: { schema: ref('problem.schema.json') } },
      },
    ]),
  );
}

function ref(file: SchemaFile) {
  return { $ref: `#/components/schemas/${componentName(file)}` };
}

function componentName(file: SchemaFile): string {
  return SCHEMAS[file].title;
}

/**
 * A schema file as a component: its `$id`/`$schema` dropped and its references rewritten, file
 * references (`flight.schema.json`) to components and local ones (`#/$defs/x`) to paths inside
 * the component.
 */
function component(file: SchemaFile): Json {
  const { $id: _id, $schema: _schema, ...schema } = SCHEMAS[file] as Record<string, Json>;
  const rewrite = (node: Json): Json => {
    if (Array.isArray(node)) return node.map(rewrite);
    if (node === null || typeof node !== 'object') return node;
    return Object.fromEntries(
      Object.entries(node).map(([key, value]) => [
        key,
        key === '$ref' && typeof value === 'string' ? rewriteRef(file, value) : rewrite(value),
      ]),
    );
  };
  return rewrite(schema);
}

function rewriteRef(file: SchemaFile, target: string): string {
  const [targetFile = '', pointer = ''] = target.split('#', 2);
  const component = targetFile === '' ? file : targetFile;
  if (component in SCHEMAS) {
    return `#/components/schemas/${componentName(component as SchemaFile)}${pointer}`;
  }
  throw new Error(`${file} refers to ${target}, which is not a schema of the contract`);
}
