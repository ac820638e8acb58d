/**
 * The calendar facts the models may use, from Chile's public holidays (holiday-calendar.ts, so
 * dates after the training year come out right): a holiday, a long weekend, days since the last
 * holiday and until the next.
 */
import { publicHolidayDates } from './holiday-calendar.js';
import type { LocalDateTime } from './santiago-time.js';

const DAY_MS = 86_400_000;

// Chile has a public holiday in every year, so the nearest one is never a year away; the cap
// only keeps the features finite for years the calendar has no rules for.
const MAX_DAYS = 366;

// Public-holiday day numbers per year, computed once per year asked about.
const byYear = new Map<number, readonly number[]>();

/** Days since 1970-01-01 of a calendar date (setUTCFullYear, unlike Date.UTC, keeps years < 100). */
function dayNumber(year: number, month: number, day: number): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return Math.round(date.getTime() / DAY_MS);
}

/** The public holidays of `year` as ascending day numbers. */
function publicHolidays(year: number): readonly number[] {
  let days = byYear.get(year);
  if (!days) {
    days = publicHolidayDates(year)
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
export function isLongWeekend(time: LocalDateTime): boolean {
  const today = dayNumber(time.year, time.month, time.day);
  if (!isDayOff(today)) return false;
  let first = today;
  let last = today;
  while (isDayOff(first - 1)) first--;
  while (isDayOff(last + 1)) last++;
  return last - first + 1 >= 3;
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
