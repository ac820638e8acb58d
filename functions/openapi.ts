/**
 * `GET /openapi.json`: the OpenAPI 3.1 document, assembled from the schema files the handler
 * validates with and the example requests and errors the tests send — so the document cannot
 * drift from the code.
 */
import airportExample from '../schemas/examples/airport-request.json' with { type: 'json' };
import bigqueryExample from '../schemas/examples/bigquery-request.json' with { type: 'json' };
import datasetRowExample from '../schemas/examples/dataset-row-request.json' with { type: 'json' };
import explainedExample from '../schemas/examples/explained-request.json' with { type: 'json' };
import flightsExample from '../schemas/examples/flights-request.json' with { type: 'json' };
import latamExample from '../schemas/examples/latam-request.json' with { type: 'json' };
import problemExamples from '../schemas/examples/problems.json' with { type: 'json' };
import seedExample from '../schemas/examples/seed-request.json' with { type: 'json' };
import { DOCS_FILES } from './docs-assets.js';
import { BIGQUERY_PATH } from './bigquery.js';
import { PROBLEM_MEDIA_TYPE, PROBLEMS, problemType, type ProblemKind } from './errors.js';
import { SERVED_MODELS } from './model-choice.js';
import { ref, schemaComponents } from './openapi-components.js';
import type { SchemaFile } from './contract-schemas.js';

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
  latam: {
    summary: "The LATAM challenge API's request: airline, flight type and month",
    value: latamExample,
  },
  airport: {
    summary:
      "Flights with the airport's departures at 07:30 (this morning's only, for brevity): the " +
      'two due an hour later answered by nowcast, the evening one, beyond its horizons, by schedule',
    value: airportExample,
  },
};

/** The example request of `POST /bigquery`, shaped as Google's documentation shows one. */
export const BIGQUERY_EXAMPLES = {
  schedule: {
    summary: 'Three flights, fecha_i as a DATETIME and as TIMESTAMPs (TO_JSON_STRING encodings)',
    value: bigqueryExample,
  },
};

/** Beside them in "Try it out", one answered 400, to see a problem document with one click. */
const INVALID_REQUEST_EXAMPLE = {
  summary: `Answered 400: ${problemExamples['invalid-request'].summary.toLowerCase()}`,
  value: problemExamples['invalid-request'].request.body,
};

const TAGS = [
  { name: 'Predictions', description: 'Delay predictions for batches of flights.' },
  { name: 'Models', description: 'The served models: their cards, encodings and metrics.' },
  { name: 'Service', description: 'What the service is, and whether an instance is up and ready.' },
  { name: 'Documentation', description: 'This document and the interactive reference over it.' },
];

/** Builds the document; `version` is the service's release. */
export function openApiDocument(version: string): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: {
      title: 'SCL flight delay predictor',
      version,
      description:
        'Probability that flights departing Santiago de Chile (SCL) leave more than 15 minutes ' +
        'late. Errors are RFC 9457 problem documents. The deployed function is private: every ' +
        'request carries a Google identity token of a caller granted roles/run.invoker.',
    },
    // Relative: the reference then calls the function it is served by, locally or deployed.
    servers: [{ url: '/', description: 'The function serving this document' }],
    // Cloud Run checks the token before any request reaches the function, whatever its path: no
    // endpoint, health probes included, can be called without one. (Cloud Run's own probes reach
    // the container from inside and need none.)
    security: [{ identityToken: [] }],
    tags: TAGS,
    paths: {
      '/predict': { post: predictOperation() },
      [BIGQUERY_PATH]: { post: bigqueryOperation() },
      '/': { get: serviceInfoOperation() },
      '/health': {
        get: getOperation({
          operationId: 'getHealth',
          tag: 'Service',
          summary: 'Liveness, as the LATAM challenge’s API answers it',
          description: 'The process answers; the models are not touched. Same as /healthz.',
          content: json('health.schema.json'),
        }),
      },
      '/healthz': {
        get: getOperation({
          operationId: 'getLiveness',
          tag: 'Service',
          summary: 'Liveness',
          description: 'The process answers; the models are not touched.',
          content: json('status.schema.json'),
        }),
      },
      '/readyz': {
        get: getOperation({
          operationId: 'getReadiness',
          tag: 'Service',
          summary: 'Readiness',
          description: 'Every model loads and answers a test row; 503 while one cannot.',
          content: json('status.schema.json'),
          problems: ['model-unavailable'],
        }),
      },
      '/models': {
        get: getOperation({
          operationId: 'listModels',
          tag: 'Models',
          summary: 'The served models’ cards',
          description:
            'Each model card: the encoding (ordered features), the threshold and its rule, the ' +
            'held-out weeks and the metrics on them beside the original model’s.',
          content: json('models-response.schema.json'),
          problems: ['model-unavailable'],
        }),
      },
      '/openapi.json': { get: openApiOperation() },
      '/docs': { get: docsOperation() },
      '/docs/{asset}': { get: docsAssetOperation() },
    },
    components: {
      schemas: schemaComponents(),
      securitySchemes: {
        identityToken: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description:
            'A Google-signed identity token whose audience is the function URL, e.g. ' +
            '`gcloud auth print-identity-token`. `gcloud run services proxy` adds it for you.',
        },
      },
      headers: {
        Allow: {
          description: 'The methods the path accepts.',
          schema: { type: 'string', examples: ['POST'] },
        },
        RetryAfter: {
          description: 'Seconds to wait before sending the body again (busy instance).',
          schema: { type: 'integer', minimum: 0 },
        },
      },
    },
  };
}

function predictOperation() {
  return {
    operationId: 'predict',
    tags: ['Predictions'],
    summary: 'Predict delays for a batch of flights',
    description:
      'Three formats: `vuelos`, the original service’s 37 one-hot booleans per flight, answered ' +
      'by onehot-37 (or, with VUELOS_MODEL=original, the original service’s own model) with a ' +
      'bare array of labels; `flights`, data-set fields, answered by schedule with a probability ' +
      'and a decision per flight (and, with `"explain": true`, why); `flights` in the LATAM ' +
      'challenge’s shape (OPERA, TIPOVUELO, MES, no Fecha-I), answered by onehot-37 with ' +
      '`{"predict": [labels]}`. `flights` may carry `airport`, the departures that had left by ' +
      'its `asOf` (at most MAX_DEPARTURES, default 800; each at or before asOf): a flight due ' +
      'within the horizons of the nowcast card (`airportState.horizonMinutes`, GET /models) after ' +
      'asOf is then answered by nowcast, which reads the airport’s recent delays, and any other ' +
      'by schedule; each prediction names its model, and the answer shows the state it used. ' +
      'Input is rejected, never rewritten: every violation is listed.',
    parameters: [
      {
        name: 'model',
        in: 'query',
        required: false,
        description:
          'The model to answer with, instead of the format’s default: `original` or ' +
          '`onehot-37` for `vuelos` and LATAM flights, `schedule` for dated flights, `nowcast` ' +
          'for dated flights with `airport`; any other is answered 400. `?model=original` gives ' +
          'the original service’s exact answers.',
        schema: { enum: SERVED_MODELS },
      },
    ],
    requestBody: {
      description:
        'A JSON object in UTF-8 (no other charset), uncompressed (no Content-Encoding), at most ' +
        '32 MiB. An instance turns a body away with 503 and Retry-After while it is already ' +
        'reading its limit of request bodies (BODY_BUDGET_MIB).',
      required: true,
      content: {
        'application/json': {
          schema: {
            oneOf: [
              ref('seed-request.schema.json'),
              ref('flights-request.schema.json'),
              ref('latam-request.schema.json'),
            ],
          },
          examples: { ...REQUEST_EXAMPLES, invalid: INVALID_REQUEST_EXAMPLE },
        },
      },
    },
    responses: {
      '200': {
        description:
          'A bare array of labels for `vuelos`; probabilities and decisions for `flights`, each ' +
          'naming its model when the request carries `airport`; `{"predict": [labels]}` for ' +
          'LATAM flights.',
        content: {
          'application/json': {
            schema: {
              oneOf: [
                ref('seed-response.schema.json'),
                ref('flights-response.schema.json'),
                ref('airport-flights-response.schema.json'),
                ref('latam-response.schema.json'),
              ],
            },
          },
        },
      },
      // Headers too large are refused before there is a request, so on every path alike (a
      // problem document even on /bigquery); documented once, here.
      ...problemResponses([...POST_FAILURES, 'headers-too-large']),
    },
  };
}

/** What a POST of a batch may fail with, in the intake or in the handler. */
const POST_FAILURES: ProblemKind[] = [
  'invalid-json',
  'invalid-request',
  'method-not-allowed',
  'body-timeout',
  'too-many-flights',
  'body-too-large',
  'unsupported-media-type',
  'internal-error',
  'model-unavailable',
  'busy',
];

function bigqueryOperation() {
  return {
    operationId: 'scoreBigQueryCalls',
    tags: ['Predictions'],
    summary: 'Score the rows of a BigQuery remote function call batch',
    description:
      "BigQuery's remote-function protocol (https://cloud.google.com/bigquery/docs/remote-functions): " +
      'each call is one flight, scored as POST /predict scores it. Failures are ' +
      '`{"errorMessage"}` bodies, not problem documents: BigQuery retries 408, 429, 500, 503 and ' +
      '504, and shows the message of any other status in the query error.',
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
        Object.entries(problemResponses(POST_FAILURES)).map(([status, response]) => [
          status,
          {
            ...response,
            content: { 'application/json': { schema: ref('bigquery-error.schema.json') } },
          },
        ]),
      ),
    },
  };
}

function serviceInfoOperation() {
  return getOperation({
    operationId: 'getServiceInfo',
    tag: 'Service',
    summary: 'Service information',
    description:
      'Name, version, which model answers which format, and where the contract is. A browser ' +
      '(`Accept: text/html`) is sent to the interactive reference instead.',
    content: json('service-info.schema.json'),
    otherResponses: {
      '303': {
        description: 'Asked for HTML (`Accept: text/html`): the interactive reference, at /docs.',
        headers: { Location: { schema: { type: 'string', const: '/docs' } } },
      },
    },
  });
}

function openApiOperation() {
  return getOperation({
    operationId: 'getOpenApiDocument',
    tag: 'Documentation',
    summary: 'This document',
    description: 'The OpenAPI 3.1 document of the function, assembled from its schemas.',
    content: {
      'application/json': {
        // Only the outline: the OpenAPI 3.1 meta-schema is the full description, and a
        // reference to it would make every tool that reads this document go online.
        schema: {
          type: 'object',
          required: ['openapi', 'info', 'paths'],
          properties: {
            openapi: { const: '3.1.0' },
            info: { type: 'object' },
            paths: { type: 'object' },
          },
        },
      },
    },
  });
}

function docsOperation() {
  return getOperation({
    operationId: 'getDocs',
    tag: 'Documentation',
    summary: 'Interactive reference',
    description:
      'Swagger UI over this document, every asset served by the function itself (no CDN), ' +
      'with a Content-Security-Policy that allows nothing else.',
    content: { 'text/html': { schema: { type: 'string' } } },
  });
}

function docsAssetOperation() {
  return {
    ...getOperation({
      operationId: 'getDocsAsset',
      tag: 'Documentation',
      summary: 'An asset of the interactive reference',
      description: 'The scripts, style sheet and icon the reference page loads.',
      content: Object.fromEntries(
        [...new Set(Object.values(DOCS_FILES))].map((type) => [type, {}]),
      ),
      problems: ['not-found'],
    }),
    parameters: [
      {
        name: 'asset',
        in: 'path',
        required: true,
        description: 'File name of the asset.',
        schema: { enum: Object.keys(DOCS_FILES) },
      },
    ],
  };
}

interface GetOperation {
  operationId: string;
  tag: string;
  summary: string;
  description: string;
  /** The 200 response's content, by media type. */
  content: Record<string, unknown>;
  /** Kinds of problem beyond 405 and 500, which every operation may answer. */
  problems?: ProblemKind[];
  otherResponses?: Record<string, unknown>;
}

function getOperation({
  operationId,
  tag,
  summary,
  description,
  content,
  problems = [],
  otherResponses = {},
}: GetOperation) {
  return {
    operationId,
    tags: [tag],
    summary,
    description,
    responses: {
      '200': { description: summary, content },
      ...otherResponses,
      ...problemResponses(['method-not-allowed', 'internal-error', ...problems]),
    },
  };
}

function json(schema: SchemaFile) {
  return { 'application/json': { schema: ref(schema) } };
}

/**
 * One response per status, with the examples of that status the tests send; kinds that share a
 * status are listed in its description.
 */
function problemResponses(kinds: ProblemKind[]) {
  const statuses = [...new Set(kinds.map((kind) => PROBLEMS[kind].status))];
  return Object.fromEntries(
    statuses.map((status) => {
      const examples = Object.entries(problemExamples).filter(
        ([, { problem }]) => problem.status === status,
      );
      const headers = {
        ...(status === 405 ? { Allow: { $ref: '#/components/headers/Allow' } } : {}),
        ...(kinds.includes('busy') && status === 503
          ? { 'Retry-After': { $ref: '#/components/headers/RetryAfter' } }
          : {}),
      };
      return [
        String(status),
        {
          description: kinds
            .filter((kind) => PROBLEMS[kind].status === status)
            .map((kind) => `${PROBLEMS[kind].title} (type ${problemType(kind)})`)
            .join('; '),
          ...(Object.keys(headers).length ? { headers } : {}),
          content: {
            [PROBLEM_MEDIA_TYPE]: {
              schema: ref('problem.schema.json'),
              examples: Object.fromEntries(
                examples.map(([name, { summary, problem }]) => [name, { summary, value: problem }]),
              ),
            },
          },
        },
      ];
    }),
  );
}
