/**
 * The training baseline in a model card, which a monitor compares serving traffic with: how the
 * training weeks' flights were spread over each input field the model reads, and how the served
 * model's probabilities for them were spread, over the whole training period and per calendar
 * month (so that a week can be compared with the same months of training). Counts, not shares: they are
 * exact (nothing to round, and `--check` compares them exactly), months add up into any mix of
 * months, and they tell the monitor how many rows stand behind each reference.
 */
import { fieldsOf } from '../../functions/explain/fields.js';
import {
  categoryValue,
  FEATURE_COLUMNS,
  flightEncoder,
  type ScheduledFlight,
} from '../../functions/features.js';
import { roundProbability } from '../../functions/probability.js';
import type { WeekSplit } from './split.js';

/** Rows per value of a categorical field: every value of the rows counted, none with 0 rows. */
export type CategoryCounts = Record<string, number>;

export interface CategoricalDistribution {
  kind: 'categorical';
  counts: CategoryCounts;
}

/** Rows per bin [edges[i], edges[i + 1]), the last bin closed at the top. */
export interface NumericalDistribution {
  kind: 'numerical';
  edges: number[];
  counts: number[];
}

export type FieldDistribution = CategoricalDistribution | NumericalDistribution;

/** One calendar month of the training weeks: counts only, over the top level's kinds and edges. */
export interface MonthDistribution {
  rows: number;
  /** Every field but those of {@link NOT_BY_MONTH}. */
  fields: Record<string, CategoryCounts | number[]>;
  probability: number[];
}

export interface TrainingDistribution {
  rows: number;
  weeks: number;
  fields: Record<string, FieldDistribution>;
  probability: NumericalDistribution;
  /** Keyed by month number (`"1"` … `"12"`); months without training rows are absent. */
  byMonth: Record<string, MonthDistribution>;
}

/** Whole hours of the scheduled time of day. */
export const HOUR_EDGES: readonly number[] = Array.from({ length: 25 }, (_, i) => i);

/** Twenty bins of 0.05 (i / 20, so that every edge prints exactly). */
export const PROBABILITY_EDGES: readonly number[] = Array.from({ length: 21 }, (_, i) => i / 20);

/**
 * Fields left out of the months. MES: in its own month it counts every row. DIANOM: its reference
 * is the whole period, as every ISO week holds each weekday once, like the training weeks together,
 * while a month's training days hold the weekdays unevenly.
 */
export const NOT_BY_MONTH: readonly string[] = ['MES', 'DIANOM'];

/**
 * Numeric columns that are facts of the scheduled date alone. They get no distribution: which
 * share of a week's flights they mark is set by the dates the week holds, not by the traffic, so
 * comparing it with training would flag the calendar; MES and DIANOM already describe the dates.
 */
const DATE_FACTS = new Set([
  'temporada_alta',
  'dia_mes',
  'festivo',
  'fin_de_semana_largo',
  'dias_desde_festivo',
  'dias_a_festivo',
]);

type Column =
  | { name: string; kind: 'categorical'; values: readonly string[] }
  | { name: string; kind: 'numerical'; edges: readonly number[]; values: ArrayLike<number> };

/**
 * The distribution of the training weeks' flights over the fields `features` encode, and of
 * `probabilities` over them.
 * @param data the used flights (by index) and their split; only `split.train` rows are read.
 * @param probabilities one per training row, in `split.train` order.
 * @throws RangeError when `probabilities` is not one per training row or a value lies outside its
 *   edges; Error when a feature belongs to a field with no distribution defined.
 */
export function trainingDistribution(
  data: { split: WeekSplit; records(indices: readonly number[]): ScheduledFlight[] },
  probabilities: ArrayLike<number>,
  features: readonly string[],
): TrainingDistribution {
  const flights = data.records(data.split.train);
  if (probabilities.length !== flights.length) {
    throw new RangeError(`${probabilities.length} probabilities for ${flights.length} rows`);
  }
  const columns = fieldColumns(features, flights);
  // Rounded as the service answers them, so that a logged probability on an edge is binned alike.
  const served = Float64Array.from(probabilities, roundProbability);
  const probabilityCounts = (rows: readonly number[]) =>
    binCounts('probability', served, PROBABILITY_EDGES, rows);
  const months = groupRows(flights.map((flight) => categoryValue('MES', flight)));
  const byMonth = Object.fromEntries(
    [...months].map(([month, rows]): [string, MonthDistribution] => [
      month,
      {
        rows: rows.length,
        fields: Object.fromEntries(
          columns
            .filter((c) => !NOT_BY_MONTH.includes(c.name))
            .map((c) => [c.name, countsOf(c, rows)]),
        ),
        probability: probabilityCounts(rows),
      },
    ]),
  );
  const all = flights.map((_, row) => row);
  return {
    rows: flights.length,
    weeks: data.split.trainWeeks.length,
    fields: Object.fromEntries(columns.map((c) => [c.name, distributionOf(c, all)])),
    probability: {
      kind: 'numerical',
      edges: [...PROBABILITY_EDGES],
      counts: probabilityCounts(all),
    },
    byMonth,
  };
}

/** Each described field's value for every flight, as the model reads it. */
function fieldColumns(features: readonly string[], flights: readonly ScheduledFlight[]): Column[] {
  return fieldsOf(features).flatMap(({ name }): Column[] => {
    if (name === 'hora') {
      const { data } = flightEncoder(['hora'])(flights);
      return [{ name, kind: 'numerical', edges: HOUR_EDGES, values: data }];
    }
    if (FEATURE_COLUMNS.categorical.includes(name)) {
      const read = modelValue(name, features);
      return [{ name, kind: 'categorical', values: flights.map(read) }];
    }
    if (DATE_FACTS.has(name)) return [];
    // The airport's state describes the day's delays and the moment a caller asks, not the mix of
    // flights: a bad week would read as drift of the inputs, which the realized figures measure.
    if (FEATURE_COLUMNS.state.includes(name)) return [];
    throw new Error(`feature field "${name}" has no training distribution defined`);
  });
}

/**
 * A categorical field's value as the model's one-hot columns read it: where the features pool
 * rare values into `<field>_other`, a value without a column of its own counts as `other`.
 */
export function modelValue(
  field: string,
  features: readonly string[],
): (f: ScheduledFlight) => string {
  const prefix = `${field}_`;
  const own = new Set(
    features.filter((f) => f.startsWith(prefix)).map((f) => f.slice(prefix.length)),
  );
  const pooled = own.has('other');
  return (flight) => {
    const value = categoryValue(field, flight);
    return pooled && !own.has(value) ? 'other' : value;
  };
}

function distributionOf(column: Column, rows: readonly number[]): FieldDistribution {
  return column.kind === 'categorical'
    ? { kind: 'categorical', counts: categoryCounts(column.values, rows) }
    : {
        kind: 'numerical',
        edges: [...column.edges],
        counts: binCounts(column.name, column.values, column.edges, rows),
      };
}

function countsOf(column: Column, rows: readonly number[]): CategoryCounts | number[] {
  return distributionOf(column, rows).counts;
}

function categoryCounts(values: readonly string[], rows: readonly number[]): CategoryCounts {
  const groups = groupRows(rows.map((row) => values[row]!));
  return Object.fromEntries([...groups].map(([value, of]) => [value, of.length]));
}

/** Rows per bin [edges[i], edges[i + 1]), the last bin closed at the top. */
export function binCounts(
  name: string,
  values: ArrayLike<number>,
  edges: readonly number[],
  rows: readonly number[],
): number[] {
  const bins = edges.length - 1;
  const counts = new Array<number>(bins).fill(0);
  for (const row of rows) {
    const value = values[row]!;
    if (!(value >= edges[0]! && value <= edges[bins]!)) {
      throw new RangeError(`${name} ${value} lies outside [${edges[0]}, ${edges[bins]}]`);
    }
    let bin = 0;
    while (bin < bins - 1 && value >= edges[bin + 1]!) bin++;
    counts[bin]!++;
  }
  return counts;
}

/** Row positions by value, values in natural order (`2` before `10`, `Arica` before `Lima`). */
function groupRows(values: readonly string[]): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  values.forEach((value, row) => {
    const rows = groups.get(value) ?? [];
    rows.push(row);
    groups.set(value, rows);
  });
  const natural = [...groups.keys()].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  return new Map(natural.map((value) => [value, groups.get(value)!]));
}
