/**
 * Where an asynchronous step of the request path delivers its result. The path from a request to
 * its answer hands results on through these callbacks rather than promises: the Functions
 * Framework runs every request in a `domain`, whose async hooks make each promise a request
 * creates cost CPU time, several per request (docs/BENCHMARKS.md, "Where a request's CPU time
 * goes"). A step calls exactly one of the two, once; neither throws.
 */
export interface Outcome<T> {
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
}

/** `outcome`, fed with `map` of the value it will receive; a throw of `map` rejects it. */
export function mapOutcome<A, B>(outcome: Outcome<B>, map: (value: A) => B): Outcome<A> {
  return {
    resolve(value) {
      let mapped: B;
      try {
        mapped = map(value);
      } catch (error) {
        outcome.reject(error);
        return;
      }
      outcome.resolve(mapped);
    },
    reject: outcome.reject,
  };
}

/**
 * An answer a route delivers as it is — status, headers and bytes — rather than a 200 with a JSON
 * body: the reference's page and assets, and the redirect of browsers from `/` to it.
 */
export class HttpAnswer {
  constructor(
    readonly status: number,
    readonly headers: Readonly<Record<string, string>>,
    readonly body: string | Buffer = '',
  ) {}
}
