/**
 * What may enter an instance (functions/intake.ts), against the function started as `npm start`
 * starts it: bodies counted as they arrive, the body budget charged with what has arrived, the
 * body deadline, Node's own client errors, and shutdown under load.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import {
  Agent,
  request,
  type ClientRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type OutgoingHttpHeaders,
} from 'node:http';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { problemType, type ProblemKind } from '../../functions/errors.js';
import { MAX_BODY_BYTES } from '../../functions/intake.js';
import { example, expectSchema } from '../helpers/contract.js';
import { startSource, type FunctionProcess } from '../../scripts/lib/process.js';
import { startServer, type TestServer } from '../helpers/server.js';

const MiB = 1024 * 1024;
/** Three flights. */
const flights = JSON.stringify(example('flights-request'));

/** One instance for the tests that do not stop it, with a short body deadline. */
let shared: FunctionProcess;
beforeAll(async () => {
  shared = await startSource({ BODY_DEADLINE_MS: '3000' });
});
afterAll(async () => {
  await shared.stop();
  expectJsonLines(shared.output());
});

/** Every line the server wrote is one JSON object of at most 64 KB (Cloud Logging keeps 256 KB). */
function expectJsonLines(output: string) {
  for (const line of output.split('\n').filter((text) => text !== '')) {
    expect(Buffer.byteLength(line)).toBeLessThanOrEqual(64 * 1024);
    expect(() => JSON.parse(line) as unknown, line.slice(0, 200)).not.toThrow();
  }
}

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * POSTs to `url` + `path`, the body written by `write`; resolves with the answer, whatever becomes
 * of the upload after it, or rejects if the connection ends without one.
 */
function send(
  url: string,
  write: (req: ClientRequest) => void,
  options: { headers?: OutgoingHttpHeaders; agent?: Agent; path?: string } = {},
): Promise<Answer> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: options.path ?? '/predict',
        headers: { 'content-type': 'application/json', ...options.headers },
        agent: options.agent ?? false,
      },
      (res: IncomingMessage) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    write(req);
  });
}

/** A problem document of `kind`, as the schema describes it. */
function expectProblem(answer: Answer, kind: ProblemKind) {
  expect(answer.headers['content-type']).toBe('application/problem+json; charset=utf-8');
  const problem = JSON.parse(answer.body) as { type: string };
  expectSchema('problem.schema.json', problem);
  expect(problem.type).toBe(problemType(kind));
}

const healthz = async (url: string) => (await fetch(`${url}/healthz`)).status;

describe('bodies counted as they arrive', () => {
  it('answers a 40 MiB chunked body 413 once it passes 32 MiB, and keeps serving', async () => {
    const { url } = shared;
    const chunk = Buffer.alloc(MiB, ' ');
    let sent = 0;
    const answer = await send(
      url,
      (req) => {
        const pump = () => {
          while (sent < 40 * MiB && !req.destroyed) {
            sent += chunk.length;
            if (!req.write(chunk)) return void req.once('drain', pump);
          }
          req.end();
        };
        pump();
      },
      { headers: { 'transfer-encoding': 'chunked' } },
    );
    expect(answer.status).toBe(413);
    expectProblem(answer, 'body-too-large');
    expect(await healthz(url)).toBe(200);
  });

  it('serves eight clients streaming small chunked bodies at once, none turned away', async () => {
    const { url } = shared;
    const agent = new Agent({ keepAlive: true, maxSockets: 8 });
    const statuses: number[] = [];
    const until = Date.now() + 2_000;
    const client = async () => {
      while (Date.now() < until) {
        const answer = await send(
          url,
          (req) => {
            req.write(flights.slice(0, 100));
            setImmediate(() => req.end(flights.slice(100)));
          },
          { agent, headers: { 'transfer-encoding': 'chunked' } },
        );
        statuses.push(answer.status);
      }
    };
    await Promise.all(Array.from({ length: 8 }, client));
    agent.destroy();
    expect(statuses.length).toBeGreaterThanOrEqual(8);
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
  });

  it('serves others while one client trickles a 32 MiB body, then answers it 408', async () => {
    const { url } = shared;
    const trickled = send(
      url,
      (req) => {
        req.flushHeaders();
        const timer = setInterval(() => req.write(' '), 200);
        req.on('close', () => clearInterval(timer));
      },
      { headers: { 'content-length': String(MAX_BODY_BYTES) } },
    );
    let trickling = true;
    void trickled.finally(() => (trickling = false)).catch(() => {});
    const statuses: number[] = [];
    const client = async () => {
      while (trickling) statuses.push((await send(url, (req) => req.end(flights))).status);
    };
    await Promise.all(Array.from({ length: 4 }, client));
    const answer = await trickled;
    expect(answer.status).toBe(408);
    expectProblem(answer, 'body-timeout');
    expect((JSON.parse(answer.body) as { detail: string }).detail).toMatch(/3000 ms/);
    // Nothing but the trickle competes for the instance: every other request is served.
    expect(statuses.length).toBeGreaterThanOrEqual(4);
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
  });
});

describe('the body budget', () => {
  let server: TestServer;
  afterEach(() => server.close());

  /**
   * Sends `bytes` of a body announced larger, and resolves once the server has read them all (it
   * runs in this process: its request's socket is ours to watch).
   */
  async function holdPart(bytes: number) {
    const arrived = new Promise<IncomingMessage>((resolve) => {
      const onStart = (message: unknown) => {
        unsubscribe('http.server.request.start', onStart);
        resolve((message as { request: IncomingMessage }).request);
      };
      subscribe('http.server.request.start', onStart);
    });
    let held!: ClientRequest;
    const answer = send(
      server.url,
      (req) => {
        held = req;
        req.write(' '.repeat(bytes));
      },
      { headers: { 'content-length': String(bytes + flights.length) } },
    );
    const { socket } = await arrived;
    while (socket.bytesRead < bytes) await new Promise((resolve) => setTimeout(resolve, 10));
    await new Promise((resolve) => setImmediate(resolve));
    return { answer, finish: () => held.end(flights) };
  }

  it('charges what has arrived: 503 with Retry-After past the budget, then admits again', async () => {
    server = await startServer({ BODY_BUDGET_MIB: '1' });
    const first = await holdPart(700 * 1024);
    const refused = await send(server.url, (req) => req.end(' '.repeat(700 * 1024) + flights));
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBe('1');
    expectProblem(refused, 'busy');
    expect((JSON.parse(refused.body) as { detail: string }).detail).toMatch(
      /holds 700\.0 KiB .* limit of 1\.0 MiB/,
    );
    // A small body still fits beside the held one; the held one is served once it is sent.
    expect((await send(server.url, (req) => req.end(flights))).status).toBe(200);
    first.finish();
    expect((await first.answer).status).toBe(200);
    const again = await send(server.url, (req) => req.end(' '.repeat(700 * 1024) + flights));
    expect(again.status).toBe(200);
  });

  it('answers a declared length past 32 MiB 413 from the headers, on the BigQuery path in its shape', async () => {
    server = await startServer();
    const answer = await send(server.url, (req) => req.flushHeaders(), {
      path: '/bigquery',
      headers: { 'content-length': String(MAX_BODY_BYTES + 1) },
    });
    expect(answer.status).toBe(413);
    const { errorMessage } = JSON.parse(answer.body) as { errorMessage: string };
    expect(errorMessage).toMatch(/^the body is 33554433 bytes/);
  });
});

describe("Node's own client errors", () => {
  /** Writes `text` on a bare connection and reads until the server closes it. */
  function raw(url: string, text: string): Promise<string> {
    const { port } = new URL(url);
    return new Promise((resolve, reject) => {
      let answer = '';
      const socket = connect(Number(port), '127.0.0.1', () => socket.write(text));
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => (answer += chunk));
      socket.on('close', () => resolve(answer));
      socket.on('error', reject);
    });
  }

  it.each([
    {
      name: 'headers past Node’s limit',
      text: `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Padding: ${'x'.repeat(20_000)}\r\n\r\n`,
      status: 431,
      kind: 'headers-too-large' as const,
    },
    {
      name: 'a request line that does not parse',
      text: 'GARBAGE\r\n\r\n',
      status: 400,
      kind: 'invalid-request' as const,
    },
  ])('answers $name $status with a problem document', async ({ text, status, kind }) => {
    const running = shared;
    const answer = await raw(running.url, text);
    const [head = '', body = ''] = answer.split('\r\n\r\n');
    expect(head).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
    expect(head).toMatch(/\r\nContent-Type: application\/problem\+json; charset=utf-8\r\n/);
    expectProblem(
      { status, headers: { 'content-type': 'application/problem+json; charset=utf-8' }, body },
      kind,
    );
    expect(await healthz(running.url)).toBe(200);
    expect(running.output()).toMatch(new RegExp(`"status":${status}`));
  });
});

describe('SIGTERM', () => {
  let running: FunctionProcess | undefined;
  afterEach(() => running?.stop());

  it('answers nothing 5xx under continuous load, and leaves other listeners in place', async () => {
    const listener = fileURLToPath(new URL('../fixtures/sigterm-listener.cjs', import.meta.url));
    running = await startSource({
      SHUTDOWN_GRACE_MS: '3000',
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require=${listener}`,
    });
    const { url, child, exited } = running;
    const outcomes: Array<number | string> = [];
    const client = async () => {
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      for (;;) {
        try {
          outcomes.push((await send(url, (req) => req.end(flights), { agent })).status);
        } catch (error) {
          const { code } = error as NodeJS.ErrnoException;
          outcomes.push(code ?? String(error));
          if (code === 'ECONNREFUSED') break;
        }
      }
      agent.destroy();
    };
    const clients = Array.from({ length: 4 }, client);
    while (outcomes.length < 40) await new Promise((resolve) => setTimeout(resolve, 20));
    const body = flights;
    let uploader!: ClientRequest;
    const uploaded = send(
      url,
      (req) => {
        uploader = req;
        req.write(body.slice(0, 100));
      },
      { headers: { 'content-length': String(Buffer.byteLength(body)) } },
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    child.kill('SIGTERM');
    setTimeout(() => uploader.end(body.slice(100)), 300);
    await Promise.all(clients);
    const upload = await uploaded;
    expect(upload.status).toBe(200);
    expect(upload.headers.connection).toBe('close');
    expect(await exited).toBe(0);
    const statuses = outcomes.filter((outcome) => typeof outcome === 'number');
    expect(statuses.filter((status) => status < 200 || status >= 300)).toEqual([]);
    const closed = outcomes.filter((outcome) => typeof outcome === 'string');
    expect(
      closed.filter((code) => !['ECONNRESET', 'ECONNREFUSED', 'EPIPE'].includes(code)),
    ).toEqual([]);
    expect(running.output()).toContain('"message":"another SIGTERM listener ran"');
    expectJsonLines(running.output());
  });
});
