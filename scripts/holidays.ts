/**
 * `npm run holidays`: writes functions/chile-public-holidays.json, Chile's public holidays from
 * date-holidays for every year the API accepts and the years on either side (which days-since
 * and days-to reach into). Run it after updating date-holidays: a test fails until the table
 * matches the library again (test/scripts/holidays.test.ts).
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Holidays from 'date-holidays';
import { YEARS } from '../functions/santiago-time.js';
import { parseCommandLine } from './command-line.js';

const TABLE_FILE = fileURLToPath(
  new URL('../functions/chile-public-holidays.json', import.meta.url),
);

const USAGE = `usage: npm run holidays

Writes functions/chile-public-holidays.json, Chile's public holidays from date-holidays for every
year the API accepts and one on either side. Run it after updating date-holidays.`;

/** Every year the table holds, with its public holidays as `YYYY-MM-DD`, ascending. */
export function holidayTable(): Record<string, string[]> {
  const chile = new Holidays('CL');
  const table: Record<string, string[]> = {};
  for (let year = YEARS.first - 1; year <= YEARS.last + 1; year++) {
    table[year] = chile
      .getHolidays(year)
      // Bank holidays and observances left out; `date` is the local date, `YYYY-MM-DD 00:00:00`.
      .filter((holiday) => holiday.type === 'public')
      .map(({ date }) => date.slice(0, 10))
      .sort();
  }
  return table;
}

// Run as a script, not when a test imports holidayTable.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  parseCommandLine({ name: 'holidays', usage: USAGE, options: {} });
  const table = holidayTable();
  writeFileSync(TABLE_FILE, `${JSON.stringify(table, null, 2)}\n`);
  console.log(`wrote ${Object.keys(table).length} years of holidays to ${TABLE_FILE}`);
}
