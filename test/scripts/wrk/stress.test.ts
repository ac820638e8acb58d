/** `npm run stress`, run as a command against real servers. */
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../helpers/server.js';

function stress(...args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import=tsx', 'scripts/stress.ts', ...args],
      (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code) : 0, output: stdout + stderr }),
    );
  });
}

const short = ['-t1', '-c1', '-d1s'];

describe('npm run stress', () => {
  let fn: TestServer;
  beforeAll(async () => {
    fn = await startServer();
  });
  afterAll(() => fn.close());

  it('passes the function on valid and mixed bodies, printing the status counts', async () => {
    const { code, output } = await stress(
      `${fn.url}/predict`,
      ...short,
      '--script',
      'seed',
      '--script',
      'mix',
    );
    expect(output).toContain(
      `$ wrk -t1 -c1 -d1s --latency -s scripts/wrk/seed.lua ${fn.url}/predict`,
    );
    expect(output).toMatch(/Responses by status:\n {2}200: \d+\n/);
    expect(output).toMatch(/Responses by status:\n {2}200: \d+\n {2}400: \d+\n/);
    expect(output).toContain('OK (seed)');
    expect(output).toContain('OK (mix)');
    expect(code).toBe(0);
  });

  it('fails, naming the status, when valid bodies get errors', async () => {
    const failing = createServer((req, res) => {
      req.resume();
      res.writeHead(503).end();
    }).listen(0, '127.0.0.1');
    await once(failing, 'listening');
    try {
      const { port } = failing.address() as AddressInfo;
      const { code, output } = await stress(`http://127.0.0.1:${port}/predict`, ...short);
      expect(output).toMatch(/FAILED \(seed\):\n {2}- \d+ response\(s\) with status 503/);
      expect(code).toBe(1);
    } finally {
      failing.closeAllConnections();
      failing.close();
    }
  });

  it('sends the headers it is given, and prints none of their values', async () => {
    const server = createServer((req, res) => {
      req.resume();
      res.writeHead(req.headers.authorization === 'Bearer secret' ? 200 : 401).end();
    }).listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const { port } = server.address() as AddressInfo;
      const url = `http://127.0.0.1:${port}/predict`;
      const { code, output } = await stress(url, ...short, '-H', 'Authorization: Bearer secret');
      expect(output).toContain('-H Authorization: … --latency');
      expect(output).not.toContain('secret');
      expect(code).toBe(0);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it('starts the function itself when given no URL', async () => {
    const { code, output } = await stress(...short);
    expect(output).toContain('Starting the function locally');
    expect(output).toContain('OK (seed)');
    expect(code).toBe(0);
  });

  it('prints its usage for --help and exits 0, starting nothing', async () => {
    const { code, output } = await stress('--help');
    expect(output).toMatch(/^Usage: npm run stress -- \[URL\]/);
    expect(output).not.toContain('Starting the function');
    expect(code).toBe(0);
  });

  it('refuses an unknown script', async () => {
    const { code, output } = await stress('--script', 'everything');
    expect(output).toContain('unknown script "everything"');
    expect(code).not.toBe(0);
  });
});
