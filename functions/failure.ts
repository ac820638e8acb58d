/**
 * How a failure becomes an answer, in one function: logged once, then sent as a problem document
 * — or, to BigQuery, as the `{"errorMessage"}` its remote-function protocol reads. The handler
 * and the intake (functions/intake.ts), which answers before the handler runs, both send through
 * it; so does the intake for what Node rejects before there is a request, on the bare socket.
 */
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { errorMessageBody } from './error-message.js';
import { PROBLEM_MEDIA_TYPE, ProblemError } from './errors.js';
import { traceFields, type Log, type LogFields } from './logging.js';
import { BIGQUERY_PATH } from './bigquery.js';

/**
 * Answers `error` — a ProblemError, or anything else as a bug — to `req` on `to`, in the shape
 * the path's callers read; a response already under way is cut instead. Without a request (Node
 * rejected the bytes before there was one) the answer is written on the socket and closes it.
 */
export type SendFailure = (
  req: IncomingMessage | undefined,
  to: ServerResponse | Socket,
  error: unknown,
  fields?: LogFields,
) => void;

export function createSendFailure(log: Log, project: string | undefined): SendFailure {
  return (req, to, error, fields = {}) => {
    const trace = traceFields(req?.headers['x-cloud-trace-context'] as string | undefined, project);
    const problem = asProblemError(error, log, { ...trace, ...fields });
    const body =
      pathOf(req) === BIGQUERY_PATH
        ? { type: 'application/json', value: errorMessageBody(problem) }
        : { type: PROBLEM_MEDIA_TYPE, value: problem.toProblem() };
    const text = JSON.stringify(body.value);
    const headers = {
      ...problem.extras.headers,
      'Content-Type': `${body.type}; charset=utf-8`,
      'Content-Length': String(Buffer.byteLength(text)),
    };
    if (!('writeHead' in to)) {
      const head = Object.entries({ ...headers, Connection: 'close' })
        .map(([name, value]) => `${name}: ${value}\r\n`)
        .join('');
      to.end(`HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status]}\r\n${head}\r\n${text}`);
    } else if (to.headersSent) {
      to.destroy();
    } else {
      to.writeHead(problem.status, headers);
      to.end(text);
    }
  };
}

function pathOf(req: IncomingMessage | undefined): string {
  return (req?.url ?? '').split('?', 1)[0] ?? '';
}

/**
 * Every failure as a ProblemError, logged once: client errors, and a busy instance turning a body
 * away as designed, as warnings; the rest as errors.
 */
function asProblemError(error: unknown, log: Log, fields: LogFields): ProblemError {
  if (error instanceof ProblemError) {
    const expected = error.status < 500 || error.kind === 'busy';
    log(expected ? 'WARNING' : 'ERROR', error.detail, { ...fields, status: error.status });
    return error;
  }
  // A bug, not the client's doing: the stack goes to the log, never into the response.
  const stack = error instanceof Error ? error.stack : String(error);
  log('ERROR', `unexpected error: ${stack}`, { ...fields, status: 500 });
  return new ProblemError('internal-error', 'the request failed on our side; it has been logged');
}
