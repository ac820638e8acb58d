/**
 * Where the public holidays of Chile come from: date-holidays, a maintained calendar that follows
 * the law as it changes. The bundle replaces this module with a table computed from it at build
 * time for the years the API accepts (scripts/build/holiday-calendar.ts): the library with its
 * time-zone and astronomy data would add 1.6 MB and ~200 ms to every cold start.
 */
import Holidays from 'date-holidays';

// Built on first use: only models that read a holiday feature pay for the calendar.
let chile: Holidays | undefined;

/** The public holidays of `year` as `YYYY-MM-DD` (bank holidays and observances left out). */
export function publicHolidayDates(year: number): string[] {
  chile ??= new Holidays('CL');
  return (
    chile
      .getHolidays(year)
      .filter((holiday) => holiday.type === 'public')
      // `date` is the local calendar date, `YYYY-MM-DD 00:00:00`.
      .map(({ date }) => date.slice(0, 10))
  );
}
