/**
 * Preloaded into a server under test (`node --import`): times every request inside the server
 * process, from the moment Node has parsed the request's headers to the moment the last byte of
 * the response is handed to the kernel — body upload, JSON parsing, routing, validation, model and
 * response included; client and network excluded. Writes one line per request to stdout:
 * `{"serverTiming":{"method":"POST","url":"/predict","status":200,"ms":1.234}}`.
 */
import { subscribe } from 'node:diagnostics_channel';
import type { IncomingMessage, ServerResponse } from 'node:http';

const started = new WeakMap<IncomingMessage, number>();

subscribe('http.server.request.start', (message) => {
  started.set((message as { request: IncomingMessage }).request, performance.now());
});

subscribe('http.server.response.finish', (message) => {
  const { request, response } = message as { request: IncomingMessage; response: ServerResponse };
  const start = started.get(request);
  if (start === undefined) return;
  const timing = {
    method: request.method,
    url: request.url,
    status: response.statusCode,
    ms: performance.now() - start,
  };
  process.stdout.write(`${JSON.stringify({ serverTiming: timing })}\n`);
});
