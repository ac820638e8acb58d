/**
 * Flights sent with the airport's state (`airport`), through the real function and real ONNX
 * sessions: nowcast answers the flights due within its card's horizons after asOf, reading the
 * board the request describes; schedule answers the others; each prediction names its model, the
 * answer echoes the state, explanations add up with the state fields in them, every flight is
 * logged under the model that scored it, and bad boards are refused with the right status.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DepartureBoard, timedDepartures, type Departure } from '../../functions/airport-state.js';
import { problemType } from '../../functions/errors.js';
import { FEATURE_COLUMNS, scheduledTime, type ScheduledFlight } from '../../functions/features.js';
import { parseScheduledTime } from '../../functions/santiago-time.js';
import { directProbabilities, example, expectSchema, readCard } from '../helpers/contract.js';
import { post, startServer, type TestServer } from '../helpers/server.js';

interface Contribution {
  field: string;
  value: unknown;
  contribution: number;
}

interface Prediction {
  model: string;
  probability: number;
  delayed: boolean;
  explanation?: { base: number; contributions: Contribution[] };
}

interface Window {
  departures: number;
  delayedShare: number;
  meanDelayMinutes: number;
}

interface AirportAnswer {
  models: Array<{ name: string; version: string; threshold: number }>;
  airport: { asOf: string; departures: number; windows: Record<string, Window> };
  predictions: Prediction[];
}

const nowcastCard = readCard('models', 'nowcast');
const scheduleCard = readCard('models', 'schedule');
const horizons = nowcastCard.airportState!.horizonMinutes;

const AS_OF = '2017-07-14 07:30:00';

/** Wall-clock text `minutes` after AS_OF. */
function after(minutes: number): string {
  const asOf = Date.parse(`${AS_OF.replace(' ', 'T')}Z`);
  return new Date(asOf + minutes * 60_000).toISOString().slice(0, 19).replace('T', ' ');
}

const flightAt = (minutes: number, OPERA = 'Grupo LATAM'): ScheduledFlight => ({
  OPERA,
  TIPOVUELO: 'N',
  'Fecha-I': after(minutes),
  SIGLADES: 'Antofagasta',
});

/** A departure as the tests plan it: minutes before AS_OF it left, and its delay. */
interface Left {
  airline: string;
  left: number;
  delay: number;
}

/**
 * A departure every 10 minutes in the 6 hours before AS_OF, alternating LATAM and Sky, each
 * `delay` minutes late; and a few on the previous day, on time.
 */
function plan(delay: number): Left[] {
  const today = Array.from({ length: 36 }, (_, i) => ({
    airline: i % 2 === 0 ? 'Grupo LATAM' : 'Sky Airline',
    left: 355 - i * 10,
    delay,
  }));
  const yesterday = [900, 1000, 1100].map((left) => ({ airline: 'Grupo LATAM', left, delay: 2 }));
  return [...today, ...yesterday];
}

const board = (delay: number): Departure[] =>
  plan(delay).map(({ airline, left, delay: late }) => ({
    OPERA: airline,
    'Fecha-I': after(-left - late),
    'Fecha-O': after(-left),
  }));

/**
 * The state fields a flight of `airline` due `horizon` minutes after AS_OF reads from the plan,
 * counted one departure at a time: the last 1, 3 and 6 hours, and the previous calendar day (AS_OF
 * is 07:30, 450 minutes after midnight).
 */
function expectedState(departures: Left[], airline: string, horizon: number) {
  const windows: Record<string, (d: Left) => boolean> = {
    '1h': (d) => d.left < 60,
    '3h': (d) => d.left < 180,
    '6h': (d) => d.left < 360,
    ayer: (d) => d.left > 450 && d.left <= 450 + 1440,
  };
  const measures = (subset: Left[]) => {
    const n = subset.length;
    const mean = (values: number[]) => (n ? values.reduce((a, b) => a + b, 0) / n : 0);
    return {
      salidas: n,
      tasa_atraso: mean(subset.map((d) => (d.delay > 15 ? 1 : 0))),
      demora_media: mean(subset.map((d) => d.delay)),
    };
  };
  const fields = new Map<string, number>([['horizonte', horizon]]);
  for (const [window, inWindow] of Object.entries(windows)) {
    const all = departures.filter(inWindow);
    const own = all.filter((d) => d.airline === airline);
    for (const [measure, value] of Object.entries(measures(all))) {
      fields.set(`${measure}_${window}`, value);
    }
    for (const [measure, value] of Object.entries(measures(own))) {
      fields.set(`${measure}_opera_${window}`, value);
    }
  }
  return fields;
}

const BAD_MORNING = board(45);

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ LOG_PREDICTIONS: '1' });
});
afterAll(() => server.close());

async function answerTo(body: unknown, query = ''): Promise<AirportAnswer> {
  const response = await post(server, `/predict${query}`, body);
  expect(response.status).toBe(200);
  const answer = (await response.json()) as AirportAnswer;
  expectSchema('airport-flights-response.schema.json', answer);
  return answer;
}

/** nowcast's probabilities straight from ONNX Runtime, each flight with its state at AS_OF. */
async function nowcastDirect(flights: ScheduledFlight[], departures: Departure[]) {
  const timed = new DepartureBoard(timedDepartures(departures));
  const asOf = parseScheduledTime(AS_OF)!;
  const inState = flights.map((flight) => ({
    ...flight,
    state: timed.stateAt(asOf, flight.OPERA, scheduledTime(flight)),
  }));
  return directProbabilities('models', 'nowcast', inState);
}

const round6 = (p: number) => Math.round(p * 1e6) / 1e6;
const logit = (p: number) => Math.log(p / (1 - p));

describe('flights with airport: which model answers', () => {
  // Minutes from asOf: already due, sooner than nowcast's horizons, both ends of them, beyond.
  const offsets = [-30, horizons.min - 1, horizons.min, 60, horizons.max, horizons.max + 1, 1440];
  const flights = offsets.map((minutes) => flightAt(minutes));
  const within = (minutes: number) => minutes >= horizons.min && minutes <= horizons.max;

  it('is nowcast within its horizons (ends included) and schedule outside, each marked', async () => {
    const answer = await answerTo({ flights, airport: { asOf: AS_OF, departures: BAD_MORNING } });
    expect(answer.predictions.map((p) => p.model)).toEqual(
      offsets.map((minutes) => (within(minutes) ? 'nowcast' : 'schedule')),
    );
    expect(answer.models).toEqual(
      [nowcastCard, scheduleCard].map(({ name, version, threshold }) => ({
        name,
        version,
        threshold: threshold.value,
      })),
    );
  });

  it("gives nowcast's flights its probabilities on their state, and the others schedule's", async () => {
    const answer = await answerTo({ flights, airport: { asOf: AS_OF, departures: BAD_MORNING } });
    const near = flights.filter((_, i) => within(offsets[i]!));
    const far = flights.filter((_, i) => !within(offsets[i]!));
    const nowcast = (await nowcastDirect(near, BAD_MORNING)).map(round6);
    const schedule = (await directProbabilities('models', 'schedule', far)).map(round6);
    expect(answer.predictions.map((p) => p.probability)).toEqual(
      offsets.map((minutes) => (within(minutes) ? nowcast.shift() : schedule.shift())),
    );
    for (const { model, probability, delayed } of answer.predictions) {
      const card = model === 'nowcast' ? nowcastCard : scheduleCard;
      expect(delayed).toBe(probability >= card.threshold.value);
    }
    // schedule's answer is the one the same flights get without the airport.
    const alone = (await (await post(server, '/predict', { flights: far })).json()) as {
      predictions: Array<{ probability: number }>;
    };
    expect(alone.predictions.map((p) => p.probability)).toEqual(
      answer.predictions.filter((p) => p.model === 'schedule').map((p) => p.probability),
    );
  });

  it('lists only the models that answered', async () => {
    const answer = await answerTo({
      flights: [flightAt(horizons.max + 60)],
      airport: { asOf: AS_OF, departures: [] },
    });
    expect(answer.models.map((m) => m.name)).toEqual(['schedule']);
  });
});

describe('flights with airport: the board', () => {
  it('reads it: the same flight is riskier after a bad morning than after a quiet one', async () => {
    const flights = [flightAt(60), flightAt(60, 'Sky Airline')];
    const quiet = await answerTo({ flights, airport: { asOf: AS_OF, departures: board(0) } });
    const bad = await answerTo({ flights, airport: { asOf: AS_OF, departures: BAD_MORNING } });
    bad.predictions.forEach((prediction, i) => {
      expect(prediction.probability).toBeGreaterThan(quiet.predictions[i]!.probability);
    });
  });

  it('echoes the airport-wide state it used, counted from the departures sent', async () => {
    const answer = await answerTo({
      flights: [flightAt(60)],
      airport: { asOf: '2017-07-14T11:30:00Z', departures: BAD_MORNING },
    });
    // July: Santiago is UTC-4, and the echo shows its wall clock.
    expect(answer.airport.asOf).toBe(AS_OF);
    expect(answer.airport.departures).toBe(BAD_MORNING.length);
    // A departure every 10 minutes, 45 minutes late; three on time the day before.
    const late = (departures: number) => ({ departures, delayedShare: 1, meanDelayMinutes: 45 });
    expect(answer.airport.windows).toEqual({
      '1h': late(6),
      '3h': late(18),
      '6h': late(36),
      ayer: { departures: 3, delayedShare: 0, meanDelayMinutes: 2 },
    });
  });

  it('takes an empty list: nothing has left yet', async () => {
    const flights = [flightAt(60)];
    const answer = await answerTo({ flights, airport: { asOf: AS_OF, departures: [] } });
    const empty = { departures: 0, delayedShare: 0, meanDelayMinutes: 0 };
    expect(answer.airport).toEqual({
      asOf: AS_OF,
      departures: 0,
      windows: { '1h': empty, '3h': empty, '6h': empty, ayer: empty },
    });
    expect(answer.predictions.map((p) => p.probability)).toEqual(
      (await nowcastDirect(flights, [])).map(round6),
    );
  });

  it('takes rows of the data set as departures', async () => {
    const { flights: rows } = example<{ flights: Departure[] }>('dataset-row-request');
    const answer = await answerTo({
      flights: [flightAt(60)],
      airport: { asOf: '2017-01-02 07:30:00', departures: rows },
    });
    expect(answer.airport.windows['ayer']!.departures).toBe(rows.length);
  });
});

describe('flights with airport, "explain": true', () => {
  const flights = [flightAt(60), flightAt(90, 'Sky Airline'), flightAt(horizons.max + 30)];

  it('explains both models’ predictions, adding up to the logit of each probability', async () => {
    const answer = await answerTo({
      flights,
      explain: true,
      airport: { asOf: AS_OF, departures: BAD_MORNING },
    });
    const direct = [
      ...(await nowcastDirect(flights.slice(0, 2), BAD_MORNING)),
      ...(await directProbabilities('models', 'schedule', flights.slice(2))),
    ];
    expect(answer.predictions.map((p) => p.model)).toEqual(['nowcast', 'nowcast', 'schedule']);
    answer.predictions.forEach(({ explanation }, i) => {
      const total = explanation!.contributions.reduce((sum, c) => sum + c.contribution, 0);
      expect(Math.abs(explanation!.base + total - logit(direct[i]!))).toBeLessThanOrEqual(1e-5);
    });
  });

  it("shows each state field with the flight's value, and none for schedule's", async () => {
    const answer = await answerTo({
      flights,
      explain: true,
      airport: { asOf: AS_OF, departures: BAD_MORNING },
    });
    const values = answer.predictions.map(
      ({ explanation }) =>
        new Map(explanation!.contributions.map(({ field, value }) => [field, value])),
    );
    const stateFields = nowcastCard.features.filter((name) => FEATURE_COLUMNS.state.includes(name));
    expect(stateFields.length).toBeGreaterThan(0);
    [60, 90].forEach((horizon, i) => {
      const expected = expectedState(plan(45), flights[i]!.OPERA, horizon);
      for (const name of stateFields) {
        expect(values[i]!.get(name), name).toBe(Math.round(expected.get(name)! * 1e4) / 1e4);
      }
    });
    for (const name of stateFields) expect(values[2]!.has(name), name).toBe(false);
  });
});

describe('flights with airport: the prediction log', () => {
  it('logs each flight under the model that scored it', async () => {
    // A destination no other test sends: entries of earlier answers may still be being written.
    const flights = [flightAt(60), flightAt(horizons.max + 30), flightAt(120, 'Sky Airline')].map(
      (flight) => ({ ...flight, SIGLADES: 'Punta Arenas' }),
    );
    const since = server.logs.length;
    const answer = await answerTo({ flights, airport: { asOf: AS_OF, departures: BAD_MORNING } });
    const logged = await vi.waitFor(() => {
      const entries = server.logs
        .slice(since)
        .map((line) => line['predictionLog'] as LoggedEntry | undefined)
        .filter(
          (entry): entry is LoggedEntry =>
            entry?.flights.some(({ input }) => input.SIGLADES === 'Punta Arenas') ?? false,
        );
      expect(entries).toHaveLength(2);
      return entries;
    });
    const byModel = new Map(logged.map((entry) => [entry.model.name, entry]));
    expect(byModel.get('nowcast')?.flights.map((f) => f.input)).toEqual([flights[0], flights[2]]);
    expect(byModel.get('schedule')?.flights.map((f) => f.input)).toEqual([flights[1]]);
    expect(byModel.get('nowcast')?.flights.map((f) => f.probability)).toEqual(
      [0, 2].map((i) => answer.predictions[i]!.probability),
    );
  });
});

interface LoggedEntry {
  model: { name: string };
  flights: Array<{ input: Record<string, unknown>; probability: number }>;
}

describe('flights with airport: refusals', () => {
  const flights = [flightAt(60)];

  it('refuses departures that left after asOf, naming each and saying why', async () => {
    const departures = [...board(0), ...[5, 20].map((left) => flightAt(left))].map(
      ({ OPERA, 'Fecha-I': scheduled }) => ({ OPERA, 'Fecha-I': scheduled, 'Fecha-O': scheduled }),
    );
    const response = await post(server, '/predict', {
      flights,
      airport: { asOf: AS_OF, departures },
    });
    expect(response.status).toBe(400);
    const problem = (await response.json()) as {
      type: string;
      detail: string;
      errors: Array<{ pointer: string; message: string }>;
    };
    expectSchema('problem.schema.json', problem);
    expect(problem.type).toBe(problemType('invalid-request'));
    expect(problem.detail).toContain('2 of the airport');
    const last = departures.length - 1;
    expect(problem.errors.map((e) => e.pointer)).toEqual([
      `/airport/departures/${last - 1}/Fecha-O`,
      `/airport/departures/${last}/Fecha-O`,
    ]);
    expect(problem.errors[0]!.message).toContain(`"${after(5)}" is after asOf "${AS_OF}"`);
  });

  it('takes a departure that left at asOf itself', async () => {
    const departures = [{ OPERA: 'Sky Airline', 'Fecha-I': after(-20), 'Fecha-O': AS_OF }];
    const answer = await answerTo({ flights, airport: { asOf: AS_OF, departures } });
    expect(answer.airport.windows['1h']!.departures).toBe(1);
  });

  it('refuses more than MAX_DEPARTURES with 413, before any schema work', async () => {
    const small = await startServer({ MAX_DEPARTURES: '3' });
    try {
      // Not even departures: the count alone refuses them.
      const response = await post(small, '/predict', {
        flights,
        airport: { asOf: AS_OF, departures: [1, 2, 3, 4] },
      });
      expect(response.status).toBe(413);
      const problem = (await response.json()) as { type: string; detail: string };
      expect(problem.type).toBe(problemType('too-many-flights'));
      expect(problem.detail).toBe(
        '"airport.departures" holds 4 departures; at most 3 are accepted per request (MAX_DEPARTURES)',
      );
      const three = BAD_MORNING.slice(0, 3);
      expect(
        (await post(small, '/predict', { flights, airport: { asOf: AS_OF, departures: three } }))
          .status,
      ).toBe(200);
    } finally {
      await small.close();
    }
  });

  it('takes two of the busiest days by default', async () => {
    const departures = Array.from({ length: 800 }, (_, i) => ({
      OPERA: 'Grupo LATAM',
      'Fecha-I': after(-i),
      'Fecha-O': after(-i),
    }));
    const answer = await answerTo({ flights, airport: { asOf: AS_OF, departures } });
    expect(answer.airport.departures).toBe(800);
    const response = await post(server, '/predict', {
      flights,
      airport: { asOf: AS_OF, departures: [...departures, departures[0]] },
    });
    expect(response.status).toBe(413);
  });

  it.each([
    [
      'a "vuelos" request',
      { vuelos: example<{ vuelos: unknown[] }>('seed-request').vuelos },
      '"vuelos"',
    ],
    [
      'LATAM flights',
      { flights: example<{ flights: unknown[] }>('latam-request').flights },
      'LATAM',
    ],
  ])('refuses airport on %s', async (_name, body, named) => {
    const response = await post(server, '/predict', {
      ...body,
      airport: { asOf: AS_OF, departures: [] },
    });
    expect(response.status).toBe(400);
    const problem = (await response.json()) as {
      detail: string;
      errors: Array<{ pointer: string; message: string }>;
    };
    expect(problem.errors[0]!.pointer).toBe('/airport');
    expect(problem.detail).toContain('Fecha-I');
    expect(problem.detail).toContain(named);
  });

  it('lists what is wrong in the board, by pointer, beside the flights’ violations', async () => {
    const response = await post(server, '/predict', {
      flights: [{ ...flights[0], OPERA: 'Grupo Latam' }],
      airport: {
        asOf: '2017-07-14 7:30',
        departures: [BAD_MORNING[0], { OPERA: 'Sky Airline', 'Fecha-I': AS_OF, gate: 3 }],
      },
    });
    expect(response.status).toBe(400);
    const problem = (await response.json()) as { errors: Array<{ pointer: string }> };
    expect(problem.errors.map((e) => e.pointer)).toEqual([
      '/flights/0/OPERA',
      '/airport/asOf',
      '/airport/departures/1/Fecha-O',
      '/airport/departures/1/gate',
    ]);
  });

  it('takes ?model=nowcast, and refuses another model for such a request', async () => {
    const body = { flights, airport: { asOf: AS_OF, departures: [] } };
    expect((await answerTo(body, '?model=nowcast')).predictions[0]!.model).toBe('nowcast');
    const response = await post(server, '/predict?model=schedule', body);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { detail: string }).detail).toContain(
      'send the flights without "airport" for schedule',
    );
  });
});
