import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { request, createServer, type ClientRequest, type IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../functions/config.js';
import { createGuard } from '../../functions/edge.js';
import { problemType } from '../../functions/errors.js';
import { createLog } from '../../functions/logging.js';
import { example, expectSchema } from '../helpers/contract.js';
import { post, startServer, type TestServer } from '../helpers/server.js';

const seed = JSON.stringify(example('seed-request'));
/** The seed request padded with spaces to `bytes`: valid JSON of a known size. */
const padded = (bytes: number) => seed + ' '.repeat(bytes - seed.length);

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ BODY_BUDGET_MIB: '1' });
});
afterAll(() => server.close());

/**
 * A POST whose body is sent up to its last byte and held there until `finish`; `admitted`
 * resolves once the server has its headers (the server runs in this process, so its diagnostics
 * channel is ours to watch, and the edge admits a body in the same turn the channel reports it).
 */
function held(body: string): { admitted: Promise<void>; finish(): Promise<number> } {
  const { port } = new URL(server.url);
  const admitted = new Promise<void>((resolve) => {
    const onStart = (message: unknown) => {
      if ((message as { request: IncomingMessage }).request.headers['x-held'] !== '1') return;
      unsubscribe('http.server.request.start', onStart);
      setImmediate(resolve);
    };
    subscribe('http.server.request.start', onStart);
  });
  let req: ClientRequest;
  const answered = new Promise<number>((resolve, reject) => {
    req = request(
      {
        port,
        method: 'POST',
        path: '/predict',
        headers: {
          'content-type': 'application/json',
          'content-length': body.length,
          'x-held': '1',
        },
      },
      (res: IncomingMessage) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.write(body.slice(0, -1));
  });
  return {
    admitted,
    finish() {
      req.end(body.slice(-1));
      return answered;
    },
  };
}

describe('the body budget, over HTTP', () => {
  it('answers 503 with Retry-After while another body holds the budget, then admits again', async () => {
    const first = held(padded(700 * 1024));
    await first.admitted;
    const refused = await post(server, '/predict', padded(700 * 1024));
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(refused.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
    const problem = (await refused.json()) as { type: string };
    expectSchema('problem.schema.json', problem);
    expect(problem.type).toBe(problemType('busy'));
    // A small body still fits beside the held one.
    expect((await post(server, '/predict', seed)).status).toBe(200);
    expect(await first.finish()).toBe(200);
    expect((await post(server, '/predict', padded(700 * 1024))).status).toBe(200);
    expect(server.logs).toContainEqual(
      expect.objectContaining({ severity: 'WARNING', status: 503 }),
    );
  });
});

describe('paths the framework answers itself', () => {
  it.each(['/favicon.ico', '/robots.txt'])('%s: an empty 404, no log line', async (path) => {
    const logged = server.logs.length;
    const response = await fetch(`${server.url}${path}`);
    expect(response.status).toBe(404);
    expect(await response.text()).toBe('');
    expect(server.logs.length).toBe(logged);
  });
});

describe('createGuard', () => {
  it('refuses a server that does not run one Express application', () => {
    const guard = createGuard({ config: loadConfig({}), log: createLog(() => {}) });
    expect(() => guard(createServer(() => {}))).toThrow(/exactly one Express application/);
  });
});
