/**
 * What a server under test wrote to stdout: its JSON log lines (functions/logging.ts) and the
 * lines of the preloads server-timing.ts and rss-checkpoints.ts.
 */

type Line = Record<string, unknown>;

/** Every line of `text` that is a JSON object; other lines (stack traces, say) are skipped. */
export function jsonLines(text: string): Line[] {
  return text.split('\n').flatMap((line) => {
    if (!line.startsWith('{')) return [];
    try {
      return [JSON.parse(line) as Line];
    } catch {
      return [];
    }
  });
}

/** Server-side times of POST /predict requests answered 200, in milliseconds, in order. */
export function predictTimings(lines: readonly Line[]): {
  requestMs: number[];
  handlerMs: number[];
} {
  const requestMs: number[] = [];
  const handlerMs: number[] = [];
  for (const line of lines) {
    const timing = line.serverTiming as
      { method: string; url: string; status: number; ms: number } | undefined;
    if (timing?.method === 'POST' && timing.url === '/predict' && timing.status === 200) {
      requestMs.push(timing.ms);
    }
    // functions/handler.ts, with LOG_REQUESTS=1: latency as a Cloud Logging duration ("0.012s").
    const http = line.httpRequest as
      { requestMethod: string; requestUrl: string; status: number; latency: string } | undefined;
    if (http?.requestMethod === 'POST' && http.requestUrl === '/predict' && http.status === 200) {
      handlerMs.push(Number.parseFloat(http.latency) * 1000);
    }
  }
  return { requestMs, handlerMs };
}

/** Resident set size by number of /predict requests answered, from rss-checkpoints.ts. */
export function rssCheckpoints(lines: readonly Line[]): Map<number, number> {
  const checkpoints = new Map<number, number>();
  for (const line of lines) {
    const checkpoint = line.rssCheckpoint as { requests: number; rssBytes: number } | undefined;
    if (checkpoint) checkpoints.set(checkpoint.requests, checkpoint.rssBytes);
  }
  return checkpoints;
}
