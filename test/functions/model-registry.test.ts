import { rmSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { problemType } from '../../functions/errors.js';
import { SESSION_OPTIONS, type SessionFactory } from '../../functions/model-registry.js';
import { directProbabilities, example, expectSchema } from '../helpers/contract.js';
import { copyModels, type ModelsCopy } from '../helpers/models.js';
import { failingRuns } from '../helpers/problem-examples.js';
import { post, startServer, type TestServer } from '../helpers/server.js';

const flights = example<{ flights: unknown[] }>('flights-request');
const seed = example('seed-request');

let models: ModelsCopy;
let server: TestServer | undefined;
let loads: number;
let failNextLoads: number;

/** Real ONNX sessions, counted, and refused while `failNextLoads` is positive. */
const countingSession: SessionFactory = async (onnx) => {
  loads++;
  if (failNextLoads > 0) {
    failNextLoads--;
    throw new Error('simulated ONNX Runtime failure');
  }
  return ort.InferenceSession.create(onnx, SESSION_OPTIONS);
};

beforeEach(() => {
  models = copyModels();
  loads = 0;
  failNextLoads = 0;
});
afterEach(async () => {
  await server?.close();
  models.remove();
});

async function start() {
  server = await startServer({ MODELS_DIR: models.dir }, { createSession: countingSession });
  return server;
}

async function expectUnavailable(response: Response, reason: string) {
  expect(response.status).toBe(503);
  const problem = (await response.json()) as { type: string; detail: string };
  expectSchema('problem.schema.json', problem);
  expect(problem.type).toBe(problemType('model-unavailable'));
  expect(problem.detail).toContain(reason);
}

describe('lazy loading', () => {
  it('loads nothing until a request needs a model, then keeps it', async () => {
    const s = await start();
    await fetch(`${s.url}/healthz`);
    expect(loads).toBe(0);
    await post(s, '/predict', flights);
    await post(s, '/predict', flights);
    expect(loads).toBe(1);
    await post(s, '/predict', seed);
    expect(loads).toBe(2);
    expect(s.logs.filter((line) => /loaded$/.test(String(line.message)))).toHaveLength(2);
  });

  it('shares one load among 200 concurrent first requests, answering each correctly', async () => {
    const s = await start();
    const answers = await Promise.all(
      Array.from({ length: 200 }, async () => {
        const response = await post(s, '/predict', flights);
        return {
          status: response.status,
          body: (await response.json()) as { predictions: Array<{ probability: number }> },
        };
      }),
    );
    expect(loads).toBe(1);
    const direct = await directProbabilities(models.dir, 'schedule', flights.flights);
    for (const { status, body } of answers) {
      expect(status).toBe(200);
      expect(body.predictions.map((p) => p.probability)).toEqual(
        direct.map((p) => Math.round(p * 1e6) / 1e6),
      );
    }
  });

  it('does not cache a failed load: the next request loads again', async () => {
    const s = await start();
    failNextLoads = 1;
    await expectUnavailable(await post(s, '/predict', flights), 'simulated ONNX Runtime failure');
    expect((await post(s, '/predict', flights)).status).toBe(200);
    expect(loads).toBe(2);
    expect(s.logs).toContainEqual(
      expect.objectContaining({
        severity: 'ERROR',
        message: expect.stringContaining('failed to load') as unknown,
      }),
    );
  });
});

describe('a run that fails after the model has loaded', () => {
  it('answers 500 with a problem document that hides the cause, logs it, and stays up', async () => {
    server = await startServer({ MODELS_DIR: models.dir }, { createSession: failingRuns });
    const answers = await Promise.all([
      post(server, '/predict', flights),
      post(server, '/predict', seed),
    ]);
    for (const response of answers) {
      expect(response.status).toBe(500);
      const problem = (await response.json()) as { type: string; detail: string };
      expectSchema('problem.schema.json', problem);
      expect(problem.type).toBe(problemType('internal-error'));
      expect(problem.detail).not.toContain('simulated');
    }
    expect(server.logs).toContainEqual(
      expect.objectContaining({
        severity: 'ERROR',
        message: expect.stringContaining('simulated run failure') as unknown,
      }),
    );
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });
});

describe('broken model files: 503, process up, recovery without restart', () => {
  it.each([
    [
      'ONNX file missing',
      (m: ModelsCopy) => rmSync(m.path('schedule.onnx')),
      'schedule.onnx is missing',
    ],
    [
      'ONNX file truncated',
      (m: ModelsCopy) => m.write('schedule.onnx', m.read('schedule.onnx').subarray(0, 1000)),
      'SHA-256',
    ],
    ['ONNX file not matching its card', flipLastByte, 'but its card expects'],
  ])('%s', async (_name, breakIt, reason) => {
    breakIt(models);
    const s = await start();
    await expectUnavailable(await post(s, '/predict', flights), reason);
    await expectUnavailable(await fetch(`${s.url}/readyz`), 'schedule');
    expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
    expect((await post(s, '/predict', seed)).status).toBe(200);
    models.restore('schedule.onnx');
    expect((await post(s, '/predict', flights)).status).toBe(200);
  });

  it('names the mismatch when the ONNX file does not match its card', async () => {
    flipLastByte(models);
    const s = await start();
    const problem = (await (await post(s, '/predict', flights)).json()) as { detail: string };
    expect(problem.detail).toMatch(
      /schedule\.onnx has SHA-256 [0-9a-f]{64}, but its card expects [0-9a-f]{64}/,
    );
    expect(loads).toBe(0);
  });

  it.each([
    [
      'card missing',
      (m: ModelsCopy) => rmSync(m.path('schedule.json')),
      'schedule.json is missing',
    ],
    ['card not JSON', (m: ModelsCopy) => m.write('schedule.json', '{'), 'not valid JSON'],
    [
      'card against its schema',
      (m: ModelsCopy) => m.write('schedule.json', '{"name":"schedule"}'),
      'is invalid',
    ],
  ])('%s', async (_name, breakIt, reason) => {
    breakIt(models);
    const s = await start();
    await expectUnavailable(await post(s, '/predict', flights), reason);
    models.restore('schedule.json');
    expect((await post(s, '/predict', flights)).status).toBe(200);
  });

  it('refuses a file ONNX Runtime cannot read even when the card matches it', async () => {
    models.write('schedule.onnx', models.read('schedule.onnx').subarray(0, 1000));
    models.resealCard('schedule');
    const s = await start();
    await expectUnavailable(await post(s, '/predict', flights), 'schedule');
  });
});

function flipLastByte(m: ModelsCopy) {
  const bytes = m.read('schedule.onnx');
  bytes[bytes.length - 1]! ^= 1;
  m.write('schedule.onnx', bytes);
}
