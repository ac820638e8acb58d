/**
 * The one place a flight becomes model input. Training (scripts/train) and serving (the HTTP
 * function) both call these encoders with the feature names a model card lists, so the two cannot
 * encode a flight differently.
 *
 * A feature name is either a numeric column (`hora`, `temporada_alta`, `festivo`, …; for a flight
 * in the airport's state, `horizonte`, `tasa_atraso_1h`, …) or a one-hot indicator
 * `<column>_<value>` (`OPERA_Grupo LATAM`, `MES_7`, `SIGLADES_Antofagasta`). A one-hot group may
 * end in `<column>_other`, which is set for every value the group does not list (destinations too
 * rare to learn, or unseen in training).
 */
import {
  daysSinceHoliday,
  daysToHoliday,
  isLongWeekend,
  isPublicHoliday,
} from './holiday-calendar.js';
import { WINDOWS, type FlightState, type WindowState } from './airport-state.js';
import { isoWeekday, validatedTime, type LocalDateTime } from './santiago-time.js';

/** A flight as the data set names its fields: what is known when the flight is scheduled. */
export interface ScheduledFlight {
  OPERA: string;
  TIPOVUELO: string;
  'Fecha-I': string;
  SIGLADES: string;
}

/**
 * A flight with the airport's state at the moment it is predicted (functions/airport-state.ts):
 * what the `nowcast` model reads.
 */
export interface FlightInState extends ScheduledFlight {
  state: FlightState;
}

export type DayPeriod = 'mañana' | 'tarde' | 'noche';

/** A model's input rows, `width` floats per row, row-major, in card feature order. */
export interface EncodedRows {
  data: Float32Array;
  rows: number;
  width: number;
}

/** Turns a batch of inputs into model input. */
export type Encoder<T> = (inputs: readonly T[]) => EncodedRows;

// The data set's own spelling (no accents), Monday first like isoWeekday.
const WEEKDAYS = ['Lunes', 'Martes', 'Miercoles', 'Jueves', 'Viernes', 'Sabado', 'Domingo'];

// Inclusive calendar ranges as month * 100 + day: Dec 15–Mar 3, Jul 15–31, Sep 11–30.
const HIGH_SEASON: ReadonlyArray<readonly [number, number]> = [
  [1215, 1231],
  [101, 303],
  [715, 731],
  [911, 930],
];

/** The seed's `periodo_dia`, by hour so that every second of the day falls in exactly one. */
export function dayPeriod({ hour }: LocalDateTime): DayPeriod {
  if (hour >= 5 && hour < 12) return 'mañana';
  if (hour >= 12 && hour < 19) return 'tarde';
  return 'noche';
}

/** The seed's `temporada_alta`: the calendar date lies in a high-season range. */
export function isHighSeason({ month, day }: LocalDateTime): boolean {
  const monthDay = month * 100 + day;
  return HIGH_SEASON.some(([from, to]) => monthDay >= from && monthDay <= to);
}

/** Parses `Fecha-I`; callers have validated it, so a failure here is a programming error. */
export function scheduledTime(flight: ScheduledFlight): LocalDateTime {
  return validatedTime(flight['Fecha-I'], 'Fecha-I');
}

type Facts = { flight: ScheduledFlight; time: LocalDateTime };

const CATEGORICAL: Record<string, (f: Facts) => string> = {
  OPERA: ({ flight }) => flight.OPERA,
  TIPOVUELO: ({ flight }) => flight.TIPOVUELO,
  SIGLADES: ({ flight }) => flight.SIGLADES,
  MES: ({ time }) => String(time.month),
  DIANOM: ({ time }) => WEEKDAYS[isoWeekday(time) - 1] ?? '',
  periodo_dia: ({ time }) => dayPeriod(time),
};

const NUMERIC: Record<string, (f: Facts) => number> = {
  mes: ({ time }) => time.month,
  dia_semana: ({ time }) => isoWeekday(time),
  hora: ({ time }) => time.hour + time.minute / 60,
  temporada_alta: ({ time }) => (isHighSeason(time) ? 1 : 0),
  dia_mes: ({ time }) => time.day,
  festivo: ({ time }) => (isPublicHoliday(time) ? 1 : 0),
  fin_de_semana_largo: ({ time }) => (isLongWeekend(time) ? 1 : 0),
  dias_desde_festivo: ({ time }) => daysSinceHoliday(time),
  dias_a_festivo: ({ time }) => daysToHoliday(time),
};

/** The state a flight was given; a model reading state was handed a flight without one. */
function stateOf(flight: ScheduledFlight): FlightState {
  const { state } = flight as Partial<FlightInState>;
  if (!state) throw new TypeError('a state feature was asked of a flight with no airport state');
  return state;
}

const MEASURES: Record<string, (window: WindowState) => number> = {
  salidas: (w) => w.departures,
  tasa_atraso: (w) => w.delayedShare,
  demora_media: (w) => w.meanDelayMinutes,
};

/**
 * The airport's state as numeric columns: `horizonte` (minutes from asOf to the schedule), then
 * per measure and window `<measure>_<window>` for the airport and `<measure>_opera_<window>` for
 * the flight's airline (`tasa_atraso_1h`, `demora_media_opera_ayer`).
 */
type NumericFeature = (f: Facts) => number;

const STATE: Record<string, NumericFeature> = Object.fromEntries<NumericFeature>([
  ['horizonte', ({ flight }) => stateOf(flight).horizonMinutes],
  ...Object.entries(MEASURES).flatMap(([measure, value]) =>
    WINDOWS.flatMap((window): Array<[string, NumericFeature]> => [
      [`${measure}_${window}`, ({ flight }) => value(stateOf(flight).airport[window])],
      [`${measure}_opera_${window}`, ({ flight }) => value(stateOf(flight).airline[window])],
    ]),
  ),
]);

/** Feature columns a model card may name, for documentation and card validation. */
export const FEATURE_COLUMNS = {
  categorical: Object.keys(CATEGORICAL),
  numeric: [...Object.keys(NUMERIC), ...Object.keys(STATE)],
  state: Object.keys(STATE),
};

/**
 * The value a one-hot column takes for a flight (`MES` → `'7'`), as the encoder matches it against
 * `<column>_<value>` names. Training uses it to list the values a model gets columns for.
 * @throws Error when `column` is not a categorical column.
 */
export function categoryValue(column: string, flight: ScheduledFlight): string {
  const value = CATEGORICAL[column];
  if (!value) throw new Error(`unknown categorical column "${column}"`);
  return value({ flight, time: scheduledTime(flight) });
}

interface OneHotGroup {
  value: (f: Facts) => string;
  columns: Map<string, number>;
  other: number | undefined;
}

/**
 * Builds the encoder for flights described by dataset fields.
 * @throws Error naming the first feature name no column explains: a card this code cannot serve.
 */
export function flightEncoder(featureNames: readonly string[]): Encoder<ScheduledFlight> {
  const groups = new Map<string, OneHotGroup>();
  const numeric: Array<{ index: number; value: (f: Facts) => number }> = [];
  featureNames.forEach((name, index) => {
    const value = NUMERIC[name] ?? STATE[name];
    if (value) {
      numeric.push({ index, value });
      return;
    }
    const column = Object.keys(CATEGORICAL).find((c) => name.startsWith(`${c}_`));
    if (!column) throw new Error(`unknown feature "${name}"`);
    const group = groups.get(column) ?? {
      value: CATEGORICAL[column]!,
      columns: new Map(),
      other: undefined,
    };
    const category = name.slice(column.length + 1);
    if (category === 'other') group.other = index;
    else group.columns.set(category, index);
    groups.set(column, group);
  });
  const width = featureNames.length;
  // Plain arrays walked by index: this runs for every flight, and an iterator per group and per
  // flight was a fair share of encoding a large batch (docs/BENCHMARKS.md).
  const oneHot = [...groups.values()];
  return (flights) => {
    const data = new Float32Array(flights.length * width);
    for (let row = 0; row < flights.length; row++) {
      const flight = flights[row]!;
      const facts = { flight, time: scheduledTime(flight) };
      const offset = row * width;
      for (let g = 0; g < oneHot.length; g++) {
        const group = oneHot[g]!;
        const index = group.columns.get(group.value(facts)) ?? group.other;
        if (index !== undefined) data[offset + index] = 1;
      }
      for (let n = 0; n < numeric.length; n++) {
        const feature = numeric[n]!;
        data[offset + feature.index] = feature.value(facts);
      }
    }
    return { data, rows: flights.length, width };
  };
}

/** The seed API's key for a one-hot feature: `OPERA_K.L.M.` → `OPERA_K_L_M`. */
export function seedKey(featureName: string): string {
  return featureName.replace(/[^A-Za-z0-9]+/g, '_').replace(/_+$/, '');
}

/** Builds the encoder for the seed's rows of 37 booleans keyed by {@link seedKey}. */
export function seedRowEncoder(
  featureNames: readonly string[],
): Encoder<Readonly<Record<string, boolean>>> {
  const keys = featureNames.map(seedKey);
  const width = keys.length;
  return (rows) => {
    const data = new Float32Array(rows.length * width);
    rows.forEach((row, r) => keys.forEach((key, i) => (data[r * width + i] = row[key] ? 1 : 0)));
    return { data, rows: rows.length, width };
  };
}
