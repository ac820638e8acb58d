/**
 * The phases of `npm run bench`, each turning the run's plan into results: load passes, cold
 * starts (source and bundle), latency by batch size, `/bigquery` throughput, CPU profiles, async
 * resources, worst-case memory, soak.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  block,
  onlyResource,
  optionalAttributes,
  optionalNumber,
  readConfiguration,
} from '../../test/terraform/hcl.js';
import type { FunctionProcess } from '../../test/helpers/process.js';
import { installBundle } from '../build/install-bundle.js';
import { countAsyncResources } from './async-resources.js';
import {
  batchLoad,
  poolWindows,
  timeBatchWindow,
  type BatchLatency,
  type BatchWindow,
} from './batch-latency.js';
import { coldStart, coldStartResult, SEED_BODY, type ColdStart } from './cold-start.js';
import { bigqueryThroughput, type BigQueryThroughput } from './bigquery-throughput.js';
import { compareLoad } from './load-comparison.js';
import { profileUnderLoad } from './profile-under-load.js';
import type {
  BenchResults,
  ColdStartResult,
  ExplanationLatency,
  LoadPass,
  WorstCaseMemory,
} from './results.js';
import {
  bundleCommand,
  serverLine,
  pinned,
  targetCommand,
  withServers,
  type Command,
  type TargetName,
} from './targets.js';
import { median } from './stats.js';
import { loadCommand, type WrkLoad } from './wrk.js';
import { memoryBytes, worstCaseMemory } from './worst-case-memory.js';
import { objectGarbage, paddedBatch } from './worst-bodies.js';

/** How a run loads the servers, and how it reports progress. */
export interface Plan {
  /** The seed's load: its body, threads and connections (wrk pinned to its CPUs, if any). */
  load: WrkLoad;
  /** CPUs the servers are pinned to. */
  serverCpus?: string;
  /** Each measured wrk run of the load comparison, and the uncounted run before. */
  duration: string;
  warmup: string;
  /** Each profiled run. */
  profileDuration: string;
  repeats: number;
  /** Measured cold starts per function. */
  starts: number;
  progress: (line: string) => void;
}

const BATCH_SIZES = [1, 100, 1_000, 10_000];
const BATCH_ROUNDS = 3;

/** The same wrk load against `targets`, in interleaved rounds. */
export async function loadPass(targets: readonly TargetName[], plan: Plan): Promise<LoadPass> {
  const { duration, warmup, repeats, progress } = plan;
  progress(`load: ${repeats} rounds of ${duration} per server`);
  const pass = await compareLoad(targets, {
    ...servers(plan),
    duration,
    warmup,
    repeats,
    progress,
  });
  return { ...pass, warmup, repeats };
}

/** Cold starts of the source, as `npm start` runs it. */
export function sourceColdStarts(plan: Plan): Promise<ColdStartResult> {
  return coldStarts('source (as npm start runs it)', false, targetCommand('function'), plan);
}

/**
 * Builds the bundle into a temporary folder and installs it as Cloud Functions would;
 * `docs: false` builds it without the interactive reference (`--no-docs`).
 */
export async function installedBundle(plan: Plan, { docs = true } = {}): Promise<string> {
  const out = mkdtempSync(join(tmpdir(), 'bench-dist-'));
  const args = ['--out', out, ...(docs ? [] : ['--no-docs'])];
  plan.progress(
    `building the bundle (npm run build -- ${args.join(' ')}), installing function.zip`,
  );
  const build = spawnSync('npm', ['run', 'build', '--silent', '--', ...args], {
    encoding: 'utf8',
  });
  if (build.status !== 0) throw new Error(`npm run build failed:\n${build.stdout}${build.stderr}`);
  return installBundle(join(out, 'function.zip'));
}

/** Cold starts of the bundle installed in `dir`. */
export async function bundleColdStarts(plan: Plan, dir: string): Promise<ColdStartResult> {
  const result = await coldStarts(
    'bundle (function.zip, installed)',
    true,
    bundleCommand(dir),
    plan,
  );
  return { ...result, command: result.command.replaceAll(dir, '$INSTALLED') };
}

/**
 * The bundle installed in `dir` under 32 MiB bodies from as many clients as the Terraform default
 * lets an instance take at once: valid batches and garbage with the function's body budget, and
 * garbage with the budget lifted, which shows what the concurrency alone would cost.
 */
export async function worstCaseMemoryPhase(plan: Plan, dir: string): Promise<WorstCaseMemory> {
  const terraform = await readConfiguration();
  const concurrency = optionalNumber(terraform, 'service', 'max_instance_request_concurrency');
  const memory = optionalAttributes(terraform, 'service').find(
    (a) => a.name === 'available_memory',
  );
  const memoryLimitBytes = memoryBytes(JSON.parse(memory?.default ?? '""') as string);
  // The heap limit is the deployment's (NODE_OPTIONS in terraform/main.tf): it decides the peak.
  const [, fn] = onlyResource(terraform, 'google_cloudfunctions2_function');
  const deployed = block(fn, 'service_config').environment_variables as Record<string, string>;
  const base = bundleCommand(dir);
  const command = { ...base, env: { ...base.env, NODE_OPTIONS: String(deployed.NODE_OPTIONS) } };
  const garbage = objectGarbage();
  const result = await worstCaseMemory(
    pinned(command, plan.serverCpus),
    [{ body: paddedBatch() }, { body: garbage }, { body: garbage, budgetMiB: 1024 }],
    { concurrency, memoryLimitBytes, progress: plan.progress },
  );
  const cases = result.cases.map((c) => ({
    ...c,
    serverCommand: c.serverCommand.replaceAll(dir, '$INSTALLED'),
  }));
  return { ...result, cases };
}

/** One uncounted start, then `plan.starts` measured ones. */
async function coldStarts(
  label: string,
  deployed: boolean,
  command: Command,
  plan: Plan,
): Promise<ColdStartResult> {
  const run = pinned(command, plan.serverCpus);
  plan.progress(`cold starts, ${label}: 1 + ${plan.starts}`);
  await coldStart(run, SEED_BODY);
  const starts: ColdStart[] = [];
  for (let i = 0; i < plan.starts; i++) starts.push(await coldStart(run, SEED_BODY));
  const result = coldStartResult(label, deployed, run, starts);
  plan.progress(`cold starts, ${label}: ${result.ms.map(Math.round).join(', ')} ms`);
  return result;
}

/**
 * Server-side latency by batch size, for each target, each started with the timing preload.
 */
export async function batchLatencies(
  targets: readonly TargetName[],
  plan: Plan,
): Promise<BenchResults['batch']> {
  const commands = targets.map((target) => timedCommand(target, plan));
  const cases = targets.flatMap((label, server) =>
    BATCH_SIZES.map((flights) => ({ label, server, flights, explain: false })),
  );
  const pooled = await withServers(commands, (servers) => timeInRounds(servers, cases, plan));
  return {
    serverCommands: Object.fromEntries(targets.map((t, i) => [t, serverLine(commands[i]!)])),
    results: Object.fromEntries(
      targets.map((t) => [t, pooled.filter((_, i) => cases[i]!.label === t)]),
    ),
  };
}

/**
 * What explaining costs, server-side, for batches of 1, 100 and 1,000 flights: explained requests
 * next to the same requests unexplained on the same server, and unexplained ones on a second
 * server of the same function that is never asked to explain — whose latencies explanations must
 * leave unchanged.
 */
export async function explanationLatencies(plan: Plan): Promise<ExplanationLatency> {
  const command = timedCommand('function', plan);
  const cases = EXPLAINED_SIZES.flatMap((flights) => [
    { label: 'never explains', server: 0, flights, explain: false },
    // Explained before unexplained: the second server has loaded its trees by then.
    { label: 'explained', server: 1, flights, explain: true },
    { label: 'unexplained, beside explained', server: 1, flights, explain: false },
  ]);
  const pooled = await withServers([command, command], (servers) =>
    timeInRounds(servers, cases, plan),
  );
  return {
    serverCommand: serverLine(command),
    sizes: EXPLAINED_SIZES.map((flights, s) => ({
      flights,
      neverExplains: pooled[3 * s]!,
      explained: pooled[3 * s + 1]!,
      besideExplained: pooled[3 * s + 2]!,
    })),
  };
}

const EXPLAINED_SIZES = [1, 100, 1_000];

/** `target` with the timing preload and the handler's own timings (LOG_REQUESTS=1). */
function timedCommand(target: TargetName, plan: Plan): Command {
  const base = targetCommand(target, ['--import=./scripts/bench/server-timing.ts']);
  return pinned({ ...base, env: { ...base.env, LOG_REQUESTS: '1' } }, plan.serverCpus);
}

/** One kind of request timed on one of a phase's servers. */
interface TimedCase {
  label: string;
  server: number;
  flights: number;
  explain: boolean;
}

/**
 * A window of every case in turn, for BATCH_ROUNDS rounds, pooled per case (in the order of
 * `cases`): each figure pools windows spread over the phase rather than one window that a slow
 * spell of the machine may cover.
 */
async function timeInRounds(
  servers: readonly FunctionProcess[],
  cases: readonly TimedCase[],
  plan: Plan,
): Promise<BatchLatency[]> {
  const windows = cases.map((): BatchWindow[] => []);
  for (let round = 1; round <= BATCH_ROUNDS; round++) {
    for (const [c, { label, server, flights, explain }] of cases.entries()) {
      const window = await timeBatchWindow(servers[server]!, flights, {
        duration: '5s',
        explain,
        ...(round === 1 ? { warmup: '2s' } : {}),
        ...(plan.load.cpus === undefined ? {} : { wrkCpus: plan.load.cpus }),
      });
      windows[c]!.push(window);
      plan.progress(
        `batch latency, round ${round}/${BATCH_ROUNDS}, ${label}, ${flights} flights: ` +
          `request p50 ${median(window.requestMs).toFixed(2)} ms ` +
          `(${window.requestMs.length} requests)`,
      );
    }
  }
  return windows.map(poolWindows);
}

/**
 * `/bigquery` rows/s of one instance under the load (500-row calls from 8 callers) of the
 * flights of `data`, as many rounds as the load comparison. A round of 15 s holds some 2,000
 * calls: a rate is steady long before the seed's 45 s, which is for its p99.
 */
export function bigqueryPhase(plan: Plan, data: string): Promise<BigQueryThroughput> {
  return bigqueryThroughput({
    data,
    ...(plan.serverCpus === undefined ? {} : { serverCpus: plan.serverCpus }),
    ...(plan.load.cpus === undefined ? {} : { wrkCpus: plan.load.cpus }),
    duration: '15s',
    warmup: plan.warmup,
    repeats: plan.repeats,
    progress: plan.progress,
  });
}

/**
 * CPU profiles under the seed's load of this function and of the framework ceiling, and of this
 * function answering 10,000 flights per request; the first two's allocations and async resources
 * per request.
 */
export async function profiles(
  plan: Plan,
): Promise<Pick<BenchResults, 'profiles' | 'batchProfile' | 'allocations' | 'asyncResources'>> {
  const { profileDuration: duration, warmup } = plan;
  const profile = async <P extends 'cpu' | 'heap'>(
    profiler: P,
    target: TargetName,
    load: WrkLoad,
  ) => {
    plan.progress(`${profiler} profile of ${target} under ${loadCommand(load, duration)}`);
    const options = { ...servers(plan), load, duration, warmup };
    const run = await profileUnderLoad(profiler, target, options);
    plan.progress(`profile kept at ${run.file}`);
    return run;
  };
  const own = await profile('cpu', 'function', plan.load);
  const ceiling = await profile('cpu', 'framework-constant', plan.load);
  const batch = await profile('cpu', 'function', batchLoad(10_000, plan.load.cpus));
  const allocations = [
    await profile('heap', 'function', plan.load),
    await profile('heap', 'framework-constant', plan.load),
  ] satisfies BenchResults['allocations'];
  plan.progress('counting async resources per request');
  const count = (target: TargetName) =>
    countAsyncResources(target, { ...servers(plan), duration: '3s' });
  return {
    profiles: [own, ceiling],
    batchProfile: batch,
    allocations,
    asyncResources: [await count('function'), await count('framework-constant')],
  };
}

/** The plan's load, and the servers' CPUs when they are pinned. */
function servers(plan: Plan): { load: WrkLoad; serverCpus?: string } {
  return {
    load: plan.load,
    ...(plan.serverCpus === undefined ? {} : { serverCpus: plan.serverCpus }),
  };
}
