/** Weekday drift compares like with like: a week the period cuts against training's same weekdays. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { groupDrift } from '../../../scripts/monitor/drift.js';
import type { LoggedFlight } from '../../../scripts/monitor/logged-flight.js';
import type { MonitoredCard } from '../../../scripts/monitor/model-cards.js';
import { servingValues } from '../../../scripts/monitor/serving-values.js';
import { DEFAULT_THRESHOLDS } from '../../../scripts/monitor/thresholds.js';

const card = JSON.parse(readFileSync('models/schedule.json', 'utf8')) as MonitoredCard;

/** 150 flights on each date, spread over the day, as the prediction log holds them. */
function loggedOn(dates: readonly string[]): LoggedFlight[] {
  return dates.flatMap((date, d) =>
    Array.from({ length: 150 }, (_, i): LoggedFlight => {
      const minutes = 300 + i * 7;
      const time = `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}:00`;
      return {
        requestId: `r${d}`,
        chunk: 0,
        position: i,
        shape: 'flights',
        model: 'schedule',
        loggedAt: `${date}T12:00:00.000Z`,
        input: {
          opera: 'Grupo LATAM',
          tipovuelo: 'N',
          fecha_i: `${date} ${time}`,
          siglades: 'Antofagasta',
        },
        probability: 0.2,
      };
    }),
  );
}

const weekdayDrift = (dates: readonly string[], cut: boolean) => {
  const flights = servingValues(card, loggedOn(dates));
  const drift = groupDrift(card.trainingDistribution, flights, DEFAULT_THRESHOLDS, cut);
  return drift.find((d) => d.field === 'DIANOM')!.value;
};

describe('weekday drift', () => {
  // Monday 30 and Tuesday 31 October 2017: the last days of a log that ends with the month.
  const mondayAndTuesday = ['2017-10-30', '2017-10-31'];

  it('compares a week the period cuts with the same weekdays of training', () => {
    expect(weekdayDrift(mondayAndTuesday, true)).toBeLessThan(DEFAULT_THRESHOLDS.categorical);
  });

  it('counts a weekday without flights inside the period as drift', () => {
    expect(weekdayDrift(mondayAndTuesday, false)).toBeGreaterThan(DEFAULT_THRESHOLDS.categorical);
  });

  it('compares a whole week with every weekday, cut or not', () => {
    const week = Array.from({ length: 7 }, (_, i) => `2017-10-${String(23 + i)}`);
    expect(weekdayDrift(week, true)).toBe(weekdayDrift(week, false));
  });
});
