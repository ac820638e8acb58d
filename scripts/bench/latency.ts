/**
 * Server-side latency by batch size, and what explaining costs: one connection sends
 * scripts/wrk/batch.lua's N-flight request back to back; the server times each itself (the
 * server-timing.ts preload). Two servers of the function: one never asked to explain, one asked
 * to explain and not to, whose unexplained requests must be as fast as the first's; and what the
 * airport's state costs: flights of one morning with 300 departures (answered by nowcast) against
 * the same flights without them. Each case pools windows taken round after round, so that a slow
 * spell of the machine falls on one.
 */
import { WRK_SCRIPTS } from '../wrk/load-scripts.js';
import { loadCommand, predictRun, runWrk, type WrkLoad } from '../wrk/wrk.js';
import { withServers, type FunctionProcess } from '../lib/process.js';
import { count, ms, percent, section } from './markdown.js';
import type { Plan, Verdict } from './plan.js';
import { pinned, serverLine, sourceCommand } from './servers.js';
import { median } from './stats.js';

export const TARGET_10K_FLIGHTS_MS = 150;
const BATCH_SIZES = [1, 100, 1_000, 10_000];
const EXPLAINED_SIZES = [1, 100, 1_000];
const AIRPORT_SIZES = [1, 100];
const ROUNDS = 3;
const WINDOW = '5s';
/** Before the first window of each case: lets V8 optimise the path. */
const WARMUP = '2s';

/** The kinds of request, each with what follows the size on batch.lua's command line. */
const OPTIONS = {
  'never explains': [],
  explained: ['explain'],
  'unexplained, beside explained': [],
  'one morning, no airport': ['same-day'],
  'one morning, 300 departures': ['airport'],
} as const;
type Kind = keyof typeof OPTIONS;

/** One kind of request, timed on one of the two servers. */
export interface LatencyCase {
  kind: Kind;
  flights: number;
  requests: number;
  p50Ms: number;
  /** Each window's median: how far a figure moves between windows. */
  windowP50Ms: number[];
}

export type LatencyResult = Awaited<ReturnType<typeof measureLatency>>;

export async function measureLatency(plan: Plan) {
  const timed = sourceCommand(undefined, ['--import=./scripts/bench/server-timing.ts']);
  const command = pinned(timed, plan.serverCpus);
  const cases = [
    ...BATCH_SIZES.map((flights) => ({ kind: 'never explains' as const, flights, server: 0 })),
    // Explained before unexplained: the second server has loaded its trees by then.
    ...EXPLAINED_SIZES.flatMap((flights) => [
      { kind: 'explained' as const, flights, server: 1 },
      { kind: 'unexplained, beside explained' as const, flights, server: 1 },
    ]),
    ...AIRPORT_SIZES.flatMap((flights) => [
      { kind: 'one morning, no airport' as const, flights, server: 0 },
      { kind: 'one morning, 300 departures' as const, flights, server: 0 },
    ]),
  ];
  const windows = cases.map((): number[][] => []);
  await withServers([command, command], async (servers) => {
    for (let round = 1; round <= ROUNDS; round++) {
      for (const [c, { kind, flights, server }] of cases.entries()) {
        const load = batchLoad(plan, flights, OPTIONS[kind]);
        const window = await timeWindow(servers[server]!, load, round === 1);
        windows[c]!.push(window);
        plan.progress(`latency ${round}/${ROUNDS}, ${kind}, ${flights}: ${ms(median(window))} ms`);
      }
    }
  });
  return {
    serverCommand: serverLine(command),
    wrkCommand: loadCommand(batchLoad(plan, 0), WINDOW).replace(
      /0$/,
      'N [explain|same-day|airport]',
    ),
    cases: cases.map(({ kind, flights }, c): LatencyCase => {
      const [all, p50s] = [windows[c]!.flat(), windows[c]!.map(median)];
      return { kind, flights, requests: all.length, p50Ms: median(all), windowP50Ms: p50s };
    }),
  };
}

/** One connection sending `flights`-flight requests back to back, wrk where the plan puts it. */
function batchLoad(plan: Plan, flights: number, options: readonly string[] = []): WrkLoad {
  const scriptArgs = [String(flights), ...options];
  return { ...plan.load, script: WRK_SCRIPTS.batch.file, scriptArgs, threads: 1, connections: 1 };
}

/** server-timing.ts's line for a 200 to POST /predict, its milliseconds captured. */
const TIMED_200 =
  /^\{"serverTiming":\{"method":"POST","url":"\/predict","status":200,"ms":([^}]+)\}\}$/gm;

/** The server-side times of the 200s to POST /predict during one window of `load`, in ms. */
async function timeWindow(server: FunctionProcess, load: WrkLoad, warm: boolean) {
  if (warm) await runWrk(predictRun(load, server.url, WARMUP));
  const from = server.output().length;
  await runWrk(predictRun(load, server.url, WINDOW));
  const timed = server.output().slice(from).matchAll(TIMED_200);
  const timings = [...timed].map(([, time]) => Number(time));
  if (timings.length === 0) throw new Error('no server-side timings: preload missing?');
  return timings;
}

const find = (result: LatencyResult, kind: LatencyCase['kind'], flights: number) =>
  result.cases.find((c) => c.kind === kind && c.flights === flights)!;

/**
 * How much slower (positive) unexplained requests were beside explained ones than on the server
 * that never explains, as a share; and the noise it is judged against: the largest distance of
 * any window's median from its case's pooled median, over both cases.
 */
export function unexplainedShift(result: LatencyResult, flights: number) {
  const never = find(result, 'never explains', flights);
  const beside = find(result, 'unexplained, beside explained', flights);
  const distances = [never, beside].flatMap((c) =>
    c.windowP50Ms.map((w) => Math.abs(w / c.p50Ms - 1)),
  );
  return { shift: beside.p50Ms / never.p50Ms - 1, noise: Math.max(...distances) };
}

const signed = (share: number) => `${share >= 0 ? '+' : ''}${percent(share)}`;

export function latencyVerdicts(result: LatencyResult): Verdict[] {
  const tenThousand = find(result, 'never explains', 10_000).p50Ms;
  const shifts = EXPLAINED_SIZES.map((flights) => ({
    flights,
    ...unexplainedShift(result, flights),
  }));
  return [
    {
      target: `10,000 flights answered in ≤ ${TARGET_10K_FLIGHTS_MS} ms server-side (median)`,
      measured: `${ms(tenThousand)} ms`,
      met: tenThousand <= TARGET_10K_FLIGHTS_MS,
    },
    {
      target:
        'unexplained requests as fast beside explained ones as on a server that never explains ' +
        "(server-side p50), within the windows' own spread",
      measured: shifts
        .map((s) => `${count(s.flights)}: ${signed(s.shift)} (spread ±${percent(s.noise)})`)
        .join('; '),
      // Faster beside explained requests is as fast: only a slowdown beyond the noise misses.
      met: shifts.every((s) => s.shift <= s.noise),
    },
  ];
}

export function latencySection(result: LatencyResult): string {
  const head = ['Requests', 'Flights', 'Timed', 'p50', 'Window p50s'];
  const rows = result.cases.map((c) => [
    c.kind,
    count(c.flights),
    count(c.requests),
    `${ms(c.p50Ms)} ms`,
    c.windowP50Ms.map((w) => ms(w)).join(', '),
  ]);
  const cost = AIRPORT_SIZES.map((flights) => {
    const [without, board] = [
      find(result, 'one morning, no airport', flights).p50Ms,
      find(result, 'one morning, 300 departures', flights).p50Ms,
    ];
    return `${count(flights)} flight(s) ${ms(board)} ms against ${ms(without)} ms (${(board / without).toFixed(2)}×)`;
  });
  const how =
    `${ROUNDS} windows per case, every case in turn round after round; two servers alike. ` +
    `An airport of 300 departures (nowcast) against the same flights without it (schedule): ${cost.join('; ')}.`;
  const title = 'Server-side latency by batch size, and explanations';
  return section(title, how, [head, ...rows], [result.wrkCommand, result.serverCommand]);
}
