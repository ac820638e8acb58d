/**
 * The endpoints: what each method and path answers. Every route delivers the JSON body of a 200
 * response to its outcome, or throws or rejects with a ProblemError; the handler turns both into
 * HTTP.
 */
import { isUtf8 } from 'node:buffer';
import { MIMEType } from 'node:util';
import type { Request } from '@google-cloud/functions-framework';
import servicePackage from '../package.json' with { type: 'json' };
import { BIGQUERY_PATH, createBigQueryScorer } from './bigquery.js';
import type { Config } from './config.js';
import { docsRoutes, DOCS_PATH } from './docs.js';
import { ProblemError } from './errors.js';
import type { Log } from './logging.js';
import type { ModelCard, ModelRegistry } from './model-registry.js';
import { openApiDocument } from './openapi.js';
import { HttpAnswer, mapOutcome, type Outcome } from './outcome.js';
import { MODEL_FOR_FORMAT } from './request-formats.js';
import { NOWCAST_MODEL, SERVED_MODELS } from './model-choice.js';
import { createPredictor } from './predict.js';

export type Route = (req: Request, outcome: Outcome<unknown>) => void;

/** Routes by path, then by method (HEAD is answered by GET). */
export type RouteTable = ReadonlyMap<string, Readonly<Partial<Record<'GET' | 'POST', Route>>>>;

/** Builds the route table; the OpenAPI document is assembled here, once. */
export function createRoutes(options: {
  config: Config;
  registry: ModelRegistry;
  log: Log;
}): RouteTable {
  const { config, registry, log } = options;
  const predict = createPredictor({
    registry,
    maxFlights: config.maxFlights,
    maxExplainedFlights: config.maxExplainedFlights,
    maxDepartures: config.maxDepartures,
    vuelosModel: config.vuelosModel,
  });
  const scoreBigQuery = createBigQueryScorer({ registry, maxFlights: config.maxFlights, log });
  const openApi = openApiDocument(servicePackage.version);
  const info = {
    name: servicePackage.name,
    version: servicePackage.version,
    ...(config.revision ? { revision: config.revision } : {}),
    description: servicePackage.description,
    models: {
      ...MODEL_FOR_FORMAT,
      vuelos: config.vuelosModel,
      latam: MODEL_FOR_FORMAT.vuelos,
      airport: NOWCAST_MODEL,
    },
    docs: '/openapi.json',
  };
  const serviceInfo = JSON.stringify(info);
  const constant =
    (body: unknown): Route =>
    (_req, outcome) =>
      outcome.resolve(body);
  /** A route answering from every model's card, once the models have loaded. */
  const fromCards =
    (answer: (cards: ModelCard[]) => unknown): Route =>
    (_req, outcome) => {
      const answered = mapOutcome(outcome, answer);
      const cards = SERVED_MODELS.map(async (name) => (await registry.get(name)).card);
      void Promise.all(cards).then(answered.resolve, answered.reject);
    };
  return new Map<string, Partial<Record<'GET' | 'POST', Route>>>([
    ['/predict', { POST: (req, outcome) => predict(jsonBody(req), outcome, req.query['model']) }],
    [BIGQUERY_PATH, { POST: (req, outcome) => scoreBigQuery(jsonBody(req), outcome) }],
    ['/', { GET: (req, outcome) => outcome.resolve(serviceInfoAnswer(req, serviceInfo)) }],
    ['/healthz', { GET: constant({ status: 'ok' }) }],
    // The LATAM challenge's API answers this; its clients probe it.
    ['/health', { GET: constant({ status: 'OK' }) }],
    [
      '/readyz',
      {
        GET: fromCards((cards) => ({
          status: 'ready',
          models: cards.map(({ name, version }) => ({ name, version })),
        })),
      },
    ],
    ['/models', { GET: fromCards((models) => ({ models })) }],
    ['/openapi.json', { GET: constant(openApi) }],
    ...docsRoutes(),
  ]);
}

/**
 * A browser asking for the service is sent to the reference; any other client gets the service
 * information as JSON. `Vary` tells caches that the answer depends on Accept.
 */
function serviceInfoAnswer(req: Request, json: string): HttpAnswer {
  const vary = { Vary: 'Accept' };
  if (req.accepts(['application/json', 'text/html']) === 'text/html') {
    return new HttpAnswer(303, { ...vary, Location: DOCS_PATH });
  }
  return new HttpAnswer(200, { ...vary, 'Content-Type': 'application/json; charset=utf-8' }, json);
}

/**
 * The parsed body of a JSON request. The intake (functions/intake.ts) has read its bytes; they
 * are parsed here, by the routes that take JSON, so that every way a body can be wrong is answered
 * by the handler with its own message.
 */
function jsonBody(req: Request): unknown {
  const type = req.get('content-type');
  if (!isJson(type)) {
    throw new ProblemError(
      'unsupported-media-type',
      `the request body must be JSON with Content-Type application/json${type ? `, not ${cut(type, 100)}` : ''}`,
    );
  }
  const bytes = req.rawBody;
  if (!bytes || bytes.length === 0) {
    throw new ProblemError('invalid-json', `the body is empty; send ${EXPECTED_BODY}`);
  }
  // Decoding would replace invalid UTF-8 with U+FFFD; a flight must be scored as sent or not at all.
  if (!isUtf8(bytes)) throw new ProblemError('invalid-json', 'the body is not valid UTF-8');
  const text = bytes.toString('utf8');
  // Only an object fits either format; say so rather than quote JSON.parse on `null` or `1`.
  if (!/^[ \t\n\r]*[[{]/.test(text)) {
    const shown = text.trim() === '' ? 'blank' : JSON.stringify(cut(text.trim(), 20));
    throw new ProblemError('invalid-json', `the body must be ${EXPECTED_BODY}, not ${shown}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ProblemError(
      'invalid-json',
      `the body is not valid JSON: ${cut(String((error as Error).message))}`,
    );
  }
}

const EXPECTED_BODY = 'a JSON object, {"vuelos": […]} or {"flights": […]}';

/** application/json, with any parameters (the intake has refused charsets other than UTF-8). */
function isJson(type: string | undefined): boolean {
  if (type === undefined) return false;
  try {
    return new MIMEType(type).essence === 'application/json';
  } catch {
    return false;
  }
}

function cut(text: string, length = 200): string {
  return text.length > length ? `${text.slice(0, length)}…` : text;
}
