/**
 * The side-by-side load test: the same wrk load against several servers running at once, one at
 * a time, in interleaved rounds so that a slow spell of a shared machine hits every server alike.
 */
import { processCpuMs, processMemory } from './process-usage.js';
import type { LoadResult } from './results.js';
import {
  serverLine,
  pinned,
  targetCommand,
  TARGETS,
  withServers,
  type TargetName,
} from './targets.js';
import { loadCommand, predictRun, runWrk, type WrkLoad } from './wrk.js';
import { runProblems, scriptAt } from './wrk-scripts.js';

export interface LoadOptions {
  load: WrkLoad;
  serverCpus?: string;
  /** Each measured run. */
  duration: string;
  /** One uncounted run per server first: model load, JIT. */
  warmup: string;
  repeats: number;
  progress: (line: string) => void;
}

/** Runs the comparison; the servers are started here and stopped before it returns. */
export async function compareLoad(
  targets: readonly TargetName[],
  options: LoadOptions,
): Promise<{ wrkCommand: string; results: LoadResult[] }> {
  const run = (url: string, duration: string) => predictRun(options.load, url, duration);
  const commands = targets.map((target) => pinned(targetCommand(target), options.serverCpus));
  return withServers(commands, async (servers) => {
    const results: LoadResult[] = targets.map((target, i) => ({
      target,
      label: TARGETS[target].label,
      serverCommand: serverLine(commands[i]!),
      requestsPerSecond: [],
      p50Ms: [],
      p99Ms: [],
      cpuUsPerRequest: [],
      faults: [],
      memory: { rssBytes: 0, peakRssBytes: 0 },
    }));
    for (const [i, server] of servers.entries()) {
      options.progress(`warming up ${targets[i]} (${options.warmup})`);
      await runWrk(run(server.url, options.warmup));
    }
    for (let round = 1; round <= options.repeats; round++) {
      for (const [i, server] of servers.entries()) {
        const cpuBefore = processCpuMs(server.child.pid!);
        const { result } = await runWrk(run(server.url, options.duration));
        const cpuUs = ((processCpuMs(server.child.pid!) - cpuBefore) * 1000) / result.requests;
        const entry = results[i]!;
        entry.cpuUsPerRequest.push(cpuUs);
        entry.requestsPerSecond.push(result.requestsPerSecond);
        entry.p50Ms.push(result.latencyMs!.p50);
        entry.p99Ms.push(result.latencyMs!.p99);
        const problems = runProblems(scriptAt(options.load.script), result);
        entry.faults.push(...problems.map((p) => `round ${round}: ${p}`));
        options.progress(
          `round ${round}/${options.repeats} ${entry.target}: ${Math.round(result.requestsPerSecond)} req/s, ` +
            `p50 ${result.latencyMs!.p50} ms, p99 ${result.latencyMs!.p99} ms, ` +
            `${Math.round(cpuUs)} µs CPU/request` +
            (problems.length ? ` — ${problems.join('; ')}` : ''),
        );
      }
    }
    servers.forEach((server, i) => (results[i]!.memory = processMemory(server.child.pid!)));
    return {
      wrkCommand: loadCommand(options.load, options.duration),
      results,
    };
  });
}
