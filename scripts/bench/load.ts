/**
 * Load against the framework's ceiling, the prediction log's cost, and the soak, in interleaved
 * rounds; medians. The seed's wrk load on this function and on a Functions Framework function
 * answering a constant; one flight a request on the function with LOG_PREDICTIONS=0 and =1, their
 * stdout to files on disk, as Cloud Run's logging agent reads it. Each server saturates its one
 * CPU, so 1 ÷ requests/s is its CPU time per request. The function then goes on under the seed's
 * load until it has answered the soak's requests, its RSS read between runs.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runProblems, scriptAt, WRK_SCRIPTS } from '../wrk/load-scripts.js';
import { loadCommand, predictRun, runWrk } from '../wrk/wrk.js';
import { withServers } from '../lib/process.js';
import { count, counts, mebibytes, ms, percent, section } from './markdown.js';
import type { Plan, Verdict } from './plan.js';
import { CEILING_SOURCE, memoryField, pinned, serverLine, sourceCommand } from './servers.js';
import { median } from './stats.js';

export const TARGET_RATIO = 0.85;
export const TARGET_P99_MS = 50;
export const TARGET_SOAK_GROWTH = 0.1;
/** Requests/s with every request's predictions logged, as a share of requests/s without. */
export const TARGET_LOGGED_SHARE = 0.95;
/** Each run of the soak once the rounds are done. */
const SOAK_RUN = '30s';
/** Each run of the prediction log's pair: a one-flight rate settles long before 45 s. */
const LOG_RUN = '15s';

export interface LoadedServer {
  label: string;
  command: string;
  /** Answered, warm-up included. */
  requests: number;
  requestsPerSecond: number[];
  p99Ms: number[];
  /** Unexpected statuses and socket errors. */
  faults: string[];
}

export interface LoadResult {
  /** The seed's load, then one flight a request. */
  wrkCommands: string[];
  repeats: number;
  /** This function, the ceiling, then the function with LOG_PREDICTIONS=0 and =1. */
  servers: LoadedServer[];
  /** What the function with LOG_PREDICTIONS=1 wrote to stdout. */
  log: { lines: number; bytes: number };
  /** The function's requests answered so far and its RSS then: after the warm-up, each run. */
  soak: Array<{ requests: number; rssBytes: number }>;
}

export async function measureLoad(plan: Plan): Promise<LoadResult> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-log-'));
  const [seed, flight] = [plan.load, { ...plan.load, script: WRK_SCRIPTS.flight.file }];
  const logging = (rate: string) => ({
    label: `this function, one flight a request, LOG_PREDICTIONS=${rate}`,
    command: {
      ...sourceCommand(undefined, [], { LOG_PREDICTIONS: rate }),
      stdout: join(dir, rate),
    },
    load: flight,
    run: LOG_RUN,
  });
  const ceiling = 'Functions Framework, constant answer (the ceiling)';
  const compared = [
    { label: 'this function', command: sourceCommand(), load: seed, run: plan.duration },
    { label: ceiling, command: sourceCommand(CEILING_SOURCE), load: seed, run: plan.duration },
    logging('0'),
    logging('1'),
  ];
  const commands = compared.map(({ command }) => pinned(command, plan.serverCpus));
  const servers = compared.map(({ label }, i): LoadedServer => {
    const command = serverLine(commands[i]!).replace(dir, '$TMP');
    return { label, command, requests: 0, requestsPerSecond: [], p99Ms: [], faults: [] };
  });
  const soak: LoadResult['soak'] = [];
  try {
    await withServers(commands, async (running) => {
      /** One wrk run against server `i`; the function's RSS read after it. */
      const load = async (i: number, duration: string) => {
        const { result } = await runWrk(predictRun(compared[i]!.load, running[i]!.url, duration));
        servers[i]!.faults.push(...runProblems(scriptAt(compared[i]!.load.script), result));
        const requests = (servers[i]!.requests += result.requests);
        if (i > 0) return result;
        soak.push({ requests, rssBytes: memoryField(running[0]!.child.pid!, 'VmRSS') ?? NaN });
        return result;
      };
      for (const i of running.keys()) await load(i, plan.warmup);
      for (let round = 1; round <= plan.repeats; round++) {
        // Each pair in the other order every other round, so that neither side always runs first.
        const order = round % 2 === 1 ? [0, 1, 2, 3] : [1, 0, 3, 2];
        for (const i of order) {
          const { label, run } = compared[i]!;
          const { requestsPerSecond, latencyMs } = await load(i, run);
          servers[i]!.requestsPerSecond.push(requestsPerSecond);
          servers[i]!.p99Ms.push(latencyMs!.p99);
          plan.progress(
            `load round ${round}/${plan.repeats}, ${label}: ` +
              `${Math.round(requestsPerSecond)} requests/s, p99 ${latencyMs!.p99} ms`,
          );
        }
      }
      while (soak.at(-1)!.requests < plan.soakRequests) {
        await load(0, SOAK_RUN);
        const { requests, rssBytes } = soak.at(-1)!;
        plan.progress(`soak: ${requests} requests, RSS ${mebibytes(rssBytes)}`);
      }
    });
    const log = readFileSync(join(dir, '1'));
    let lines = 0;
    for (let at = log.indexOf('\n'); at >= 0; at = log.indexOf('\n', at + 1)) lines++;
    const wrkCommands = [loadCommand(seed, plan.duration), loadCommand(flight, LOG_RUN)];
    return { wrkCommands, repeats: plan.repeats, servers, log: { lines, bytes: log.length }, soak };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The function's RSS growth from after the warm-up to the end, as a share. */
export const soakGrowth = ({ soak }: LoadResult) => soak.at(-1)!.rssBytes / soak[0]!.rssBytes - 1;

export function loadVerdicts(result: LoadResult): Verdict[] {
  const [own, ceiling] = result.servers as [LoadedServer, LoadedServer];
  const ratio = pairedShare(own, ceiling);
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
        `soak: RSS after ${count(last.requests)} requests at most ${percent(TARGET_SOAK_GROWTH)} ` +
        `above RSS after the first ${count(first.requests)} (a leak grows it; V8 giving memory back shrinks it)`,
      measured: `${growth >= 0 ? '+' : ''}${percent(growth)}`,
      met: growth <= TARGET_SOAK_GROWTH,
    },
    loggedVerdict(result),
  ];
}

/**
 * `a`'s requests/s as a share of `b`'s: the median of the rounds' ratios. The two runs of a round
 * are next to each other in time, so the host's slow swings, which move whole rounds by tens of
 * percent, cancel in each ratio.
 */
const pairedShare = (a: LoadedServer, b: LoadedServer) =>
  median(a.requestsPerSecond.map((rate, round) => rate / b.requestsPerSecond[round]!));

/** The function with LOG_PREDICTIONS=1 against =0, a line logged for each request. */
function loggedVerdict({ servers: [, , off, on], log }: LoadResult): Verdict {
  const share = pairedShare(on!, off!);
  const logged = `${count(log.lines)} log lines for ${count(on!.requests)} requests`;
  const faults = [...off!.faults, ...on!.faults];
  return {
    target: `one-flight requests/s with LOG_PREDICTIONS=1 ≥ ${TARGET_LOGGED_SHARE} × with 0, a log line for each request, no errors`,
    measured: [share.toFixed(3), logged, ...faults].join('; '),
    met: share >= TARGET_LOGGED_SHARE && log.lines >= on!.requests && faults.length === 0,
  };
}

export function loadSection({ wrkCommands, repeats, servers, log, soak }: LoadResult): string {
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
    `${repeats} rounds of each, each pair in the other order every other round; medians of the ` +
    `rounds, and a share is the median of the rounds' ratios; CPU/request = 1 ÷ requests/s. The seed's ` +
    `load on the first two, one flight a request in ${LOG_RUN} runs on the last two; with ` +
    `LOG_PREDICTIONS=1, ${count(log.bytes / log.lines)} bytes a line of stdout. ` +
    `The function's RSS (soak, then ${SOAK_RUN} runs): ${rss}.`;
  const commands = [...wrkCommands, ...servers.map((s) => s.command)];
  const title = "Load against the framework's ceiling, the prediction log's cost, and soak";
  return section(title, how, [head, ...rows], commands);
}
