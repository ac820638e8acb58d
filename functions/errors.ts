/**
 * Every error the function answers, in one catalogue, and the one way they become RFC 9457
 * problem documents (schemas/problem.schema.json).
 */

/** Error kinds: status and title are fixed per kind; the detail says what happened this time. */
export const PROBLEMS = {
  'invalid-json': { status: 400, title: 'Invalid JSON' },
  'invalid-request': { status: 400, title: 'Invalid request' },
  'not-found': { status: 404, title: 'Not found' },
  'method-not-allowed': { status: 405, title: 'Method not allowed' },
  'body-timeout': { status: 408, title: 'Body too slow' },
  'too-many-flights': { status: 413, title: 'Too many flights' },
  'body-too-large': { status: 413, title: 'Body too large' },
  'unsupported-media-type': { status: 415, title: 'Unsupported media type' },
  'headers-too-large': { status: 431, title: 'Headers too large' },
  'internal-error': { status: 500, title: 'Internal error' },
  'model-unavailable': { status: 503, title: 'Model unavailable' },
  busy: { status: 503, title: 'Instance busy' },
} as const;

export type ProblemKind = keyof typeof PROBLEMS;

/** One violation of the request contract, located by a JSON Pointer into the body. */
export interface Violation {
  pointer: string;
  message: string;
}

/** RFC 9457 problem document, as schemas/problem.schema.json describes it. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: Violation[];
  omitted?: number;
}

export const PROBLEM_MEDIA_TYPE = 'application/problem+json';

/** A response body never lists more violations than this; `omitted` counts the rest. */
export const MAX_LISTED_VIOLATIONS = 50;

/** An error that answers the request with a problem document. */
export class ProblemError extends Error {
  constructor(
    readonly kind: ProblemKind,
    readonly detail: string,
    readonly extras: {
      /** At most MAX_LISTED_VIOLATIONS, so a huge bad batch cannot make a huge answer. */
      violations?: readonly Violation[];
      /** Violations found beyond those listed. */
      omitted?: number;
      headers?: Readonly<Record<string, string>>;
    } = {},
  ) {
    super(detail);
    this.name = 'ProblemError';
  }

  get status(): number {
    return PROBLEMS[this.kind].status;
  }

  /** The response body. */
  toProblem(): Problem {
    const { status, title } = PROBLEMS[this.kind];
    const problem: Problem = { type: problemType(this.kind), title, status, detail: this.detail };
    const { violations = [], omitted = 0 } = this.extras;
    if (violations.length > 0) problem.errors = [...violations];
    if (omitted > 0) problem.omitted = omitted;
    return problem;
  }
}

/** Problem type URI: a stable name clients may branch on (RFC 9457 §3.1.1 allows a URN). */
export function problemType(kind: ProblemKind): string {
  return `urn:scl-delay-predictor:problem:${kind}`;
}
