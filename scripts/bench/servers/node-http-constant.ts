/**
 * Benchmark baseline: a bare node:http server answering every request with a constant, the
 * ceiling of this machine and Node.js with no framework at all. Listens on PORT, like the others.
 */
import { createServer } from 'node:http';

const BODY = JSON.stringify([0, 1]);

createServer((req, res) => {
  // The body is read to its end, as any real server must, but not parsed.
  req.resume();
  req.once('end', () => {
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(BODY);
  });
}).listen(Number(process.env.PORT ?? 8080));
