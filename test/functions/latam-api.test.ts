/**
 * The LATAM challenge's own API tests (tests/api/test_api.py of its repository), as HTTP requests
 * against the function started as `npm start` starts it: the suite's bodies and assertions, plus
 * its GET /health.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProcess, type FunctionProcess } from '../../scripts/lib/process.js';

let running: FunctionProcess;
beforeAll(async () => {
  running = await startProcess('npm', ['start', '--silent']);
});
afterAll(() => running.stop());

const predict = (body: unknown) =>
  fetch(`${running.url}/predict`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe("the LATAM challenge's API suite, over HTTP against npm start", () => {
  it('test_should_get_predict', async () => {
    const response = await predict({
      flights: [{ OPERA: 'Aerolineas Argentinas', TIPOVUELO: 'N', MES: 3 }],
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ predict: [0] });
  });

  it.each([
    [
      'test_should_failed_unkown_column_1',
      { OPERA: 'Aerolineas Argentinas', TIPOVUELO: 'N', MES: 13 },
    ],
    [
      'test_should_failed_unkown_column_2',
      { OPERA: 'Aerolineas Argentinas', TIPOVUELO: 'O', MES: 13 },
    ],
    ['test_should_failed_unkown_column_3', { OPERA: 'Argentinas', TIPOVUELO: 'O', MES: 13 }],
  ])('%s', async (_name, flight) => {
    const response = await predict({ flights: [flight] });
    expect(response.status).toBe(400);
  });

  it('GET /health answers {"status": "OK"}', async () => {
    const response = await fetch(`${running.url}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'OK' });
  });
});
