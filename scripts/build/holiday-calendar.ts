/**
 * Chile's public holidays as a table, computed from date-holidays at build time, to stand in for
 * functions/holiday-calendar.ts in the bundle: the same dates for every year the API accepts (and
 * the years on either side, which days-since and days-to reach into), without the library.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'esbuild';
import { publicHolidayDates } from '../../functions/holiday-calendar.js';
import { YEARS } from '../../functions/santiago-time.js';

const FUNCTIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../functions');

/** Every year the table holds, with its public holidays. */
export function holidayTable(): Record<number, string[]> {
  const table: Record<number, string[]> = {};
  for (let year = YEARS.first - 1; year <= YEARS.last + 1; year++) {
    table[year] = publicHolidayDates(year);
  }
  return table;
}

/** ES module source exporting `publicHolidayDates` over the table. */
export function holidayCalendarSource(): string {
  return [
    `const TABLE = ${JSON.stringify(holidayTable())};`,
    // Years outside the table never reach it: the API rejects them (functions/santiago-time.ts).
    'export function publicHolidayDates(year) { return TABLE[year] ?? []; }',
  ].join('\n');
}

/** esbuild plugin: loads functions/holiday-calendar.ts as the precomputed table. */
export const holidayCalendarPlugin: Plugin = {
  name: 'holiday-calendar',
  setup(build) {
    build.onLoad({ filter: /[\\/]functions[\\/]holiday-calendar\.ts$/ }, () => ({
      contents: holidayCalendarSource(),
      loader: 'js',
      resolveDir: FUNCTIONS_DIR,
    }));
  },
};
