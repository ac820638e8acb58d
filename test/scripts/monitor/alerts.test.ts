/**
 * The performance alert rule: a figure over P weeks against the card's held-out interval scaled
 * from its W weeks to P; a single week alerts only when its whole interval lies beyond it.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { alertsOf, scaledInterval } from '../../../scripts/monitor/alerts.js';
import type { ModelFigures, WeekFigures } from '../../../scripts/monitor/analysis.js';
import type { TrainingCard } from '../../../scripts/train/card.js';

const card = JSON.parse(readFileSync('models/schedule.json', 'utf8')) as TrainingCard;
const W = card.data.split.testWeeks.length;
const oneWeek = scaledInterval(card, 'rocAuc', 1);

function week(name: string, auc: number, interval: { low: number; high: number }): WeekFigures {
  return {
    week: name,
    weekOf: 'scheduled',
    flights: 1000,
    drift: [],
    estimated: { rocAuc: card.metrics.rocAuc, f1: card.metrics.f1 },
    realized: {
      flights: 1000,
      delayed: 200,
      rocAuc: auc,
      logLoss: card.metrics.logLoss,
      ece: card.metrics.ece,
      intervals: { rocAuc: interval, logLoss: card.intervals.logLoss, ece: card.intervals.ece },
    },
  };
}

function figures(weeks: WeekFigures[], periodAuc: number): ModelFigures {
  return {
    card,
    flights: 1000 * weeks.length,
    undated: 0,
    weeks,
    period: {
      estimated: { rocAuc: card.metrics.rocAuc, f1: card.metrics.f1 },
      realized: {
        ...weeks[0]!.realized!,
        rocAuc: periodAuc,
        intervals: {
          rocAuc: card.intervals.rocAuc,
          logLoss: card.intervals.logLoss,
          ece: card.intervals.ece,
        },
      },
      drift: [],
    },
  };
}

describe('scaledInterval', () => {
  it('is the card’s own interval for as many weeks as it held out, √W times wider for one', () => {
    const own = scaledInterval(card, 'rocAuc', W);
    expect(own.low).toBeCloseTo(card.intervals.rocAuc.low, 12);
    expect(own.high).toBeCloseTo(card.intervals.rocAuc.high, 12);
    expect(card.metrics.rocAuc - oneWeek.low).toBeCloseTo(
      (card.metrics.rocAuc - card.intervals.rocAuc.low) * Math.sqrt(W),
      12,
    );
  });
});

describe('alertsOf, realized ROC AUC', () => {
  const low = oneWeek.low;
  it('alerts on a week whose whole interval lies below the one-week band', () => {
    const alerts = alertsOf(
      figures(
        [week('2017-W01', low - 0.1, { low: low - 0.15, high: low - 0.01 })],
        card.metrics.rocAuc,
      ),
      0,
    );
    expect(alerts).toMatchObject([
      { kind: 'realized performance', week: '2017-W01', metric: 'rocAuc', threshold: low },
    ]);
  });

  it('does not alert on a week whose figure is below but whose interval reaches the band', () => {
    const alerts = alertsOf(
      figures(
        [week('2017-W01', low - 0.01, { low: low - 0.05, high: low + 0.02 })],
        card.metrics.rocAuc,
      ),
      0,
    );
    expect(alerts).toEqual([]);
  });

  it('alerts on a period whose figure lies below the card’s interval scaled to its weeks', () => {
    const weeks = Array.from({ length: W }, (_, i) =>
      week(`2017-W${10 + i}`, card.metrics.rocAuc, card.intervals.rocAuc),
    );
    const below = card.intervals.rocAuc.low - 0.001;
    expect(alertsOf(figures(weeks, below), 0)).toMatchObject([
      { week: 'period', metric: 'rocAuc', value: below },
    ]);
    expect(alertsOf(figures(weeks, card.intervals.rocAuc.low + 0.001), 0)).toEqual([]);
  });
});
