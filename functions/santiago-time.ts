/**
 * Scheduled times as the data set writes them: wall-clock time at Santiago de Chile airport.
 *
 * The data set's `Fecha-I` is `YYYY-MM-DD HH:MM:SS` with no offset, in Santiago local time. The
 * API also accepts ISO 8601: without an offset it means the same local time; with one (`Z`,
 * `-03:00`) it names an instant, which is converted to Santiago's wall clock (DST included) so the
 * model sees what it was trained on.
 *
 * The API is stricter than the data set's reader: `scheduledTimeProblem` also refuses years
 * outside YEARS and local times that Santiago's clocks skipped (the hour lost when daylight
 * saving time begins). A local time that occurs twice, when the clocks go back, is accepted: the
 * model reads the wall clock, which is the same for both.
 */

/** The years a scheduled time may name; beyond them the tz database is a guess (or Date.UTC's). */
export const YEARS = { first: 1970, last: 2100 } as const;

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

// After `YYYY-MM-DDTHH:MM:SS`, the ISO form may add fractional seconds and an offset.
const ISO_SUFFIX = /^(?:\.\d{1,9})?(Z|[+-]\d{2}:\d{2})?$/;
const OFFSET_AT_END = /(?:Z|[+-]\d{2}:\d{2})$/;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

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
  // Read by position rather than by regular expression: this runs for every flight of a batch.
  const separator = text[10];
  if (text[4] !== '-' || text[7] !== '-' || text[13] !== ':' || text[16] !== ':') return undefined;
  if (separator !== ' ' && separator !== 'T') return undefined;
  const local = {
    year: digits(text, 0, 4),
    month: digits(text, 5, 2),
    day: digits(text, 8, 2),
    hour: digits(text, 11, 2),
    minute: digits(text, 14, 2),
    second: digits(text, 17, 2),
  };
  if (!isValidDateTime(local)) return undefined;
  if (text.length === 19) return local;
  // The data-set form (space) takes nothing after the seconds.
  const suffix = separator === 'T' ? ISO_SUFFIX.exec(text.slice(19)) : null;
  if (!suffix) return undefined;
  const offset = suffix[1];
  if (offset === undefined) return local;
  const offsetMinutes = parseOffsetMinutes(offset);
  if (offsetMinutes === undefined) return undefined;
  return toSantiago(wallClockMillis(local) - offsetMinutes * 60_000);
}

/**
 * Parses a time that has passed validation: a failure here is a programming error.
 * @param field what the text is, for the error (`Fecha-I`, `asOf`).
 * @throws TypeError when the text does not parse.
 */
export function validatedTime(text: string, field: string): LocalDateTime {
  const time = parseScheduledTime(text);
  if (!time) throw new TypeError(`${field} is not a valid time: ${text}`);
  return time;
}

/**
 * Why `text` is not a scheduled time the API accepts, or undefined when it is: said after the
 * quoted text, as in `"…" is outside the years 1970 to 2100`.
 */
export function scheduledTimeProblem(text: string): string | undefined {
  const time = parseScheduledTime(text);
  if (!time) {
    return (
      'is not a valid date and time: expected "YYYY-MM-DD HH:MM:SS" (Santiago local time) or ' +
      'ISO 8601 such as "2017-07-14T08:30:00" or "2017-07-14T12:30:00Z"'
    );
  }
  const outside = `is outside the years ${YEARS.first} to ${YEARS.last}`;
  // The year as written: an offset's conversion goes through Date.UTC, which reads 0099 as 1999.
  if (!inYears(Number(text.slice(0, 4)))) return outside;
  // An instant near either end may fall in another year on Santiago's wall clock.
  if (!inYears(time.year)) return `${outside} (in Santiago local time it is ${localText(time)})`;
  if (OFFSET_AT_END.test(text)) return undefined;
  const gap = skippedHour(time);
  if (!gap) return undefined;
  return (
    `does not exist in Santiago: its clocks went from ${clockText(gap.from)} straight to ` +
    `${clockText(gap.to)} (daylight saving time began)`
  );
}

function inYears(year: number): boolean {
  return year >= YEARS.first && year <= YEARS.last;
}

/** Minutes from `from` to `to`, both read as wall-clock times (as the data set's delay is). */
export function minutesBetween(from: LocalDateTime, to: LocalDateTime): number {
  return (wallClockMillis(to) - wallClockMillis(from)) / 60_000;
}

/** ISO weekday of a calendar date: 1 = Monday … 7 = Sunday (Sakamoto's method, no Date). */
export function isoWeekday({ year, month, day }: LocalDateTime): number {
  const y = month < 3 ? year - 1 : year;
  const sundayFirst =
    (y +
      Math.floor(y / 4) -
      Math.floor(y / 100) +
      Math.floor(y / 400) +
      (WEEKDAY_OFFSET[month - 1] ?? NaN) +
      day) %
    7;
  return sundayFirst === 0 ? 7 : sundayFirst;
}

const WEEKDAY_OFFSET = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4];

/** The number `count` decimal digits at `start` spell, or NaN when one is not a digit. */
function digits(text: string, start: number, count: number): number {
  let value = 0;
  for (let i = start; i < start + count; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (!(digit >= 0 && digit <= 9)) return NaN;
    value = value * 10 + digit;
  }
  return value;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function isValidDateTime(t: LocalDateTime): boolean {
  const daysInMonth = t.month === 2 && isLeapYear(t.year) ? 29 : (DAYS_IN_MONTH[t.month - 1] ?? 0);
  return (
    t.year >= 1 &&
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

/** A change of Santiago's offset from UTC: the instant, and the offsets before and after. */
interface Transition {
  at: number;
  before: number;
  after: number;
}

const DAY_MS = 86_400_000;
const transitionsByYear = new Map<number, readonly Transition[]>();

/**
 * The wall-clock interval [from, to) that Santiago's clocks skipped around `time`, if `time` is
 * in one. Transitions come from the tz database Node ships, found once per year (about 370
 * Intl calls) and kept.
 */
function skippedHour(time: LocalDateTime): { from: number; to: number } | undefined {
  const wall = wallClockMillis(time);
  for (const { at, before, after } of transitionsIn(time.year)) {
    if (after > before && wall >= at + before && wall < at + after) {
      return { from: at + before, to: at + after };
    }
  }
  return undefined;
}

function transitionsIn(year: number): readonly Transition[] {
  let found = transitionsByYear.get(year);
  if (!found) {
    found = findTransitions(Date.UTC(year, 0, 1) - DAY_MS, Date.UTC(year + 1, 0, 1) + DAY_MS);
    transitionsByYear.set(year, found);
  }
  return found;
}

/** Offset changes between `start` and `end`, day by day, each then narrowed to the second. */
function findTransitions(start: number, end: number): Transition[] {
  const found: Transition[] = [];
  let before = offsetAt(start);
  for (let day = start; day < end; day += DAY_MS) {
    const after = offsetAt(day + DAY_MS);
    if (after === before) continue;
    let [low, high] = [day, day + DAY_MS];
    while (high - low > 1000) {
      const middle = low + Math.floor((high - low) / 2000) * 1000;
      if (offsetAt(middle) === before) low = middle;
      else high = middle;
    }
    found.push({ at: high, before, after });
    before = after;
  }
  return found;
}

/** Santiago's offset from UTC at `instant`, in milliseconds. */
function offsetAt(instant: number): number {
  return wallClockMillis(toSantiago(instant)) - instant;
}

/** A wall-clock time as `YYYY-MM-DD HH:MM:SS`, the data set's form. */
export function localText(time: LocalDateTime): string {
  return new Date(wallClockMillis(time)).toISOString().slice(0, 19).replace('T', ' ');
}

/** A wall-clock reading as `YYYY-MM-DD HH:MM`. */
function clockText(wall: number): string {
  return new Date(wall).toISOString().slice(0, 16).replace('T', ' ');
}
