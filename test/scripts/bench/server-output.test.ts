import { describe, expect, it } from 'vitest';
import { jsonLines, predictTimings, rssCheckpoints } from '../../../scripts/bench/server-output.js';

const timing = (url: string, status: number, ms: number, method = 'POST') =>
  JSON.stringify({ serverTiming: { method, url, status, ms } });
const logged = (url: string, status: number, latency: string) =>
  JSON.stringify({
    severity: 'INFO',
    message: `POST ${url} ${status}`,
    httpRequest: { requestMethod: 'POST', requestUrl: url, status, latency },
  });

describe('server output', () => {
  it('keeps the JSON lines and skips the rest, a torn first line included', () => {
    const text = ['"ms":1}}', '{"a":1}', 'SyntaxError: Unexpected end', '{"b":', ''].join('\n');
    expect(jsonLines(text)).toEqual([{ a: 1 }]);
  });

  it("times only successful POST /predict requests, from both the preload and the handler's log", () => {
    const lines = jsonLines(
      [
        timing('/predict', 200, 1.5),
        logged('/predict', 200, '0.001250s'),
        timing('/healthz', 200, 0.1, 'GET'),
        timing('/predict', 400, 0.3),
        logged('/predict', 400, '0.000200s'),
        timing('/predict', 200, 2.5),
        logged('/predict', 200, '0.002000s'),
      ].join('\n'),
    );
    const { requestMs, handlerMs } = predictTimings(lines);
    expect(requestMs).toEqual([1.5, 2.5]);
    expect(handlerMs[0]).toBeCloseTo(1.25);
    expect(handlerMs[1]).toBeCloseTo(2);
  });

  it('reads RSS checkpoints by request count', () => {
    const lines = jsonLines(
      [
        JSON.stringify({ rssCheckpoint: { requests: 10_000, rssBytes: 100 } }),
        JSON.stringify({ severity: 'INFO', message: 'model loaded' }),
        JSON.stringify({ rssCheckpoint: { requests: 20_000, rssBytes: 105 } }),
      ].join('\n'),
    );
    expect(rssCheckpoints(lines)).toEqual(
      new Map([
        [10_000, 100],
        [20_000, 105],
      ]),
    );
  });
});
