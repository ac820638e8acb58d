/**
 * The edge of the instance: what happens to a request before and around the Functions Framework's
 * Express application, which parses bodies before the function runs and answers its parsers'
 * errors with an HTML page and a multi-line stack on stderr. The framework has no hook for either
 * (GoogleCloudPlatform/functions-framework-nodejs#686), so we take the application's server:
 *
 * - in front of the application, the body budget (functions/body-admission.ts) turns away what
 *   it will not parse, before a byte of the body is read;
 * - behind it, an error-handling middleware answers the parsers' errors with problem documents
 *   and logs them as one JSON line.
 *
 * The deployed entry point finds the server through Node's `http.server.request.start`
 * diagnostics channel, which reports each request to subscribers before the server's request
 * listener runs: the first request an instance serves already passes both, so there is no window.
 */
import { subscribe } from 'node:diagnostics_channel';
import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import { createBodyBudget } from './body-admission.js';
import type { Config } from './config.js';
import { traceFields, type Log } from './logging.js';
import { parserProblem } from './parser-errors.js';
import { asProblemError, sendFailure } from './problem-response.js';

/** The Express application the framework's server runs: all the edge needs of it. */
interface ExpressApp extends RequestListener {
  use(
    middleware: (error: unknown, req: IncomingMessage, res: ServerResponse, next: unknown) => void,
  ): unknown;
}

export type Guard = (server: Server) => void;

/** A guard that puts the edge around a Functions Framework server, once per server. */
export function createGuard({
  config,
  log,
}: {
  config: Pick<Config, 'bodyBudgetBytes' | 'project'>;
  log: Log;
}): Guard {
  const budget = createBodyBudget(config.bodyBudgetBytes);
  const guarded = new WeakSet<Server>();

  const answer = (req: IncomingMessage, res: ServerResponse, error: unknown) => {
    const trace = traceFields(
      req.headers['x-cloud-trace-context'] as string | undefined,
      config.project,
    );
    const problem = asProblemError(error, log, trace);
    if (res.headersSent) res.destroy();
    else sendFailure(res, (req.url ?? '').split('?', 1)[0] ?? '', problem);
  };

  return (server) => {
    if (guarded.has(server)) return;
    guarded.add(server);
    const [app, ...others] = server.listeners('request') as ExpressApp[];
    if (!app || others.length > 0 || typeof app.use !== 'function') {
      throw new Error('the server does not run exactly one Express application');
    }
    // Four parameters: that is how Express tells an error-handling middleware.
    app.use((error, req, res, _next) => answer(req, res, parserProblem(error)));
    server.removeListener('request', app);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      let release: () => void;
      try {
        release = budget.admit(req.headers);
      } catch (error) {
        answer(req, res, error);
        return;
      }
      res.once('close', release);
      app(req, res);
    });
  };
}

/** Guards every HTTP server of the process as its first request arrives. */
export function guardEveryServer(guard: Guard): void {
  subscribe('http.server.request.start', (message) =>
    guard((message as { server: Server }).server),
  );
}
