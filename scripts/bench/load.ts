/**
 * Load against the framework's ceiling, and the soak: the seed's wrk load on this function and on
 * a Functions Framework function answering a constant, in interleaved rounds; medians. Each server
 * saturates its one CPU, so 1 ÷ requests/s is its CPU time per request. The function then goes on
 * until it has answered the soak's requests, its RSS read between runs.
 */
import { runProblems, scriptAt } from '../wrk/load-scripts.js';
import { loadCommand, predictRun, runWrk } from '../wrk/wrk.js';
import { withServers } from '../lib/process.js';
import { count, counts, mebibytes, ms, percent, section } from './markdown.js';
import type { Plan, Verdict } from './plan.js';
import { CEILING_SOURCE, memoryField, pinned, serverLine, sourceCommand } from './servers.js';
import { median } from './stats.js';

export const TARGET_RATIO = 0.85;
export const TARGET_P99_MS = 50;
export const TARGET_SOAK_GROWTH = 0.1;
/** Each run of the soak once the rounds are done. */
const SOAK_RUN = '30s';

export interface LoadedServer {
  label: string;
  command: string;
  requestsPerSecond: number[];
  p99Ms: number[];
  /** Unexpected statuses and socket errors. */
  faults: string[];
}

export interface LoadResult {
  wrkCommand: string;
  repeats: number;
  /** This function, then the ceiling. */
  servers: LoadedServer[];
  /** The function's requests answered so far and its RSS then: after the warm-up, each run. */
  soak: Array<{ requests: number; rssBytes: number }>;
}

export async function measureLoad(plan: Plan): Promise<LoadResult> {
  const labels = ['this function', 'Functions Framework, constant answer (the ceiling)'];
  const sources = [sourceCommand(), sourceCommand(CEILING_SOURCE)];
  const commands = sources.map((c) => pinned(c, plan.serverCpus));
  const results = labels.map((label, i): LoadedServer => {
    const command = serverLine(commands[i]!);
    return { label, command, requestsPerSecond: [], p99Ms: [], faults: [] };
  });
  const soak: LoadResult['soak'] = [];
  await withServers(commands, async (servers) => {
    /** One wrk run against server `i`; the function's RSS read after it. */
    const load = async (i: number, duration: string) => {
      const { result } = await runWrk(predictRun(plan.load, servers[i]!.url, duration));
      const problems = runProblems(scriptAt(plan.load.script), result);
      results[i]!.faults.push(...problems);
      if (i > 0) return result;
      const requests = (soak.at(-1)?.requests ?? 0) + result.requests;
      soak.push({ requests, rssBytes: memoryField(servers[0]!.child.pid!, 'VmRSS') ?? NaN });
      return result;
    };
    for (const i of servers.keys()) await load(i, plan.warmup);
    for (let round = 1; round <= plan.repeats; round++) {
      for (const i of servers.keys()) {
        const result = await load(i, plan.duration);
        results[i]!.requestsPerSecond.push(result.requestsPerSecond);
        results[i]!.p99Ms.push(result.latencyMs!.p99);
        plan.progress(
          `load round ${round}/${plan.repeats}, ${labels[i]}: ` +
            `${Math.round(result.requestsPerSecond)} requests/s, p99 ${result.latencyMs!.p99} ms`,
        );
      }
    }
    while (soak.at(-1)!.requests < plan.soakRequests) {
      await load(0, SOAK_RUN);
      plan.progress(
        `soak: ${soak.at(-1)!.requests} requests, RSS ${mebibytes(soak.at(-1)!.rssBytes)}`,
      );
    }
  });
  return {
    wrkCommand: loadCommand(plan.load, plan.duration),
    repeats: plan.repeats,
    servers: results,
    soak,
  };
}

/** The function's RSS growth from after the warm-up to the end, as a share. */
export const soakGrowth = ({ soak }: LoadResult) => soak.at(-1)!.rssBytes / soak[0]!.rssBytes - 1;

export function loadVerdicts(result: LoadResult): Verdict[] {
  const [own, ceiling] = result.servers as [LoadedServer, LoadedServer];
  const ratio = median(own.requestsPerSecond) / median(ceiling.requestsPerSecond);
  const p99 = median(own.p99Ms);
  const growth = soakGrowth(result);
  const [first, last] = [result.soak[0]!, result.soak.at(-1)!];
  return [
    {
      target: `requests/s ≥ ${percent(TARGET_RATIO)} of the Functions Framework ceiling, no errors`,
      measured: [percent(ratio), ...own.faults].join('; '),
      met: ratio >= TARGET_RATIO && own.faults.length === 0,
    },
    {
      target: `p99 ≤ ${TARGET_P99_MS} ms at 50 connections`,
      measured: `${ms(p99)} ms`,
      met: p99 <= TARGET_P99_MS,
    },
    {
      target:
        `soak: RSS after ${count(last.requests)} requests within ${percent(TARGET_SOAK_GROWTH)} ` +
        `of RSS after the first ${count(first.requests)}`,
      measured: `${growth >= 0 ? '+' : ''}${percent(growth)}`,
      met: Math.abs(growth) <= TARGET_SOAK_GROWTH,
    },
  ];
}

export function loadSection({ wrkCommand, repeats, servers, soak }: LoadResult): string {
  const head = ['Server', 'Requests/s', 'CPU/request', 'p99', 'Rounds (requests/s)', 'Faults'];
  const rows = servers.map((s) => [
    s.label,
    count(median(s.requestsPerSecond)),
    `${Math.round(1e6 / median(s.requestsPerSecond))} µs`,
    `${ms(median(s.p99Ms))} ms`,
    counts(s.requestsPerSecond),
    s.faults.join('; ') || 'none',
  ]);
  const rss = soak.map((r) => `${mebibytes(r.rssBytes)} after ${count(r.requests)}`).join(', ');
  const how =
    `${repeats} rounds of each; medians of the rounds; CPU/request = 1 ÷ requests/s. ` +
    `The function's RSS (soak, then ${SOAK_RUN} runs): ${rss}.`;
  const commands = [wrkCommand, ...servers.map((s) => s.command)];
  return section("Load against the framework's ceiling, and soak", how, [head, ...rows], commands);
}
