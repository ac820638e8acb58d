/**
 * Scheduled times as the data set writes them: wall-clock time at Santiago de Chile airport.
 *
 * The data set's `Fecha-I` is `YYYY-MM-DD HH:MM:SS` with no offset, in Santiago local time. The
 * API also accepts ISO 8601: without an offset it means the same local time; with one (`Z`,
 * `-03:00`) it names an instant, which is converted to Santiago's wall clock (DST included) so the
 * model sees what it was trained on.
 */

/** A wall-clock date and time, with no time zone attached. */
export interface LocalDateTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

export const SANTIAGO_TIME_ZONE = 'America/Santiago';

// Data-set form (space) takes no offset; ISO form (T) takes optional fractional seconds and offset.
const DATA_SET_FORM = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;
const ISO_FORM =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?(Z|[+-]\d{2}:\d{2})?$/;

// Intl does the IANA time-zone arithmetic (DST rules included); formatters are costly, build one.
const santiagoClock = new Intl.DateTimeFormat('en-US', {
  timeZone: SANTIAGO_TIME_ZONE,
  hourCycle: 'h23',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
});

/**
 * Parses a scheduled time into Santiago wall-clock time.
 * @returns undefined when the text is not one of the accepted forms or names an impossible date
 *   or time (February 30th, 24:00:00, offset +25:00).
 */
export function parseScheduledTime(text: string): LocalDateTime | undefined {
  const match = DATA_SET_FORM.exec(text) ?? ISO_FORM.exec(text);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const local = { year, month, day, hour, minute, second };
  if (!isValidDateTime(local)) return undefined;
  const offset = match[7];
  if (offset === undefined) return local;
  const offsetMinutes = parseOffsetMinutes(offset);
  if (offsetMinutes === undefined) return undefined;
  return toSantiago(wallClockMillis(local) - offsetMinutes * 60_000);
}

/** Minutes from `from` to `to`, both read as wall-clock times (as the data set's delay is). */
export function minutesBetween(from: LocalDateTime, to: LocalDateTime): number {
  return (wallClockMillis(to) - wallClockMillis(from)) / 60_000;
}

/** ISO weekday of a calendar date: 1 = Monday … 7 = Sunday. */
export function isoWeekday({ year, month, day }: LocalDateTime): number {
  return ((new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 6) % 7) + 1;
}

function isValidDateTime(t: LocalDateTime): boolean {
  const daysInMonth = new Date(Date.UTC(t.year, t.month, 0)).getUTCDate();
  return (
    t.month >= 1 &&
    t.month <= 12 &&
    t.day >= 1 &&
    t.day <= daysInMonth &&
    t.hour <= 23 &&
    t.minute <= 59 &&
    t.second <= 59
  );
}

function parseOffsetMinutes(offset: string): number | undefined {
  if (offset === 'Z') return 0;
  const hours = Number(offset.slice(1, 3));
  const minutes = Number(offset.slice(4, 6));
  if (hours > 23 || minutes > 59) return undefined;
  return (offset.startsWith('-') ? -1 : 1) * (hours * 60 + minutes);
}

/** Milliseconds of a wall-clock time as if it were UTC: a clock reading, not an instant. */
function wallClockMillis(t: LocalDateTime): number {
  return Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second);
}

function toSantiago(instant: number): LocalDateTime {
  const parts: Record<string, number> = {};
  for (const part of santiagoClock.formatToParts(instant)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year ?? NaN,
    month: parts.month ?? NaN,
    day: parts.day ?? NaN,
    hour: parts.hour ?? NaN,
    minute: parts.minute ?? NaN,
    second: parts.second ?? NaN,
  };
}
