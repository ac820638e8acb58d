/**
 * The HTTP function: dispatches each request to its route and answers every outcome — success,
 * client error, unavailable model or bug — with JSON: a problem document for errors, or the
 * errorMessage BigQuery reads on the path it calls.
 */
import type { HttpFunction, Request, Response } from '@google-cloud/functions-framework';
import type { Config } from './config.js';
import { ProblemError } from './errors.js';
import { createSendFailure, type SendFailure } from './failure.js';
import { createLog, traceFields, type BatchLog, type Log } from './logging.js';
import { createModelRegistry, type SessionFactory } from './model-registry.js';
import { HttpAnswer, type Outcome } from './outcome.js';
import { createPredictionLog, ScoredAnswer, type PredictionLog } from './prediction-log.js';
import { createRoutes, type RouteTable } from './routes.js';
import { modelCard } from './compiled-validators.js';

export interface HandlerOptions {
  /** Where log lines go (stdout by default). */
  log?: BatchLog;
  /** How ONNX sessions are created (tests count or fail loads through it). */
  createSession?: SessionFactory;
}

/**
 * Builds the handler and everything it needs once per instance: the model registry (empty:
 * models load on first use) and the routes.
 */
export function createHandler(config: Config, options: HandlerOptions = {}): HttpFunction {
  const log = options.log ?? createLog();
  const registry = createModelRegistry({
    dir: config.modelsDir,
    validateCard: modelCard,
    log,
    ...(options.createSession ? { createSession: options.createSession } : {}),
  });
  const routes = createRoutes({ config, registry, log });
  const sendFailure = createSendFailure(log, config.project);
  const logPredictions = createPredictionLog({
    rate: config.logPredictions,
    log,
    project: config.project,
  });

  return (req: Request, res: Response) => {
    const outcome = respondTo(req, res, { config, log, sendFailure, logPredictions });
    try {
      dispatch(routes, req, outcome);
    } catch (error) {
      outcome.reject(error);
    }
  };
}

/** What answering a request needs besides the request. */
interface Responders {
  config: Config;
  log: Log;
  sendFailure: SendFailure;
  logPredictions: PredictionLog;
}

/**
 * Where a request's route delivers: a 200 with the body, or a problem document. A scored answer
 * goes to the prediction log once sent. Never throws, so that a route may call it from anywhere,
 * a promise reaction included.
 */
function respondTo(
  req: Request,
  res: Response,
  { config, log, sendFailure, logPredictions }: Responders,
): Outcome<unknown> {
  const started = performance.now();
  const finish = (send: () => void) => {
    try {
      send();
    } catch (error) {
      // A bug on our side — a body JSON cannot hold, a second answer — is logged, and the client
      // is not left waiting.
      sendFailure(req, res, error);
    }
    if (config.logRequests) {
      logRequest(
        log,
        req,
        res,
        started,
        traceFields(req.get('x-cloud-trace-context'), config.project),
      );
    }
  };
  return {
    resolve: (body) =>
      finish(() => {
        if (body instanceof HttpAnswer) {
          res.status(body.status).set(body.headers).send(body.body);
        } else if (body instanceof ScoredAnswer) {
          res.status(200).json(body.body);
          const trace = req.get('x-cloud-trace-context');
          for (const batch of body.batches) logPredictions(batch, trace);
        } else {
          res.status(200).json(body);
        }
      }),
    reject: (error) => finish(() => sendFailure(req, res, error)),
  };
}

/** The LOG_REQUESTS line, with Cloud Logging's httpRequest fields. */
function logRequest(
  log: Log,
  req: Request,
  res: Response,
  started: number,
  trace: Record<string, unknown>,
): void {
  log('INFO', `${req.method} ${req.path} ${res.statusCode}`, {
    ...trace,
    httpRequest: {
      requestMethod: req.method,
      requestUrl: req.originalUrl,
      status: res.statusCode,
      latency: `${((performance.now() - started) / 1000).toFixed(6)}s`,
      userAgent: req.get('user-agent'),
      remoteIp: req.ip,
    },
  });
}

function dispatch(routes: RouteTable, req: Request, outcome: Outcome<unknown>): void {
  const methods = routes.get(req.path);
  if (!methods) {
    throw new ProblemError(
      'not-found',
      `no endpoint at ${req.path.slice(0, 200)}; see GET /openapi.json`,
    );
  }
  const route = methods[req.method === 'HEAD' ? 'GET' : (req.method as 'GET' | 'POST')];
  if (!route) {
    const allow = Object.keys(methods)
      .flatMap((m) => (m === 'GET' ? ['GET', 'HEAD'] : [m]))
      .join(', ');
    throw new ProblemError(
      'method-not-allowed',
      `${req.path} accepts ${allow}, not ${req.method}`,
      {
        headers: { Allow: allow },
      },
    );
  }
  route(req, outcome);
}
