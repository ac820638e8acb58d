import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { problemType } from '../../functions/errors.js';
import { latamSeedRows } from '../../functions/latam.js';
import flightSchema from '../../schemas/flight.schema.json' with { type: 'json' };
import { seedKey } from '../../functions/features.js';
import seedFlightSchema from '../../schemas/seed-flight.schema.json' with { type: 'json' };
import { directProbabilities, expectSchema, readCard } from '../helpers/contract.js';
import { post, startServer, type TestServer } from '../helpers/server.js';

const AIRLINES = flightSchema.$defs.airline.enum;

/** Every LATAM flight: each airline, flight type and month. */
const everyFlight = AIRLINES.flatMap((OPERA) =>
  ['I', 'N'].flatMap((TIPOVUELO) =>
    Array.from({ length: 12 }, (_, m) => ({ OPERA, TIPOVUELO, MES: m + 1 })),
  ),
);

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

describe('latamSeedRows', () => {
  it('sets the seed keys of the card features naming the airline, the type and the month', () => {
    const { features } = readCard('models', 'onehot-37');
    for (const [i, row] of latamSeedRows(everyFlight).entries()) {
      const { OPERA, TIPOVUELO, MES } = everyFlight[i]!;
      const named = [`OPERA_${OPERA}`, `TIPOVUELO_${TIPOVUELO}`, `MES_${MES}`];
      const columns = features.filter((name) => named.includes(name));
      expect(columns).toHaveLength(3);
      expect(row).toEqual(Object.fromEntries(columns.map((name) => [seedKey(name), true])));
    }
  });
});

describe('POST /predict, LATAM flights', () => {
  it('answers every airline, type and month with onehot-37’s labels at its threshold', async () => {
    const response = await post(server, '/predict', { flights: everyFlight });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { predict: number[] };
    expectSchema('latam-response.schema.json', body);
    const { threshold } = readCard('models', 'onehot-37');
    const direct = await directProbabilities('models', 'onehot-37', latamSeedRows(everyFlight));
    expect(body.predict).toEqual(direct.map((p) => (p >= threshold.value ? 1 : 0)));
    expect(new Set(body.predict).size).toBe(2);
  });

  it('answers as the same flights in the vuelos format', async () => {
    const vuelos = latamSeedRows(everyFlight).map((row) =>
      Object.fromEntries(Object.keys(seedFlightSchema.properties).map((k) => [k, row[k] === true])),
    );
    const seed = (await (await post(server, '/predict', { vuelos })).json()) as number[];
    const latam = (await (await post(server, '/predict', { flights: everyFlight })).json()) as {
      predict: number[];
    };
    expect(latam.predict).toEqual(seed);
  });

  it('answers ?model=original with the original model’s labels', async () => {
    const flights = everyFlight.slice(0, 40);
    const response = await post(server, '/predict?model=original', { flights });
    const { threshold } = readCard('models', 'original');
    const direct = await directProbabilities('models', 'original', latamSeedRows(flights));
    expect(await response.json()).toEqual({
      predict: direct.map((p) => (p >= threshold.value ? 1 : 0)),
    });
  });

  const flight = { OPERA: 'Aerolineas Argentinas', TIPOVUELO: 'N', MES: 3 };
  it.each([
    [
      'a month past 12',
      { ...flight, MES: 13 },
      '/flights/1/MES',
      '13 is more than 12, the largest accepted',
    ],
    ['a month as text', { ...flight, MES: '3' }, '/flights/1/MES', 'must be integer, not string'],
    [
      'an unknown flight type',
      { ...flight, TIPOVUELO: 'O' },
      '/flights/1/TIPOVUELO',
      '"O" is not one of "I", "N"',
    ],
    [
      'an unknown airline',
      { ...flight, OPERA: 'Argentinas' },
      '/flights/1/OPERA',
      '"Argentinas" is not one of',
    ],
    [
      'another field',
      { ...flight, SIGLADES: 'Mendoza' },
      '/flights/1/SIGLADES',
      'unknown field "SIGLADES"',
    ],
  ])('answers %s 400, pointing at it', async (_name, bad, pointer, message) => {
    const response = await post(server, '/predict', { flights: [flight, bad] });
    expect(response.status).toBe(400);
    const problem = (await response.json()) as { type: string; detail: string; errors: unknown[] };
    expectSchema('problem.schema.json', problem);
    expect(problem.type).toBe(problemType('invalid-request'));
    expect(problem.detail).toBe(
      'the request does not match the LATAM "flights" format (1 violation)',
    );
    expect(problem.errors.map((e) => (e as { pointer: string }).pointer)).toEqual([pointer]);
    expect((problem.errors[0] as { message: string }).message).toContain(message);
  });

  it('answers a mix of LATAM and dated flights 400, naming the flights without Fecha-I', async () => {
    const dated = {
      OPERA: 'Grupo LATAM',
      TIPOVUELO: 'N',
      'Fecha-I': '2017-03-01 08:00:00',
      SIGLADES: 'Arica',
    };
    const response = await post(server, '/predict', { flights: [dated, flight, dated, flight] });
    expect(response.status).toBe(400);
    const problem = (await response.json()) as { detail: string; errors: unknown[] };
    expectSchema('problem.schema.json', problem);
    expect(problem.detail).toMatch(/^"flights" mixes two shapes: 2 flights lack "Fecha-I"/);
    expect(problem.errors).toEqual(
      ['/flights/1/Fecha-I', '/flights/3/Fecha-I'].map((pointer) => ({
        pointer,
        message: 'is required, as other flights of this request carry it',
      })),
    );
  });

  it('refuses explanations: the LATAM answer has no place for them', async () => {
    const response = await post(server, '/predict', { flights: [flight], explain: true });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      errors: [{ pointer: '/explain', message: 'unknown field "explain"' }],
    });
  });
});

describe('POST /predict?model=', () => {
  const vuelos = { vuelos: latamSeedRows([{ OPERA: 'Iberia', TIPOVUELO: 'I', MES: 5 }]) };
  it.each([
    [
      'schedule',
      vuelos,
      'must be "onehot-37" or "original" for a "vuelos" request, not "schedule"',
    ],
    [
      'original',
      {
        flights: [
          { OPERA: 'Iberia', TIPOVUELO: 'I', 'Fecha-I': '2017-05-01 10:00:00', SIGLADES: 'Madrid' },
        ],
      },
      'must be "schedule" for a "flights" request, not "original"',
    ],
    [
      '../onehot-37',
      { flights: [{ OPERA: 'Iberia', TIPOVUELO: 'I', MES: 5 }] },
      'for a LATAM "flights" request, not "../onehot-37"',
    ],
    ['original&model=original', vuelos, 'for a "vuelos" request, given once'],
  ])(
    'answers model=%s 400 where that model does not read the request',
    async (model, body, detail) => {
      const response = await post(server, `/predict?model=${model}`, body);
      expect(response.status).toBe(400);
      const problem = (await response.json()) as { type: string; detail: string };
      expect(problem.type).toBe(problemType('invalid-request'));
      expect(problem.detail).toContain(detail);
    },
  );
});

describe('GET /health', () => {
  it('answers as the LATAM API does', async () => {
    const response = await fetch(`${server.url}/health`);
    expect(response.status).toBe(200);
    const body: unknown = await response.json();
    expectSchema('health.schema.json', body);
    expect(body).toEqual({ status: 'OK' });
  });
});
