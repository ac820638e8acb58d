/** The results of one `npm run bench` as the Markdown section docs/BENCHMARKS.md shows. */
import { count, counts, mebibytes, ms, percent, table } from './markdown.js';
import { bigquerySection } from './report-bigquery.js';
import { explanationSection } from './report-explanations.js';
import { batchProfileSection, profileSection } from './report-profiles.js';
import { medianRate, type BenchResults, type ColdStartResult, type LoadPass } from './results.js';
import type { TargetName } from './targets.js';
import { median } from './stats.js';
import { shareOfFloor, type PredictThroughput } from './throughput.js';
import { verdicts } from './verdicts.js';

export function renderReport(results: BenchResults): string {
  return [
    header(results),
    machineSection(results),
    targetsSection(results),
    loadSection(results.load),
    batchSection(results),
    explanationSection(results),
    bigquerySection(results),
    coldStartSection(results),
    docsColdStartSection(results),
    profileSection(results),
    batchProfileSection(results),
    worstCaseSection(results),
    throughputSection(results),
    soakSection(results),
  ].join('\n\n');
}

function header({ invocation, startedAt, finishedAt }: BenchResults): string {
  const minutes = Math.round((finishedAt.getTime() - startedAt.getTime()) / 60_000);
  return (
    `Produced by \`${invocation}\`, ${startedAt.toISOString().slice(0, 16)}Z to ` +
    `${finishedAt.toISOString().slice(11, 16)}Z (${minutes} min). Every number below comes from ` +
    'that one run; the commands are the ones it ran (PORT is a free port it picked).'
  );
}

/** Other work above this share of the CPUs is flagged: it may have disturbed the phase. */
const DISTURBED_SHARE = 0.05;

function machineSection({ machine, activity, pinning }: BenchResults): string {
  const others = activity.others
    .slice(0, 5)
    .map((o) => `\`${o.command}\` (${o.cpuSeconds.toFixed(1)} s)`);
  return [
    '### Machine',
    '',
    table(
      ['', ''],
      [
        ['CPU', `${machine.cpu}, ${machine.cpuCount} CPUs`],
        ['Memory', `${machine.memoryGiB} GiB`],
        ['System', `${machine.os}, Linux ${machine.kernel}`],
        ['Node.js', machine.node],
        ['wrk', machine.wrk],
        [
          'Pinning',
          pinning
            ? `servers on CPU ${pinning.serverCpus}, wrk on CPU ${pinning.wrkCpus} (\`taskset -c\`)`
            : 'none: servers and wrk share every CPU',
        ],
      ],
    ),
    '',
    "Other work on the machine during each phase, as a share of all CPUs' time (the machine's " +
      'busy time from /proc/stat, hypervisor steal included, minus the CPU time of the ' +
      "benchmark's own processes; `scripts/bench/activity.ts`):",
    '',
    table(
      ['Phase', 'Duration', 'Other work'],
      activity.phases.map((p) => [
        p.phase,
        `${Math.round(p.seconds)} s`,
        p.otherShare >= DISTURBED_SHARE ? `**${percent(p.otherShare)}**` : percent(p.otherShare),
      ]),
    ),
    '',
    others.length === 0
      ? 'No other process was seen using CPU.'
      : `Other processes seen using CPU: ${others.join(', ')}.`,
  ].join('\n');
}

function targetsSection(results: BenchResults): string {
  return [
    '### Targets',
    '',
    table(
      ['Target', 'Measured', ''],
      verdicts(results).map((v) => [v.target, v.measured, v.met ? 'met' : '**missed**']),
    ),
  ].join('\n');
}

function loadSection(pass: LoadPass): string {
  const rate = (target: TargetName) => medianRate(pass, target);
  const own = rate('function');
  return [
    "### Throughput and latency under the seed's load",
    '',
    `\`${pass.wrkCommand}\` against each server in turn, ${pass.repeats} rounds, after a ` +
      `${pass.warmup} warm-up of each (not counted); medians over the rounds, ratios of ` +
      'medians. ' +
      "CPU/request is the server's user + system CPU time over a run (/proc/PID/stat) divided " +
      'by its responses: what a request costs, less disturbed than rates when other work ' +
      "shares the machine. Peak RSS is the server's VmHWM after all its runs.",
    '',
    table(
      [
        'Server',
        'Requests/s',
        'p50',
        'p99',
        'a ÷ this',
        'CPU/request',
        'Peak RSS',
        'Runs (requests/s)',
        'Faults',
      ],
      pass.results.map((r) => [
        r.label,
        count(median(r.requestsPerSecond)),
        `${ms(median(r.p50Ms))} ms`,
        `${ms(median(r.p99Ms))} ms`,
        percent(own / median(r.requestsPerSecond)),
        `${Math.round(median(r.cpuUsPerRequest))} µs`,
        mebibytes(r.memory.peakRssBytes),
        counts(r.requestsPerSecond),
        r.faults.join('; ') || 'none',
      ]),
    ),
    '',
    `a/b = ${percent(own / rate('framework-constant'))}, ` +
      `a/c = ${percent(own / rate('node-http-constant'))}.`,
    '',
    'Servers:',
    '',
    ...pass.results.map((r) => `- ${r.label}: \`${r.serverCommand}\``),
  ].join('\n');
}

function batchSection({ batch }: BenchResults): string {
  const rows = Object.entries(batch.results).flatMap(([target, list]) =>
    list.map((b) => [
      target === 'function' ? 'a. SESSION_OPTIONS' : "a'. ONNX Runtime's defaults",
      count(b.flights),
      count(b.requests),
      `${ms(b.requestMs.p50)} ms`,
      `${ms(b.requestMs.p90)} ms`,
      `${ms(b.requestMs.max)} ms`,
      `${ms(b.handlerMs.p50)} ms`,
      `${ms(b.clientP50Ms)} ms`,
    ]),
  );
  const first = Object.values(batch.results)[0]?.[0];
  const command = first?.command.replace(/ -- \d+$/, ' -- N');
  return [
    '### Server-side latency by batch size',
    '',
    'One connection sends the same N-flight request (flights format, `scripts/wrk/batch.lua`) ' +
      `back to back, in ${first?.windows ?? 0} windows per size and server: every size of every ` +
      'server in turn, round after round, so that a slow spell of the machine falls on one window ' +
      "of a size rather than all of it; each row pools its windows' requests. A first run before " +
      'the first window is not counted. **Request** is timed inside the server by the ' +
      'preload `scripts/bench/server-timing.ts`, from the moment Node has parsed the request ' +
      'headers to the moment the last byte of the response is handed to the kernel: upload, ' +
      'JSON parsing, validation, encoding, inference and serialisation. **Handler** is the ' +
      'latency `functions/handler.ts` logs with `LOG_REQUESTS=1` (it starts once the framework ' +
      "has parsed the body). Client is what wrk saw (the median of the windows' medians).",
    '',
    `Load: \`${command ?? 'none'}\``,
    '',
    table(
      ['Sessions', 'Flights', 'Requests', 'Request p50', 'p90', 'max', 'Handler p50', 'Client p50'],
      rows,
    ),
    '',
    'Servers:',
    '',
    ...Object.entries(batch.serverCommands).map(([target, line]) => `- ${target}: \`${line}\``),
  ].join('\n');
}

function coldStartSection({ coldStarts }: BenchResults): string {
  return [
    '### Cold start',
    '',
    'From spawning a fresh process to its first 200 on POST /predict with the seed body, polled ' +
      'every 2 ms (`scripts/bench/cold-start.ts`): Node start, module loading, listening, the ' +
      'lazy model load (read, SHA-256 check, session, one test row: `loadMs` in the ' +
      "function's log) and the first prediction. One start before the measured ones is not " +
      "counted (it fills the file cache and, for the source, tsx's compile cache). The target " +
      'applies to the bundle, which is what Cloud Functions runs; the source, compiled by tsx ' +
      'as it loads, is shown for comparison.',
    '',
    coldStartTable(coldStarts),
  ].join('\n');
}

function docsColdStartSection({ docsColdStarts }: BenchResults): string {
  return [
    '### Cold start with and without /docs',
    '',
    'The same cold start of the bundle built with the interactive reference (as deployed) and ' +
      'without it (`npm run build -- --no-docs`), starts alternating between the two ' +
      "(`scripts/bench/docs-cold-start.ts`). The reference's files are read only when /docs is " +
      'first asked for, so the two should differ by no more than noise.',
    '',
    coldStartTable([docsColdStarts.withDocs, docsColdStarts.withoutDocs]),
  ].join('\n');
}

function coldStartTable(starts: readonly ColdStartResult[]): string {
  return [
    table(
      ['Function', 'Median', 'Min', 'Max', 'Model load, median', 'Starts (ms)'],
      starts.map((s) => [
        s.label,
        `${ms(median(s.ms))} ms`,
        `${ms(Math.min(...s.ms))} ms`,
        `${ms(Math.max(...s.ms))} ms`,
        s.modelLoadMs.length ? `${ms(median(s.modelLoadMs))} ms` : 'not logged',
        s.ms.map((v) => ms(v)).join(', '),
      ]),
    ),
    '',
    ...starts.map((s) => `- ${s.label}: \`${s.command}\``),
  ].join('\n');
}

function soakSection({ soak }: BenchResults): string {
  if (!soak) return '### Soak\n\nSkipped in this run (`--skip-soak`).';
  return [
    '### Soak',
    '',
    `Server: \`${soak.serverCommand}\`; load: \`${soak.wrkCommand}\`, interrupted once the ` +
      `server had answered ${count(soak.requests)} requests to /predict. The preload ` +
      '`scripts/bench/rss-checkpoints.ts` reads the RSS inside the server as it answers the ' +
      `request of each checkpoint. Faults: ${soak.faults.join('; ') || 'none'}.`,
    '',
    table(
      ['Requests answered', 'RSS'],
      [...soak.rssBytes].map(([requests, bytes]) => [count(requests), mebibytes(bytes)]),
    ),
  ].join('\n');
}

function worstCaseSection({ worstCaseMemory: worst }: BenchResults): string {
  const bodies = [...new Map(worst.cases.map((c) => [c.body, c.description]))];
  return [
    '### Worst-case memory',
    '',
    `${worst.concurrency} clients — the Terraform default of ` +
      '`max_instance_request_concurrency` — each send a 32 MiB body to the bundled function ' +
      `back to back for ${worst.loadMs / 1000} s, waiting as Retry-After asks when turned ` +
      `away (\`scripts/bench/worst-case-memory.ts\`). Peak RSS is the server's VmHWM; RSS is read ` +
      `again ${worst.settleMs / 1000} s after the load stops. A fresh server for each row. The ` +
      'bodies (`scripts/bench/worst-bodies.ts`):',
    '',
    ...bodies.map(([name, description]) => `- ${name}: ${description}`),
    '',
    table(
      [
        'Body',
        'BODY_BUDGET_MIB',
        'Answers',
        'RSS before',
        'Peak RSS',
        `RSS ${worst.settleMs / 1000} s after`,
      ],
      worst.cases.map((c) => [
        c.body,
        c.budgetMiB === undefined ? 'default (32)' : String(c.budgetMiB),
        Object.entries(c.statuses)
          .map(([status, n]) => `${count(n)} × ${status}`)
          .join(', '),
        mebibytes(c.idleRssBytes),
        mebibytes(c.peakRssBytes),
        c.rssAfterBytes === undefined ? `died: \`${c.death ?? ''}\`` : mebibytes(c.rssAfterBytes),
      ]),
    ),
    '',
    `The Terraform default \`available_memory\` is ${mebibytes(worst.memoryLimitBytes)}.`,
    '',
    'Servers:',
    '',
    ...worst.cases.map((c) => `- ${c.body}, ${c.budgetMiB ?? 'default'}: \`${c.serverCommand}\``),
  ].join('\n');
}

function throughputSection({
  throughput: { floor, predict, predictOneCpu },
}: BenchResults): string {
  const predictRow = (label: string, runs: PredictThroughput) => [
    label,
    count(median(runs.rowsPerSecond)),
    percent(shareOfFloor(runs.rowsPerSecond, floor)),
    counts(runs.rowsPerSecond),
    `${median(runs.wallSeconds).toFixed(2)} s`,
  ];
  return [
    "### Rows per second against the model's floor",
    '',
    `The floor is ONNX Runtime alone with the function's session options, on one CPU, on the ` +
      `data set's ${count(floor.rows)} flights encoded beforehand, ${count(floor.batchRows)} rows ` +
      'a run (the rows `npm run predict` reads per batch of this file): nothing that scores with ' +
      'this model on one CPU can go faster. `npm run predict` reads, validates, encodes and writes ' +
      'the same file on one thread while its model scores on another ' +
      "(`scripts/predict/model-thread.ts`); it runs with the machine's CPUs, as a user runs it, " +
      "and pinned to the floor's CPU. Its rate is its own summary line's, from opening the file " +
      'to the last row written (start-up and model load excluded, JIT warm-up included); the wall ' +
      'time is the whole process. Interleaved rounds (`scripts/bench/throughput.ts`); medians.',
    '',
    table(
      ['', 'Rows/s', 'Share of the floor', 'Runs (rows/s)', 'Wall time'],
      [
        [
          'ONNX Runtime alone (floor)',
          count(median(floor.rowsPerSecond)),
          '100%',
          counts(floor.rowsPerSecond),
          '',
        ],
        predictRow('`npm run predict`', predict),
        predictRow("`npm run predict`, pinned to the floor's CPU", predictOneCpu),
      ],
    ),
    '',
    `- floor: \`${floor.command}\``,
    `- predict: \`${predict.command}\``,
    `- predict on one CPU: \`${predictOneCpu.command}\``,
  ].join('\n');
}
