/**
 * Small results of each measurement, typed by the measurement's own result type, and a run made
 * of them: what the verdicts and the report are tested on.
 */
import type { ColdStarts } from '../../../scripts/bench/cold-start.js';
import type { ExplainerThroughput } from '../../../scripts/bench/explainer.js';
import type { FloorComparison, OnnxFloor } from '../../../scripts/bench/floors.js';
import type { LatencyCase, LatencyResult } from '../../../scripts/bench/latency.js';
import type { LoadedServer, LoadResult } from '../../../scripts/bench/load.js';
import type { Rejection, RejectionResult } from '../../../scripts/bench/rejection.js';
import type { BenchResults } from '../../../scripts/bench/report.js';
import type { WorstCaseMemory } from '../../../scripts/bench/worst-case-memory.js';

const MiB = 2 ** 20;

const server = (
  label: string,
  rate: number,
  p99Ms: number,
  faults: string[] = [],
): LoadedServer => ({
  label,
  command: `start ${label}`,
  requests: 60_000,
  requestsPerSecond: [1, 2, 3].map(() => rate),
  p99Ms: [p99Ms],
  faults,
});

/**
 * The function at `ratio` of a 1,000 requests/s ceiling, its RSS going from 100 MiB to `rssMiB`;
 * with LOG_PREDICTIONS=1 at `logged` of its 1,000 requests/s with 0, writing `logLines` lines for
 * its 60,000 requests.
 */
export const load = ({
  ratio = 0.9,
  p99Ms = 40,
  rssMiB = 105,
  faults = [] as string[],
  logged = 0.97,
  logLines = 60_000,
  logFaults = [] as string[],
} = {}) =>
  ({
    wrkCommands: ['wrk -t10 -c50 -d45s seed.lua', 'wrk -t10 -c50 -d15s flight.lua'],
    repeats: 3,
    servers: [
      server('fn', 1000 * ratio, p99Ms, faults),
      server('ceiling', 1000, 30),
      server('fn, LOG_PREDICTIONS=0', 1000, 35),
      server('fn, LOG_PREDICTIONS=1', 1000 * logged, 36, logFaults),
    ],
    log: { lines: logLines, bytes: logLines * 500 },
    soak: [
      { requests: 15_000, rssBytes: 100 * MiB },
      { requests: 1_000_000, rssBytes: rssMiB * MiB },
    ],
  }) satisfies LoadResult;

export const coldStarts = (
  withDocs = [300, 310, 320, 330],
  withoutDocs = [300, 310, 320, 330],
): ColdStarts[] => [
  { label: 'with docs', command: 'start bundle', ms: withDocs },
  { label: 'without docs', command: 'start bundle', ms: withoutDocs },
];

const latencyCase = (
  kind: LatencyCase['kind'],
  flights: number,
  p50Ms: number,
  spread = 0.02,
): LatencyCase => ({
  kind,
  flights,
  requests: 100,
  p50Ms,
  windowP50Ms: [p50Ms, p50Ms * (1 + spread), p50Ms * (1 - spread)],
});

/** Unexplained requests `slower` beside explained ones, windows `spread` apart. */
export const latency = ({ tenThousandMs = 80, slower = 0, spread = 0.02 } = {}): LatencyResult => ({
  serverCommand: 'start timed fn',
  wrkCommand: 'wrk -t1 -c1 batch.lua -- N',
  cases: [
    latencyCase('never explains', 10_000, tenThousandMs, spread),
    ...[1, 100, 1000].flatMap((flights) => [
      latencyCase('never explains', flights, flights, spread),
      latencyCase('explained', flights, flights * 50, spread),
      latencyCase('unexplained, beside explained', flights, flights * (1 + slower), spread),
    ]),
    ...[1, 100].flatMap((flights) => [
      latencyCase('one morning, no airport', flights, flights, spread),
      latencyCase('one morning, 300 departures', flights, flights * 1.5, spread),
    ]),
  ],
});

export const worstCase = (peakMiB = 500, death?: string): WorstCaseMemory => ({
  concurrency: 8,
  loadMs: 20_000,
  memoryLimitBytes: 1024 * MiB,
  serverCommand: 'start bundle with NODE_OPTIONS',
  cases: [
    { body: 'valid', statuses: { 200: 3, 503: 9 }, peakRssBytes: peakMiB * MiB },
    { body: 'garbage', statuses: { 400: 5 }, peakRssBytes: 300 * MiB, ...(death ? { death } : {}) },
  ],
});

const floor: OnnxFloor = {
  command: 'onnx-floor.ts data.csv',
  rows: 1000,
  batchRows: 100,
  rowsPerSecond: [200_000],
};

export const floors = (
  predictShare = 0.7,
  bigqueryShare = 0.5,
  faults: string[] = [],
): FloorComparison[] => [
  {
    what: 'predict',
    target: 0.6,
    floor,
    rowsPerSecond: [200_000 * predictShare],
    faults: [],
    commands: ['onnx-floor.ts data.csv', 'predict.ts'],
  },
  {
    what: 'bigquery',
    target: 0.4,
    floor,
    rowsPerSecond: [200_000 * bigqueryShare],
    faults,
    commands: ['bigquery.lua'],
  },
];

const rejected = (path: string, ratio: number, faults: string[] = []): Rejection => ({
  path,
  validMs: [100, 100, 100],
  invalidMs: [100 * ratio, 100 * ratio, 100 * ratio],
  faults,
});

export const rejection = (
  predictRatio = 1.5,
  bigqueryRatio = 1.5,
  faults: string[] = [],
): RejectionResult => ({
  serverCommand: 'start fn',
  endpoints: [rejected('/predict', predictRatio, faults), rejected('/bigquery', bigqueryRatio)],
});

export const explainer = (ours = [2000, 2100, 1900]): ExplainerThroughput => ({
  rows: 10_000,
  ours,
  xgboost: [1000, 1000, 1000],
});

export const results = (): BenchResults => ({
  invocation: 'npm run bench',
  startedAt: new Date('2026-01-01T10:00:00Z'),
  finishedAt: new Date('2026-01-01T10:17:00Z'),
  machine: 'a test machine',
  pinned: true,
  load: load(),
  coldStarts: coldStarts(),
  latency: latency(),
  worstCaseMemory: worstCase(),
  predict: floors()[0]!,
  bigquery: floors()[1]!,
  rejection: rejection(),
  explainer: explainer(),
});
