/**
 * Where the public holidays of Chile come from: date-holidays, a maintained calendar that follows
 * the law as it changes, through a table generated from it (scripts/holidays.ts) for every year
 * the API accepts. The library with its time-zone and astronomy data costs ~200 ms to load and
 * ~10–40 ms per year computed, the table neither: the first flights of a cold start or of a
 * schedule file would pay it (docs/BENCHMARKS.md).
 */
import table from './chile-public-holidays.json' with { type: 'json' };

const BY_YEAR: Readonly<Record<string, readonly string[] | undefined>> = table;

/** The public holidays of `year` as `YYYY-MM-DD` (bank holidays and observances left out). */
export function publicHolidayDates(year: number): readonly string[] {
  // Years outside the table never get here: the API rejects them (functions/santiago-time.ts).
  return BY_YEAR[year] ?? [];
}
