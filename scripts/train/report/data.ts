/**
 * What the report shows, taken from a training run before anything is drawn or written: the
 * scored models with their labels, delay rates per group, and the schedule model's top fields.
 */
import { HEADLINE_HORIZON } from '../airport-samples.js';
import type { Intervals } from '../bootstrap.js';
import type { BinaryMetrics } from '../metrics.js';
import type { TrainedModel, TrainingRun } from '../pipeline.js';
import type { Scored } from '../scoring.js';
import type { RateRow } from './charts.js';

export const MONTHS = [
  'Jan',
  'Feb',
  'Mar',
  'Apr',
  'May',
  'Jun',
  'Jul',
  'Aug',
  'Sep',
  'Oct',
  'Nov',
  'Dec',
];

/** Bins of the calibration plot (each holds a tenth of the test rows). */
export const CALIBRATION_BINS = 10;

/** How many of the schedule model's most important fields get a per-value chart. */
export const TOP_FIELDS = 2;

/** A model's test-row results under the name the report gives it. */
export interface LabelledScore {
  label: string;
  probabilities: Float32Array;
  metrics: BinaryMetrics;
  intervals: Intervals;
}

/** The served models and the seed's: what the charts draw. */
export function servedAndSeed(run: TrainingRun): LabelledScore[] {
  return [...run.models.map((m) => labelled(modelLabel(m), m)), labelled('seed', run.baseline)];
}

/**
 * Each served model beside its plain baseline (once where models share one), then the seed's: the
 * results table.
 */
export function withBaselines(run: TrainingRun): LabelledScore[] {
  const shown = new Set<Scored>();
  return [
    ...run.models.flatMap((m) => {
      const served = labelled(modelLabel(m), m);
      if (shown.has(m.plainBaseline)) return [served];
      shown.add(m.plainBaseline);
      return [served, labelled(`${m.name} plain baseline`, m.plainBaseline)];
    }),
    labelled('seed', run.baseline),
  ];
}

/** A model's name, and for one reading the airport's state the horizon its figures are at. */
export function modelLabel(model: TrainedModel): string {
  return model.airportState ? `${model.name} at ${HEADLINE_HORIZON} min` : model.name;
}

/** A model's figures under `label`. */
export function labelled(label: string, model: Scored): LabelledScore {
  const { testProbabilities: probabilities, metrics, intervals } = model;
  return { label, probabilities, metrics, intervals };
}

/** The share of delayed rows in each group, in the order groups first appear. */
export function delayRates<T extends { delayed: 0 | 1 }>(
  rows: readonly T[],
  group: (row: T) => string,
): RateRow[] {
  const counts = new Map<string, { flights: number; delayed: number }>();
  for (const row of rows) {
    const key = group(row);
    const count = counts.get(key) ?? { flights: 0, delayed: 0 };
    count.flights++;
    count.delayed += row.delayed;
    counts.set(key, count);
  }
  return [...counts].map(([key, c]) => ({
    group: key,
    rate: c.delayed / c.flights,
    flights: c.flights,
  }));
}

/** The share of delayed flights among all used rows. */
export function overallDelayRate(run: TrainingRun): number {
  const { flights } = run.dataset;
  return flights.filter((f) => f.delayed).length / flights.length;
}

/** The schedule model and its {@link TOP_FIELDS} most important fields, if it was trained. */
export function scheduleTopFields(
  run: TrainingRun,
): { model: TrainedModel; fields: string[] } | undefined {
  const model = run.models.find((m) => m.name === 'schedule');
  if (!model) return undefined;
  return { model, fields: model.importance.slice(0, TOP_FIELDS).map(({ field }) => field) };
}

/** The file of the per-value chart of `field`. */
export const valueChartFile = (field: string): string =>
  `contribution-by-${field.toLowerCase()}.svg`;

/** The model reading the airport's state and the one it is compared with, if both were trained. */
export function airportStatePair(
  run: TrainingRun,
): { model: TrainedModel; comparedWith: TrainedModel } | undefined {
  const model = run.models.find((m) => m.airportState);
  const comparedWith = run.models.find((m) => m.name === model?.airportState?.comparedWith);
  return model && comparedWith && { model, comparedWith };
}

/** The file of the reliability diagram of a model reading the airport's state. */
export const airportStateCalibrationFile = (model: TrainedModel): string =>
  `${model.name}-calibration.svg`;
