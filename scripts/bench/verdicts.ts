/** The targets, checked against one benchmark run. */
import { count, mebibytes, ms, percent } from './markdown.js';
import {
  loadOf,
  medianRate,
  type BenchResults,
  type SoakResult,
  type WorstCaseMemory,
} from './results.js';
import { FIRST_CHECKPOINT } from './soak.js';
import { median } from './stats.js';
import { shareOfFloor } from './throughput.js';

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
    {
      target: `10,000 flights answered in ≤ ${TARGET_10K_FLIGHTS_MS} ms server-side (median)`,
      measured: tenThousand ? `${ms(tenThousand.requestMs.p50)} ms` : 'not measured',
      met: tenThousand !== undefined && tenThousand.requestMs.p50 <= TARGET_10K_FLIGHTS_MS,
    },
    worstCaseVerdict(results.worstCaseMemory),
    predictVerdict(results),
    ...(results.soak ? [soakVerdict(results.soak)] : []),
  ];
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

function predictVerdict({ throughput: { floor, predict } }: BenchResults): Verdict {
  const share = shareOfFloor(predict.rowsPerSecond, floor);
  return {
    target: `npm run predict ≥ ${percent(TARGET_PREDICT_SHARE)} of ONNX Runtime's rows/s (the floor), one CPU`,
    measured: `${percent(share)} (${count(median(predict.rowsPerSecond))} of ${count(median(floor.rowsPerSecond))} rows/s)`,
    met: share >= TARGET_PREDICT_SHARE,
  };
}

function soakVerdict(soak: SoakResult): Verdict {
  const growth = soakGrowth(soak);
  return {
    target:
      `soak: RSS after ${count(soak.requests)} requests within ` +
      `${percent(TARGET_SOAK_GROWTH)} of RSS after ${count(FIRST_CHECKPOINT)}, no errors`,
    measured:
      (Number.isNaN(growth) ? 'incomplete' : `${growth >= 0 ? '+' : ''}${percent(growth)}`) +
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
