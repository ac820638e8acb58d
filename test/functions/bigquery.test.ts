import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_ERROR_MESSAGE_LENGTH } from '../../functions/error-message.js';
import { BIGQUERY_EXAMPLES } from '../../functions/openapi.js';
import { example, expectSchema, readCard } from '../helpers/contract.js';
import { copyModels } from '../helpers/models.js';
import { post, startServer, type TestServer } from '../helpers/server.js';

type Call = unknown[];

interface Reply {
  probability: number;
  delayed: boolean;
  model: string;
  version: string;
}

const googleShaped = example<{ calls: Call[] }>('bigquery-request');
const flightsExample = example<{ flights: Array<Record<string, string>> }>('flights-request');
const good: Call = ['Grupo LATAM', 'N', '2017-07-14T08:30:00', 'Antofagasta'];

/** A request as BigQuery sends one, around `calls`. */
function request(calls: unknown, userDefinedContext?: Record<string, string>) {
  return {
    requestId: 'test-request',
    caller: '//bigquery.googleapis.com/projects/p/jobs/p:southamerica-west1.bquxjob_1',
    sessionUser: 'analyst@example.com',
    ...(userDefinedContext ? { userDefinedContext } : {}),
    calls,
  };
}

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ MAX_FLIGHTS: '100' });
});
afterAll(() => server.close());

async function replies(body: unknown): Promise<Array<Reply | null>> {
  const response = await post(server, '/bigquery', body);
  expect(response.status).toBe(200);
  const answer = (await response.json()) as { replies: Array<Reply | null> };
  expectSchema('bigquery-response.schema.json', answer);
  return answer.replies;
}

async function predicted(flights: unknown[]) {
  const response = await post(server, '/predict', { flights });
  return ((await response.json()) as { predictions: unknown[] }).predictions;
}

describe('POST /bigquery, valid calls', () => {
  it('answers the Google-shaped example with the probabilities /predict gives the same flights', async () => {
    // The example's calls are the flights example's flights, fecha_i as BigQuery encodes a
    // DATETIME (local time) or a TIMESTAMP (an instant) of the same departure.
    expectSchema('bigquery-request.schema.json', googleShaped);
    const answer = await replies(googleShaped);
    const { name, version } = readCard('models', 'schedule');
    expect(answer).toEqual(
      (await predicted(flightsExample.flights)).map((p) => ({
        ...(p as object),
        model: name,
        version,
      })),
    );
  });

  it.each([
    ['DATETIME, Santiago local time', '2017-07-14T08:30:00'],
    ['DATETIME with microseconds', '2017-07-14T08:30:00.000000'],
    ['TIMESTAMP, July (UTC-4)', '2017-07-14T12:30:00Z'],
    ['TIMESTAMP with microseconds', '2017-07-14T12:30:00.000000Z'],
    ['the data set form', '2017-07-14 08:30:00'],
  ])('reads fecha_i as %s', async (_encoding, fecha) => {
    const [reply] = await replies(request([['Grupo LATAM', 'N', fecha, 'Antofagasta']]));
    const [prediction] = await predicted([
      {
        OPERA: 'Grupo LATAM',
        TIPOVUELO: 'N',
        'Fecha-I': '2017-07-14 08:30:00',
        SIGLADES: 'Antofagasta',
      },
    ]);
    expect(reply).toMatchObject(prediction as object);
  });

  it('answers a repeated request with identical replies, also among concurrent requests', async () => {
    const calls = Array.from({ length: 50 }, (_, i): Call => [
      i % 2 ? 'Sky Airline' : 'Grupo LATAM',
      i % 3 ? 'N' : 'I',
      `2017-0${1 + (i % 9)}-1${i % 10}T${String(i % 24).padStart(2, '0')}:15:00`,
      i % 5 ? 'Lima' : 'Antofagasta',
    ]);
    const body = request(calls);
    const texts = await Promise.all(
      Array.from({ length: 8 }, async (_, i) => {
        // Other batches share the model's runs with these ones.
        if (i % 2) await post(server, '/bigquery', request(calls.slice(0, i)));
        return (await post(server, '/bigquery', body)).text();
      }),
    );
    expect(new Set(texts).size).toBe(1);
    expect(
      new Set((JSON.parse(texts[0]!) as { replies: Reply[] }).replies.map((r) => r.probability))
        .size,
    ).toBeGreaterThan(1);
  });

  it('ignores fields BigQuery may add to the protocol', async () => {
    expect(await replies({ ...request([good]), futureField: { x: 1 } })).toHaveLength(1);
  });
});

interface RefusedCase {
  name: string;
  body: unknown;
  status?: number;
  /** Texts the errorMessage must contain. */
  says: string[];
}

const refused: RefusedCase[] = [
  {
    name: 'an unknown airline, named with its call and argument',
    body: request([good, ['Grupo Latam', 'N', '2017-07-14T08:30:00', 'Antofagasta']]),
    says: ['1 violation in 1 of 2 calls', 'call 1 OPERA: "Grupo Latam" is not one of'],
  },
  {
    name: 'every violation of every call',
    body: request([
      ['Grupo LATAM', 'X', '2017-02-30T08:00:00', 'Antofagasta'],
      good,
      [null, 'N', '2017-08-13T00:30:00', ''],
    ]),
    says: [
      '5 violations in 2 of 3 calls',
      'call 0 TIPOVUELO: "X" is not one of "I", "N"',
      'call 0 fecha_i: "2017-02-30T08:00:00" is not a valid date and time',
      'call 2 OPERA: null is not one of',
      'call 2 fecha_i: "2017-08-13T00:30:00" does not exist in Santiago',
      'call 2 SIGLADES:',
    ],
  },
  {
    name: 'a NULL fecha_i',
    body: request([['Grupo LATAM', 'N', null, 'Antofagasta']]),
    says: ['call 0 fecha_i: must be string, not null'],
  },
  {
    name: 'a TIMESTAMP before 1970',
    body: request([['Grupo LATAM', 'N', '1969-12-31T23:00:00Z', 'Antofagasta']]),
    says: ['call 0 fecha_i: "1969-12-31T23:00:00Z" is outside the years 1970 to 2100'],
  },
  {
    name: 'a call with three arguments',
    body: request([['Grupo LATAM', 'N', '2017-07-14T08:30:00']]),
    says: ['call 0: must hold at least 4 items'],
  },
  {
    name: 'a call with five arguments',
    body: request([[...good, 'extra']]),
    says: ['call 0: must NOT have more than 4 items'],
  },
  {
    name: 'a call that is not an array',
    body: request([{ OPERA: 'Grupo LATAM' }]),
    says: ['call 0: must be array, not object'],
  },
  { name: 'no calls', body: { requestId: 'r' }, says: ['/calls is required'] },
  { name: 'an empty batch', body: request([]), says: ['/calls must hold at least 1 item'] },
  {
    name: 'a misspelt context option',
    body: request([good], { oninvalid: 'null' }),
    says: ['unknown field "oninvalid"'],
  },
  {
    name: 'an unknown on_invalid value, even with the bad call it would null',
    body: request([[null, 'N', '2017-07-14T08:30:00', 'Antofagasta']], { on_invalid: 'skip' }),
    says: ['/userDefinedContext/on_invalid "skip" is not one of "fail", "null"'],
  },
  {
    name: 'a body that is a JSON array',
    body: [good],
    says: ['/ must be object, not array'],
  },
  {
    name: 'more calls than MAX_FLIGHTS',
    body: request(Array.from({ length: 101 }, () => good)),
    status: 413,
    says: [
      '"calls" holds 101 flights; at most 100 are accepted per request (MAX_FLIGHTS)',
      'max_batching_rows',
    ],
  },
];

describe('POST /bigquery, refused requests: an errorMessage BigQuery shows and does not retry', () => {
  it.each(refused)('$name', async ({ body, status = 400, says }) => {
    const response = await post(server, '/bigquery', body);
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const answer = (await response.json()) as { errorMessage: string };
    expectSchema('bigquery-error.schema.json', answer);
    for (const text of says) expect(answer.errorMessage).toContain(text);
  });

  it('keeps the message under 1 KB and counts the violations it leaves out', async () => {
    const calls = Array.from({ length: 100 }, (): Call => [
      'Grupo Latam',
      'N',
      '2017-07-14T08:30:00',
      'x',
    ]);
    const response = await post(server, '/bigquery', request(calls));
    const { errorMessage } = (await response.json()) as { errorMessage: string };
    expect(errorMessage.length).toBeLessThanOrEqual(MAX_ERROR_MESSAGE_LENGTH);
    expect(errorMessage).toMatch(/^100 violations in 100 of 100 calls: call 0 OPERA/);
    const shown = errorMessage.split('; call ').length;
    expect(errorMessage).toMatch(new RegExp(`; and ${100 - shown} more$`));
  });

  it.each([
    ['not JSON (answered by the edge)', '{"calls": [', 'application/json', 400],
    ['not application/json', 'calls', 'text/plain', 415],
  ])('answers a body %s in the same shape', async (_name, body, type, status) => {
    const response = await post(server, '/bigquery', body, type);
    expect(response.status).toBe(status);
    expectSchema('bigquery-error.schema.json', await response.json());
  });
});

describe('POST /bigquery with userDefinedContext on_invalid "null"', () => {
  it('answers null to each invalid call, scores the rest, and logs how many were null', async () => {
    const bad: Call = ['Grupo Latam', 'N', '2017-07-14T08:30:00', 'Antofagasta'];
    const other: Call = ['Sky Airline', 'I', '2017-12-23T02:10:00Z', 'Lima'];
    const before = server.logs.length;
    const answer = await replies(request([good, bad, other, [good[0]]], { on_invalid: 'null' }));
    const valid = await replies(request([good, other]));
    expect(answer).toEqual([valid[0], null, valid[1], null]);
    expect(server.logs.slice(before)).toContainEqual(
      expect.objectContaining({
        severity: 'WARNING',
        requestId: 'test-request',
        calls: 4,
        nullReplies: 2,
      }),
    );
  });

  it('answers only nulls when no call is valid', async () => {
    expect(await replies(request([[null, null, null, null]], { on_invalid: 'null' }))).toEqual([
      null,
    ]);
  });

  it('still refuses a request whose fault is outside the calls', async () => {
    const response = await post(server, '/bigquery', {
      ...request([good], { on_invalid: 'null' }),
      calls: 'x',
    });
    expect(response.status).toBe(400);
  });
});

describe('POST /bigquery while the model is unavailable', () => {
  it('answers 503, which BigQuery retries, with an errorMessage', async () => {
    const models = copyModels();
    const broken = await startServer({ MODELS_DIR: models.dir });
    try {
      models.write('schedule.onnx', models.read('schedule.onnx').subarray(0, 1000));
      const response = await post(broken, '/bigquery', request([good]));
      expect(response.status).toBe(503);
      const { errorMessage } = (await response.json()) as { errorMessage: string };
      expect(errorMessage).toContain('model "schedule" is unavailable');
    } finally {
      await broken.close();
      models.remove();
    }
  });
});

describe('the OpenAPI example', () => {
  it.each(Object.entries(BIGQUERY_EXAMPLES))('%s is answered', async (_name, { value }) => {
    expect(await replies(value)).toHaveLength(value.calls.length);
  });
});
