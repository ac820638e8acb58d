/**
 * From model columns to the input fields a person recognises. A flight's contribution per column
 * (one-hot `OPERA_Sky Airline`, numeric `hora`, …) becomes one contribution per field: the flight
 * fields `OPERA`, `TIPOVUELO` and `SIGLADES`, and each fact derived from `Fecha-I`. A field's
 * columns are summed: contributions add, so the fields' still sum, with the base, to the margin.
 */
import {
  categoryValue,
  FEATURE_COLUMNS,
  scheduledTime,
  type ScheduledFlight,
} from '../features.js';

/** What a field showed for the flight: `"Sky Airline"`, `"19:05"`, a month number, a flag. */
export type FieldValue = string | number | boolean;

/** One field of the model's input: its name and the columns (by index) that encode it. */
export interface Field {
  name: string;
  columns: number[];
}

/** A field's part in one flight's prediction, in log-odds. */
export interface FieldContribution {
  field: string;
  value: FieldValue;
  contribution: number;
}

/**
 * Numeric columns restating the fact of a one-hot column (the month as a number beside `MES_7`):
 * explained as one field, under the one-hot column's name.
 */
const SAME_FACT: Readonly<Record<string, string>> = { mes: 'MES', dia_semana: 'DIANOM' };

/** Yes/no facts, encoded 0/1. */
const FLAGS = new Set(['temporada_alta', 'festivo', 'fin_de_semana_largo']);

const twoDigits = (n: number) => String(n).padStart(2, '0');

/**
 * A field's value for a flight. `encoded` is the value of the field's column in the model's input
 * when the field is one numeric column; categorical fields read the flight like the encoder does.
 */
function fieldValue(field: string, flight: ScheduledFlight, encoded: number): FieldValue {
  if (field === 'MES') return scheduledTime(flight).month;
  if (field === 'hora') {
    const { hour, minute } = scheduledTime(flight);
    return `${twoDigits(hour)}:${twoDigits(minute)}`;
  }
  if (FEATURE_COLUMNS.categorical.includes(field)) return categoryValue(field, flight);
  // Four decimals: a share of departures or a mean delay, not float32's trailing digits.
  return FLAGS.has(field) ? encoded === 1 : Math.round(encoded * 1e4) / 1e4;
}

/** The field a feature name belongs to (its one-hot column, or the fact a number restates). */
export function fieldOf(featureName: string): string {
  if (FEATURE_COLUMNS.numeric.includes(featureName)) {
    return SAME_FACT[featureName] ?? featureName;
  }
  const column = FEATURE_COLUMNS.categorical.find((c) => featureName.startsWith(`${c}_`));
  if (!column) throw new Error(`feature "${featureName}" belongs to no known input field`);
  return column;
}

/**
 * The fields of a model's features, in the order their first column appears.
 * @throws Error naming a feature that belongs to no field.
 */
export function fieldsOf(featureNames: readonly string[]): Field[] {
  const fields = new Map<string, Field>();
  featureNames.forEach((name, index) => {
    const field = fieldOf(name);
    const entry = fields.get(field) ?? { name: field, columns: [] };
    entry.columns.push(index);
    fields.set(field, entry);
  });
  return [...fields.values()];
}

/**
 * One flight's contributions per field, largest |contribution| first, each with the flight's
 * value of the field.
 * @param encoded the flight's row of model input.
 * @param contributions the row's contribution per column.
 */
export function fieldContributions(
  fields: readonly Field[],
  flight: ScheduledFlight,
  encoded: ArrayLike<number>,
  contributions: ArrayLike<number>,
): FieldContribution[] {
  return fields
    .map(({ name, columns }) => ({
      field: name,
      value: fieldValue(name, flight, encoded[columns[0]!]!),
      contribution: columns.reduce((sum, column) => sum + contributions[column]!, 0),
    }))
    .sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution));
}
