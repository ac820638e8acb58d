/**
 * The airport's recent state as a departure board shows it at a moment, `asOf`: in each window
 * before asOf, how many SCL departures left, what share of them left more than 15 minutes late,
 * and their mean delay — for the whole airport and for one airline. The `nowcast` model reads a
 * flight's state beside its schedule; training (scripts/train) and serving both compute it here,
 * so the two cannot see the airport differently.
 *
 * A departure counts once its actual time (`Fecha-O`) is at or before asOf: what a board shows at
 * asOf. Delays come in waves (weather, flow restrictions, a late bank of arrivals), which is why
 * the recent windows carry what the timetable cannot.
 */
import { delayMinutes, isLate } from './delay.js';
import { minutesBetween, validatedTime, type LocalDateTime } from './santiago-time.js';

/** A departure as the data set names its fields; a data-set row is one. */
export interface Departure {
  OPERA: string;
  'Fecha-I': string;
  'Fecha-O': string;
}

/** What a window of the board shows. */
export interface WindowState {
  departures: number;
  /** Share of the window's departures that left more than 15 minutes late; 0 when none left. */
  delayedShare: number;
  /** Mean of their delays (actual − scheduled, minutes); 0 when none left. */
  meanDelayMinutes: number;
}

/**
 * The windows, before asOf: the last 1, 3 and 6 hours, and the previous calendar day (whole, by
 * actual departure date).
 */
export const WINDOWS = ['1h', '3h', '6h', 'ayer'] as const;
export type WindowName = (typeof WINDOWS)[number];

const WINDOW_MINUTES = { '1h': 60, '3h': 180, '6h': 360 } as const;
const DAY_MINUTES = 1440;

/** The board as a flight sees it: the airport's windows and its own airline's. */
export interface FlightState {
  /** Minutes from asOf to the flight's scheduled departure. */
  horizonMinutes: number;
  airport: Record<WindowName, WindowState>;
  airline: Record<WindowName, WindowState>;
}

/** A departure with both times parsed: the board's unit. */
export interface TimedDeparture {
  airline: string;
  scheduled: LocalDateTime;
  operated: LocalDateTime;
}

/** Departures sorted by actual time, with running sums: any window is two binary searches. */
interface Timeline {
  minutes: Float64Array;
  /** Running sums: entry i covers the first i departures. */
  late: Float64Array;
  delay: Float64Array;
}

/** A reference instant for wall-clock minutes: differences are all the board uses. */
const EPOCH: LocalDateTime = { year: 2000, month: 1, day: 1, hour: 0, minute: 0, second: 0 };

/** Wall-clock minutes since EPOCH (as the data set's delays are wall-clock differences). */
export function boardMinutes(time: LocalDateTime): number {
  return minutesBetween(EPOCH, time);
}

/** The wall-clock time `minutes` before `time`: a flight's asOf at a horizon. */
export function minutesBefore(time: LocalDateTime, minutes: number): LocalDateTime {
  const at = new Date(
    Date.UTC(time.year, time.month - 1, time.day, time.hour, time.minute, time.second) -
      minutes * 60_000,
  );
  return {
    year: at.getUTCFullYear(),
    month: at.getUTCMonth() + 1,
    day: at.getUTCDate(),
    hour: at.getUTCHours(),
    minute: at.getUTCMinutes(),
    second: at.getUTCSeconds(),
  };
}

/**
 * Parses a request's departures (validated: both times parse).
 * @throws TypeError on a time that does not parse: a programming error after validation.
 */
export function timedDepartures(departures: readonly Departure[]): TimedDeparture[] {
  return departures.map((d) => ({
    airline: d.OPERA,
    scheduled: validatedTime(d['Fecha-I'], 'Fecha-I'),
    operated: validatedTime(d['Fecha-O'], 'Fecha-O'),
  }));
}

/** An indexed set of departures, queried at any asOf. */
export class DepartureBoard {
  readonly #airport: Timeline;
  readonly #airlines: Map<string, Timeline>;

  constructor(departures: readonly TimedDeparture[]) {
    const timed = departures
      .map((d) => ({
        airline: d.airline,
        minute: boardMinutes(d.operated),
        delay: delayMinutes(d.scheduled, d.operated),
      }))
      .sort((a, b) => a.minute - b.minute);
    this.#airport = timeline(timed);
    const byAirline = new Map<string, typeof timed>();
    for (const d of timed) {
      const line = byAirline.get(d.airline);
      if (line) line.push(d);
      else byAirline.set(d.airline, [d]);
    }
    this.#airlines = new Map([...byAirline].map(([airline, ds]) => [airline, timeline(ds)]));
  }

  /**
   * The board at `asOf` for a flight of `airline` scheduled at `scheduled`.
   * @param own the flight's own departure, when the board holds it (training): never counted.
   */
  stateAt(
    asOf: LocalDateTime,
    airline: string,
    scheduled: LocalDateTime,
    own?: TimedDeparture,
  ): FlightState {
    const at = boardMinutes(asOf);
    const ownTimed = own && {
      minute: boardMinutes(own.operated),
      delay: delayMinutes(own.scheduled, own.operated),
    };
    const ownAirline = own?.airline === airline ? ownTimed : undefined;
    const line = this.#airlines.get(airline);
    return {
      horizonMinutes: minutesBetween(asOf, scheduled),
      airport: windows(this.#airport, asOf, at, ownTimed),
      airline: windows(line, asOf, at, ownAirline),
    };
  }

  /** The airport's windows at `asOf`: what an answer echoes of the state it used. */
  airportAt(asOf: LocalDateTime): Record<WindowName, WindowState> {
    return windows(this.#airport, asOf, boardMinutes(asOf));
  }
}

function timeline(departures: ReadonlyArray<{ minute: number; delay: number }>): Timeline {
  const n = departures.length;
  const line = {
    minutes: new Float64Array(n),
    late: new Float64Array(n + 1),
    delay: new Float64Array(n + 1),
  };
  departures.forEach(({ minute, delay }, i) => {
    line.minutes[i] = minute;
    line.late[i + 1] = line.late[i]! + (isLate(delay) ? 1 : 0);
    line.delay[i + 1] = line.delay[i]! + delay;
  });
  return line;
}

/** Every window at `at` (asOf in board minutes); `own` is left out where it falls. */
function windows(
  line: Timeline | undefined,
  asOf: LocalDateTime,
  at: number,
  own?: { minute: number; delay: number },
): Record<WindowName, WindowState> {
  const midnight = at - (asOf.hour * 60 + asOf.minute + asOf.second / 60);
  // The recent windows end at asOf, which a board already shows; the previous calendar day runs
  // from its first minute to the last before asOf's midnight.
  const span = (name: WindowName): Span =>
    name === 'ayer'
      ? { from: midnight - DAY_MINUTES, to: midnight, endsAt: false }
      : { from: at - WINDOW_MINUTES[name], to: at, endsAt: true };
  return Object.fromEntries(
    WINDOWS.map((name) => [name, windowState(line, span(name), own)]),
  ) as Record<WindowName, WindowState>;
}

/** Times `from < t ≤ to` when `endsAt`, else `from ≤ t < to`. */
interface Span {
  from: number;
  to: number;
  endsAt: boolean;
}

function windowState(
  line: Timeline | undefined,
  { from, to, endsAt }: Span,
  own?: { minute: number; delay: number },
): WindowState {
  if (!line) return { departures: 0, delayedShare: 0, meanDelayMinutes: 0 };
  const first = countBefore(line.minutes, from, endsAt);
  const end = countBefore(line.minutes, to, endsAt);
  let departures = end - first;
  let late = line.late[end]! - line.late[first]!;
  let delay = line.delay[end]! - line.delay[first]!;
  const ownInside =
    own && (endsAt ? own.minute > from && own.minute <= to : own.minute >= from && own.minute < to);
  if (ownInside) {
    departures -= 1;
    late -= isLate(own.delay) ? 1 : 0;
    delay -= own.delay;
  }
  if (departures === 0) return { departures: 0, delayedShare: 0, meanDelayMinutes: 0 };
  return { departures, delayedShare: late / departures, meanDelayMinutes: delay / departures };
}

/** How many of the ascending `values` are ≤ x (`atOrBefore`) or < x. */
function countBefore(values: Float64Array, x: number, atOrBefore: boolean): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (atOrBefore ? values[mid]! <= x : values[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
