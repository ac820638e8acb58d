/**
 * Graceful shutdown: on SIGTERM, finish every request already sent to the instance, then exit.
 *
 * The Functions Framework's own SIGTERM handler answers the most recent request with a 500 and
 * exits at once, cutting every other request in flight (GoogleCloudPlatform/
 * functions-framework-nodejs#704; it offers no hook). It registers that handler once its server
 * listens, so we take over on the first request, when the server is known (`socket.server`): the
 * process's SIGTERM listeners are replaced by ours.
 *
 * Ours keeps serving until the instance has been quiet for QUIET_MS, then closes the server and
 * exits. Closing at once would be simpler but loses requests: connections waiting in the
 * kernel's accept queue while the event loop is busy would be reset by the close.
 */
import type { Server } from 'node:net';
import type { Request, Response } from '@google-cloud/functions-framework';
import type { Log } from './logging.js';

/** How long no request may be in flight before the instance counts as drained. */
export const QUIET_MS = 200;

export interface Shutdown {
  /** Follows one request; the first call installs the SIGTERM handler. */
  track(req: Request, res: Response): void;
}

/** A shutdown that gives requests at most `graceMs` after SIGTERM. */
export function createShutdown(options: {
  graceMs: number;
  log: Log;
  exit?: (code: number) => void;
}): Shutdown {
  const { graceMs, log, exit = (code) => process.exit(code) } = options;
  const inFlight = new Set<Response>();
  let lastActivity = 0;
  let server: Server | null | undefined;
  let draining = false;

  const onSigterm = () => {
    draining = true;
    log('NOTICE', `SIGTERM: finishing ${inFlight.size} request(s) in flight, then exiting`);
    for (const res of inFlight) closeAfter(res);
    setTimeout(() => {
      log(
        'WARNING',
        `${graceMs} ms after SIGTERM, exiting with ${inFlight.size} request(s) in flight`,
      );
      exit(0);
    }, graceMs).unref();
    const poll = setInterval(() => {
      if (inFlight.size > 0 || performance.now() - lastActivity < QUIET_MS) return;
      clearInterval(poll);
      if (server) server.close(() => exit(0));
      else exit(0);
    }, QUIET_MS / 4);
  };

  return {
    track(req, res) {
      if (server === undefined) {
        // `socket.server` is in Node's documentation, not yet in @types/node 20's.
        server = (req.socket as typeof req.socket & { server?: Server | null }).server ?? null;
        process.removeAllListeners('SIGTERM');
        process.on('SIGTERM', onSigterm);
      }
      if (draining) closeAfter(res);
      inFlight.add(res);
      lastActivity = performance.now();
      res.once('close', () => {
        inFlight.delete(res);
        lastActivity = performance.now();
      });
    },
  };
}

/** Asks the client not to reuse the connection, so the closing server can let it go. */
function closeAfter(res: Response) {
  if (!res.headersSent) res.setHeader('Connection', 'close');
}
