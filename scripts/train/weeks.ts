/**
 * ISO 8601 weeks (Monday to Sunday; week 1 holds the year's first Thursday), the unit the data is
 * split and cross-validated by.
 */
import { isoWeekday, type LocalDateTime } from '../../functions/santiago-time.js';

const DAY_MS = 86_400_000;

/** The ISO week of a calendar date as `YYYY-Www`; 1 January 2017, a Sunday, is `2016-W52`. */
export function isoWeekKey(date: LocalDateTime): string {
  const thursday = Date.UTC(date.year, date.month - 1, date.day) + (4 - isoWeekday(date)) * DAY_MS;
  const year = new Date(thursday).getUTCFullYear();
  const week = Math.floor((thursday - Date.UTC(year, 0, 1)) / DAY_MS / 7) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}
