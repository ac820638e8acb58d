/**
 * Each logged flight's values of the fields its card's baseline counts, derived as training
 * derived them (functions/features.ts; a destination without a column of its own is `other`),
 * and the week it belongs to: the ISO week of its scheduled departure (Santiago time) when the
 * format carries a date, else — `vuelos` and LATAM flights carry only a month — the ISO week in
 * which it was logged.
 */
import { flightEncoder, seedKey, type ScheduledFlight } from '../../functions/features.js';
import { parseScheduledTime, type LocalDateTime } from '../../functions/santiago-time.js';
import { modelValue } from '../train/training-distribution.js';
import { isoWeekKey } from '../train/weeks.js';
import { bigQueryName } from './bigquery-names.js';
import type { LoggedFlight } from './logged-flight.js';
import type { MonitoredCard } from './model-cards.js';

export interface MonitoredFlight {
  logged: LoggedFlight;
  week: string;
  /** Whether `week` is that of the scheduled departure or (formats without a date) of logging. */
  weekOf: 'scheduled' | 'logged';
  /** The month the model read (`"1"` … `"12"`), when the flight names one. */
  month: string | undefined;
  /** By field of the card's baseline: a category, or `hora`'s hours. */
  values: Record<string, string | number>;
  /** The flight as sent and its scheduled time in Santiago, when the format carries a date. */
  scheduled?: { flight: ScheduledFlight; time: LocalDateTime };
}

/**
 * @throws Error when a dated flight's `Fecha-I` is not a scheduled time the function accepts
 *   (the function validated it: the file is not its log), or a timestamp cannot be read.
 */
export function servingValues(card: MonitoredCard, flights: readonly LoggedFlight[]) {
  const dated = flights.filter((f) => f.shape === 'flights' || f.shape === 'bigquery');
  const undated = flights.filter((f) => f.shape === 'vuelos' || f.shape === 'latam');
  return [...datedValues(card, dated), ...undated.map((f) => undatedValues(card, f))];
}

const fieldNames = (card: MonitoredCard) => Object.keys(card.trainingDistribution.fields);

function datedValues(card: MonitoredCard, logged: readonly LoggedFlight[]): MonitoredFlight[] {
  const flights = logged.map(({ input }): ScheduledFlight => {
    const [OPERA, TIPOVUELO, fecha, SIGLADES] = ['opera', 'tipovuelo', 'fecha_i', 'siglades'].map(
      (key) => scalar(input[key]),
    ) as [string, string, string, string];
    return { OPERA, TIPOVUELO, 'Fecha-I': fecha, SIGLADES };
  });
  const hours = flightEncoder(['hora'])(flights).data;
  const readers = fieldNames(card)
    .filter((field) => field !== 'hora')
    .map((field) => [field, modelValue(field, card.features)] as const);
  return flights.map((flight, i) => {
    const time = parseScheduledTime(flight['Fecha-I'])!;
    const values: Record<string, string | number> = { hora: hours[i]! };
    for (const [field, read] of readers) values[field] = read(flight);
    return {
      logged: logged[i]!,
      week: isoWeekKey(time),
      weekOf: 'scheduled',
      month: String(time.month),
      values,
      scheduled: { flight, time },
    };
  });
}

/** A logged field's text; a field that is not a string or number reads as empty (and fails). */
function scalar(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
}

function undatedValues(card: MonitoredCard, logged: LoggedFlight): MonitoredFlight {
  const loggedAt = parseScheduledTime(logged.loggedAt);
  if (!loggedAt) throw new Error(`loggedAt "${logged.loggedAt}" is not an ISO 8601 time`);
  const values =
    logged.shape === 'latam' ? latamValues(logged.input) : seedValues(card, logged.input);
  return {
    logged,
    week: isoWeekKey(loggedAt),
    weekOf: 'logged',
    month: values.MES === undefined ? undefined : String(values.MES),
    values,
  };
}

function latamValues(input: Record<string, unknown>): Record<string, string> {
  return {
    OPERA: scalar(input.opera),
    TIPOVUELO: scalar(input.tipovuelo),
    MES: String(Number(input.mes)),
  };
}

/**
 * A `vuelos` row's values: for each field, the value of its column logged true (the log keeps
 * only those); a field with none is left out.
 */
function seedValues(card: MonitoredCard, input: Record<string, unknown>): Record<string, string> {
  const values: Record<string, string> = {};
  for (const feature of card.features) {
    const cut = feature.indexOf('_');
    const logged = input[bigQueryName(seedKey(feature))];
    if (logged === true || logged === 'true') {
      values[feature.slice(0, cut)] = feature.slice(cut + 1);
    }
  }
  return values;
}
