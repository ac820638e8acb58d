import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { example } from '../helpers/contract.js';
import { problemType } from '../../functions/errors.js';
import {
  freePort,
  runProcess,
  spawnOnPort,
  startProcess,
  startSource,
  type FunctionProcess,
} from '../../scripts/lib/process.js';

const seedExample = example('seed-request');
const flightsExample = example<{ flights: unknown[] }>('flights-request');

let running: FunctionProcess | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

const postJson = (url: string, body: unknown) =>
  fetch(`${url}/predict`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

describe('npm start', () => {
  it("serves the seed README's request and a flights request", async () => {
    running = await startProcess('npm', ['start', '--silent']);
    const seed = await postJson(running.url, seedExample);
    expect(seed.status).toBe(200);
    expect(await seed.json()).toEqual([expect.any(Number), expect.any(Number)]);
    const flights = await postJson(running.url, flightsExample);
    expect(flights.status).toBe(200);
    expect(((await flights.json()) as { predictions: unknown[] }).predictions).toHaveLength(3);
  });

  it('answers broken JSON with a problem document from the first request it serves', async () => {
    running = spawnOnPort(await freePort(), 'npm', ['start', '--silent']);
    // Nothing reaches the instance before this request: no health check, no warm-up.
    let response: Response | undefined;
    for (let attempt = 0; attempt < 600 && !response; attempt++) {
      response = await postJson(running.url, '{"vuelos": [{"MES_1": tru').catch(async () => {
        await new Promise((resolve) => setTimeout(resolve, 100));
        return undefined;
      });
    }
    expect(response?.status).toBe(400);
    expect(response?.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
    expect(await response?.json()).toMatchObject({ type: problemType('invalid-json') });
    expect(running.output()).toMatch(
      /^\{"severity":"WARNING","message":"the body is not valid JSON/,
    );
  });
});

describe('a bad environment variable', () => {
  it.each([
    ['MAX_FLIGHTS', 'abc'],
    ['BODY_BUDGET_MIB', '0'],
    ['LOG_PREDICTIONS', '2'],
  ])('%s=%s stops the instance with one JSON line naming it', async (variable, value) => {
    const run = await runProcess('npm', ['start', '--silent'], {
      env: { [variable]: value, PORT: String(await freePort()) },
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('');
    expect(run.stdout.trimEnd().split('\n')).toHaveLength(1);
    const line = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(line).toMatchObject({ severity: 'CRITICAL', variable });
    expect(line.message).toContain(`${variable}=${JSON.stringify(value)} is invalid`);
  });
});

describe('SIGTERM', () => {
  it('finishes every request in flight, then exits 0', async () => {
    running = await startSource();
    const batch = {
      flights: Array.from({ length: 10_000 }, (_, i) => flightsExample.flights[i % 3]),
    };
    expect((await postJson(running.url, batch)).status).toBe(200);
    const responses = Array.from({ length: 20 }, () => postJson(running!.url, batch));
    // The first answer proves the rest are queued in the process when the signal arrives.
    await Promise.race(responses);
    running.child.kill('SIGTERM');
    const statuses = await Promise.all(responses.map(async (r) => (await r).status));
    expect(statuses).toEqual(Array.from({ length: 20 }, () => 200));
    expect(await running.exited).toBe(0);
  });

  it('finishes a request whose body is still uploading when the signal arrives', async () => {
    running = await startSource();
    expect((await postJson(running.url, seedExample)).status).toBe(200);
    const body = JSON.stringify(seedExample);
    const { port } = new URL(running.url);
    const answer = new Promise<{ status: number; connection: string | undefined }>(
      (resolve, reject) => {
        const req = request(
          {
            port,
            method: 'POST',
            path: '/predict',
            headers: {
              'content-type': 'application/json',
              'content-length': Buffer.byteLength(body),
            },
          },
          (res) => {
            res.resume();
            res.on('end', () =>
              resolve({ status: res.statusCode ?? 0, connection: res.headers.connection }),
            );
          },
        );
        req.on('error', reject);
        req.write(body.slice(0, 100));
        setTimeout(() => {
          running!.child.kill('SIGTERM');
          setTimeout(() => req.end(body.slice(100)), 300);
        }, 300);
      },
    );
    expect(await answer).toEqual({ status: 200, connection: 'close' });
    expect(await running.exited).toBe(0);
  });
});
