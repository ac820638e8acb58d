/**
 * The soak test: a wrk load against one function process until it has answered `requests`
 * requests, with its RSS read inside the process at checkpoints along the way.
 */
import type { SoakResult } from './results.js';
import { jsonLines, rssCheckpoints } from './server-output.js';
import { serverLine, pinned, startCommand, targetCommand } from './targets.js';
import { loadCommand, predictRun, runWrk, type WrkLoad } from './wrk.js';
import { runProblems, scriptAt } from './wrk-scripts.js';

/** The checkpoint every other is compared with: RSS once the process has settled in. */
export const FIRST_CHECKPOINT = 10_000;

/** Checkpoints for a soak of `requests`: the first, quarters of the way, and the end. */
export function soakCheckpoints(requests: number): number[] {
  const quarters = [0.25, 0.5, 0.75].map((share) => Math.round(requests * share));
  return [...new Set([FIRST_CHECKPOINT, ...quarters, requests])]
    .filter((n) => n >= FIRST_CHECKPOINT && n <= requests)
    .sort((a, b) => a - b);
}

export async function runSoak(
  requests: number,
  options: { load: WrkLoad; serverCpus?: string; progress: (line: string) => void },
): Promise<SoakResult> {
  const checkpoints = soakCheckpoints(requests);
  const base = targetCommand('function', ['--import=./scripts/bench/rss-checkpoints.ts']);
  const command = pinned(
    { ...base, env: { ...base.env, RSS_CHECKPOINTS: checkpoints.join(',') } },
    options.serverCpus,
  );
  const server = await startCommand(command);
  const stop = new AbortController();
  // The duration is an upper bound only: the run is interrupted at the last checkpoint.
  const run = { ...predictRun(options.load, server.url, '24h'), signal: stop.signal };
  let reported = 0;
  const watch = setInterval(() => {
    const seen = rssCheckpoints(jsonLines(server.output()));
    for (const [answered, bytes] of [...seen].slice(reported)) {
      options.progress(
        `soak: ${answered} requests answered, RSS ${Math.round(bytes / 2 ** 20)} MiB`,
      );
    }
    reported = seen.size;
    if (seen.has(requests)) stop.abort();
  }, 1000);
  void server.exited.then(() => stop.abort());
  try {
    const { result } = await runWrk(run);
    return {
      requests,
      serverCommand: serverLine(command),
      wrkCommand: loadCommand(options.load, '24h'),
      rssBytes: rssCheckpoints(jsonLines(server.output())),
      faults: runProblems(scriptAt(options.load.script), result),
    };
  } finally {
    clearInterval(watch);
    await server.stop();
  }
}
