/** The Markdown report (`--out DIR`): DIR/report.md and the SVG charts it shows. */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import { renderSvg } from '../train/report/charts.js';
import { table } from '../train/report/markdown.js';
import type { Actuals } from './actuals.js';
import type { Alert } from './alerts.js';
import type { ModelFigures, WeekFigures } from './analysis.js';
import { driftChart, performanceChart, sharesChart } from './charts.js';
import { METHOD } from './method.js';
import type { PredictionLog } from './prediction-log.js';

export interface ReportInput {
  log: PredictionLog;
  models: readonly ModelFigures[];
  alerts: readonly Alert[];
  actuals: Actuals | undefined;
  minFlights: number;
}

/** Fields drawn over the whole period, beside the probabilities. */
const PERIOD_CHARTS = ['OPERA', 'hora', 'probability'];

export async function writeReport(dir: string, input: ReportInput): Promise<void> {
  const charts: Record<string, TopLevelSpec> = {};
  const sections = input.models.map((m) => {
    const name = m.card.name;
    charts[`${name}-drift.svg`] = driftChart(m);
    charts[`${name}-performance.svg`] = performanceChart(m);
    const shares = m.period.drift.filter((d) => PERIOD_CHARTS.includes(d.field));
    for (const drift of shares) charts[`${name}-${drift.field}.svg`] = sharesChart(m, drift);
    return modelSection(
      m,
      shares.map((d) => `${name}-${d.field}.svg`),
    );
  });
  await Promise.all(
    Object.entries(charts).map(async ([file, spec]) =>
      writeFile(join(dir, file), await renderSvg(spec)),
    ),
  );
  const text = [
    '# Prediction monitoring report',
    readSection(input),
    alertSection(input.alerts),
    ...sections,
    METHOD(input.minFlights),
  ].join('\n\n');
  await writeFile(join(dir, 'report.md'), `${text}\n`);
}

function readSection({ log, actuals }: ReportInput): string {
  const lines = [
    `- Prediction log: ${log.flights.length} flights in ${log.entries} entries; ${log.skipped} other lines skipped; ${log.duplicates} flights read twice, counted once; ${log.incompleteRequests} requests with chunks missing.`,
  ];
  if (actuals) {
    lines.push(
      `- Actual departures: \`${actuals.file}\`, ${actuals.read} rows (${actuals.rejected} rejected by the data set's reader).`,
    );
  }
  return `## What was read\n\n${lines.join('\n')}`;
}

function alertSection(alerts: readonly Alert[]): string {
  if (alerts.length === 0) return '## Alerts\n\nNone.';
  const rows = alerts.map((a) => [
    a.kind,
    a.model,
    a.field ?? '',
    a.week,
    a.metric,
    a.value.toFixed(4),
    a.threshold.toFixed(4),
  ]);
  return [
    `## Alerts (${alerts.length})`,
    table(['Kind', 'Model', 'Field', 'Week', 'Metric', 'Value', 'Bound'], rows),
  ].join('\n\n');
}

const f4 = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? '–' : x.toFixed(4));
const interval = (i: { low: number; high: number } | undefined) =>
  i ? ` [${f4(i.low)}, ${f4(i.high)}]` : '';

function modelSection(m: ModelFigures, shareCharts: string[]): string {
  const { card, period } = m;
  const name = card.name;
  const realized = period.realized;
  const headline = table(
    ['', 'ROC AUC', `F1 at ${card.threshold.value.toFixed(4)}`, 'Log loss', 'ECE'],
    [
      [
        'Card, held-out weeks',
        `${f4(card.metrics.rocAuc)}${interval(card.intervals.rocAuc)}`,
        f4(card.metrics.f1),
        `${f4(card.metrics.logLoss)}${interval(card.intervals.logLoss)}`,
        `${f4(card.metrics.ece)}${interval(card.intervals.ece)}`,
      ],
      [
        'Estimated, this period',
        `${f4(period.estimated.rocAuc)}${interval(period.estimated.rocAucInterval)}`,
        f4(period.estimated.f1),
        '',
        '',
      ],
      ...(realized
        ? [
            [
              'Realized, this period',
              `${f4(realized.rocAuc)}${interval(realized.intervals?.rocAuc)}`,
              '',
              `${f4(realized.logLoss)}${interval(realized.intervals?.logLoss)}`,
              `${f4(realized.ece)}${interval(realized.intervals?.ece)}`,
            ],
          ]
        : []),
    ],
  );
  const notes = [
    `${m.flights} flights, ${m.weeks.length} weeks.`,
    m.undated > 0
      ? `${m.undated} flights carry no date (vuelos, LATAM): grouped by the week they were logged (weeks marked "logged"), drift and estimation only.`
      : '',
    m.unmatched !== undefined
      ? `${m.unmatched} dated flights matched no actual departure: they count in drift and estimation, not in realized figures.`
      : '',
  ].filter(Boolean);
  return [
    `## ${name} (${card.version})`,
    notes.join(' '),
    headline,
    `![Drift per week](${name}-drift.svg)`,
    `![ROC AUC per week](${name}-performance.svg)`,
    ...shareCharts.map((file) => `![${file}](${file})`),
    weekTable(m.weeks),
    driftTable(m.weeks),
  ].join('\n\n');
}

function weekTable(weeks: readonly WeekFigures[]): string {
  return table(
    ['Week', 'Flights', 'Estimated ROC AUC', 'Estimated F1', 'Realized ROC AUC', 'Log loss', 'ECE'],
    weeks.map((w) => [
      `${w.week}${w.weekOf === 'logged' ? ' (logged)' : ''}`,
      String(w.flights),
      `${f4(w.estimated.rocAuc)}${interval(w.estimated.rocAucInterval)}`,
      f4(w.estimated.f1),
      `${f4(w.realized?.rocAuc)}${interval(w.realized?.intervals?.rocAuc)}`,
      f4(w.realized?.logLoss),
      f4(w.realized?.ece),
    ]),
  );
}

function driftTable(weeks: readonly WeekFigures[]): string {
  const fields = weeks[0]?.drift.map((d) => d.field) ?? [];
  const rows = weeks.map((w) => [
    w.week,
    ...w.drift.map((d) => `${d.value.toFixed(3)}${d.value > d.threshold ? ' ⚠' : ''}`),
  ]);
  return [
    table(['Week', ...fields], rows),
    '',
    'Distances per week (⚠: above the field’s threshold).',
  ].join('\n');
}
