/** A complete, plausible BenchResults for the report and verdict tests. */
import type { AsyncResourceCount } from '../../../scripts/bench/async-resources.js';
import type { BatchLatency } from '../../../scripts/bench/batch-latency.js';
import type { ProfiledRun } from '../../../scripts/bench/profile-under-load.js';
import type {
  BenchResults,
  LoadPass,
  LoadResult,
  WorstCaseMemory,
} from '../../../scripts/bench/results.js';
import type { TargetName } from '../../../scripts/bench/targets.js';

export function load(
  target: TargetName,
  requestsPerSecond: number[],
  p99Ms = [20, 30, 40],
): LoadResult {
  return {
    target,
    label: target,
    serverCommand: `start ${target}`,
    requestsPerSecond,
    p50Ms: [5, 6, 7],
    p99Ms,
    cpuUsPerRequest: [300, 310, 320],
    faults: [],
    memory: { rssBytes: 100 * 2 ** 20, peakRssBytes: 120 * 2 ** 20 },
  };
}

export function pass(results: LoadResult[], wrkCommand = 'wrk -t10 -c50'): LoadPass {
  return { wrkCommand, warmup: '5s', repeats: 3, results };
}

/** A pooled batch whose three windows' medians lie `noise` (a share) either side of `p50`. */
export function batch(flights: number, p50: number, noise = 0.02): BatchLatency {
  const spread = { p50, p90: p50 * 1.2, max: p50 * 2 };
  return {
    flights,
    requests: 10,
    windows: 3,
    requestMs: spread,
    handlerMs: spread,
    windowP50Ms: [p50 * (1 - noise), p50, p50 * (1 + noise)],
    clientP50Ms: p50,
    command: 'wrk -t1',
  };
}

function profile(target: TargetName): ProfiledRun {
  const costs = [{ name: 'Node.js core', value: 100 }];
  return {
    target,
    serverCommand: `profile ${target}`,
    wrkCommand: 'wrk',
    requests: 1000,
    file: '/tmp/x.cpuprofile',
    summary: { busyMs: 400, byArea: costs, topSelf: costs, ownInclusive: costs },
  };
}

function allocation(target: TargetName, kib: number): ProfiledRun<'heap'> {
  const costs = [{ name: 'Node.js core', value: kib * 1024 * 1000 }];
  return {
    target,
    serverCommand: `heap profile ${target}`,
    wrkCommand: 'wrk',
    requests: 1000,
    file: '/tmp/x.heapprofile',
    summary: { bytes: kib * 1024 * 1000, byArea: costs, topSelf: costs },
  };
}

function resources(target: TargetName, promises: number): AsyncResourceCount {
  return {
    target,
    serverCommand: `count ${target}`,
    requests: 100,
    perRequest: { PROMISE: promises },
  };
}

function worstCase(
  body: string,
  budgetMiB: number | undefined,
  peakMiB: number,
  statuses: Record<string, number>,
): WorstCaseMemory['cases'][number] {
  return {
    body,
    description: `${body} bodies`,
    bodyBytes: 2 ** 25,
    budgetMiB,
    serverCommand: `bundle ${body} ${budgetMiB ?? ''}`,
    statuses,
    idleRssBytes: 150 * 2 ** 20,
    peakRssBytes: peakMiB * 2 ** 20,
    rssAfterBytes: 250 * 2 ** 20,
  };
}

export function results(changes: Partial<BenchResults> = {}): BenchResults {
  return {
    invocation: 'npm run bench',
    startedAt: new Date('2026-01-01T10:00:00Z'),
    finishedAt: new Date('2026-01-01T10:07:00Z'),
    machine: {
      cpu: 'CPU',
      cpuCount: 2,
      memoryGiB: 24,
      os: 'Debian',
      kernel: '6',
      node: 'v20',
      wrk: 'wrk 4.1.0',
    },
    activity: {
      phases: [
        { phase: 'load comparison', seconds: 200, otherShare: 0.01 },
        { phase: 'soak', seconds: 600, otherShare: 0.2 },
      ],
      others: [{ command: 'node train.ts', cpuSeconds: 240 }],
    },
    pinning: { serverCpus: '1', wrkCpus: '0' },
    load: pass([
      load('function', [900, 910, 880], [60, 70, 80]),
      load('framework-constant', [1000, 1000, 1000]),
      load('node-http-constant', [9000, 9100, 9200]),
    ]),
    batch: { serverCommands: { function: 'start' }, results: { function: [batch(10_000, 120)] } },
    bigquery: {
      rowsPerCall: 500,
      callers: 8,
      serverCommand: 'start bigquery function',
      wrkCommand: 'wrk -t2 -c8 bigquery.lua',
      calls: 'the 68,206 flights of dataset_SCL_2017.csv in file order',
      rowsPerSecond: [90_000, 95_000, 92_000],
      p50Ms: [50, 55, 60],
      p99Ms: [150, 160, 170],
      cpuUsPerRow: [10, 11, 12],
      faults: [],
      floor: {
        command: 'bigquery floor',
        rows: 68_206,
        batchRows: 500,
        rowsPerSecond: [220_000, 210_000, 230_000],
      },
    },
    coldStarts: [
      {
        label: 'source',
        deployed: false,
        command: 'node',
        ms: [900, 950, 1000, 920, 980],
        modelLoadMs: [40, 42, 41, 39, 40],
      },
      {
        label: 'bundle',
        deployed: true,
        command: 'bundle',
        ms: [500, 450, 700, 520, 480],
        modelLoadMs: [],
      },
    ],
    docsColdStarts: {
      withDocs: {
        label: 'with docs',
        deployed: true,
        command: 'bundle',
        ms: [500, 460, 700, 520, 480],
        modelLoadMs: [],
      },
      withoutDocs: {
        label: 'without docs',
        deployed: true,
        command: 'bundle --no-docs',
        ms: [490, 450, 690, 530, 470],
        modelLoadMs: [],
      },
    },
    profiles: [profile('function'), profile('framework-constant')],
    batchProfile: profile('function'),
    allocations: [allocation('function', 60), allocation('framework-constant', 55)],
    asyncResources: [resources('function', 15), resources('framework-constant', 2)],
    soak: {
      requests: 1_000_000,
      serverCommand: 'start',
      wrkCommand: 'wrk',
      rssBytes: new Map([
        [10_000, 200],
        [1_000_000, 215],
      ]),
      faults: [],
    },
    worstCaseMemory: {
      concurrency: 8,
      memoryLimitBytes: 2 ** 30,
      loadMs: 20_000,
      settleMs: 30_000,
      cases: [
        worstCase('valid', undefined, 400, { '200': 30, '503': 100 }),
        worstCase('garbage', undefined, 500, { '400': 20, '503': 110 }),
        worstCase('garbage', 1024, 3000, { '400': 40 }),
      ],
    },
    explanationLatency: {
      serverCommand: 'start function',
      sizes: [1, 100, 1000].map((flights) => ({
        flights,
        neverExplains: batch(flights, 2 + flights / 100),
        explained: batch(flights, 2 + flights / 2),
        besideExplained: batch(flights, 2 + flights / 100),
      })),
    },
    explainerThroughput: {
      model: 'schedule',
      trees: 300,
      rows: 10_000,
      cpus: '1',
      xgboostVersion: '1.7.4',
      ours: [2000, 2100, 1900],
      xgboost: [1000, 1100, 900],
      maxDifference: 1e-6,
    },
    throughput: {
      floor: {
        command: 'floor',
        rows: 68_206,
        batchRows: 3_204,
        rowsPerSecond: [200_000, 190_000, 210_000],
      },
      predict: {
        command: 'predict',
        rowsPerSecond: [130_000, 125_000, 120_000],
        wallSeconds: [2, 2.5, 3],
      },
      predictOneCpu: {
        command: 'taskset -c 1 predict',
        rowsPerSecond: [80_000, 85_000, 75_000],
        wallSeconds: [2.5, 3, 3.5],
      },
    },
    ...changes,
  };
}
