/** The profiles of one `npm run bench`, as docs/BENCHMARKS.md shows them. */
import type { Cost } from './call-frames.js';
import { count, ms, table } from './markdown.js';
import type { Profiler, ProfiledRun } from './profile-under-load.js';
import type { BenchResults } from './results.js';

const PROFILE_ROWS = 12;

/** This function's profiled run, then the framework ceiling's: CPU or heap profiles. */
type RunPair = readonly [ProfiledRun<Profiler>, ProfiledRun<Profiler>];

/** A's and b's totals by origin, per request of each one's run: the largest first, the rest summed. */
function byOrigin(
  [own, ceiling]: RunPair,
  totals: [number, number],
  format: (perRequest: number) => string,
): string[][] {
  const perRequest = (run: { requests: number }, costs: Cost[]) =>
    new Map(costs.map((c) => [c.name, c.value / run.requests]));
  const ownAreas = perRequest(own, own.summary.byArea);
  const ceilingAreas = perRequest(ceiling, ceiling.summary.byArea);
  const areas = [...new Set([...ownAreas.keys(), ...ceilingAreas.keys()])]
    .map((name) => ({ name, a: ownAreas.get(name) ?? 0, b: ceilingAreas.get(name) ?? 0 }))
    .sort((x, y) => Math.max(y.a, y.b) - Math.max(x.a, x.b));
  const rest = areas.slice(PROFILE_ROWS);
  const rows = [
    ...areas.slice(0, PROFILE_ROWS),
    ...(rest.length
      ? [{ name: `${rest.length} other origins`, a: sum(rest, 'a'), b: sum(rest, 'b') }]
      : []),
    { name: '**total**', a: totals[0] / own.requests, b: totals[1] / ceiling.requests },
  ];
  return rows.map((r) => [r.name, format(r.a), format(r.b), format(r.a - r.b)]);
}

/** This function next to the framework ceiling, per request: CPU time, allocation, async resources. */
export function profileSection(results: BenchResults): string {
  const [own, ceiling] = results.profiles;
  const cpuTotals: [number, number] = [own.summary.busyMs, ceiling.summary.busyMs];
  return [
    '### CPU profile under load',
    '',
    'The V8 CPU profiler (the one `--cpu-prof` runs), started and stopped around one measured ' +
      'run by the preload `scripts/bench/profile-window.ts`, so that start-up and warm-up ' +
      'are left out. Times are CPU time per request: sampled time that was not idle, divided by ' +
      "the responses wrk received during the profile. Native code (ONNX Runtime's run, " +
      'JSON.parse) is charged to the JavaScript that called it.',
    '',
    ...runLines(results.profiles),
    `- load: \`${own.wrkCommand}\``,
    '',
    table(
      ['Origin (self time)', 'a: µs/request', 'b: µs/request', 'a − b'],
      byOrigin(results.profiles, cpuTotals, microseconds),
    ),
    '',
    'Functions with the most self time in a:',
    '',
    table(['Function', 'µs/request'], perRequestRows(own.summary.topSelf, own, microseconds)),
    '',
    "Time in a's own code (functions/), callees included:",
    '',
    table(['Function', 'µs/request'], perRequestRows(own.summary.ownInclusive, own, microseconds)),
    '',
    asyncResourcesSection(results.asyncResources),
    '',
    allocationSection(results.allocations),
  ].join('\n');
}

/** What a request allocates on the JavaScript heap, a next to b. */
function allocationSection(runs: BenchResults['allocations']): string {
  const [own, ceiling] = runs;
  const totals: [number, number] = [own.summary.bytes, ceiling.summary.bytes];
  return [
    '### Memory allocated under load',
    '',
    "Memory allocated per request on V8's heap, whether it is still alive or not: what makes the " +
      'young-generation collections come round. The sampling heap profiler (every 1 KiB ' +
      'allocated on average, collected objects kept in the profile), started and stopped the ' +
      'same way, one run of the same load each; native code is charged to its JavaScript caller:',
    '',
    ...runLines(runs),
    '',
    table(
      ['Origin (allocated)', 'a: KiB/request', 'b: KiB/request', 'a − b'],
      byOrigin(runs, totals, kib),
    ),
    '',
    'Functions that allocate most themselves in a:',
    '',
    table(['Function', 'KiB/request'], perRequestRows(own.summary.topSelf, own, kib)),
  ].join('\n');
}

function asyncResourcesSection([own, ceiling]: BenchResults['asyncResources']): string {
  const types = [...new Set([...Object.keys(own.perRequest), ...Object.keys(ceiling.perRequest)])];
  return [
    'Async resources created per request (async_hooks types), counted over one run of the same ' +
      'load by the preload `scripts/bench/async-resources-window.ts`; the Functions Framework ' +
      'runs each request in a `domain`, whose hooks then run for every one of them:',
    '',
    table(
      ['Type', 'a', 'b'],
      types.map((type) => [
        type,
        (own.perRequest[type] ?? 0).toFixed(1),
        (ceiling.perRequest[type] ?? 0).toFixed(1),
      ]),
    ),
    '',
    `- a: \`${own.serverCommand}\``,
    `- b: \`${ceiling.serverCommand}\``,
  ].join('\n');
}

/** The profiled servers' command lines, with the responses each run received. */
function runLines([own, ceiling]: RunPair) {
  return [
    `- a: \`${own.serverCommand}\`, ${count(own.requests)} requests`,
    `- b: \`${ceiling.serverCommand}\`, ${count(ceiling.requests)} requests`,
  ];
}

/** The first of `costs` as rows of a table: each one's value per request of `run`. */
function perRequestRows(
  costs: Cost[],
  run: { requests: number },
  format: (perRequest: number) => string,
): string[][] {
  return costs.slice(0, PROFILE_ROWS).map((c) => [`\`${c.name}\``, format(c.value / run.requests)]);
}

/** Milliseconds of CPU as microseconds. */
function microseconds(ms: number): string {
  return (ms * 1000).toFixed(1);
}

function kib(bytes: number): string {
  return (bytes / 1024).toFixed(1);
}

function sum(rows: Array<{ a: number; b: number }>, key: 'a' | 'b'): number {
  return rows.reduce((total, row) => total + row[key], 0);
}

/** This function answering 10,000 flights per request. */
export function batchProfileSection({ batchProfile: run }: BenchResults): string {
  const perRequest = (costs: Cost[]) => perRequestRows(costs, run, ms);
  return [
    '### CPU profile of 10,000 flights per request',
    '',
    `The same profiler, server \`${run.serverCommand}\`, load \`${run.wrkCommand}\` ` +
      `(${count(run.requests)} requests, one at a time). Milliseconds of CPU per request; ` +
      `${ms(run.summary.busyMs / run.requests)} ms in all.`,
    '',
    table(['Origin (self time)', 'ms/request'], perRequest(run.summary.byArea)),
    '',
    table(['Function (self time)', 'ms/request'], perRequest(run.summary.topSelf)),
    '',
    table(['Own function, callees included', 'ms/request'], perRequest(run.summary.ownInclusive)),
  ].join('\n');
}
