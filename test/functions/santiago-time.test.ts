import { describe, expect, it } from 'vitest';
import {
  isoWeekday,
  minutesBetween,
  parseScheduledTime,
  scheduledTimeProblem,
  YEARS,
} from '../../functions/santiago-time.js';

const at = (
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second = 0,
) => ({
  year,
  month,
  day,
  hour,
  minute,
  second,
});

describe('parseScheduledTime', () => {
  it.each([
    ['data-set form', '2017-07-14 08:30:00', at(2017, 7, 14, 8, 30)],
    ['ISO without offset is Santiago local time', '2017-07-14T08:30:00', at(2017, 7, 14, 8, 30)],
    ['ISO with fractional seconds', '2017-07-14T08:30:05.250', at(2017, 7, 14, 8, 30, 5)],
    // July: Chilean winter time, UTC-4.
    ['UTC in winter', '2017-07-14T12:30:00Z', at(2017, 7, 14, 8, 30)],
    // January: Chilean summer time, UTC-3.
    ['UTC in summer', '2017-01-10T11:30:00Z', at(2017, 1, 10, 8, 30)],
    [
      'explicit -03:00 in summer is already local',
      '2017-01-10T08:30:00-03:00',
      at(2017, 1, 10, 8, 30),
    ],
    ['offset crossing midnight backwards', '2017-07-01T02:00:00+00:00', at(2017, 6, 30, 22, 0)],
    ['positive offset', '2017-07-14T14:30:00+02:00', at(2017, 7, 14, 8, 30)],
    // DST ended 2017-05-14 00:00 local (03:00 UTC): the clock went back to 23:00 on the 13th.
    ['last second of summer time', '2017-05-14T02:59:59Z', at(2017, 5, 13, 23, 59, 59)],
    ['first second of winter time', '2017-05-14T03:00:00Z', at(2017, 5, 13, 23, 0, 0)],
    // DST started 2017-08-13 00:00 local (04:00 UTC): the clock jumped to 01:00.
    ['first second of summer time', '2017-08-13T04:00:00Z', at(2017, 8, 13, 1, 0, 0)],
    ['leap day in a leap year', '2016-02-29 10:00:00', at(2016, 2, 29, 10, 0)],
  ])('%s: %s', (_name, text, expected) => {
    expect(parseScheduledTime(text)).toEqual(expected);
  });

  it.each([
    ['not a leap year', '2017-02-29 10:00:00'],
    ['day 31 of a 30-day month', '2017-04-31 10:00:00'],
    ['month 13', '2017-13-01 10:00:00'],
    ['day 0', '2017-01-00 10:00:00'],
    ['hour 24', '2017-01-01 24:00:00'],
    ['minute 60', '2017-01-01 10:60:00'],
    ['second 60', '2017-01-01 10:00:60'],
    ['offset hours 25', '2017-01-01T10:00:00+25:00'],
    ['offset on the data-set form', '2017-01-01 10:00:00Z'],
    ['no seconds', '2017-01-01 10:00'],
    ['date only', '2017-01-01'],
    ['trailing space', '2017-01-01 10:00:00 '],
    ['day first', '01-01-2017 10:00:00'],
    ['letters in the year', '2O17-01-01 10:00:00'],
    ['signed field', '2017-+1-01 10:00:00'],
    ['offset without the T', '2017-01-01 10:00:00-03:00'],
    ['garbage after the seconds', '2017-01-01T10:00:00abc'],
    ['empty', ''],
  ])('rejects %s: %j', (_name, text) => {
    expect(parseScheduledTime(text)).toBeUndefined();
  });
});

/**
 * Every change of Santiago's UTC offset from 2016 through 2030, found hour by hour with Intl's
 * `longOffset` names (GMT-03:00), independently of the module's own search: the wall-clock
 * reading of the second before it, and how far the clocks moved (+1 h when DST begins).
 */
function santiagoTransitions(): Array<{ lastBefore: number; shiftMs: number }> {
  const names = new Intl.DateTimeFormat('en-US', {
    timeZone: 'America/Santiago',
    timeZoneName: 'longOffset',
  });
  const offsetMs = (instant: number) => {
    const name = names.formatToParts(instant).find((p) => p.type === 'timeZoneName')!.value;
    const [, sign, hours, minutes] = /^GMT([+-])(\d\d):(\d\d)$/.exec(name)!;
    return (sign === '-' ? -1 : 1) * (Number(hours) * 60 + Number(minutes)) * 60_000;
  };
  const found = [];
  const hour = 3_600_000;
  for (let t = Date.UTC(2016, 0, 1); t < Date.UTC(2031, 0, 1); t += hour) {
    const [before, after] = [offsetMs(t), offsetMs(t + hour)];
    if (before !== after)
      found.push({ lastBefore: t + hour - 1000 + before, shiftMs: after - before });
  }
  return found;
}

/** A wall-clock reading (ms as if UTC) in the data set's form. */
const local = (wall: number) => new Date(wall).toISOString().slice(0, 19).replace('T', ' ');

describe('scheduledTimeProblem', () => {
  const transitions = santiagoTransitions();
  const gaps = transitions.filter((t) => t.shiftMs > 0);
  const overlaps = transitions.filter((t) => t.shiftMs < 0);

  it('finds the transitions of 2016–2030 in the tz database', () => {
    // Chile kept DST every year of the range: one change forward and one back each year.
    expect(gaps.length).toBe(15);
    expect(overlaps.length).toBe(15);
  });

  it.each(gaps.map(({ lastBefore, shiftMs }) => [local(lastBefore + 1000), lastBefore, shiftMs]))(
    'rejects the skipped hour from %s, naming it',
    (_first, lastBefore, shiftMs) => {
      const from = local(lastBefore + 1000).slice(0, 16);
      const to = local(lastBefore + 1000 + shiftMs).slice(0, 16);
      for (const wall of [lastBefore + 1000, lastBefore + shiftMs / 2, lastBefore + shiftMs]) {
        expect(scheduledTimeProblem(local(wall))).toBe(
          `does not exist in Santiago: its clocks went from ${from} straight to ${to} ` +
            '(daylight saving time began)',
        );
        expect(scheduledTimeProblem(local(wall).replace(' ', 'T'))).toMatch(/^does not exist/);
      }
      expect(scheduledTimeProblem(local(lastBefore))).toBeUndefined();
      expect(scheduledTimeProblem(local(lastBefore + 1000 + shiftMs))).toBeUndefined();
    },
  );

  it.each(
    overlaps.map(({ lastBefore, shiftMs }) => [
      local(lastBefore + shiftMs + 1000),
      lastBefore,
      shiftMs,
    ]),
  )('accepts the repeated hour from %s', (_first, lastBefore, shiftMs) => {
    for (let wall = lastBefore + shiftMs + 1000; wall <= lastBefore + 1000; wall += 600_000) {
      expect(scheduledTimeProblem(local(wall))).toBeUndefined();
    }
  });

  it('accepts a time with an offset whatever the local clock did', () => {
    const { lastBefore } = gaps[0]!;
    expect(
      scheduledTimeProblem(`${local(lastBefore + 1000).replace(' ', 'T')}-04:00`),
    ).toBeUndefined();
  });

  it.each([
    [`${YEARS.first}-01-01 00:00:00`, undefined],
    [`${YEARS.last}-12-31 23:59:59`, undefined],
    [`${YEARS.first - 1}-12-31 23:59:59`, 'is outside the years 1970 to 2100'],
    [`${YEARS.last + 1}-01-01 00:00:00`, 'is outside the years 1970 to 2100'],
    // Date.UTC would read 0099 as 1999: the written year is what counts.
    ['0099-06-15T12:00:00Z', 'is outside the years 1970 to 2100'],
    // An instant inside the years whose Santiago wall clock is not: the model would read 1969.
    [
      '1970-01-01T00:00:00Z',
      expect.stringMatching(
        /^is outside the years 1970 to 2100 \(in Santiago local time it is 1969-12-31 2\d:00:00\)$/,
      ),
    ],
    [
      `${YEARS.last}-12-31T23:59:59-12:00`,
      expect.stringMatching(/\(in Santiago local time it is 2101-01-01 /),
    ],
    ['1970-01-01T12:00:00Z', undefined],
    ['2017-02-30 08:00:00', expect.stringMatching(/^is not a valid date and time: expected/)],
  ])('%s → %s', (text, problem) => {
    expect(scheduledTimeProblem(text)).toEqual(problem);
  });
});

describe('minutesBetween', () => {
  it('counts wall-clock minutes across midnight and month ends', () => {
    expect(minutesBetween(at(2017, 1, 31, 23, 30), at(2017, 2, 1, 0, 10))).toBe(40);
    expect(minutesBetween(at(2017, 3, 1, 10, 0), at(2017, 3, 1, 9, 45))).toBe(-15);
  });
});

describe('isoWeekday', () => {
  it('numbers Monday 1 to Sunday 7', () => {
    // 2017-01-01 was a Sunday; 2017-01-02 a Monday.
    expect(isoWeekday(at(2017, 1, 1, 0, 0))).toBe(7);
    expect(isoWeekday(at(2017, 1, 2, 0, 0))).toBe(1);
    expect(isoWeekday(at(2017, 12, 31, 0, 0))).toBe(7);
  });

  it('agrees with the platform calendar on every day of 2015–2021', () => {
    for (let t = Date.UTC(2015, 0, 1); t < Date.UTC(2022, 0, 1); t += 86_400_000) {
      const date = new Date(t);
      const day = at(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), 0, 0);
      expect(isoWeekday(day)).toBe(((date.getUTCDay() + 6) % 7) + 1);
    }
  });
});
