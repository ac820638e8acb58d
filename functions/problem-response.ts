/**
 * How a failure becomes an answer: logged once, then sent as a problem document — or, to
 * BigQuery, as the `{"errorMessage"}` its remote-function protocol reads. Shared by the handler
 * and by the edge (functions/edge.ts), which answers before the handler runs, so it works on
 * Node's own request and response types, which Express's extend.
 */
import type { ServerResponse } from 'node:http';
import { BIGQUERY_PATH, errorMessageBody } from './error-message.js';
import { PROBLEM_MEDIA_TYPE, ProblemError } from './errors.js';
import type { Log, LogFields } from './logging.js';

/** Answers `problem` to a request for `path`, in the shape that path's callers read. */
export function sendFailure(res: ServerResponse, path: string, problem: ProblemError): void {
  if (path === BIGQUERY_PATH) send(res, problem, 'application/json', errorMessageBody(problem));
  else send(res, problem, PROBLEM_MEDIA_TYPE, problem.toProblem());
}

function send(res: ServerResponse, problem: ProblemError, mediaType: string, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(problem.status, {
    ...problem.extras.headers,
    'Content-Type': `${mediaType}; charset=utf-8`,
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

/**
 * Every failure as a ProblemError, logged once: client errors, and a busy instance turning a body
 * away as designed, as warnings; the rest as errors.
 */
export function asProblemError(error: unknown, log: Log, trace: LogFields): ProblemError {
  if (error instanceof ProblemError) {
    const expected = error.status < 500 || error.kind === 'busy';
    log(expected ? 'WARNING' : 'ERROR', error.detail, {
      ...trace,
      status: error.status,
    });
    return error;
  }
  // A bug, not the client's doing: the stack goes to the log, never into the response.
  const stack = error instanceof Error ? error.stack : String(error);
  log('ERROR', `unexpected error: ${stack}`, { ...trace, status: 500 });
  return new ProblemError('internal-error', 'the request failed on our side; it has been logged');
}
