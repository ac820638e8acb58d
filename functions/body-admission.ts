/**
 * Which request bodies an instance agrees to read, decided from the headers alone, before the
 * Functions Framework's parsers buffer and parse them.
 *
 * Parsing is what costs memory: a 32 MiB body of `{}` is ~11 million objects, so what an
 * instance can hold depends on how many bytes of bodies it parses at once, not on how many
 * requests it serves. The budget bounds that sum; a body that would go beyond it while others are
 * in flight is answered 503 with Retry-After. A compressed body is refused: its size is unknown
 * until inflated (a 32 MiB gzip body can inflate to the framework's parser limit, 1 GiB), and so
 * is a charset other than UTF-8, since JSON is exchanged as UTF-8 (RFC 8259 §8.1).
 */
import type { IncomingHttpHeaders } from 'node:http';
import { MIMEType } from 'node:util';
import { ProblemError } from './errors.js';

/** Cloud Run's limit on an HTTP/1 request; locally the same limit keeps memory as deployed. */
export const MAX_BODY_BYTES = 32 * 1024 * 1024;

/** Seconds a client turned away for lack of budget is asked to wait. */
export const RETRY_AFTER_SECONDS = 1;

export interface BodyBudget {
  /**
   * Reserves the request's body in the budget.
   * @returns the release, to call once the response is done
   * @throws ProblemError (413, 415, 503) when the body is not admitted
   */
  admit(headers: IncomingHttpHeaders): () => void;
}

const MiB = 1024 * 1024;

/** A budget of `limitBytes` of bodies in flight; one body alone is always admitted. */
export function createBodyBudget(limitBytes: number): BodyBudget {
  let inFlight = 0;
  return {
    admit(headers) {
      checkRepresentation(headers);
      const size = bodySize(headers, limitBytes);
      if (size === 0) return () => {};
      if (inFlight > 0 && inFlight + size > limitBytes) {
        throw new ProblemError(
          'busy',
          `this instance is reading ${(inFlight / MiB).toFixed(1)} MiB of request bodies, and ` +
            `${(size / MiB).toFixed(1)} MiB more would pass its limit of ` +
            `${(limitBytes / MiB).toFixed(1)} MiB; retry in ${RETRY_AFTER_SECONDS} s`,
          { headers: { 'Retry-After': String(RETRY_AFTER_SECONDS) } },
        );
      }
      inFlight += size;
      let released = false;
      return () => {
        if (!released) inFlight -= size;
        released = true;
      };
    },
  };
}

function checkRepresentation(headers: IncomingHttpHeaders): void {
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

/** Bytes the body will take: its Content-Length, or the whole budget when it is streamed. */
function bodySize(headers: IncomingHttpHeaders, limitBytes: number): number {
  if (headers['transfer-encoding'] !== undefined) return limitBytes;
  const length = Number(headers['content-length'] ?? 0);
  if (length > MAX_BODY_BYTES) {
    throw new ProblemError(
      'body-too-large',
      `the body is ${length} bytes; at most ${MAX_BODY_BYTES} (32 MiB, Cloud Run's limit) are read`,
    );
  }
  return length;
}
