/**
 * Preloaded into a server under test (`node --import`): counts the async resources — promises,
 * immediates, next-tick callbacks, … — the server creates, between a first SIGUSR2 and a second,
 * which writes `{"asyncResources":{"requests":N,"created":{"PROMISE":M,…}}}` to stdout, N being
 * the /predict responses in between. The Functions Framework runs every request in a `domain`,
 * whose async hooks make each of these resources cost CPU time.
 */
import { createHook } from 'node:async_hooks';
import { subscribe } from 'node:diagnostics_channel';
import type { IncomingMessage } from 'node:http';

let counting = false;
let requests = 0;
const created = new Map<string, number>();

createHook({
  init(_id, type) {
    if (counting) created.set(type, (created.get(type) ?? 0) + 1);
  },
}).enable();

subscribe('http.server.response.finish', (message) => {
  if (counting && (message as { request: IncomingMessage }).request.url === '/predict') {
    requests += 1;
  }
});

process.on('SIGUSR2', () => {
  if (!counting) {
    created.clear();
    requests = 0;
    counting = true;
    process.stdout.write(`${JSON.stringify({ asyncResources: 'counting' })}\n`);
    return;
  }
  counting = false;
  const counts = { requests, created: Object.fromEntries(created) };
  process.stdout.write(`${JSON.stringify({ asyncResources: counts })}\n`);
});
