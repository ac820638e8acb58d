/**
 * Whatever a client sends, the function answers 4xx with a problem document (or 200 for what is
 * valid) — never a 5xx, never a hang — keeps serving, and logs only JSON lines. A fixed corpus of
 * known-bad requests, then generated ones, against the function started as `npm start` starts it:
 * bodies the Functions Framework's parsers reject before the function runs included.
 */
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '../../functions/intake.js';
import { MAX_LISTED_VIOLATIONS, type Violation } from '../../functions/errors.js';
import { MAX_LOG_LINE_BYTES } from '../../functions/logging.js';
import { example, expectSchema } from '../helpers/contract.js';
import { startSource, type FunctionProcess } from '../../scripts/lib/process.js';

const seed = example<{ vuelos: Array<Record<string, boolean>> }>('seed-request');
const flights = example<{ flights: Array<Record<string, unknown>> }>('flights-request');
const flight = flights.flights[0]!;

let server: FunctionProcess;
beforeAll(async () => {
  server = await startSource();
});
afterAll(() => server.stop());

interface Sent {
  method?: string;
  contentType?: string | null;
  headers?: Record<string, string>;
  body?: string | Blob;
}

async function send({ method = 'POST', contentType = 'application/json', headers, body }: Sent) {
  const response = await fetch(`${server.url}/predict`, {
    method,
    headers: { ...(contentType ? { 'content-type': contentType } : {}), ...headers },
    ...(body === undefined ? {} : { body }),
    // A hang fails the test instead of stalling it.
    signal: AbortSignal.timeout(30_000),
  });
  return {
    status: response.status,
    type: response.headers.get('content-type') ?? '',
    text: await response.text(),
  };
}

/** A 4xx problem document, valid against the schema, without internals. */
function expectProblem(answer: { status: number; type: string; text: string }, status?: number) {
  if (status) expect(answer.status).toBe(status);
  expect(answer.status).toBeGreaterThanOrEqual(400);
  expect(answer.status).toBeLessThan(500);
  expect(answer.type).toBe('application/problem+json; charset=utf-8');
  expectSchema('problem.schema.json', JSON.parse(answer.text));
  expect(answer.text).not.toMatch(/ at .+\.(ts|js):\d+|node_modules/);
}

async function expectStillServing() {
  const answer = await send({ body: JSON.stringify(seed) });
  expect(answer.status).toBe(200);
}

/** `value` as a JSON body; `replace` then swaps one JSON fragment for raw text. */
const json = (value: unknown, replace?: string, by?: string) => {
  const body = JSON.stringify(value);
  return { body: replace === undefined ? body : body.replace(replace, by ?? '') };
};
const mapValues = <T>(object: Record<string, unknown>, to: () => T) =>
  Object.fromEntries(Object.keys(object).map((key) => [key, to()]));
const deep = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
const bytes = (...parts: Array<string | number[]>) =>
  new Blob(parts.map((part) => (typeof part === 'string' ? part : new Uint8Array(part))));

const corpus: Array<{ name: string; status: number; sent: Sent }> = [
  {
    name: 'wrong types in every seed key',
    status: 400,
    sent: json({ vuelos: [mapValues(seed.vuelos[0]!, () => 'yes')] }),
  },
  {
    name: 'nulls everywhere',
    status: 400,
    sent: json({ flights: [mapValues(flight, () => null)] }),
  },
  { name: 'null batch', status: 400, sent: json({ flights: null }) },
  { name: 'null flight', status: 400, sent: json({ flights: [null] }) },
  {
    name: 'numbers beyond double range',
    status: 400,
    sent: {
      body: JSON.stringify({ flights: [{ ...flight, DIA: 0 }] }).replace(
        '"DIA":0',
        '"DIA":1e400,"AÑO":-1e308',
      ),
    },
  },
  {
    name: 'five-digit year',
    status: 400,
    sent: json({ flights: [{ ...flight, 'Fecha-I': '99999-01-01 10:00:00' }] }),
  },
  {
    name: 'extra keys at every level',
    status: 400,
    sent: json({ flights: [{ ...flight, extra: 1 }], extra: 2 }),
  },
  {
    name: 'unicode look-alike airline',
    status: 400,
    sent: json({ flights: [{ ...flight, OPERA: 'Grupo LΑTAM' }] }),
  },
  {
    name: 'airline with a NUL byte',
    status: 400,
    sent: json({ flights: [{ ...flight, OPERA: 'Grupo LATAM\u0000' }] }),
  },
  {
    name: 'right-to-left override in the flight type',
    status: 400,
    sent: json({ flights: [{ ...flight, TIPOVUELO: '\u202eN' }] }),
  },
  {
    name: 'emoji in the date',
    status: 400,
    sent: json({ flights: [{ ...flight, 'Fecha-I': '2017-01-01 1🕐:00:00' }] }),
  },
  {
    name: 'array 100,000 deep where a flight belongs',
    status: 400,
    sent: { body: `{"flights":[${deep(100_000)}]}` },
  },
  {
    name: 'array 100,000 deep in an enum field',
    status: 400,
    sent: json({ flights: [{ ...flight, OPERA: 0 }] }, '"OPERA":0', `"OPERA":${deep(100_000)}`),
  },
  {
    name: '10,001 flights',
    status: 413,
    sent: json({ flights: Array.from({ length: 10_001 }, () => flight) }),
  },
  {
    name: '10,001 seed rows',
    status: 413,
    sent: json({ vuelos: Array.from({ length: 10_001 }, () => seed.vuelos[0]) }),
  },
  {
    name: 'a 30 MB destination',
    status: 400,
    sent: json({ flights: [{ ...flight, SIGLADES: 'x'.repeat(30 * 1024 * 1024) }] }),
  },
  {
    name: 'a 30 MB batch',
    status: 413,
    sent: json({ flights: Array.from({ length: 300_000 }, () => flight) }),
  },
  { name: 'empty body', status: 400, sent: { body: '' } },
  // Bodies the framework's parser rejects before the function runs.
  { name: 'truncated JSON', status: 400, sent: { body: JSON.stringify(seed).slice(0, 200) } },
  { name: 'trailing garbage', status: 400, sent: { body: `${JSON.stringify(seed)}}` } },
  { name: 'single quotes', status: 400, sent: { body: "{'vuelos': []}" } },
  { name: 'null', status: 400, sent: { body: 'null' } },
  { name: 'a number', status: 400, sent: { body: '1' } },
  { name: 'a bare string', status: 400, sent: { body: '"hello"' } },
  { name: 'only whitespace', status: 400, sent: { body: '  \n\t ' } },
  {
    name: 'invalid UTF-8 inside a string',
    status: 400,
    sent: { body: bytes('{"flights":[{"SIGLADES":"Lima', [0xff, 0xfe], '"}]}') },
  },
  {
    name: 'a body declared larger than 32 MiB',
    status: 413,
    sent: { body: ' '.repeat(MAX_BODY_BYTES + 1) },
  },
  {
    name: 'charset latin1',
    status: 415,
    sent: { contentType: 'application/json; charset=latin1', body: JSON.stringify(seed) },
  },
  {
    name: 'charset utf-16',
    status: 415,
    sent: { contentType: 'application/json; charset=utf-16', body: JSON.stringify(seed) },
  },
  {
    name: 'gzip',
    status: 415,
    sent: {
      headers: { 'content-encoding': 'gzip' },
      body: new Blob([gzipSync(JSON.stringify(seed))]),
    },
  },
  {
    name: 'an encoding nobody knows',
    status: 415,
    sent: { headers: { 'content-encoding': 'x-unknown' }, body: JSON.stringify(seed) },
  },
  { name: 'no content type', status: 415, sent: { contentType: null, body: JSON.stringify(seed) } },
  { name: 'XML', status: 415, sent: { contentType: 'application/xml', body: '<vuelos/>' } },
  {
    name: 'JSON sent as text/plain',
    status: 415,
    sent: { contentType: 'text/plain', body: JSON.stringify(seed) },
  },
  {
    name: 'binary',
    status: 415,
    sent: {
      contentType: 'application/octet-stream',
      body: new Blob([new Uint8Array([0, 1, 2, 255])]),
    },
  },
  { name: 'PUT', status: 405, sent: { method: 'PUT', body: JSON.stringify(seed) } },
  { name: 'DELETE', status: 405, sent: { method: 'DELETE' } },
  { name: 'OPTIONS', status: 405, sent: { method: 'OPTIONS' } },
];

describe('a corpus of malformed requests', () => {
  it.each(corpus)('$name → $status problem document', async ({ status, sent }) => {
    expectProblem(await send(sent), status);
    await expectStillServing();
  });
});

describe('generated requests', () => {
  const anyStatusBut5xx = async (body: unknown) => {
    const answer = await send(json(body));
    if (answer.status === 200) return;
    expectProblem(answer);
  };

  it('answers any JSON value with 200 or a 4xx problem document', async () => {
    const body = fc.jsonValue();
    await fc.assert(fc.asyncProperty(body, anyStatusBut5xx), { numRuns: 200 });
  });

  it('answers flights with arbitrary field values with 200 or a 4xx problem document', async () => {
    const value = fc.oneof(
      fc.string(),
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.jsonValue(),
    );
    const field = (name: string) => fc.oneof(fc.constant(flight[name]), value);
    const mutated = fc.record(
      {
        OPERA: field('OPERA'),
        TIPOVUELO: field('TIPOVUELO'),
        'Fecha-I': field('Fecha-I'),
        SIGLADES: field('SIGLADES'),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(fc.array(mutated, { maxLength: 5 }), (batch) =>
        anyStatusBut5xx({ flights: batch }),
      ),
      { numRuns: 200 },
    );
  });

  it('never fails on a scheduled time that validation let through', async () => {
    const digits = (n: number) => fc.stringMatching(new RegExp(`^\\d{${n}}$`));
    const time = fc
      .tuple(
        digits(4),
        digits(2),
        digits(2),
        fc.constantFrom(' ', 'T'),
        digits(2),
        digits(2),
        digits(2),
        fc.constantFrom('', 'Z', '-03:00', '+14:00', '.5', '-99:99'),
      )
      .map(([y, mo, d, sep, h, mi, s, tail]) => `${y}-${mo}-${d}${sep}${h}:${mi}:${s}${tail}`);
    await fc.assert(
      fc.asyncProperty(time, (text) =>
        anyStatusBut5xx({ flights: [{ ...flight, 'Fecha-I': text }] }),
      ),
      { numRuns: 300 },
    );
  });

  it('answers seed rows with arbitrary booleans, missing and extra keys', async () => {
    const keys = Object.keys(seed.vuelos[0]!);
    const row = fc.dictionary(
      fc.oneof(fc.constantFrom(...keys), fc.string()),
      fc.oneof(fc.boolean(), fc.jsonValue()),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(row, { maxLength: 4 }), (rows) =>
        anyStatusBut5xx({ vuelos: rows }),
      ),
      {
        numRuns: 200,
      },
    );
    await expectStillServing();
  });
});

/** POSTs `value` as JSON to `path`; the answer's status and parsed body. */
async function postJson(path: string, value: unknown) {
  const response = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(value),
    signal: AbortSignal.timeout(60_000),
  });
  const text = await response.text();
  return { status: response.status, text, body: JSON.parse(text) as Record<string, unknown> };
}

describe('a full batch of invalid items, then a valid one', () => {
  const size = 10_000;

  it('/predict lists the first violations, counts the rest, then scores', async () => {
    // Eight violations per flight: two values off their enums, a date that is none, a number for
    // a name, four unknown fields.
    const bad = { OPERA: 'x', TIPOVUELO: 'y', 'Fecha-I': 'z', SIGLADES: 1, a: 1, b: 2, c: 3, d: 4 };
    const perFlight = ['OPERA', 'TIPOVUELO', 'Fecha-I', 'SIGLADES', 'a', 'b', 'c', 'd'];
    const refused = await postJson('/predict', {
      flights: Array.from({ length: size }, () => bad),
    });
    expect(refused.status).toBe(400);
    const problem = refused.body as { detail: string; errors: Violation[]; omitted: number };
    expectSchema('problem.schema.json', problem);
    expect(problem.detail).toContain(`(${size * perFlight.length} violations)`);
    expect(problem.errors).toHaveLength(MAX_LISTED_VIOLATIONS);
    expect(problem.omitted).toBe(size * perFlight.length - MAX_LISTED_VIOLATIONS);
    // In order: every violation of the first flights, then the next flight's first ones.
    const pointers = problem.errors.map(({ pointer }) => pointer);
    expect(new Set(pointers.slice(0, perFlight.length))).toEqual(
      new Set(perFlight.map((field) => `/flights/0/${field}`)),
    );
    const last = Math.floor((MAX_LISTED_VIOLATIONS - 1) / perFlight.length);
    expect(pointers.at(-1)).toMatch(new RegExp(`^/flights/${last}/`));

    const scored = await postJson('/predict', {
      flights: Array.from({ length: size }, () => flight),
    });
    expect(scored.status).toBe(200);
    expect(scored.body['predictions']).toHaveLength(size);
  });

  it('/bigquery names the first violations in its errorMessage, counts all, then scores', async () => {
    const refused = await postJson('/bigquery', {
      calls: Array.from({ length: size }, () => ['x', 'y', 'z', 1]),
    });
    expect(refused.status).toBe(400);
    expectSchema('bigquery-error.schema.json', refused.body);
    const message = String(refused.body['errorMessage']);
    expect(message).toMatch(
      new RegExp(`^${size * 4} violations in ${size} of ${size} calls: call 0 OPERA: "x" is not`),
    );
    const shown = message.split(/[:;] call \d+ /).length - 1;
    expect(message).toMatch(new RegExp(`; and ${size * 4 - shown} more$`));

    const good = ['Grupo LATAM', 'N', '2017-07-14T08:30:00', 'Antofagasta'];
    const scored = await postJson('/bigquery', { calls: Array.from({ length: size }, () => good) });
    expect(scored.status).toBe(200);
    expect(scored.body['replies']).toHaveLength(size);
  });
});

describe('what a client sends comes back short', () => {
  const name = 'k'.repeat(10 * 1024 * 1024);

  it.each([
    ['a flight', { flights: [{ ...flight, [name]: 1 }] }, '/flights/0'],
    ['the request', { flights: [flight], [name]: 1 }, ''],
  ])('a 10 MB unknown field name in %s is quoted, not echoed', async (_where, body, object) => {
    const answer = await postJson('/predict', body);
    expect(answer.status).toBe(400);
    expect(answer.text.length).toBeLessThan(600);
    const errors = answer.body['errors'] as Violation[];
    expect(errors.map(({ pointer }) => pointer)).toEqual([object]);
    expect(errors[0]!.message).toMatch(
      /^unknown field "k+\.\.\. \(a name of 10485760 characters\)$/,
    );
  });

  it('a 30 MiB caller answered with on_invalid "null" is logged cut short', async () => {
    const caller = `projects/p/jobs/${'j'.repeat(30 * 1024 * 1024)}`;
    const body = {
      caller,
      userDefinedContext: { on_invalid: 'null' },
      calls: [['x', 'N', '2017-07-14T08:30:00', 'Lima']],
    };
    const answer = await postJson('/bigquery', body);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ replies: [null] });
    const warning = server
      .output()
      .split('\n')
      .find((line) => line.includes('answered null to 1 invalid calls'));
    expect(warning).toBeDefined();
    expect(Buffer.byteLength(warning!)).toBeLessThan(MAX_LOG_LINE_BYTES);
    const logged = JSON.parse(warning!) as { caller: string };
    expect(logged.caller).toMatch(/^projects\/p\/jobs\/j+\.\.\.\[truncated: \d+ characters\]$/);
    expect(logged.caller).toContain(`[truncated: ${caller.length} characters]`);
  });
});

describe('the log', () => {
  // Runs last: the corpus and the generated requests above have all been answered and logged.
  it('holds only JSON lines of at most 64 KB, one per event', () => {
    const lines = server
      .output()
      .split('\n')
      .filter((line) => line !== '');
    expect(lines.length).toBeGreaterThan(corpus.length);
    for (const line of lines) {
      expect(() => JSON.parse(line) as unknown, line.slice(0, 200)).not.toThrow();
      // The newline ended each line too.
      expect(Buffer.byteLength(line) + 1).toBeLessThanOrEqual(MAX_LOG_LINE_BYTES);
    }
  });
});
