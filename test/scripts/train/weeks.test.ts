import { describe, expect, it } from 'vitest';
import { isoWeekKey } from '../../../scripts/train/weeks.js';

const day = (year: number, month: number, date: number) => ({
  year,
  month,
  day: date,
  hour: 23,
  minute: 59,
  second: 59,
});

// ISO 8601 weeks as calendars print them.
describe('isoWeekKey', () => {
  it.each([
    [2017, 1, 1, '2016-W52'], // a Sunday: the last day of 2016's last week
    [2017, 1, 2, '2017-W01'], // Monday
    [2017, 1, 8, '2017-W01'],
    [2017, 1, 9, '2017-W02'],
    [2017, 12, 31, '2017-W52'],
    [2018, 12, 31, '2019-W01'], // a Monday in the week of 3 January 2019
    [2020, 12, 31, '2020-W53'], // 2020 has 53 weeks
    [2021, 1, 3, '2020-W53'],
  ])('%i-%i-%i is in %s', (year, month, date, key) => {
    expect(isoWeekKey(day(year, month, date))).toBe(key);
  });

  it('gives every day of 2017 a week, Monday to Sunday, seven days each but the first', () => {
    const counts = new Map<string, number>();
    for (let d = 0; d < 365; d++) {
      const date = new Date(Date.UTC(2017, 0, 1 + d));
      const key = isoWeekKey(day(2017, date.getUTCMonth() + 1, date.getUTCDate()));
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).toBe(53);
    expect(counts.get('2016-W52')).toBe(1);
    expect([...counts].filter(([key]) => key !== '2016-W52').every(([, n]) => n === 7)).toBe(true);
  });
});
