/**
 * Test seam: serves a handler through the real Functions Framework server (getTestServer), with
 * the intake the deployed entry point puts in front of it, on a random port, with its log lines captured.
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { http } from '@google-cloud/functions-framework';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import { loadConfig, type Config } from '../../functions/config.js';
import { createHandler, type HandlerOptions } from '../../functions/handler.js';
import { createIntake } from '../../functions/intake.js';
import { createLog } from '../../functions/logging.js';

export interface TestServer {
  url: string;
  /** Parsed log lines written so far. */
  logs: Array<Record<string, unknown>>;
  close(): Promise<void>;
}

let registered = 0;

/** Starts the function with the default configuration overridden by `env`. */
export async function startServer(
  env: Record<string, string> = {},
  options: Omit<HandlerOptions, 'log'> = {},
): Promise<TestServer> {
  const logs: Array<Record<string, unknown>> = [];
  const config: Config = loadConfig(env);
  const log = createLog((lines) => {
    for (const line of lines.trimEnd().split('\n'))
      logs.push(JSON.parse(line) as Record<string, unknown>);
  });
  const name = `predict-test-${++registered}`;
  http(name, createHandler(config, { ...options, log }));
  const server = getTestServer(name);
  createIntake({ config, log }).guard(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    logs,
    close: () =>
      new Promise((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** POSTs `body` (JSON-encoded unless already a string) to `path`. */
export function post(
  server: TestServer,
  path: string,
  body: unknown,
  contentType = 'application/json',
) {
  return fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}
