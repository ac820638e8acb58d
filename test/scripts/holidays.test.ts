import { describe, expect, it } from 'vitest';
import table from '../../functions/chile-public-holidays.json' with { type: 'json' };
import { YEARS } from '../../functions/santiago-time.js';
import { holidayTable } from '../../scripts/holidays.js';

describe('the holiday table npm run holidays writes', () => {
  // Fails after date-holidays changes a rule until `npm run holidays` writes the table again.
  it("is date-holidays' calendar for Chile over every year the API accepts and one either side", () => {
    const library = holidayTable();
    expect(Object.keys(library)).toContain(String(YEARS.first - 1));
    expect(Object.keys(library)).toContain(String(YEARS.last + 1));
    expect(table, 'run npm run holidays').toEqual(library);
  });
});
