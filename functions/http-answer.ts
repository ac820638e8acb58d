/**
 * An answer a route sends as it is — status, headers and bytes — rather than a 200 with a JSON
 * body: the reference's page and assets, and the redirect of browsers from `/` to it.
 */
export class HttpAnswer {
  constructor(
    readonly status: number,
    readonly headers: Readonly<Record<string, string>>,
    readonly body: string | Buffer = '',
  ) {}
}
