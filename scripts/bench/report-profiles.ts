/** The profiles of one `npm run bench`, as docs/BENCHMARKS.md shows them. */
import type { Cost } from './call-frames.js';
import { count, ms, table } from './markdown.js';
import type { ProfiledRun } from './profile-under-load.js';
import type { BenchResults } from './results.js';

const PROFILE_ROWS = 12;

/** What byOrigin reads of a profiled run, CPU or heap. */
interface OriginRun {
  requests: number;
  summary: { byArea: Cost[] };
}

/** A's and b's totals by origin, per request of each one's run: the largest first, the rest summed. */
function byOrigin(
  [own, ceiling]: readonly [OriginRun, OriginRun],
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
  const functions = (costs: Cost[]) =>
    costs.slice(0, PROFILE_ROWS).map((c) => [`\`${c.name}\``, us(micro(c.value, own))]);
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
    `- a: \`${own.serverCommand}\`, ${count(own.requests)} requests`,
    `- b: \`${ceiling.serverCommand}\`, ${count(ceiling.requests)} requests`,
    `- load: \`${own.wrkCommand}\``,
    '',
    table(
      ['Origin (self time)', 'a: µs/request', 'b: µs/request', 'a − b'],
      byOrigin(results.profiles, cpuTotals, (msPerRequest) => us(msPerRequest * 1000)),
    ),
    '',
    'Functions with the most self time in a:',
    '',
    table(['Function', 'µs/request'], functions(own.summary.topSelf)),
    '',
    "Time in a's own code (functions/), callees included:",
    '',
    table(['Function', 'µs/request'], functions(own.summary.ownInclusive)),
    '',
    allocationSection(results.allocations),
    '',
    asyncResourcesSection(results.asyncResources),
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
    `- a: \`${own.serverCommand}\`, ${count(own.requests)} requests`,
    `- b: \`${ceiling.serverCommand}\`, ${count(ceiling.requests)} requests`,
    '',
    table(
      ['Origin (allocated)', 'a: KiB/request', 'b: KiB/request', 'a − b'],
      byOrigin(runs, totals, kib),
    ),
    '',
    'Functions that allocate most themselves in a:',
    '',
    table(
      ['Function', 'KiB/request'],
      own.summary.topSelf
        .slice(0, PROFILE_ROWS)
        .map((c) => [`\`${c.name}\``, kib(c.value / own.requests)]),
    ),
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

/** Milliseconds of a profile as microseconds per request of its run. */
function micro(ms: number, run: ProfiledRun): number {
  return (ms * 1000) / run.requests;
}

function us(value: number): string {
  return value.toFixed(1);
}

function kib(bytes: number): string {
  return (bytes / 1024).toFixed(1);
}

function sum(rows: Array<{ a: number; b: number }>, key: 'a' | 'b'): number {
  return rows.reduce((total, row) => total + row[key], 0);
}

/** This function answering 10,000 flights per request. */
export function batchProfileSection({ batchProfile: run }: BenchResults): string {
  const perRequest = (costs: Cost[]) =>
    costs.slice(0, PROFILE_ROWS).map((c) => [`\`${c.name}\``, ms(c.value / run.requests)]);
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
