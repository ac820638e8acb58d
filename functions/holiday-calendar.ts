/**
 * Chile's public holidays and the calendar facts the models read from them: a holiday, a long
 * weekend, days since the last holiday and until the next.
 *
 * The holidays come from date-holidays, a maintained calendar that follows the law as it changes
 * (so dates after the training year come out right), through a table generated from it for every
 * year the API accepts (`npm run holidays`, scripts/holidays.ts). Loading the library with its
 * time-zone and astronomy data, and computing a year with it, would cost the first flights of a
 * cold start or of a schedule file: the table costs neither (docs/BENCHMARKS.md).
 */
import table from './chile-public-holidays.json' with { type: 'json' };
import type { LocalDateTime } from './santiago-time.js';

// Years outside the table never get here: the API rejects them (functions/santiago-time.ts).
const DATES_BY_YEAR: Readonly<Record<string, readonly string[] | undefined>> = table;

const DAY_MS = 86_400_000;

// Chile has a public holiday in every year, so the nearest one is never a year away; the cap
// only keeps the features finite for years the calendar has no rules for.
const MAX_DAYS = 366;

// Public-holiday day numbers per year, computed once per year asked about.
const byYear = new Map<number, readonly number[]>();

// The days of each year that lie in a long weekend, computed once per year asked about: a
// schedule asks about the same few hundred dates again and again.
const longWeekendsByYear = new Map<number, ReadonlySet<number>>();

/**
 * Days since 1970-01-01 of a proleptic Gregorian calendar date, by arithmetic (Hinnant's
 * days_from_civil): no Date per call, and years below 100 stay what they are.
 */
function dayNumber(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * ((month + 9) % 12) + 2) / 5) + day - 1;
  const dayOfEra =
    yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** The public holidays of `year` as ascending day numbers. */
function publicHolidays(year: number): readonly number[] {
  let days = byYear.get(year);
  if (!days) {
    days = (DATES_BY_YEAR[year] ?? [])
      .map((date) =>
        dayNumber(Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10))),
      )
      .sort((a, b) => a - b);
    byYear.set(year, days);
  }
  return days;
}

function isHolidayDay(day: number, year: number): boolean {
  return publicHolidays(year).includes(day);
}

/** Saturday, Sunday or a public holiday. */
function isDayOff(day: number): boolean {
  const date = new Date(day * DAY_MS);
  const weekday = date.getUTCDay();
  return weekday === 0 || weekday === 6 || isHolidayDay(day, date.getUTCFullYear());
}

/** The scheduled date is a Chilean public holiday. */
export function isPublicHoliday({ year, month, day }: LocalDateTime): boolean {
  return isHolidayDay(dayNumber(year, month, day), year);
}

/** The date is a day off within a run of at least three consecutive days off (Sat, Sun, holidays). */
export function isLongWeekend({ year, month, day }: LocalDateTime): boolean {
  let days = longWeekendsByYear.get(year);
  if (!days) {
    days = longWeekendDays(year);
    longWeekendsByYear.set(year, days);
  }
  return days.has(dayNumber(year, month, day));
}

/** The days of `year` in runs of three or more days off, runs across the new year included. */
function longWeekendDays(year: number): Set<number> {
  const first = dayNumber(year, 1, 1);
  const last = dayNumber(year, 12, 31);
  const days = new Set<number>();
  let day = first;
  while (isDayOff(day - 1)) day--;
  while (day <= last) {
    if (!isDayOff(day)) {
      day++;
      continue;
    }
    let end = day;
    while (isDayOff(end + 1)) end++;
    if (end - day + 1 >= 3) {
      for (let off = Math.max(day, first); off <= Math.min(end, last); off++) days.add(off);
    }
    day = end + 1;
  }
  return days;
}

/** Days since the most recent public holiday (0 on a holiday). */
export function daysSinceHoliday({ year, month, day }: LocalDateTime): number {
  const today = dayNumber(year, month, day);
  const previous = [...publicHolidays(year - 1), ...publicHolidays(year)].filter((d) => d <= today);
  return Math.min(today - (previous.at(-1) ?? -Infinity), MAX_DAYS);
}

/** Days until the next public holiday (0 on a holiday). */
export function daysToHoliday({ year, month, day }: LocalDateTime): number {
  const today = dayNumber(year, month, day);
  const next = [...publicHolidays(year), ...publicHolidays(year + 1)].find((d) => d >= today);
  return Math.min((next ?? Infinity) - today, MAX_DAYS);
}
