/**
 * The wrk scripts, run by real wrk: what they send (checked against the request schemas), and
 * whether the status counts they print add up across wrk's threads.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileSchema, createAjv } from '../../../functions/contract-schemas.js';
import { writeBigQueryCalls } from '../../../scripts/wrk/bigquery-calls.js';
import type { WrkResult } from '../../../scripts/wrk/wrk-output.js';
import { ensureWrk, runWrk, type WrkRun } from '../../../scripts/wrk/wrk.js';
import { runProblems, WRK_SCRIPTS } from '../../../scripts/wrk/load-scripts.js';
import { startServer, type TestServer } from '../../helpers/server.js';
import { syntheticCsv, syntheticFlights } from '../../fixtures/synthetic-flights.js';

interface Received {
  method: string;
  url: string;
  contentType: string | undefined;
  body: string;
}

/** A server that records every request and answers with `status(request)`. */
async function recordingServer(status: (request: Received) => number) {
  const received: Received[] = [];
  const answered = new Map<number, number>();
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const request = {
        method: req.method ?? '',
        url: req.url ?? '',
        contentType: req.headers['content-type'],
        body,
      };
      received.push(request);
      const code = status(request);
      answered.set(code, (answered.get(code) ?? 0) + 1);
      res.writeHead(code).end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/predict`,
    received,
    answered,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

const ajv = createAjv();
const validSeed = compileSchema(ajv, 'seed-request.schema.json');
const validFlights = compileSchema(ajv, 'flights-request.schema.json');
const validCalls = compileSchema(ajv, 'bigquery-request.schema.json');

/** 200 when the body satisfies either request schema, else 400: the contract, without a model. */
function contractStatus({ body }: Received): number {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return 400;
  }
  return validSeed(json) || validFlights(json) ? 200 : 400;
}

const oneSecond = { threads: 1, connections: 1, duration: '1s' };

beforeAll(() => ensureWrk());

describe('what the scripts send', () => {
  let server: Awaited<ReturnType<typeof recordingServer>>;
  beforeAll(async () => {
    server = await recordingServer(contractStatus);
  });
  afterAll(() => server.close());

  const run = async (script: string, options: Partial<WrkRun> = {}) => {
    server.received.length = 0;
    const { result } = await runWrk({ url: server.url, script, ...oneSecond, ...options });
    return { result, received: [...server.received] };
  };

  it("seed.lua POSTs the seed README's body, byte for byte, as JSON to the URL's path", async () => {
    const { received } = await run(WRK_SCRIPTS.seed.file);
    const readme = readFileSync('schemas/examples/seed-request.json', 'utf8');
    expect(received.length).toBeGreaterThan(0);
    for (const request of received) {
      expect(request).toEqual({
        method: 'POST',
        url: '/predict',
        contentType: 'application/json',
        body: readme,
      });
    }
  });

  it('flight.lua sends one valid flight in the flights format', async () => {
    const { received } = await run(WRK_SCRIPTS.flight.file);
    const body = JSON.parse(received[0]!.body) as { flights: unknown[] };
    expect(validFlights(body)).toBe(true);
    expect(body.flights).toHaveLength(1);
  });

  it('batch.lua sends 1,000 valid, varied flights, or as many as given after --', async () => {
    const { received } = await run(WRK_SCRIPTS.batch.file);
    const body = JSON.parse(received[0]!.body) as { flights: unknown[] };
    expect(validFlights(body), JSON.stringify(validFlights.errors)).toBe(true);
    expect(body.flights).toHaveLength(1000);
    expect(new Set(body.flights.map((f) => JSON.stringify(f))).size).toBeGreaterThan(100);

    const small = await run(WRK_SCRIPTS.batch.file, { scriptArgs: ['7'] });
    expect((JSON.parse(small.received[0]!.body) as { flights: unknown[] }).flights).toHaveLength(7);
  });

  it('batch.lua asks for explanations of the same flights when explain follows the size', async () => {
    const plain = await run(WRK_SCRIPTS.batch.file, { scriptArgs: ['7'] });
    const explained = await run(WRK_SCRIPTS.batch.file, { scriptArgs: ['7', 'explain'] });
    const body = JSON.parse(explained.received[0]!.body) as {
      flights: unknown[];
      explain: unknown;
    };
    expect(validFlights(body), JSON.stringify(validFlights.errors)).toBe(true);
    expect(body.explain).toBe(true);
    expect(body.flights).toEqual((JSON.parse(plain.received[0]!.body) as typeof body).flights);
  });

  it('batch.lua sends one morning with the 300 latest departures (airport) or without (same-day)', async () => {
    type Body = {
      flights: Array<{ 'Fecha-I': string }>;
      airport?: { asOf: string; departures: Array<{ 'Fecha-O': string }> };
    };
    const sent = async (option: string) => {
      const { received } = await run(WRK_SCRIPTS.batch.file, { scriptArgs: ['100', option] });
      const body = JSON.parse(received[0]!.body) as Body;
      expect(validFlights(body), JSON.stringify(validFlights.errors)).toBe(true);
      return body;
    };
    const [withBoard, without] = [await sent('airport'), await sent('same-day')];
    expect(without.airport).toBeUndefined();
    expect(withBoard.flights).toEqual(without.flights);
    const { asOf, departures } = withBoard.airport!;
    expect(departures).toHaveLength(300);
    expect(departures.every((d) => d['Fecha-O'] <= asOf)).toBe(true);
    const minutesAfter = (text: string) => (Date.parse(text) - Date.parse(asOf)) / 60_000;
    for (const flight of withBoard.flights) {
      expect(minutesAfter(flight['Fecha-I'])).toBeGreaterThanOrEqual(30);
      expect(minutesAfter(flight['Fecha-I'])).toBeLessThanOrEqual(330);
    }
  });

  it('bigquery.lua sends 500 valid calls, the flights batch.lua sends, or as many as given', async () => {
    const { received } = await run(WRK_SCRIPTS.bigquery.file);
    const body = JSON.parse(received[0]!.body) as { calls: string[][] };
    expect(validCalls(body), JSON.stringify(validCalls.errors)).toBe(true);
    expect(body.calls).toHaveLength(500);
    const batch = await run(WRK_SCRIPTS.batch.file, { scriptArgs: ['500'] });
    const { flights } = JSON.parse(batch.received[0]!.body) as {
      flights: Array<Record<string, string>>;
    };
    // The same flights, fecha_i in BigQuery's DATETIME encoding.
    expect(body.calls).toEqual(
      flights.map((f) => [f.OPERA, f.TIPOVUELO, f['Fecha-I']!.replace(' ', 'T'), f.SIGLADES]),
    );
    const small = await run(WRK_SCRIPTS.bigquery.file, { scriptArgs: ['7'] });
    expect((JSON.parse(small.received[0]!.body) as { calls: unknown[] }).calls).toHaveLength(7);
  });

  it("bigquery.lua replays a calls file's flights in whole batches, in file order, from the top again", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wrk-calls-'));
    try {
      const data = join(dir, 'flights.csv');
      writeFileSync(data, syntheticCsv(25));
      const callsFile = join(dir, 'calls.jsonl');
      expect(await writeBigQueryCalls(data, callsFile)).toBe(25);
      const { received } = await run(WRK_SCRIPTS.bigquery.file, { scriptArgs: ['10', callsFile] });
      const bodies = received.map((r) => JSON.parse(r.body) as { calls: string[][] });
      for (const body of bodies)
        expect(validCalls(body), JSON.stringify(validCalls.errors)).toBe(true);
      // The file's flights as BigQuery encodes them; the last five make no whole batch.
      const calls = syntheticFlights(25).map((f) => [
        f.OPERA,
        f.TIPOVUELO,
        f['Fecha-I'].replace(' ', 'T'),
        f.SIGLADES,
      ]);
      const batches = [calls.slice(0, 10), calls.slice(10, 20)];
      // wrk calls request() once before the run, so the cycle may start one batch in.
      const first = batches.findIndex((batch) => isDeepStrictEqual(batch, bodies[0]!.calls));
      expect(first).toBeGreaterThanOrEqual(0);
      expect(bodies.length).toBeGreaterThan(2);
      bodies.forEach((body, i) => expect(body.calls).toEqual(batches[(first + i) % 2]));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('mix.lua sends an invalid body as every tenth request, each kind in turn', async () => {
    const { result, received } = await run(WRK_SCRIPTS.mix.file);
    // One connection, so requests arrive in the order the script made them. wrk calls request()
    // once before the run to check its output, so the cycle may start one step in.
    const invalid = received.flatMap((request, i) => (contractStatus(request) === 400 ? [i] : []));
    expect(invalid[0]).toBeLessThan(10);
    invalid.forEach((position, i) => expect(position).toBe(invalid[0]! + 10 * i));
    expect(invalid.length).toBe(Math.floor((received.length - 1 - invalid[0]!) / 10) + 1);
    expect(new Set(invalid.map((i) => received[i]!.body)).size).toBe(6);
    const valid = received.filter((_, i) => !invalid.includes(i)).map((r) => r.body);
    expect(new Set(valid).size).toBe(2);
    expectTenthInvalid(result);
  });
});

/** Every tenth response of a one-connection run was 400, every other one 200. */
function expectTenthInvalid(result: WrkResult) {
  const rejected = result.statuses?.get(400) ?? 0;
  expect(Math.abs(rejected - result.requests / 10)).toBeLessThanOrEqual(1);
  expect(result.statuses?.get(200)).toBe(result.requests - rejected);
}

describe('status counts', () => {
  it("add up every thread's responses, by status", async () => {
    const rotation = [200, 201, 404, 503];
    let next = 0;
    const server = await recordingServer(() => rotation[next++ % rotation.length]!);
    try {
      const connections = 6;
      const { result } = await runWrk({
        url: server.url,
        script: WRK_SCRIPTS.seed.file,
        threads: 3,
        connections,
        duration: '1s',
      });
      const counted = [...result.statuses!.values()].reduce((a, b) => a + b, 0);
      expect(counted).toBe(result.requests);
      expect([...result.statuses!.keys()].sort()).toEqual(rotation);
      // The server may have answered requests wrk stopped waiting for: at most one per connection.
      for (const [status, count] of result.statuses!) {
        const sent = server.answered.get(status)!;
        expect(count).toBeLessThanOrEqual(sent);
        expect(count).toBeGreaterThanOrEqual(sent - connections);
      }
      expect(runProblems(WRK_SCRIPTS.seed, result)).toEqual([
        expect.stringMatching(/status 201$/),
        expect.stringMatching(/status 404$/),
        expect.stringMatching(/status 503$/),
      ]);
    } finally {
      await server.close();
    }
  });
});

describe('against the function', () => {
  let fn: TestServer;
  beforeAll(async () => {
    fn = await startServer();
  });
  afterAll(() => fn.close());

  it.each(['seed', 'flight', 'batch'] as const)(
    '%s.lua gets only 200s and no socket errors',
    async (name) => {
      const script = WRK_SCRIPTS[name];
      const { result } = await runWrk({
        url: `${fn.url}/predict`,
        script: script.file,
        threads: 2,
        connections: 4,
        duration: '1s',
      });
      expect(result.requests).toBeGreaterThan(0);
      expect(runProblems(script, result)).toEqual([]);
    },
  );

  it('bigquery.lua gets only 200s from POST /bigquery', async () => {
    const { result } = await runWrk({
      url: `${fn.url}/bigquery`,
      script: WRK_SCRIPTS.bigquery.file,
      threads: 2,
      connections: 4,
      duration: '1s',
    });
    expect(result.requests).toBeGreaterThan(0);
    expect(runProblems(WRK_SCRIPTS.bigquery, result)).toEqual([]);
  });

  it('mix.lua gets 400 for exactly the invalid tenth, and no 5xx', async () => {
    const { result } = await runWrk({
      url: `${fn.url}/predict`,
      script: WRK_SCRIPTS.mix.file,
      ...oneSecond,
    });
    expectTenthInvalid(result);
    expect(runProblems(WRK_SCRIPTS.mix, result)).toEqual([]);
  });
});
