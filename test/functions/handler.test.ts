import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_LISTED_VIOLATIONS, problemType } from '../../functions/errors.js';
import { REQUEST_EXAMPLES } from '../../functions/openapi.js';
import { directProbabilities, example, expectSchema, readCard } from '../helpers/contract.js';
import { post, startServer, type TestServer } from '../helpers/server.js';

const seedExample = example<{ vuelos: Array<Record<string, boolean>> }>('seed-request');
const flightsExample = example<{ flights: Array<Record<string, string>> }>('flights-request');
const flight = flightsExample.flights[0]!;
const seedRow = seedExample.vuelos[0]!;

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ MAX_FLIGHTS: '100' });
});
afterAll(() => server.close());

describe('POST /predict, seed format', () => {
  it("answers the seed README's own example with one label per flight", async () => {
    const response = await post(server, '/predict', seedExample);
    expect(response.status).toBe(200);
    const labels = (await response.json()) as number[];
    expectSchema('seed-response.schema.json', labels);
    expect(labels).toHaveLength(2);
  });

  it('labels each flight by the onehot-37 card threshold, in request order', async () => {
    const flights = allAirlineRows();
    const labels = (await (await post(server, '/predict', { vuelos: flights })).json()) as number[];
    const { threshold } = readCard('models', 'onehot-37');
    const direct = await directProbabilities('models', 'onehot-37', flights);
    expect(labels).toEqual(direct.map((p) => (round6(p) >= threshold.value ? 1 : 0)));
    // The rows differ only by airline: a model ignoring the input would fail this.
    expect(new Set(direct).size).toBeGreaterThan(1);
  });
});

describe('POST /predict, flights format', () => {
  it('answers probabilities equal to ONNX Runtime on the same flights', async () => {
    const response = await post(server, '/predict', flightsExample);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await response.json()) as {
      model: { name: string; version: string };
      threshold: number;
      predictions: Array<{ probability: number; delayed: boolean }>;
    };
    expectSchema('flights-response.schema.json', body);
    const card = readCard('models', 'schedule');
    expect(body.model).toEqual({ name: 'schedule', version: card.version });
    expect(body.threshold).toBe(card.threshold.value);
    const direct = await directProbabilities('models', 'schedule', flightsExample.flights);
    expect(body.predictions).toEqual(
      direct.map((p) => ({ probability: round6(p), delayed: round6(p) >= card.threshold.value })),
    );
  });

  it('gives each of many concurrent requests its own flights’ answers', async () => {
    const airlines = ['Grupo LATAM', 'Sky Airline', 'Copa Air', 'Avianca', 'Iberia'];
    const requests = Array.from({ length: 40 }, (_, i) => ({
      flights: Array.from({ length: 1 + (i % 3) }, (_, j) => ({
        ...flight,
        OPERA: airlines[(i + j) % airlines.length]!,
        'Fecha-I': `2017-0${1 + (i % 9)}-1${j} ${String(i % 24).padStart(2, '0')}:15:00`,
      })),
    }));
    const answers = await Promise.all(
      requests.map(async (body) => {
        const answer = (await (await post(server, '/predict', body)).json()) as {
          predictions: Array<{ probability: number }>;
        };
        return answer.predictions.map((p) => p.probability);
      }),
    );
    for (const [i, body] of requests.entries()) {
      const direct = await directProbabilities('models', 'schedule', body.flights);
      expect(answers[i]).toEqual(direct.map(round6));
    }
  });

  it('reads a time with an offset as the Santiago local time it names', async () => {
    const local = await predictOne({ ...flight, 'Fecha-I': '2017-07-14 08:30:00' });
    // July: Santiago is UTC-4.
    expect(await predictOne({ ...flight, 'Fecha-I': '2017-07-14T12:30:00Z' })).toEqual(local);
  });

  it('pools a destination it was not trained on with the rare ones', async () => {
    const response = await post(server, '/predict', {
      flights: [{ ...flight, SIGLADES: 'Atlantis' }],
    });
    expect(response.status).toBe(200);
  });

  it.each(Object.entries(REQUEST_EXAMPLES))(
    'answers the OpenAPI example %s',
    async (_name, { value }) => {
      expect((await post(server, '/predict', value)).status).toBe(200);
    },
  );
});

interface ErrorCase {
  name: string;
  method?: string;
  path?: string;
  contentType?: string;
  body?: unknown;
  status: number;
  kind: string;
  /** Violations that must be listed, by pointer: each message must contain the text given. */
  errors?: Record<string, string>;
  headers?: Record<string, string>;
}

const errorCases: ErrorCase[] = [
  { name: 'unknown path', method: 'GET', path: '/predictions', status: 404, kind: 'not-found' },
  {
    name: 'GET on /predict',
    method: 'GET',
    status: 405,
    kind: 'method-not-allowed',
    headers: { allow: 'POST' },
  },
  {
    name: 'POST on /healthz',
    path: '/healthz',
    body: {},
    status: 405,
    kind: 'method-not-allowed',
    headers: { allow: 'GET, HEAD' },
  },
  {
    name: 'text/plain body',
    contentType: 'text/plain',
    body: 'hello',
    status: 415,
    kind: 'unsupported-media-type',
  },
  {
    name: 'form body',
    contentType: 'application/x-www-form-urlencoded',
    body: 'a=1',
    status: 415,
    kind: 'unsupported-media-type',
  },
  {
    name: 'a JSON array',
    body: [seedRow],
    status: 400,
    kind: 'invalid-request',
    errors: { '': 'JSON object' },
  },
  {
    name: 'neither format',
    body: { flight: [flight] },
    status: 400,
    kind: 'invalid-request',
    errors: { '': '"vuelos"' },
  },
  {
    name: 'both formats',
    body: { vuelos: [seedRow], flights: [flight] },
    status: 400,
    kind: 'invalid-request',
    errors: { '': 'not both' },
  },
  {
    name: 'empty seed batch',
    body: { vuelos: [] },
    status: 400,
    kind: 'invalid-request',
    errors: { '/vuelos': 'at least 1' },
  },
  {
    name: 'empty flights batch',
    body: { flights: [] },
    status: 400,
    kind: 'invalid-request',
    errors: { '/flights': 'at least 1' },
  },
  {
    name: 'flights not an array',
    body: { flights: 'x' },
    status: 400,
    kind: 'invalid-request',
    errors: { '/flights': 'must be array' },
  },
  {
    name: 'extra top-level field',
    body: { vuelos: [seedRow], debug: true },
    status: 400,
    kind: 'invalid-request',
    errors: { '/debug': 'unknown field "debug"' },
  },
  {
    name: 'seed key missing',
    body: { vuelos: [without(seedRow, 'MES_12')] },
    status: 400,
    kind: 'invalid-request',
    errors: { '/vuelos/0/MES_12': 'is required' },
  },
  {
    name: 'unknown seed key, named',
    body: { vuelos: [{ ...seedRow, OPERA_Aerolineas_Chilenas: true }] },
    status: 400,
    kind: 'invalid-request',
    errors: { '/vuelos/0/OPERA_Aerolineas_Chilenas': 'unknown field "OPERA_Aerolineas_Chilenas"' },
  },
  {
    name: 'seed value not boolean',
    body: {
      vuelos: [
        { ...seedRow, MES_1: 1 },
        { ...seedRow, MES_2: 'true' },
        { ...seedRow, MES_3: null },
      ],
    },
    status: 400,
    kind: 'invalid-request',
    errors: {
      '/vuelos/0/MES_1': 'must be boolean, not integer',
      '/vuelos/1/MES_2': 'must be boolean, not string',
      '/vuelos/2/MES_3': 'must be boolean, not null',
    },
  },
  {
    name: 'unknown airline, allowed values named',
    body: { flights: [{ ...flight, OPERA: 'Grupo Latam' }] },
    status: 400,
    kind: 'invalid-request',
    errors: { '/flights/0/OPERA': '"Grupo Latam" is not one of "Aerolineas Argentinas"' },
  },
  {
    name: 'flight type outside I/N',
    body: { flights: [{ ...flight, TIPOVUELO: 'i' }] },
    status: 400,
    kind: 'invalid-request',
    errors: { '/flights/0/TIPOVUELO': '"i" is not one of "I", "N"' },
  },
  {
    name: 'impossible date',
    body: { flights: [{ ...flight, 'Fecha-I': '2017-02-29 10:00:00' }] },
    status: 400,
    kind: 'invalid-request',
    errors: { '/flights/0/Fecha-I': 'not a valid date and time' },
  },
  {
    name: 'year out of range (Date.UTC would read 0099 as 1999)',
    body: { flights: [{ ...flight, 'Fecha-I': '0099-06-15T12:00:00Z' }] },
    status: 400,
    kind: 'invalid-request',
    errors: {
      '/flights/0/Fecha-I': '"0099-06-15T12:00:00Z" is outside the years 1970 to 2100',
    },
  },
  {
    name: 'local time the clocks skipped, the gap named',
    body: { flights: [{ ...flight, 'Fecha-I': '2017-08-13 00:30:00' }] },
    status: 400,
    kind: 'invalid-request',
    errors: {
      '/flights/0/Fecha-I':
        '"2017-08-13 00:30:00" does not exist in Santiago: its clocks went from 2017-08-13 00:00 ' +
        'straight to 2017-08-13 01:00 (daylight saving time began)',
    },
  },
  {
    name: 'required flight field missing',
    body: { flights: [without(flight, 'SIGLADES')] },
    status: 400,
    kind: 'invalid-request',
    errors: { '/flights/0/SIGLADES': 'is required' },
  },
  {
    name: 'unknown flight field, named',
    body: { flights: [{ ...flight, weather: 'rain' }] },
    status: 400,
    kind: 'invalid-request',
    errors: { '/flights/0/weather': 'unknown field "weather"' },
  },
  {
    name: 'data-set column of the wrong type',
    body: { flights: [{ ...flight, DIA: '14', MES: 13 }] },
    status: 400,
    kind: 'invalid-request',
    errors: {
      '/flights/0/DIA': 'must be integer, not string',
      '/flights/0/MES': '13 is more than 12, the largest accepted',
    },
  },
  {
    name: 'one flight over MAX_FLIGHTS',
    body: { flights: Array.from({ length: 101 }, () => flight) },
    status: 413,
    kind: 'too-many-flights',
  },
];

describe('errors', () => {
  it.each(errorCases)('$name → $status', async (c) => {
    const response = await fetch(`${server.url}${c.path ?? '/predict'}`, {
      method: c.method ?? 'POST',
      ...(c.body === undefined
        ? {}
        : {
            headers: { 'content-type': c.contentType ?? 'application/json' },
            body: typeof c.body === 'string' ? c.body : JSON.stringify(c.body),
          }),
    });
    expect(response.status).toBe(c.status);
    expect(response.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
    for (const [name, value] of Object.entries(c.headers ?? {}))
      expect(response.headers.get(name)).toBe(value);
    const problem = (await response.json()) as {
      type: string;
      status: number;
      errors?: Array<{ pointer: string; message: string }>;
    };
    expectSchema('problem.schema.json', problem);
    expect(problem).toMatchObject({ type: problemType(c.kind as never), status: c.status });
    for (const [pointer, text] of Object.entries(c.errors ?? {})) {
      expect(problem.errors).toContainEqual({
        pointer,
        message: expect.stringContaining(text) as unknown,
      });
    }
  });

  it(`lists at most ${MAX_LISTED_VIOLATIONS} violations and counts the rest`, async () => {
    const response = await post(server, '/predict', {
      flights: Array.from({ length: 60 }, () => ({ ...flight, TIPOVUELO: 'X' })),
    });
    const problem = (await response.json()) as {
      errors: unknown[];
      omitted: number;
      detail: string;
    };
    expect(problem.errors).toHaveLength(MAX_LISTED_VIOLATIONS);
    expect(problem.omitted).toBe(10);
    expect(problem.detail).toContain('60 violations');
  });

  it('writes one warning line per client error, with the request trace', async () => {
    const before = server.logs.length;
    await fetch(`${server.url}/nowhere`, {
      headers: { 'x-cloud-trace-context': '0123456789abcdef0123456789abcdef/42;o=1' },
    });
    expect(server.logs.slice(before)).toEqual([
      expect.objectContaining({
        severity: 'WARNING',
        status: 404,
        traceId: '0123456789abcdef0123456789abcdef',
      }),
    ]);
  });
});

describe('service endpoints', () => {
  it.each([
    ['/', 'service-info.schema.json'],
    ['/healthz', 'status.schema.json'],
    ['/readyz', 'status.schema.json'],
    ['/models', 'models-response.schema.json'],
  ] as const)('GET %s answers its schema', async (path, schema) => {
    const response = await fetch(`${server.url}${path}`);
    expect(response.status).toBe(200);
    expectSchema(schema, await response.json());
  });

  it('GET /readyz names the loaded models and their versions', async () => {
    const body = (await (await fetch(`${server.url}/readyz`)).json()) as unknown;
    expect(body).toEqual({
      status: 'ready',
      models: ['onehot-37', 'schedule', 'original', 'nowcast'].map((name) => ({
        name,
        version: readCard('models', name).version,
      })),
    });
  });

  it('GET /models answers the committed cards', async () => {
    const body = (await (await fetch(`${server.url}/models`)).json()) as { models: unknown[] };
    expect(body.models).toEqual(
      ['onehot-37', 'schedule', 'original', 'nowcast'].map((name) => readCard('models', name)),
    );
  });

  it('HEAD / answers headers only', async () => {
    const response = await fetch(`${server.url}/`, { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
  });

  it('writes no line for a successful request unless LOG_REQUESTS is on', async () => {
    const before = server.logs.length;
    await fetch(`${server.url}/healthz`);
    expect(server.logs.length).toBe(before);
    const verbose = await startServer({ LOG_REQUESTS: '1' });
    await fetch(`${verbose.url}/healthz`, { headers: { 'user-agent': 'probe' } });
    await verbose.close();
    expect(verbose.logs).toEqual([
      expect.objectContaining({
        severity: 'INFO',
        httpRequest: expect.objectContaining({
          requestMethod: 'GET',
          requestUrl: '/healthz',
          status: 200,
          userAgent: 'probe',
        }) as unknown,
      }),
    ]);
  });
});

function allAirlineRows(): Array<Record<string, boolean>> {
  const blank = Object.fromEntries(Object.keys(seedRow).map((key) => [key, false]));
  return Object.keys(seedRow)
    .filter((key) => key.startsWith('OPERA_'))
    .map((key) => ({ ...blank, [key]: true, TIPOVUELO_I: true, MES_7: true }));
}

async function predictOne(f: Record<string, string>): Promise<unknown> {
  return (
    (await (await post(server, '/predict', { flights: [f] })).json()) as { predictions: unknown[] }
  ).predictions[0];
}

function without<T extends Record<string, unknown>>(object: T, key: string): Partial<T> {
  const { [key]: _removed, ...rest } = object;
  return rest as Partial<T>;
}

function round6(p: number): number {
  return Math.round(p * 1e6) / 1e6;
}
