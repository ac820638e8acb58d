import { describe, expect, it } from 'vitest';
import { publicHolidayDates } from '../../functions/holiday-calendar.js';
import { YEARS } from '../../functions/santiago-time.js';
import { holidayTable } from '../../scripts/holidays.js';

describe('the holiday table', () => {
  // Fails after date-holidays changes a rule until `npm run holidays` writes the table again.
  it("is date-holidays' calendar for Chile over every year the API accepts", () => {
    const library = holidayTable();
    for (let year = YEARS.first - 1; year <= YEARS.last + 1; year++) {
      expect(publicHolidayDates(year), `${year}: run npm run holidays`).toEqual(library[year]);
    }
  });
});
