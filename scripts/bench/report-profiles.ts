/** The CPU profiles of one `npm run bench`, as docs/BENCHMARKS.md shows them. */
import type { Cost } from './cpu-profile.js';
import { count, ms, table } from './markdown.js';
import type { ProfiledRun } from './profile-under-load.js';
import type { BenchResults } from './results.js';

const PROFILE_ROWS = 12;

/** This function next to the framework ceiling, per request, with their async resources. */
export function profileSection({ profiles: [own, ceiling], asyncResources }: BenchResults): string {
  const perRequest = (run: ProfiledRun, costs: Cost[]) =>
    new Map(costs.map((c) => [c.name, micro(c.ms, run)]));
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
    {
      name: '**total**',
      a: micro(own.summary.busyMs, own),
      b: micro(ceiling.summary.busyMs, ceiling),
    },
  ];
  const functions = (costs: Cost[]) =>
    costs.slice(0, PROFILE_ROWS).map((c) => [`\`${c.name}\``, us(micro(c.ms, own))]);
  const [ownResources, ceilingResources] = asyncResources;
  const types = [
    ...new Set([
      ...Object.keys(ownResources.perRequest),
      ...Object.keys(ceilingResources.perRequest),
    ]),
  ];
  return [
    '### CPU profile under load',
    '',
    'The V8 CPU profiler (the one `--cpu-prof` runs), started and stopped around one measured ' +
      'run by the preload `scripts/bench/cpu-profile-window.ts`, so that start-up and warm-up ' +
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
      rows.map((r) => [r.name, us(r.a), us(r.b), us(r.a - r.b)]),
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
    'Async resources created per request (async_hooks types), counted over one run of the same ' +
      'load by the preload `scripts/bench/async-resources-window.ts`; the Functions Framework ' +
      'runs each request in a `domain`, whose hooks then run for every one of them:',
    '',
    table(
      ['Type', 'a', 'b'],
      types.map((type) => [
        type,
        (ownResources.perRequest[type] ?? 0).toFixed(1),
        (ceilingResources.perRequest[type] ?? 0).toFixed(1),
      ]),
    ),
    '',
    `- a: \`${ownResources.serverCommand}\``,
    `- b: \`${ceilingResources.serverCommand}\``,
  ].join('\n');
}

/** Milliseconds of a profile as microseconds per request of its run. */
function micro(ms: number, run: ProfiledRun): number {
  return (ms * 1000) / run.requests;
}

function us(value: number): string {
  return value.toFixed(1);
}

function sum(rows: Array<{ a: number; b: number }>, key: 'a' | 'b'): number {
  return rows.reduce((total, row) => total + row[key], 0);
}

/** This function answering 10,000 flights per request. */
export function batchProfileSection({ batchProfile: run }: BenchResults): string {
  const perRequest = (costs: Cost[]) =>
    costs.slice(0, PROFILE_ROWS).map((c) => [`\`${c.name}\``, ms(c.ms / run.requests)]);
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
