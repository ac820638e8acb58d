/**
 * Input and prediction drift of one group of flights (a week): each field the card's baseline
 * counts, and the probabilities, against the reference of the months the group spans
 * (reference.ts). MES is not compared: it is what picks the reference, so against its own months
 * it never moves, and against the whole year it would flag the calendar.
 */
import {
  binCounts,
  PROBABILITY_EDGES,
  type TrainingDistribution,
} from '../train/training-distribution.js';
import { jensenShannonDistance, lInfinityDistance } from './distances.js';
import { categoricalReference, histogramReference, monthWeights } from './reference.js';
import type { MonitoredFlight } from './serving-values.js';
import { thresholdOf, type Thresholds } from './thresholds.js';

/** The field name prediction drift is reported under. */
export const PROBABILITY = 'probability';

export interface Drift {
  field: string;
  metric: 'L-infinity' | 'Jensen–Shannon distance';
  value: number;
  threshold: number;
  /** Flights with a value of the field (a `vuelos` row may set no column of a field). */
  flights: number;
  /** Serving and reference shares, by value or bin, for the report's charts. */
  serving: Record<string, number>;
  reference: Record<string, number>;
}

/** `cut`: the group is a week the period's start or end may cut (DIANOM then compares alike). */
export function groupDrift(
  baseline: TrainingDistribution,
  flights: readonly MonitoredFlight[],
  thresholds: Thresholds,
  cut = false,
): Drift[] {
  const fields = Object.entries(baseline.fields).filter(([field]) => field !== 'MES');
  const drifts = fields.flatMap(([field, distribution]): Drift[] => {
    const measured = flights.filter((f) => f.values[field] !== undefined);
    if (measured.length === 0) return [];
    const weights = monthWeights(measured);
    if (distribution.kind === 'categorical') {
      const counts: Record<string, number> = {};
      for (const f of measured) {
        const value = String(f.values[field]);
        counts[value] = (counts[value] ?? 0) + 1;
      }
      const whole = categoricalReference(baseline, field, weights);
      const reference = field === 'DIANOM' && cut ? weekdaysPresent(whole, counts) : whole;
      return [
        {
          field,
          metric: 'L-infinity',
          value: lInfinityDistance(counts, reference),
          threshold: thresholdOf(thresholds, field, false),
          flights: measured.length,
          serving: shares(counts),
          reference: shares(reference),
        },
      ];
    }
    const values = measured.map((f) => f.values[field] as number);
    return [histogramDrift(field, values, distribution.edges, weights, baseline, thresholds)];
  });
  const probabilities = flights.map((f) => f.logged.probability);
  const weights = monthWeights(flights);
  return [
    ...drifts,
    histogramDrift(PROBABILITY, probabilities, PROBABILITY_EDGES, weights, baseline, thresholds),
  ];
}

function histogramDrift(
  field: string,
  values: readonly number[],
  edges: readonly number[],
  weights: ReadonlyMap<string | undefined, number>,
  baseline: TrainingDistribution,
  thresholds: Thresholds,
): Drift {
  const counts = binCounts(
    field,
    values,
    edges,
    values.map((_, i) => i),
  );
  const reference = histogramReference(baseline, field, weights);
  const byBin = (bins: readonly number[]) =>
    shares(Object.fromEntries(bins.map((count, i) => [String(edges[i]), count])));
  return {
    field,
    metric: 'Jensen–Shannon distance',
    value: jensenShannonDistance(counts, reference),
    threshold: thresholdOf(thresholds, field, true),
    flights: values.length,
    serving: byBin(counts),
    reference: byBin(reference),
  };
}

/**
 * A week cut by the period's start or end holds only some weekdays — the calendar decides which,
 * not the traffic — so its weekdays are compared with the same weekdays of training. Inside the
 * period a week is whole, and a weekday without flights there is drift.
 */
function weekdaysPresent(
  reference: Record<string, number>,
  counts: Record<string, number>,
): Record<string, number> {
  return Object.fromEntries(Object.entries(reference).filter(([day]) => day in counts));
}

function shares(counts: Record<string, number>): Record<string, number> {
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  return Object.fromEntries(Object.entries(counts).map(([key, count]) => [key, count / total]));
}
