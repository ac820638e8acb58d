/** What one `npm run bench` measured: the values the report renders and the verdicts check. */
import type { ActivityReport } from './activity.js';
import type { AsyncResourceCount } from './async-resources.js';
import type { BatchLatency } from './batch-latency.js';
import type { BigQueryThroughput } from './bigquery-throughput.js';
import type { ExplainerThroughput } from './explainer-throughput.js';
import type { Machine } from './machine.js';
import type { ProcessMemory } from './process-usage.js';
import type { ProfiledRun } from './profile-under-load.js';
import { median } from './stats.js';
import type { TargetName } from './targets.js';
import type { ThroughputResults } from './throughput.js';

/** One server under one wrk load, over every round. */
export interface LoadResult {
  target: TargetName;
  label: string;
  serverCommand: string;
  /** Each measured run, in order. */
  requestsPerSecond: number[];
  p50Ms: number[];
  p99Ms: number[];
  /** Server CPU time (user + system) per response: less disturbed by a busy machine than rates. */
  cpuUsPerRequest: number[];
  /** Responses that were not 200, and socket errors, over all runs. */
  faults: string[];
  memory: ProcessMemory;
}

/** The same wrk load against several servers. */
export interface LoadPass {
  wrkCommand: string;
  warmup: string;
  repeats: number;
  results: LoadResult[];
}

export interface ColdStartResult {
  label: string;
  /** The artifact Cloud Functions runs: the cold-start target applies to it. */
  deployed: boolean;
  command: string;
  /** Each start, in milliseconds. */
  ms: number[];
  /** The model load of each start, as the function logged it. */
  modelLoadMs: number[];
}

/** Cold starts of the bundle with the interactive reference and without it, alternating. */
export interface DocsColdStarts {
  withDocs: ColdStartResult;
  withoutDocs: ColdStartResult;
}

export interface SoakResult {
  requests: number;
  serverCommand: string;
  wrkCommand: string;
  /** Resident set size by /predict requests answered. */
  rssBytes: Map<number, number>;
  faults: string[];
}

/** Memory of the bundled function under 32 MiB bodies (scripts/bench/worst-case-memory.ts). */
export interface WorstCaseMemory {
  /** Clients sending at once: the Terraform default of max_instance_request_concurrency. */
  concurrency: number;
  /** The Terraform default of available_memory, which the peak must fit twice. */
  memoryLimitBytes: number;
  loadMs: number;
  settleMs: number;
  cases: Array<{
    body: string;
    description: string;
    bodyBytes: number;
    /** BODY_BUDGET_MIB the server ran with; undefined for the function's default. */
    budgetMiB: number | undefined;
    serverCommand: string;
    /** Answers by status (or socket error code). */
    statuses: Record<string, number>;
    idleRssBytes: number;
    /** VmHWM, sampled during the load (a server that died keeps its last sample). */
    peakRssBytes: number;
    /** RSS settleMs after the load stopped; undefined when the server died under it. */
    rssAfterBytes: number | undefined;
    /** Why the server died under the load, from its output; absent when it survived. */
    death?: string;
  }>;
}

/** Server-side latency of explained requests and of unexplained ones (phases.ts). */
export interface ExplanationLatency {
  serverCommand: string;
  sizes: Array<{
    flights: number;
    /** Unexplained, on a server never asked to explain. */
    neverExplains: BatchLatency;
    /** Explained, on a second server. */
    explained: BatchLatency;
    /** Unexplained, on the second server, between its explained requests. */
    besideExplained: BatchLatency;
  }>;
}

export interface BenchResults {
  invocation: string;
  startedAt: Date;
  finishedAt: Date;
  machine: Machine;
  activity: ActivityReport;
  pinning: { serverCpus: string; wrkCpus: string } | undefined;
  /** The seed's wrk parameters (-t10 -c50). */
  load: LoadPass;
  batch: { serverCommands: Record<string, string>; results: Record<string, BatchLatency[]> };
  /** POST /bigquery under 500-row calls from 8 callers. */
  bigquery: BigQueryThroughput;
  coldStarts: ColdStartResult[];
  docsColdStarts: DocsColdStarts;
  /** This function's profile, then the Functions Framework ceiling's. */
  profiles: [ProfiledRun, ProfiledRun];
  /** This function's profile answering 10,000 flights per request. */
  batchProfile: ProfiledRun;
  /** What the same two servers allocate under the seed's load (heap profiles). */
  allocations: [ProfiledRun<'heap'>, ProfiledRun<'heap'>];
  /** The same two servers' async resources per request. */
  asyncResources: [AsyncResourceCount, AsyncResourceCount];
  soak: SoakResult | undefined;
  worstCaseMemory: WorstCaseMemory;
  explanationLatency: ExplanationLatency;
  explainerThroughput: ExplainerThroughput;
  /** Rows/s of ONNX Runtime alone on one CPU (the floor) and of `npm run predict`. */
  throughput: ThroughputResults;
}

/** The results of `target` in `pass`. */
export function loadOf(pass: LoadPass, target: TargetName): LoadResult {
  const found = pass.results.find((r) => r.target === target);
  if (!found) throw new Error(`no load results for ${target}`);
  return found;
}

/** The median over the rounds of `target`'s requests/s in `pass`. */
export function medianRate(pass: LoadPass, target: TargetName): number {
  return median(loadOf(pass, target).requestsPerSecond);
}
