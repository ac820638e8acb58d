/**
 * The pattern the OpenAPI document gives scheduled times agrees with the server's parser on every
 * form and calendar date; only the hour Santiago skips is left to the server.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SCHEDULED_TIME_PATTERN } from '../../functions/santiago-time-pattern.js';
import { parseScheduledTime, scheduledTimeProblem } from '../../functions/santiago-time.js';

const pattern = new RegExp(SCHEDULED_TIME_PATTERN);
const pad = (n: number, width = 2) => String(n).padStart(width, '0');

describe('SCHEDULED_TIME_PATTERN', () => {
  it.each([
    ['2017-07-14 08:30:00', true],
    ['2017-07-14T08:30:00', true],
    ['2017-12-22T23:10:00-03:00', true],
    ['2017-01-03T02:15:00.123Z', true],
    ['2016-02-29 00:00:00', true],
    ['2000-02-29 00:00:00', true],
    ['1970-01-01 00:00:00', true],
    ['2100-12-31 23:59:59', true],
    ['2017-02-30 08:00:00', false],
    ['2017-02-29 08:00:00', false],
    ['2100-02-29 08:00:00', false],
    ['1969-12-31 23:59:59', false],
    ['2101-01-01 00:00:00', false],
    ['2017-07-14 24:00:00', false],
    ['2017-07-14 08:30:00Z', false],
    ['2017-07-14T08:30:00+24:00', false],
    ['2017-07-14', false],
  ])('%s: %s', (text, accepted) => {
    expect(pattern.test(text)).toBe(accepted);
    expect(scheduledTimeProblem(text) === undefined || !accepted).toBe(true);
  });

  it('accepts exactly the dates and times the server parses, in every form', () => {
    const candidate = fc
      .record({
        year: fc.integer({ min: 1965, max: 2105 }),
        month: fc.integer({ min: 0, max: 13 }),
        day: fc.integer({ min: 0, max: 32 }),
        hour: fc.integer({ min: 0, max: 25 }),
        minute: fc.integer({ min: 0, max: 60 }),
        suffix: fc.constantFrom('', 'Z', '-03:00', '+14:00', '.5', '.123456789Z'),
        separator: fc.constantFrom(' ', 'T'),
      })
      .map(
        ({ year, month, day, hour, minute, suffix, separator }) =>
          `${pad(year, 4)}-${pad(month)}-${pad(day)}${separator}${pad(hour)}:${pad(minute)}:00` +
          (separator === 'T' ? suffix : ''),
      );
    fc.assert(
      fc.property(candidate, (text) => {
        const year = Number(text.slice(0, 4));
        const parsed = parseScheduledTime(text) !== undefined && year >= 1970 && year <= 2100;
        expect(pattern.test(text), text).toBe(parsed);
      }),
      { numRuns: 5_000 },
    );
  });
});
