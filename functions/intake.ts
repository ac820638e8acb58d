/**
 * What may enter the instance, decided in one place: the intake stands in front of the Functions
 * Framework's Express application, on its server, and sees every request from its headers on.
 *
 * - It reads each body itself, counting bytes as they arrive: past MAX_BODY_BYTES the request is
 *   answered 413 at once; bytes of bodies held by the instance are charged to the body budget
 *   (parsing is what costs memory: a 32 MiB body of `{}` is ~11 million objects), and a body
 *   that would take the sum past it while others are held is answered 503 with Retry-After; a
 *   body that has not arrived within the deadline is answered 408 on a connection that then
 *   closes. None keeps anything of the body; the rest of one refused early is read and dropped,
 *   so that a client sending it whole still reads the answer, until the deadline cuts the
 *   connection. A body read whole is handed to the application as `req.rawBody`, already
 *   consumed, so the framework's parsers (limit 1 GiB) skip it.
 * - A compressed body is refused (its size is unknown until inflated), and so is a charset other
 *   than UTF-8, since JSON is exchanged as UTF-8 (RFC 8259 §8.1).
 * - What Node rejects before there is a request (a header block too large, a request line that
 *   does not parse, its own timeouts) is answered with a problem document too, and logged.
 * - On SIGTERM it drains: requests in flight, those still uploading included, are finished, each
 *   on a connection that then closes; once the instance is quiet it exits. If the grace period
 *   ends first, the connections still open are closed unanswered, so that the framework's exit
 *   handler, which answers the latest request 500, has nothing left to answer.
 *
 * The framework offers no hook for any of this (GoogleCloudPlatform/functions-framework-nodejs
 * #686, #704), so the intake takes the server from Node's `net.server.socket` diagnostics
 * channel, which reports each connection before a byte of it is read: the first connection an
 * instance accepts already passes through the intake.
 */
import { subscribe } from 'node:diagnostics_channel';
import {
  maxHeaderSize,
  Server,
  type IncomingMessage,
  type RequestListener,
  type ServerResponse,
} from 'node:http';
import type { Socket } from 'node:net';
import { MIMEType } from 'node:util';
import type { Config } from './config.js';
import { ProblemError } from './errors.js';
import { createSendFailure } from './failure.js';
import type { Log } from './logging.js';

/** Cloud Run's limit on an HTTP/1 request; locally the same limit keeps memory as deployed. */
export const MAX_BODY_BYTES = 32 * 1024 * 1024;

/** Seconds a client turned away for lack of budget is asked to wait. */
export const RETRY_AFTER_SECONDS = 1;

/** After SIGTERM, how long no request may be in flight before the instance counts as drained. */
export const QUIET_MS = 200;

export interface Intake {
  /** Puts the intake in front of a Functions Framework server; a server already taken is left. */
  guard(server: Server): void;
  /** Finishes what is in flight, within the grace period, then exits. */
  drain(): void;
}

export interface IntakeOptions {
  config: Pick<Config, 'bodyBudgetBytes' | 'bodyDeadlineMs' | 'shutdownGraceMs' | 'project'>;
  log: Log;
  /** Replace the framework's SIGTERM listener by `drain`: for the deployed entry point only. */
  drainOnSigterm?: boolean;
  exit?: (code: number) => void;
}

export function createIntake(options: IntakeOptions): Intake {
  const { config, log, exit = (code) => process.exit(code) } = options;
  const sendFailure = createSendFailure(log, config.project);
  const servers = new Set<Server>();
  const inFlight = new Set<ServerResponse>();
  const budget: Budget = { held: 0, limit: config.bodyBudgetBytes };
  let draining = false;
  let lastActivity = 0;
  // The framework adds its SIGTERM listener once its server listens, after this module loaded
  // and before the first connection: the listeners that appear in between are its.
  const sigtermBefore = new Set(process.listeners('SIGTERM'));

  /** Follows a request until its response is done or its connection closed. */
  const follow = (res: ServerResponse) => {
    inFlight.add(res);
    lastActivity = performance.now();
    if (draining) res.setHeader('Connection', 'close');
    res.once('close', () => {
      inFlight.delete(res);
      lastActivity = performance.now();
    });
  };

  const admit = (req: IncomingMessage, res: ServerResponse, app: RequestListener) => {
    follow(res);
    let refusal: unknown;
    try {
      checkHeaders(req);
    } catch (error) {
      refusal = error;
    }
    if (!hasBody(req)) {
      if (refusal) sendFailure(req, res, refusal);
      else app(req, res);
      return;
    }
    const body = readBody(req, budget, config.bodyDeadlineMs, {
      refuse: (problem, late) => {
        // A body too slow is not worth waiting for; the rest of one refused early is read and
        // dropped, so that a client sending it whole still reads the answer.
        if (late) res.setHeader('Connection', 'close');
        sendFailure(req, res, problem);
      },
      done: (bytes) => {
        (req as IncomingMessage & { rawBody?: Buffer }).rawBody = bytes;
        app(req, res);
      },
    });
    if (refusal) body.refuse(refusal);
    res.once('close', body.release);
  };

  const drain = () => {
    if (draining) return;
    draining = true;
    log('NOTICE', `SIGTERM: finishing ${inFlight.size} request(s) in flight, then exiting`);
    for (const res of inFlight) if (!res.headersSent) res.setHeader('Connection', 'close');
    setTimeout(() => {
      log(
        'WARNING',
        `${config.shutdownGraceMs} ms after SIGTERM, closing ${inFlight.size} connection(s) ` +
          'with a request in flight unanswered, then exiting',
      );
      for (const server of servers) server.closeAllConnections();
      exit(0);
    }, config.shutdownGraceMs).unref();
    // Closing the servers at once would reset the connections waiting in the kernel's accept
    // queue while the event loop is busy: the instance closes them once it has been quiet.
    const poll = setInterval(() => {
      if (inFlight.size > 0 || performance.now() - lastActivity < QUIET_MS) return;
      clearInterval(poll);
      let open = servers.size;
      if (open === 0) exit(0);
      for (const server of servers) server.close(() => --open === 0 && exit(0));
    }, QUIET_MS / 4);
  };

  const guard = (server: Server) => {
    if (servers.has(server)) return;
    const [app, ...others] = server.listeners('request') as RequestListener[];
    if (!app || others.length > 0)
      throw new Error('the server does not run exactly one application');
    servers.add(server);
    server.removeListener('request', app);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => admit(req, res, app));
    server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
      answerClientError(error, socket, sendFailure);
    });
    if (options.drainOnSigterm) {
      for (const listener of process.listeners('SIGTERM')) {
        if (!sigtermBefore.has(listener)) process.removeListener('SIGTERM', listener);
      }
      process.on('SIGTERM', drain);
    }
  };

  return { guard, drain };
}

/** Puts `intake` in front of every HTTP server of the process, as its first connection arrives. */
export function guardEveryServer(intake: Intake): void {
  subscribe('net.server.socket', (message) => {
    const { server } = (message as { socket: Socket & { server?: unknown } }).socket;
    if (server instanceof Server) intake.guard(server as Server);
  });
}

/** Whether a request has a body, as Node frames it (a length, even 0, or chunks). */
function hasBody(req: IncomingMessage): boolean {
  return (
    req.headers['transfer-encoding'] !== undefined || req.headers['content-length'] !== undefined
  );
}

/** Bytes of bodies the instance holds (read, or being read, for requests not yet answered). */
interface Budget {
  held: number;
  readonly limit: number;
}

/**
 * Reads `req`'s body as it arrives, charging each chunk to `budget`, and hands it to `done`; or,
 * at the first chunk past MAX_BODY_BYTES or the budget, or at the deadline, hands the problem to
 * `refuse` and keeps nothing. The rest of a refused body is read and dropped until the deadline,
 * when the connection is cut.
 */
function readBody(
  req: IncomingMessage,
  budget: Budget,
  deadlineMs: number,
  to: { refuse: (problem: unknown, late: boolean) => void; done: (body: Buffer) => void },
): { refuse: (problem: unknown) => void; release: () => void } {
  let chunks: Buffer[] = [];
  let charged = 0;
  let refused = false;
  const release = () => {
    chunks = [];
    budget.held -= charged;
    charged = 0;
  };
  const refuse = (problem: unknown, late = false) => {
    refused = true;
    release();
    to.refuse(problem, late);
  };
  const deadline = setTimeout(() => {
    if (refused) req.socket.destroy();
    else refuse(tooSlow(deadlineMs, charged, req.headers['content-length']), true);
  }, deadlineMs);
  req.on('data', (chunk: Buffer) => {
    if (refused) return;
    if (charged + chunk.length > MAX_BODY_BYTES) return refuse(tooLarge());
    // One body alone is always read, whatever the budget: it holds only what Cloud Run admits.
    if (budget.held > charged && budget.held + chunk.length > budget.limit) {
      return refuse(busy(budget.held - charged, charged + chunk.length, budget.limit));
    }
    budget.held += chunk.length;
    charged += chunk.length;
    chunks.push(chunk);
  });
  req.on('end', () => {
    clearTimeout(deadline);
    if (!refused) to.done(Buffer.concat(chunks, charged));
  });
  req.once('close', () => clearTimeout(deadline));
  return { refuse, release };
}

function checkHeaders(req: IncomingMessage): void {
  const { headers } = req;
  const encoding = headers['content-encoding']?.trim().toLowerCase();
  if (encoding && encoding !== 'identity') {
    throw new ProblemError(
      'unsupported-media-type',
      `the body must not be compressed: Content-Encoding ${JSON.stringify(encoding.slice(0, 40))} is not accepted`,
    );
  }
  const charset = charsetOf(headers['content-type']);
  if (charset !== undefined && charset.toLowerCase() !== 'utf-8') {
    throw new ProblemError(
      'unsupported-media-type',
      `the body must be UTF-8: charset ${JSON.stringify(charset.slice(0, 40))} is not accepted`,
    );
  }
  if (Number(headers['content-length']) > MAX_BODY_BYTES) throw tooLarge(headers['content-length']);
}

/** The charset parameter of a Content-Type; a header that does not parse is the routes' to judge. */
function charsetOf(contentType: string | undefined): string | undefined {
  // Without a ';' there are no parameters: the common case skips MIMEType's parse.
  if (contentType === undefined || !contentType.includes(';')) return undefined;
  try {
    return new MIMEType(contentType).params.get('charset') ?? undefined;
  } catch {
    return undefined;
  }
}

function tooLarge(declared?: string): ProblemError {
  const limit = `${MAX_BODY_BYTES} bytes (32 MiB, Cloud Run's limit)`;
  return new ProblemError(
    'body-too-large',
    declared
      ? `the body is ${declared} bytes; at most ${limit} are read`
      : `the body passed ${limit}, the most that are read`,
  );
}

function tooSlow(deadlineMs: number, received: number, declared?: string): ProblemError {
  return new ProblemError(
    'body-timeout',
    `the body did not arrive within ${deadlineMs} ms: ${received}${declared ? ` of ${declared}` : ''} ` +
      'bytes came; send it faster, or in smaller requests',
  );
}

function busy(others: number, body: number, budget: number): ProblemError {
  return new ProblemError(
    'busy',
    `this instance holds ${size(others)} of other request bodies, and this body's ` +
      `${size(body)} would take it past its limit of ${size(budget)}; ` +
      `retry in ${RETRY_AFTER_SECONDS} s`,
    { headers: { 'Retry-After': String(RETRY_AFTER_SECONDS) } },
  );
}

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** Node's own client errors, as problems (what it would answer itself, with a body). */
function answerClientError(
  error: NodeJS.ErrnoException,
  socket: Socket,
  sendFailure: ReturnType<typeof createSendFailure>,
): void {
  // A reset connection, or one whose response is under way (Node's own test, `_httpMessage` is
  // the response on the socket), cannot take an answer.
  const response = (socket as Socket & { _httpMessage?: ServerResponse | null })._httpMessage;
  if (error.code === 'ECONNRESET' || !socket.writable || response?.headersSent) {
    socket.destroy();
    return;
  }
  const problem =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? new ProblemError(
          'headers-too-large',
          `the request headers pass ${maxHeaderSize} bytes, the most this server reads`,
        )
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? new ProblemError('body-timeout', 'the request did not arrive in time')
        : new ProblemError('invalid-request', `the request is not valid HTTP/1.1 (${error.code})`);
  sendFailure(undefined, socket, problem, { code: error.code });
}
