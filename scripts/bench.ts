/**
 * `npm run bench -- [options]`: measures the function against the issues' targets in one run on
 * one machine — load against the framework's ceiling and with the prediction log on against off,
 * cold starts of the bundle with and without /docs, server-side latency by batch size and what
 * explaining costs, memory under the worst bodies, rows/s of `npm run predict` and POST /bigquery
 * against ONNX Runtime alone, rejecting against scoring, the explainer against XGBoost's, and a
 * soak — prints the results, checks the targets and writes the results into docs/BENCHMARKS.md.
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { installedBundle, measureColdStarts } from './bench/cold-start.js';
import { writeSection } from './bench/doc-section.js';
import { measureExplainer } from './bench/explainer.js';
import { measureBigQuery, measurePredict } from './bench/floors.js';
import { measureLatency } from './bench/latency.js';
import { measureLoad } from './bench/load.js';
import type { Plan } from './bench/plan.js';
import { measureRejection } from './bench/rejection.js';
import { describeMachine, renderReport, verdicts, type BenchResults } from './bench/report.js';
import { measureWorstCaseMemory } from './bench/worst-case-memory.js';
import { DEFAULT_DATA_PATH } from './train/dataset.js';
import { WRK_SCRIPTS } from './wrk/load-scripts.js';
import { ensureWrk } from './wrk/wrk.js';

const DOC = 'docs/BENCHMARKS.md';

const USAGE = `Usage: npm run bench -- [options]
  --duration T        each measured run of the load comparison (default 45s, the seed's own;
                      shorter runs let wrk's start-up tail into p99)
  --repeats N         rounds of the load comparison, medians reported (default 4); each
                      round also runs the prediction log's pair, 15s each
  --starts N          measured cold starts per bundle (default 7)
  --soak-requests N   requests the function answers under that load before its last RSS
                      reading, rounds included (default 1000000)
  --no-pin            let servers and wrk share every CPU (default: servers on CPU 1, wrk on CPU 0)
  --data PATH         the data set (default ${DEFAULT_DATA_PATH})
  --print-only        print the results without writing ${DOC}
  -h, --help          print this and exit
A full run takes about 20 minutes on a 2-CPU machine.`;

function options() {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: '45s' },
      repeats: { type: 'string', default: '4' },
      starts: { type: 'string', default: '7' },
      'soak-requests': { type: 'string', default: '1000000' },
      'no-pin': { type: 'boolean', default: false },
      data: { type: 'string', default: DEFAULT_DATA_PATH },
      'print-only': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  // Two CPUs here: one for the server — a deployed instance has one vCPU — and one for wrk.
  const pin = !values['no-pin'];
  const plan: Plan = {
    // The seed's stress test: its body, threads and connections.
    load: {
      script: WRK_SCRIPTS.seed.file,
      threads: 10,
      connections: 50,
      ...(pin ? { cpus: '0' } : {}),
    },
    ...(pin ? { serverCpus: '1' } : {}),
    duration: values.duration,
    warmup: '5s',
    repeats: positive(values.repeats, '--repeats'),
    starts: positive(values.starts, '--starts'),
    soakRequests: positive(values['soak-requests'], '--soak-requests'),
    data: values.data,
    progress,
  };
  return { plan, printOnly: values['print-only'] };
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
  const { plan, printOnly } = options();
  // Checked now rather than minutes in, when the first phase that reads it starts.
  if (!existsSync(plan.data)) throw new Error(`no data set at ${plan.data}: pass --data PATH`);
  ensureWrk();
  const startedAt = new Date();
  const withDocs = await installedBundle(plan, []);
  const withoutDocs = await installedBundle(plan, ['--no-docs']);
  const coldStarts = await measureColdStarts(plan, { withDocs, withoutDocs });
  const load = await measureLoad(plan);
  const latency = await measureLatency(plan);
  const worstCaseMemory = await measureWorstCaseMemory(plan, withDocs);
  const predict = await measurePredict(plan);
  const bigquery = await measureBigQuery(plan);
  const rejection = await measureRejection(plan);
  const explainer = await measureExplainer(plan);
  const args = process.argv.slice(2);
  const results: BenchResults = {
    invocation: ['npm run bench', ...(args.length ? ['--', ...args] : [])].join(' '),
    startedAt,
    finishedAt: new Date(),
    machine: describeMachine(),
    pinned: plan.serverCpus !== undefined,
    ...{
      load,
      coldStarts,
      latency,
      worstCaseMemory,
      predict,
      bigquery,
      rejection,
      explainer,
    },
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
