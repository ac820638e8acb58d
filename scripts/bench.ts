/**
 * `npm run bench -- [options]`: measures the function against baselines in one run on one
 * machine — throughput and latency under the seed's wrk load next to a constant Functions
 * Framework function and a constant node:http server, ONNX Runtime's session options, server-side
 * latency by batch size, what explanations cost, POST /bigquery rows/s, cold starts of the source
 * and of the bundle (with and without /docs), CPU profiles, memory under the worst 32 MiB bodies,
 * rows/s of `npm run predict` against ONNX Runtime alone and a soak —
 * prints the results, checks the targets and writes them into docs/BENCHMARKS.md.
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { monitorActivity } from './bench/activity.js';
import { writeSection } from './bench/doc-section.js';
import { docsColdStarts } from './bench/docs-cold-start.js';
import { explainerThroughput } from './bench/explainer-throughput.js';
import { describeMachine } from './bench/machine.js';
import {
  batchLatencies,
  bigqueryPhase,
  bundleColdStarts,
  explanationLatencies,
  installedBundle,
  loadPass,
  profiles,
  sourceColdStarts,
  worstCaseMemoryPhase,
  type Plan,
} from './bench/phases.js';
import { renderReport } from './bench/report.js';
import type { BenchResults } from './bench/results.js';
import { runSoak } from './bench/soak.js';
import { throughput } from './bench/throughput.js';
import { verdicts } from './bench/verdicts.js';
import { ensureWrk } from './bench/wrk.js';
import { DEFAULT_DATA_PATH } from './train/dataset.js';
import { WRK_SCRIPTS } from './bench/wrk-scripts.js';

const DOC = 'docs/BENCHMARKS.md';
/** The sample for the explainer's throughput. */
const EXPLAINED_ROWS = 10_000;

const USAGE = `Usage: npm run bench -- [options]
  --duration T        each measured run of the load comparison (default 45s, the seed's own; runs
                      under about 20s let wrk's start-up tail into p99: see ${DOC})
  --repeats N         rounds of each load comparison, medians reported (default 5: one round's
                      p99 moves by tens of percent, see ${DOC})
  --starts N          measured cold starts per function (default 7)
  --soak-requests N   requests of the soak test (default 1000000)
  --skip-soak         leave the soak test out (it takes ten minutes or more)
  --no-pin            let servers and wrk share every CPU (default: servers on CPU 1, wrk on CPU 0)
  --data PATH         the data set: scored by \`npm run predict\` and POST /bigquery against
                      ONNX Runtime alone, and its held-out rows explained against XGBoost's own
                      TreeSHAP
                      (default ${DEFAULT_DATA_PATH})
  --print-only        print the results without writing ${DOC}`;

function options() {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: '45s' },
      repeats: { type: 'string', default: '5' },
      starts: { type: 'string', default: '7' },
      'soak-requests': { type: 'string', default: '1000000' },
      'skip-soak': { type: 'boolean', default: false },
      'no-pin': { type: 'boolean', default: false },
      data: { type: 'string', default: DEFAULT_DATA_PATH },
      'print-only': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  // Two CPUs here: one for the server — the deployed instance has one vCPU — and one for wrk.
  const pinning = values['no-pin'] ? undefined : { serverCpus: '1', wrkCpus: '0' };
  const plan: Plan = {
    // The seed's stress test: its body, threads and connections.
    load: {
      script: WRK_SCRIPTS.seed.file,
      threads: 10,
      connections: 50,
      ...(pinning ? { cpus: pinning.wrkCpus } : {}),
    },
    ...(pinning ? { serverCpus: pinning.serverCpus } : {}),
    duration: values.duration,
    warmup: '5s',
    profileDuration: '15s',
    repeats: positive(values.repeats, '--repeats'),
    starts: positive(values.starts, '--starts'),
    progress,
  };
  return {
    plan,
    pinning,
    soakRequests: values['skip-soak']
      ? undefined
      : positive(values['soak-requests'], '--soak-requests'),
    data: values.data,
    printOnly: values['print-only'],
  };
}

function positive(text: string, flag: string): number {
  if (!/^[1-9]\d*$/.test(text)) throw new Error(`${flag} must be a positive integer\n${USAGE}`);
  return Number(text);
}

const started = Date.now();
function progress(line: string) {
  const seconds = Math.round((Date.now() - started) / 1000);
  const clock = `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
  console.log(`[${clock.padStart(5, '0')}] ${line}`);
}

async function main(): Promise<number> {
  const { plan, pinning, soakRequests, data, printOnly } = options();
  ensureWrk();
  // Checked now rather than twenty minutes in, when the explanation phase reads it.
  if (!existsSync(data)) throw new Error(`no data set at ${data}: pass --data PATH`);
  const startedAt = new Date();
  const activity = monitorActivity();

  activity.phase('cold starts');
  const bundle = await installedBundle(plan);
  const coldStarts = [await sourceColdStarts(plan), await bundleColdStarts(plan, bundle)];
  const withoutDocs = await installedBundle(plan, { docs: false });
  const docsStarts = await docsColdStarts(plan, { withDocs: bundle, withoutDocs });

  activity.phase('load comparison');
  const load = await loadPass(
    ['function', 'function-ort-default', 'framework-constant', 'node-http-constant'],
    plan,
  );

  activity.phase('batch latency');
  const batch = await batchLatencies(['function', 'function-ort-default'], plan);

  activity.phase('explanations');
  const explanationLatency = await explanationLatencies(plan);
  plan.progress(`explainer throughput on ${EXPLAINED_ROWS} held-out rows`);
  const explainerRate = await explainerThroughput({
    dataPath: data,
    name: 'schedule',
    rows: EXPLAINED_ROWS,
    rounds: plan.repeats,
    cpus: plan.serverCpus,
  });

  activity.phase('bigquery throughput');
  const bigquery = await bigqueryPhase(plan, data);

  activity.phase('CPU profiles');
  const profiled = await profiles(plan);

  activity.phase('worst-case memory');
  const worstCase = await worstCaseMemoryPhase(plan, bundle);

  activity.phase('throughput');
  plan.progress(`throughput: ONNX Runtime alone and npm run predict on ${data}`);
  const throughputResults = await throughput({
    data,
    ...(plan.serverCpus === undefined ? {} : { cpus: plan.serverCpus }),
    progress: plan.progress,
  });

  let soak: BenchResults['soak'];
  if (soakRequests) {
    activity.phase('soak');
    progress(`soak: ${soakRequests} requests`);
    soak = await runSoak(soakRequests, {
      load: plan.load,
      ...(plan.serverCpus === undefined ? {} : { serverCpus: plan.serverCpus }),
      progress,
    });
  }

  const args = process.argv.slice(2);
  const results: BenchResults = {
    invocation: ['npm run bench', ...(args.length ? ['--', ...args] : [])].join(' '),
    startedAt,
    finishedAt: new Date(),
    machine: describeMachine(),
    activity: activity.stop(),
    pinning,
    load,
    batch,
    bigquery,
    coldStarts,
    docsColdStarts: docsStarts,
    ...profiled,
    soak,
    worstCaseMemory: worstCase,
    explanationLatency,
    explainerThroughput: explainerRate,
    throughput: throughputResults,
  };
  const report = renderReport(results);
  console.log(`\n${report}\n`);
  if (!printOnly) {
    await writeSection(DOC, report);
    progress(`results written to ${DOC}`);
  }
  const missed = verdicts(results).filter((v) => !v.met);
  for (const v of missed) console.log(`MISSED: ${v.target}: ${v.measured}`);
  return missed.length > 0 ? 1 : 0;
}

process.exitCode = await main();
