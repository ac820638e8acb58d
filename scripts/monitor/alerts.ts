/**
 * The alerts a run raises, each one a reason to look at the model:
 * - input drift: a field's distance above its threshold in a week of at least `minFlights`
 *   flights (fewer land far from any reference by chance alone);
 * - prediction drift: the same for the probabilities;
 * - performance worse than the card's held-out interval, realized (with actual times) or
 *   estimated. The card's interval is that of a figure over its W held-out weeks, resampled by
 *   week: its half-width is about 1.96 σ / √W, σ the spread of one week's figure. A figure over P
 *   weeks is compared with the card's interval scaled to P weeks — each half-width × √(W / P) —
 *   which is the card's own for a period as long as its held-out weeks, and √W times wider for a
 *   single week, whose figure moves far more. The period alerts when its figure lies beyond that
 *   scaled interval on the bad side (below, for ROC AUC; above, for log loss and ECE); a single
 *   week alerts only when its own 95% interval (its days resampled) lies wholly beyond it, so that
 *   a run checking many weeks and figures does not cry wolf on one unlucky week. ECE is checked
 *   over the period only: a week's ECE carries that week's departure of its delay rate from the
 *   model's, which weeks pooled cancel, so it has no one-week counterpart on the card. Estimated
 *   F1 has no interval on the card and raises none.
 */
import type { Interval } from '../train/bootstrap.js';
import type { ModelFigures } from './analysis.js';
import type { MonitoredCard } from './model-cards.js';
import { PROBABILITY } from './drift.js';
import { REALIZED_METRICS, type RealizedMetric } from './realized.js';

export interface Alert {
  kind: 'input drift' | 'prediction drift' | 'realized performance' | 'estimated performance';
  model: string;
  /** The input field concerned (input drift only). */
  field?: string;
  /** `YYYY-Www`, or `period` for the whole period. */
  week: string;
  metric: string;
  value: number;
  /** The bound crossed: a drift threshold, or the card's interval bound. */
  threshold: number;
  message: string;
}

const HIGHER_IS_BETTER: Record<RealizedMetric, boolean> = {
  rocAuc: true,
  logLoss: false,
  ece: false,
};

export function alertsOf(figures: ModelFigures, minFlights: number): Alert[] {
  const model = figures.card.name;
  const alerts: Alert[] = [];
  for (const week of figures.weeks) {
    for (const drift of week.drift) {
      if (drift.flights < minFlights || !(drift.value > drift.threshold)) continue;
      const prediction = drift.field === PROBABILITY;
      alerts.push({
        kind: prediction ? 'prediction drift' : 'input drift',
        model,
        ...(!prediction && { field: drift.field }),
        week: week.week,
        metric: drift.metric,
        value: drift.value,
        threshold: drift.threshold,
        message: `${model} ${week.week}: ${drift.field} ${drift.metric} ${drift.value.toFixed(3)} > ${drift.threshold}`,
      });
    }
  }
  const { card } = figures;
  const scopes = [
    ...figures.weeks.map((w) => ({ ...w, weeks: 1 })),
    { ...figures.period, week: 'period', weeks: new Set(figures.weeks.map((w) => w.week)).size },
  ];
  for (const { week, weeks, estimated, realized } of scopes) {
    const single = weeks === 1;
    const scaled = (metric: RealizedMetric) => scaledInterval(card, metric, weeks);
    const auc = estimated.rocAuc;
    const below = worse('rocAuc', auc, estimated.rocAucInterval, scaled('rocAuc'), single);
    if (below !== undefined)
      alerts.push(performance('estimated', model, week, 'rocAuc', auc, below));
    for (const metric of realized ? REALIZED_METRICS : []) {
      if (metric === 'ece' && single) continue;
      const value = realized![metric];
      const interval = realized!.intervals?.[metric];
      const crossed = worse(metric, value, interval, scaled(metric), single);
      if (crossed !== undefined)
        alerts.push(performance('realized', model, week, metric, value, crossed));
    }
  }
  return alerts;
}

/** The card's held-out interval of `metric` scaled from its held-out weeks to `weeks` weeks. */
export function scaledInterval(
  card: MonitoredCard,
  metric: RealizedMetric,
  weeks: number,
): Interval {
  const figure = card.metrics[metric];
  const { low, high } = card.intervals[metric];
  const scale = Math.sqrt(card.data.split.testWeeks.length / weeks);
  return { low: figure - (figure - low) * scale, high: figure + (high - figure) * scale };
}

/**
 * The bound crossed, when the figure is worse than the reference interval: for a single week its
 * whole interval must be (no interval: no alert), for the period its figure.
 */
function worse(
  metric: RealizedMetric,
  value: number,
  interval: Interval | undefined,
  card: Interval,
  single: boolean,
): number | undefined {
  const higher = HIGHER_IS_BETTER[metric];
  const bound = higher ? card.low : card.high;
  const tested = single ? interval && (higher ? interval.high : interval.low) : value;
  if (tested === undefined || Number.isNaN(tested)) return undefined;
  return (higher ? tested < bound : tested > bound) ? bound : undefined;
}

function performance(
  source: 'estimated' | 'realized',
  model: string,
  week: string,
  metric: RealizedMetric,
  value: number,
  threshold: number,
): Alert {
  const side = HIGHER_IS_BETTER[metric] ? 'below' : 'above';
  return {
    kind: `${source} performance`,
    model,
    week,
    metric,
    value,
    threshold,
    message: `${model} ${week}: ${source} ${metric} ${value.toFixed(4)} ${side} the card's held-out interval scaled to its weeks (${side === 'below' ? 'low' : 'high'} ${threshold.toFixed(4)})`,
  };
}
