/**
 * Preloaded into a server under test (`node --import`): when the server has answered as many
 * requests to /predict as a number listed in RSS_CHECKPOINTS (comma-separated; health checks
 * are not counted), writes its resident set size
 * to stdout: `{"rssCheckpoint":{"requests":10000,"rssBytes":123456789}}`. Measured in the process,
 * at the moment of the answer, so each checkpoint sees the same load.
 */
import { subscribe } from 'node:diagnostics_channel';
import type { IncomingMessage } from 'node:http';

const checkpoints = new Set((process.env.RSS_CHECKPOINTS ?? '').split(',').map(Number));
let answered = 0;

subscribe('http.server.response.finish', (message) => {
  if ((message as { request: IncomingMessage }).request.url !== '/predict') return;
  answered += 1;
  if (!checkpoints.has(answered)) return;
  const checkpoint = { requests: answered, rssBytes: process.memoryUsage.rss() };
  process.stdout.write(`${JSON.stringify({ rssCheckpoint: checkpoint })}\n`);
});
