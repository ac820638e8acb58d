/** The targets, checked against one benchmark run. */
import { count, mebibytes, ms, percent } from './markdown.js';
import type { ExplainerThroughput } from './explainer-throughput.js';
import {
  loadOf,
  medianRate,
  type BenchResults,
  type DocsColdStarts,
  type ExplanationLatency,
  type SoakResult,
  type WorstCaseMemory,
} from './results.js';
import { FIRST_CHECKPOINT } from './soak.js';
import { median, quantile } from './stats.js';
import { shareOfFloor, type OnnxFloor } from './throughput.js';

export interface Verdict {
  target: string;
  measured: string;
  met: boolean;
}

export const TARGET_RATIO = 0.85;
export const TARGET_P99_MS = 50;
export const TARGET_COLD_START_MS = 600;
export const TARGET_10K_FLIGHTS_MS = 150;
export const TARGET_SOAK_GROWTH = 0.1;
/** `npm run predict` scores at least this share of the floor's rows/s. */
export const TARGET_PREDICT_SHARE = 0.6;
export const TARGET_BIGQUERY_SHARE = 0.4;
/** The deployed memory holds the worst-case peak this many times over. */
export const MEMORY_HEADROOM = 2;

export function verdicts(results: BenchResults): Verdict[] {
  const ratio =
    medianRate(results.load, 'function') / medianRate(results.load, 'framework-constant');
  const p99 = median(loadOf(results.load, 'function').p99Ms);
  const tenThousand = results.batch.results.function?.find((b) => b.flights === 10_000);
  return [
    {
      target: `requests/s ≥ ${percent(TARGET_RATIO)} of the Functions Framework ceiling (a/b)`,
      measured: percent(ratio),
      met: ratio >= TARGET_RATIO,
    },
    {
      target: `p99 ≤ ${TARGET_P99_MS} ms at 50 connections (a)`,
      measured: `${ms(p99)} ms`,
      met: p99 <= TARGET_P99_MS,
    },
    ...results.coldStarts
      .filter((start) => start.deployed)
      .map((start) => ({
        target: `cold start ≤ ${TARGET_COLD_START_MS} ms, median (${start.label})`,
        measured: `${ms(median(start.ms))} ms`,
        met: median(start.ms) <= TARGET_COLD_START_MS,
      })),
    docsColdStartVerdict(results.docsColdStarts),
    {
      target: `10,000 flights answered in ≤ ${TARGET_10K_FLIGHTS_MS} ms server-side (median)`,
      measured: tenThousand ? `${ms(tenThousand.requestMs.p50)} ms` : 'not measured',
      met: tenThousand !== undefined && tenThousand.requestMs.p50 <= TARGET_10K_FLIGHTS_MS,
    },
    worstCaseVerdict(results.worstCaseMemory),
    floorVerdict(
      "`npm run predict` on the data set, with the machine's CPUs",
      results.throughput.predict.rowsPerSecond,
      results.throughput.floor,
      TARGET_PREDICT_SHARE,
    ),
    floorVerdict(
      `POST /bigquery, ${results.bigquery.rowsPerCall}-row calls of the data set from ${results.bigquery.callers} callers, server on one CPU`,
      results.bigquery.rowsPerSecond,
      results.bigquery.floor,
      TARGET_BIGQUERY_SHARE,
    ),
    ...(results.soak ? [soakVerdict(results.soak)] : []),
    throughputVerdict(results.explainerThroughput),
    unexplainedVerdict(results.explanationLatency),
  ];
}

function throughputVerdict(throughput: ExplainerThroughput): Verdict {
  const ours = median(throughput.ours);
  const theirs = median(throughput.xgboost);
  return {
    target:
      `explainer throughput on ${count(throughput.rows)} held-out rows ≥ XGBoost's own ` +
      '`pred_contribs` (C API, one thread, same core)',
    measured: `${(ours / theirs).toFixed(2)}× (${count(ours)} vs ${count(theirs)} rows/s)`,
    met: ours >= theirs,
  };
}

function unexplainedVerdict({ sizes }: ExplanationLatency): Verdict {
  const shifts = sizes.map(unexplainedShift);
  return {
    target:
      'unexplained requests as fast beside explained ones as on a server that never explains ' +
      "(server-side p50), within the windows' own spread",
    measured: shifts
      .map(
        (s, i) => `${count(sizes[i]!.flights)}: ${signed(s.shift)} (spread ±${percent(s.noise)})`,
      )
      .join('; '),
    met: shifts.every((s) => Math.abs(s.shift) <= s.noise),
  };
}

/**
 * How much slower (positive) unexplained requests were beside explained ones than on the server
 * that never explains, as a share; and the noise it is judged against: the largest distance of
 * any window's median from its own pooled median, over both.
 */
export function unexplainedShift({
  neverExplains,
  besideExplained,
}: ExplanationLatency['sizes'][number]): { shift: number; noise: number } {
  const distances = [neverExplains, besideExplained].flatMap((b) =>
    b.windowP50Ms.map((p50) => Math.abs(p50 / b.requestMs.p50 - 1)),
  );
  return {
    shift: besideExplained.requestMs.p50 / neverExplains.requestMs.p50 - 1,
    noise: Math.max(...distances),
  };
}

function signed(share: number): string {
  return `${share >= 0 ? '+' : ''}${percent(share)}`;
}

/**
 * The reference adds nothing to the cold start of /predict: the medians with and without it
 * differ by no more than the run's own noise, the larger interquartile range of the two.
 */
function docsColdStartVerdict({ withDocs, withoutDocs }: DocsColdStarts): Verdict {
  const difference = median(withDocs.ms) - median(withoutDocs.ms);
  const noise = Math.max(interquartileRange(withDocs.ms), interquartileRange(withoutDocs.ms));
  return {
    target:
      'cold start with /docs in the bundle within noise of without (|Δ median| ≤ the larger IQR)',
    measured: `${difference >= 0 ? '+' : '−'}${ms(Math.abs(difference))} ms (IQR ${ms(noise)} ms)`,
    met: Math.abs(difference) <= noise,
  };
}

function interquartileRange(values: readonly number[]): number {
  return quantile(values, 0.75) - quantile(values, 0.25);
}

/**
 * The cases run as deployed (the default body budget): their peak against the memory setting, and
 * none may have killed the server.
 */
function worstCaseVerdict({ cases, memoryLimitBytes }: WorstCaseMemory): Verdict {
  const deployed = cases.filter((c) => c.budgetMiB === undefined);
  const peak = Math.max(...deployed.map((c) => c.peakRssBytes));
  const deaths = deployed.flatMap((c) => (c.death === undefined ? [] : [`${c.body}: ${c.death}`]));
  return {
    target:
      `worst-case peak RSS × ${MEMORY_HEADROOM} ≤ the Terraform default available_memory ` +
      `(${mebibytes(memoryLimitBytes)}), the server alive`,
    measured: [mebibytes(peak), ...deaths.map((d) => `died (${d})`)].join('; '),
    met: peak * MEMORY_HEADROOM <= memoryLimitBytes && deaths.length === 0,
  };
}

/** `rates` (rows/s) of one way of scoring against the floor measured in the same run. */
function floorVerdict(what: string, rates: readonly number[], floor: OnnxFloor, target: number) {
  const share = shareOfFloor(rates, floor);
  return {
    target: `${what} ≥ ${percent(target)} of ONNX Runtime's rows/s on the same rows on one CPU (the floor)`,
    measured: `${percent(share)} (${count(median(rates))} of ${count(median(floor.rowsPerSecond))} rows/s)`,
    met: share >= target,
  };
}

function soakVerdict(soak: SoakResult): Verdict {
  const growth = soakGrowth(soak);
  return {
    target:
      `soak: RSS after ${count(soak.requests)} requests within ` +
      `${percent(TARGET_SOAK_GROWTH)} of RSS after ${count(FIRST_CHECKPOINT)}, no errors`,
    measured:
      (Number.isNaN(growth) ? 'incomplete' : signed(growth)) +
      (soak.faults.length ? `; ${soak.faults.join('; ')}` : ''),
    met: Math.abs(growth) <= TARGET_SOAK_GROWTH && soak.faults.length === 0,
  };
}

/** RSS growth from the first checkpoint to the last, as a share; NaN when either is missing. */
export function soakGrowth(soak: SoakResult): number {
  const first = soak.rssBytes.get(FIRST_CHECKPOINT);
  const last = soak.rssBytes.get(soak.requests);
  return first && last ? last / first - 1 : NaN;
}
