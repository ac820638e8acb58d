/**
 * What a group of flights is compared with: like with like. A week's traffic is compared with the
 * training months it spans, each weighted by the week's flights in it (July's flights against
 * training July), so that a seasonal field does not drift merely because a week holds one month.
 * Fields the card does not count by month (DIANOM: every ISO week holds each weekday once, as the
 * training weeks together do) and flights without a month, or in a month training lacks, are
 * compared with the whole training period.
 */
import type { TrainingDistribution } from '../train/training-distribution.js';
import type { MonitoredFlight } from './serving-values.js';

/** Flights per month of a group (undefined: flights that name no month). */
export function monthWeights(flights: readonly MonitoredFlight[]): Map<string | undefined, number> {
  const weights = new Map<string | undefined, number>();
  for (const { month } of flights) weights.set(month, (weights.get(month) ?? 0) + 1);
  return weights;
}

/** The reference shares of a categorical field's values. */
export function categoricalReference(
  baseline: TrainingDistribution,
  field: string,
  weights: ReadonlyMap<string | undefined, number>,
): Record<string, number> {
  const mixed: Record<string, number> = {};
  mix(baseline, field, weights, (counts, scale) => {
    for (const [value, count] of Object.entries(counts as Record<string, number>)) {
      mixed[value] = (mixed[value] ?? 0) + count * scale;
    }
  });
  return mixed;
}

/** The reference shares of a numerical field's bins, or of the probabilities' (`probability`). */
export function histogramReference(
  baseline: TrainingDistribution,
  field: string,
  weights: ReadonlyMap<string | undefined, number>,
): number[] {
  let mixed: number[] = [];
  mix(baseline, field, weights, (counts, scale) => {
    const bins = counts as number[];
    if (mixed.length === 0) mixed = bins.map(() => 0);
    bins.forEach((count, i) => (mixed[i]! += count * scale));
  });
  return mixed;
}

/** Calls `add` with each month's counts (or the whole period's) and its weight per row. */
function mix(
  baseline: TrainingDistribution,
  field: string,
  weights: ReadonlyMap<string | undefined, number>,
  add: (counts: Record<string, number> | number[], scale: number) => void,
): void {
  const whole =
    field === 'probability' ? baseline.probability.counts : baseline.fields[field]!.counts;
  for (const [month, weight] of weights) {
    const byMonth = month === undefined ? undefined : baseline.byMonth[month];
    const counts = field === 'probability' ? byMonth?.probability : byMonth?.fields[field];
    if (byMonth && counts) add(counts, weight / byMonth.rows);
    else add(whole, weight / baseline.rows);
  }
}
