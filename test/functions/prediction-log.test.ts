/**
 * The prediction log (LOG_PREDICTIONS): the entries each sampled request writes, checked against
 * their schema, the request that was sent and the answer that came back, through the function's
 * real server; their bound of 64 KiB a line on the largest request; the sampling; an answer that
 * logging leaves byte for byte as it was; and the requests of one turn logged in one write.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import entrySchema from '../../schemas/prediction-log-entry.schema.json' with { type: 'json' };
import seedFlightSchema from '../../schemas/seed-flight.schema.json' with { type: 'json' };
import { createAjv } from '../../functions/contract-schemas.js';
import { latamSeedRows, type LatamFlight } from '../../functions/latam.js';
import { createLog, MAX_LOG_LINE_BYTES } from '../../functions/logging.js';
import { createPredictionLog } from '../../functions/prediction-log.js';
import { runProcess, startSource, type FunctionProcess } from '../../scripts/lib/process.js';
import { directProbabilities, example, readCard } from '../helpers/contract.js';
import { startServer, type TestServer } from '../helpers/server.js';

interface LoggedFlight {
  input: Record<string, unknown>;
  probability: number;
  delayed: boolean;
}

interface PredictionLogLine {
  severity: string;
  message: string;
  predictionLog: {
    requestId: string;
    chunk: number;
    chunks: number;
    endpoint: string;
    shape: string;
    model: { name: string; version: string };
    threshold: number;
    flights: LoggedFlight[];
  };
  [field: string]: unknown;
}

const validateEntry = createAjv().compile(entrySchema);

const TRACE_ID = '0123456789abcdef0123456789abcdef';
const TRACE_HEADER = `${TRACE_ID}/42;o=1`;

function post(server: { url: string }, path: string, body: unknown) {
  return fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-cloud-trace-context': TRACE_HEADER },
    body: JSON.stringify(body),
  });
}

/** The prediction log entries among `lines`. */
function entriesIn(lines: ReadonlyArray<Record<string, unknown>>): PredictionLogLine[] {
  return lines.filter((line) => 'predictionLog' in line) as unknown as PredictionLogLine[];
}

/** The entries of the one request logged after line `since`, once all are written, in order. */
async function requestEntries(server: TestServer, since: number): Promise<PredictionLogLine[]> {
  return vi.waitFor(
    () => {
      // A line functions/logging.ts had to cut would have lost its entry.
      expect(server.logs.slice(since).filter((line) => 'truncated' in line)).toEqual([]);
      const entries = entriesIn(server.logs.slice(since));
      expect(entries.length).toBeGreaterThan(0);
      expect(entries).toHaveLength(entries[0]!.predictionLog.chunks);
      return entries;
    },
    { timeout: 10_000 },
  );
}

/** An immediate scheduled by the server before this call has run once this resolves. */
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

const seedRequest = example<{ vuelos: Array<Record<string, boolean>> }>('seed-request');
const flightsRequest = example<{ flights: Array<Record<string, string>> }>('flights-request');
const explainedRequest = example<{ flights: Array<Record<string, string>> }>('explained-request');
const latamRequest = example<{ flights: LatamFlight[] }>('latam-request');
const bigqueryRequest = example<{ calls: string[][] }>('bigquery-request');

const scheduled = (flight: Record<string, string>) => ({
  OPERA: flight.OPERA,
  TIPOVUELO: flight.TIPOVUELO,
  'Fecha-I': flight['Fecha-I'],
  SIGLADES: flight.SIGLADES,
});
const onlyTrue = (row: Record<string, boolean>) =>
  Object.fromEntries(Object.entries(row).filter(([, value]) => value));

/** The flights the log must hold: the request's inputs with the answer's decisions. */
interface Expected {
  model: string;
  flights: LoggedFlight[];
}

/** Labels answered for seed rows, beside the probabilities the model gives them directly. */
async function labelled(
  model: string,
  rows: Array<Record<string, boolean>>,
  inputs: Array<Record<string, unknown>>,
  labels: Array<0 | 1>,
): Promise<Expected> {
  const probabilities = await directProbabilities('models', model, rows);
  return {
    model,
    flights: inputs.map((input, i) => ({
      input,
      probability: probabilities[i]!,
      delayed: labels[i] === 1,
    })),
  };
}

interface Case {
  name: string;
  path: string;
  body: unknown;
  shape: string;
  expected: (answer: unknown) => Promise<Expected> | Expected;
}

const bigqueryWithInvalid = {
  ...bigqueryRequest,
  userDefinedContext: { on_invalid: 'null' },
  calls: [...bigqueryRequest.calls, ['Grupo LATAM', 'X', '2017-07-14T08:30:00', 'Lima']],
};

const CASES: Case[] = [
  {
    name: 'a flights request',
    path: '/predict',
    body: flightsRequest,
    shape: 'flights',
    expected: (answer) => {
      const { model, predictions } = answer as {
        model: { name: string };
        predictions: Array<{ probability: number; delayed: boolean }>;
      };
      return {
        model: model.name,
        flights: flightsRequest.flights.map((flight, i) => ({
          input: scheduled(flight),
          ...predictions[i]!,
        })),
      };
    },
  },
  {
    name: 'an explained flights request, without the explanations',
    path: '/predict',
    body: explainedRequest,
    shape: 'flights',
    expected: (answer) => {
      const { predictions } = answer as {
        predictions: Array<{ probability: number; delayed: boolean }>;
      };
      return {
        model: 'schedule',
        flights: explainedRequest.flights.map((flight, i) => ({
          input: scheduled(flight),
          probability: predictions[i]!.probability,
          delayed: predictions[i]!.delayed,
        })),
      };
    },
  },
  {
    name: 'a vuelos request',
    path: '/predict',
    body: seedRequest,
    shape: 'vuelos',
    expected: (answer) =>
      labelled(
        'onehot-37',
        seedRequest.vuelos,
        seedRequest.vuelos.map(onlyTrue),
        answer as Array<0 | 1>,
      ),
  },
  {
    name: 'a vuelos request to the original model',
    path: '/predict?model=original',
    body: seedRequest,
    shape: 'vuelos',
    expected: (answer) =>
      labelled(
        'original',
        seedRequest.vuelos,
        seedRequest.vuelos.map(onlyTrue),
        answer as Array<0 | 1>,
      ),
  },
  {
    name: 'a LATAM request',
    path: '/predict',
    body: latamRequest,
    shape: 'latam',
    expected: (answer) =>
      labelled(
        'onehot-37',
        latamSeedRows(latamRequest.flights),
        latamRequest.flights.map(({ OPERA, TIPOVUELO, MES }) => ({ OPERA, TIPOVUELO, MES })),
        (answer as { predict: Array<0 | 1> }).predict,
      ),
  },
  {
    name: 'a /bigquery request, without the calls answered null',
    path: '/bigquery',
    body: bigqueryWithInvalid,
    shape: 'bigquery',
    expected: (answer) => {
      const { replies } = answer as {
        replies: Array<{ probability: number; delayed: boolean; model: string } | null>;
      };
      expect(replies.at(-1)).toBeNull();
      return {
        model: replies[0]!.model,
        flights: bigqueryWithInvalid.calls.flatMap((call, i) => {
          const reply = replies[i];
          if (!reply) return [];
          const [OPERA, TIPOVUELO, fechaI, SIGLADES] = call;
          const input = { OPERA, TIPOVUELO, 'Fecha-I': fechaI, SIGLADES };
          return [{ input, probability: reply.probability, delayed: reply.delayed }];
        }),
      };
    },
  },
];

describe('with LOG_PREDICTIONS=1', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ LOG_PREDICTIONS: '1', GOOGLE_CLOUD_PROJECT: 'ops-example' });
  });
  afterAll(() => server.close());

  it.each(CASES)(
    '$name writes entries of the schema holding its inputs and answers',
    async ({ path, body, shape, expected }) => {
      const since = server.logs.length;
      const response = await post(server, path, body);
      expect(response.status).toBe(200);
      const want = await expected(await response.json());
      const entries = await requestEntries(server, since);
      for (const entry of entries) {
        expect(validateEntry(entry), JSON.stringify(validateEntry.errors)).toBe(true);
      }
      const [first] = entries;
      const { requestId } = first!.predictionLog;
      const card = readCard('models', want.model);
      expect(first).toMatchObject({
        severity: 'INFO',
        message: `predictions 1/${entries.length} of request ${requestId}`,
        'logging.googleapis.com/trace': `projects/ops-example/traces/${TRACE_ID}`,
        'logging.googleapis.com/spanId': '42',
        predictionLog: {
          chunk: 0,
          endpoint: path.replace(/\?.*/, ''),
          shape,
          model: { name: card.name, version: card.version },
          threshold: card.threshold.value,
        },
      });
      expect(entries.flatMap((entry) => entry.predictionLog.flights)).toEqual(want.flights);
    },
  );

  it('logs every flight of a 10,000-flight request, in order, in lines of at most 64 KiB', async () => {
    // The widest flight validation admits: the longest airline, a scheduled time with a fraction
    // and an offset, and 100 characters of destination that JSON escapes to 6 bytes each.
    const flight = {
      OPERA: 'Plus Ultra Lineas Aereas',
      TIPOVUELO: 'I',
      'Fecha-I': '2017-07-14T08:30:00.123456789-03:00',
      SIGLADES: '\u0001'.repeat(100),
    };
    const flights = Array.from({ length: 10_000 }, (_, i) => ({
      ...flight,
      // Distinct flights, so that the order shows.
      'Fecha-I': `2017-07-${String(1 + (i % 28)).padStart(2, '0')}T${String(i % 24).padStart(2, '0')}:30:00.123456789-03:00`,
    }));
    const since = server.logs.length;
    const response = await post(server, '/predict', { flights });
    expect(response.status).toBe(200);
    const { predictions } = (await response.json()) as {
      predictions: Array<{ probability: number; delayed: boolean }>;
    };
    const entries = await requestEntries(server, since);
    expect(entries.length).toBeGreaterThan(1);
    // The lines were written as JSON.stringify writes these objects, which parse and print back
    // to the same text.
    const lines = entries.map((entry) => `${JSON.stringify(entry)}\n`);
    lines.forEach((line, chunk) => {
      expect(Buffer.byteLength(line)).toBeLessThanOrEqual(MAX_LOG_LINE_BYTES);
      expect(entries[chunk]!.predictionLog.chunk).toBe(chunk);
      expect(validateEntry(entries[chunk]), JSON.stringify(validateEntry.errors)).toBe(true);
    });
    // Filled greedily: the first flight of each entry would not have fitted in the one before.
    for (let chunk = 0; chunk + 1 < entries.length; chunk++) {
      const next = entries[chunk + 1]!.predictionLog.flights[0];
      const grown = Buffer.byteLength(lines[chunk]!) + 1 + Buffer.byteLength(JSON.stringify(next));
      expect(grown).toBeGreaterThan(MAX_LOG_LINE_BYTES);
    }
    const logged = entries.flatMap((entry) => entry.predictionLog.flights);
    expect(logged.map((f) => f.input)).toEqual(flights.map(scheduled));
    expect(logged.map(({ probability, delayed }) => ({ probability, delayed }))).toEqual(
      predictions,
    );
  });
});

describe('the schema', () => {
  it("names exactly the seed format's columns", () => {
    expect(entrySchema.$defs.seedInput.propertyNames.enum).toEqual(seedFlightSchema.required);
  });
});

describe('with LOG_PREDICTIONS=0', () => {
  let quiet: TestServer;
  let logging: TestServer;
  beforeAll(async () => {
    quiet = await startServer({ LOG_PREDICTIONS: '0' });
    logging = await startServer({ LOG_PREDICTIONS: '1' });
  });
  afterAll(() => Promise.all([quiet.close(), logging.close()]));

  it.each(CASES)('$name is answered exactly as with logging, and logs nothing', async (c) => {
    const [without, withLog] = await Promise.all(
      [quiet, logging].map(async (server) => {
        const response = await post(server, c.path, c.body);
        return {
          status: response.status,
          type: response.headers.get('content-type'),
          bytes: Buffer.from(await response.arrayBuffer()),
        };
      }),
    );
    expect(withLog).toEqual(without);
    await nextTurn();
    expect(entriesIn(quiet.logs)).toEqual([]);
  });
});

describe('with LOG_PREDICTIONS=0.5', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ LOG_PREDICTIONS: '0.5' });
  });
  afterAll(() => server.close());

  it('logs some requests and not others', async () => {
    const requests = 200;
    for (let i = 0; i < requests; i++) {
      const response = await post(server, '/predict', { flights: [flightsRequest.flights[0]] });
      expect(response.status).toBe(200);
    }
    await nextTurn();
    const logged = new Set(entriesIn(server.logs).map((entry) => entry.predictionLog.requestId));
    // Binomial(200, 0.5): outside 50..150 is seven standard deviations away.
    expect(logged.size).toBeGreaterThanOrEqual(50);
    expect(logged.size).toBeLessThanOrEqual(150);
  });
});

describe('createPredictionLog', () => {
  const card = { name: 'schedule', version: '1', threshold: { value: 0.3 } };
  const batchOf = (flights: number) => ({
    shape: 'flights' as const,
    card,
    inputs: Array.from({ length: flights }, () => flightsRequest.flights[0]),
    probabilities: new Float32Array(flights).fill(0.5),
  });

  /** A prediction log drawing every request, and the text of each write it made. */
  function capture() {
    const writes: string[] = [];
    const log = createLog((lines) => writes.push(lines));
    return { logPredictions: createPredictionLog({ rate: 1, log, project: 'p' }), writes };
  }

  /** The lines of one write, each within the bound and parsed. */
  function linesOf(written: string): PredictionLogLine[] {
    expect(written.endsWith('\n')).toBe(true);
    return written
      .slice(0, -1)
      .split('\n')
      .map((line) => {
        expect(Buffer.byteLength(line) + 1).toBeLessThanOrEqual(MAX_LOG_LINE_BYTES);
        return JSON.parse(line) as PredictionLogLine;
      });
  }

  it('logs the requests drawn in one turn after it, in one write of a valid line per entry', async () => {
    const { logPredictions, writes } = capture();
    // The third needs several lines of at most 64 KiB.
    const sizes = [1, 3, 2000, 1];
    for (const size of sizes) logPredictions(batchOf(size), TRACE_HEADER);
    expect(writes).toEqual([]);
    await nextTurn();
    expect(writes).toHaveLength(1);
    const entries = linesOf(writes[0]!);
    for (const entry of entries) {
      expect(validateEntry(entry), JSON.stringify(validateEntry.errors)).toBe(true);
    }
    const requests = [...new Set(entries.map((entry) => entry.predictionLog.requestId))];
    expect(requests).toHaveLength(sizes.length);
    requests.forEach((requestId, i) => {
      const own = entries.filter((entry) => entry.predictionLog.requestId === requestId);
      expect(own.map((entry) => entry.predictionLog.chunk)).toEqual(own.map((_, chunk) => chunk));
      expect(own.flatMap((entry) => entry.predictionLog.flights)).toHaveLength(sizes[i]!);
    });
    expect(entries.filter((e) => e.predictionLog.chunks > 1).length).toBeGreaterThan(1);

    logPredictions(batchOf(1), TRACE_HEADER);
    await nextTurn();
    expect(writes).toHaveLength(2);
    expect(linesOf(writes[1]!)).toHaveLength(1);
  });

  it('logs one error for a request whose entries cannot be built, and the others in full', async () => {
    const { logPredictions, writes } = capture();
    const unreadable = { ...batchOf(1), inputs: [null] };
    for (const batch of [batchOf(2), unreadable, batchOf(1)]) logPredictions(batch, TRACE_HEADER);
    await nextTurn();
    const [first, error, last, ...rest] = linesOf(writes.join(''));
    expect(rest).toEqual([]);
    expect(first!.predictionLog.flights).toHaveLength(2);
    expect(error).toEqual({
      severity: 'ERROR',
      message: error!.message,
      'logging.googleapis.com/trace': `projects/p/traces/${TRACE_ID}`,
      'logging.googleapis.com/spanId': '42',
    });
    expect(error!.message).toMatch(/^prediction log entries could not be built: /);
    expect(last!.predictionLog.flights).toHaveLength(1);
  });

  it('logs the requests drawn before the process exits, though their turn never ends', async () => {
    // process.exit in the turn that drew the request, as the intake's grace period ends.
    const script = `
      import { createLog } from './functions/logging.ts';
      import { createPredictionLog } from './functions/prediction-log.ts';
      const logPredictions = createPredictionLog({ rate: 1, log: createLog(), project: undefined });
      const inputs = ${JSON.stringify([flightsRequest.flights[0]])};
      const card = ${JSON.stringify(card)};
      logPredictions({ shape: 'flights', card, inputs, probabilities: Float32Array.of(0.5) }, undefined);
      process.exit(0);
    `;
    const run = await runProcess(process.execPath, [
      '--import=tsx',
      '--input-type=module',
      '--eval',
      script,
    ]);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const [entry, ...rest] = linesOf(run.stdout);
    expect(rest).toEqual([]);
    expect(validateEntry(entry), JSON.stringify(validateEntry.errors)).toBe(true);
  });
});

describe('npm start with LOG_PREDICTIONS=1', () => {
  let running: FunctionProcess;
  beforeAll(async () => {
    running = await startSource({ LOG_PREDICTIONS: '1' });
  });
  afterAll(() => running.stop());

  it('writes the entries to stdout, one JSON line each', async () => {
    const response = await post(running, '/predict', flightsRequest);
    expect(response.status).toBe(200);
    const entry = await vi.waitFor(() => {
      const lines = running
        .output()
        .split('\n')
        .filter((line) => line.includes('"predictionLog"'));
      expect(lines).toHaveLength(1);
      return JSON.parse(lines[0]!) as PredictionLogLine;
    });
    expect(validateEntry(entry), JSON.stringify(validateEntry.errors)).toBe(true);
    expect(entry.predictionLog.flights.map((f) => f.input)).toEqual(
      flightsRequest.flights.map(scheduled),
    );
  });
});
