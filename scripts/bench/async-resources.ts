/**
 * Async resources a server creates per request under a wrk load, counted by the
 * async-resources-window.ts preload over one wrk run. Under the Functions Framework each costs
 * CPU time in the per-request domain's async hooks; the count is exact where timings are noisy.
 */
import { serverLine, pinned, startCommand, targetCommand, type TargetName } from './targets.js';
import { toggleWindow } from './signal-window.js';
import { predictRun, runWrk, type WrkLoad } from './wrk.js';

export interface AsyncResourceCount {
  target: TargetName;
  serverCommand: string;
  requests: number;
  /** Resources created per /predict response, by async_hooks type (PROMISE, Immediate, …). */
  perRequest: Record<string, number>;
}

export async function countAsyncResources(
  target: TargetName,
  options: { load: WrkLoad; serverCpus?: string; duration: string },
): Promise<AsyncResourceCount> {
  const command = pinned(
    targetCommand(target, ['--import=./scripts/bench/async-resources-window.ts']),
    options.serverCpus,
  );
  const run = (url: string, duration: string) => predictRun(options.load, url, duration);
  const server = await startCommand(command);
  try {
    // Models load on the first request: count the steady state, not the first load.
    await runWrk(run(server.url, '1s'));
    await toggleWindow(server, 'asyncResources');
    await runWrk(run(server.url, options.duration));
    const { requests, created } = (await toggleWindow(server, 'asyncResources')) as {
      requests: number;
      created: Record<string, number>;
    };
    const perRequest = Object.fromEntries(
      Object.entries(created).map(([type, count]) => [type, count / requests]),
    );
    return { target, serverCommand: serverLine(command), requests, perRequest };
  } finally {
    await server.stop();
  }
}
