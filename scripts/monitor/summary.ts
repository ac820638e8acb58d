/**
 * The JSON summary (`--json`): the alerts, and each model's figures without the per-value shares
 * the charts draw. `realized` at the top level is the period's realized performance when one
 * model had flights matched to actual times (each model's own is under `models`).
 */
import type { ModelFigures } from './analysis.js';
import type { Alert } from './alerts.js';
import type { PredictionLog } from './prediction-log.js';

export function summary(log: PredictionLog, models: readonly ModelFigures[], alerts: Alert[]) {
  const realized = models.flatMap((m) => (m.period.realized ? [m.period.realized] : []));
  return {
    alerts,
    ...(realized.length === 1 && { realized: realized[0] }),
    log: {
      entries: log.entries,
      flights: log.flights.length,
      skippedLines: log.skipped,
      duplicates: log.duplicates,
      incompleteRequests: log.incompleteRequests,
    },
    models: models.map(({ card, weeks, ...figures }) => ({
      model: { name: card.name, version: card.version },
      ...figures,
      card: { metrics: card.metrics, intervals: card.intervals },
      weeks: weeks.map(({ drift, ...week }) => ({
        ...week,
        drift: drift.map(({ field, metric, value, threshold, flights }) => ({
          field,
          metric,
          value,
          threshold,
          flights,
        })),
      })),
    })),
  };
}
