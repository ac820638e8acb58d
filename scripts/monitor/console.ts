/** What a run prints: what it read, each model's headline figures, and the alerts. */
import type { Actuals } from './actuals.js';
import type { Alert } from './alerts.js';
import type { ModelFigures } from './analysis.js';
import type { PredictionLog } from './prediction-log.js';

/** Alerts printed one per line; the rest are counted (the report and the JSON list them all). */
const LISTED_ALERTS = 20;

export function consoleLines(
  log: PredictionLog,
  models: readonly ModelFigures[],
  alerts: readonly Alert[],
  actuals: Actuals | undefined,
): string[] {
  const lines = [
    `prediction log: ${log.flights.length} flights in ${log.entries} entries (${log.skipped} other lines skipped, ${log.duplicates} duplicate flights counted once, ${log.incompleteRequests} requests missing chunks)`,
  ];
  if (actuals) {
    lines.push(
      `actual departures: ${actuals.file}, ${actuals.read} rows, ${actuals.rejected} rejected`,
    );
  }
  for (const m of models) {
    const { estimated, realized } = m.period;
    lines.push(
      `${m.card.name} ${m.card.version}: ${m.flights} flights, ${m.weeks.length} weeks` +
        (m.undated > 0 ? ` (${m.undated} without a date, by week logged)` : '') +
        `; estimated ROC AUC ${estimated.rocAuc.toFixed(4)}, F1 ${estimated.f1.toFixed(4)}`,
    );
    if (m.unmatched !== undefined) {
      const auc = realized
        ? `realized ROC AUC ${realized.rocAuc.toFixed(4)}` +
          (realized.intervals
            ? ` [${realized.intervals.rocAuc.low.toFixed(4)}, ${realized.intervals.rocAuc.high.toFixed(4)}]`
            : '')
        : 'no realized figures';
      lines.push(
        `  ${auc} (card: ${m.card.metrics.rocAuc.toFixed(4)}); ${m.unmatched} dated flights without an actual departure`,
      );
    }
  }
  lines.push(`${alerts.length} alert${alerts.length === 1 ? '' : 's'}`);
  for (const alert of alerts.slice(0, LISTED_ALERTS)) lines.push(`  ${alert.message}`);
  if (alerts.length > LISTED_ALERTS) lines.push(`  … and ${alerts.length - LISTED_ALERTS} more`);
  return lines;
}
