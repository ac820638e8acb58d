/**
 * Cold start: the time from spawning a fresh server process to its first 200 on POST /predict.
 * That covers Node's start, module loading, schema compilation, listening, and the first
 * request's model load (models load lazily) and prediction.
 */
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { freePort, spawnOnPort } from '../../test/helpers/process.js';
import type { ColdStartResult } from './results.js';
import { jsonLines } from './server-output.js';
import { serverLine, type Command } from './targets.js';

/** What the first request of a cold start posts: the seed's own two flights. */
export const SEED_BODY = readFileSync('schemas/examples/seed-request.json', 'utf8');

// Short enough to add little to the measurement, long enough not to starve the starting server.
const POLL_INTERVAL_MS = 2;
const GIVE_UP_MS = 30_000;

export interface ColdStart {
  /** From spawning the process to its first 200 answer. */
  ms: number;
  /** The model load within it, as the function logs it (`loadMs`); undefined if not logged. */
  modelLoadMs: number | undefined;
}

/** Starts `command` afresh and times it to its first 200 answer to POST /predict with `body`. */
export async function coldStart(command: Command, body: string): Promise<ColdStart> {
  const port = await freePort();
  const started = performance.now();
  const server = spawnOnPort(port, command.command, command.args, command);
  try {
    while (performance.now() - started < GIVE_UP_MS) {
      if (server.child.exitCode !== null) {
        throw new Error(`server exited (${server.child.exitCode}):\n${server.output()}`);
      }
      const status = await postStatus(port, body);
      if (status === 200) {
        const ms = performance.now() - started;
        const loaded = jsonLines(server.output()).find((line) => typeof line.loadMs === 'number');
        return { ms, modelLoadMs: loaded?.loadMs as number | undefined };
      }
      if (status !== undefined) throw new Error(`first answer was ${status}:\n${server.output()}`);
      await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
    }
    throw new Error(`no 200 within ${GIVE_UP_MS} ms:\n${server.output()}`);
  } finally {
    await server.stop();
  }
}

/** The measured starts of `command` (as run, pinned or not) as the report shows them. */
export function coldStartResult(
  label: string,
  deployed: boolean,
  command: Command,
  starts: readonly ColdStart[],
): ColdStartResult {
  return {
    label,
    deployed,
    command: serverLine(command),
    ms: starts.map((start) => start.ms),
    modelLoadMs: starts.flatMap((start) => start.modelLoadMs ?? []),
  };
}

/** The status of one POST, or undefined while nothing listens on the port yet. */
function postStatus(port: number, body: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/predict',
        headers: { 'Content-Type': 'application/json' },
        // A new connection each time: a refused one must not poison a pool.
        agent: false,
      },
      (res) => {
        res.resume();
        res.once('end', () => resolve(res.statusCode));
      },
    );
    req.once('error', () => resolve(undefined));
    req.end(body);
  });
}
