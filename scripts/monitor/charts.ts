/**
 * The report's charts as Vega-Lite specs, rendered to SVG by the training report's renderer
 * (scripts/train/report/charts.ts).
 */
import type { TopLevelSpec } from 'vega-lite';
import { scaledInterval } from './alerts.js';
import type { ModelFigures } from './analysis.js';
import type { Drift } from './drift.js';

const CONFIG = {
  font: 'DejaVu Sans, Helvetica, Arial, sans-serif',
  title: { fontSize: 15, anchor: 'start' as const, subtitleFontSize: 12, subtitleColor: '#555' },
  axis: { labelFontSize: 11, titleFontSize: 12, grid: true, gridColor: '#e6e6e6' },
  legend: { orient: 'bottom' as const, labelLimit: 1000 },
  view: { stroke: '#bbb' },
};

function frame(text: string, subtitle: string) {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: { text, subtitle },
    width: 560,
    height: 300,
    config: CONFIG,
  };
}

/** Each field's distance per week, with each threshold as a dashed line. */
export function driftChart(m: ModelFigures): TopLevelSpec {
  const points = m.weeks.flatMap((w) =>
    w.drift.map((d) => ({ week: w.week, field: d.field, value: d.value, threshold: d.threshold })),
  );
  const thresholds = [...new Set(points.map((p) => p.threshold))].map((threshold) => ({
    threshold,
  }));
  return {
    ...frame(
      `${m.card.name}: drift per week`,
      'L-infinity (categorical), Jensen–Shannon distance (hora, probability); dashed: thresholds',
    ),
    layer: [
      {
        data: { values: points },
        mark: { type: 'line', point: true },
        encoding: {
          x: { field: 'week', type: 'ordinal', title: 'ISO week' },
          y: { field: 'value', type: 'quantitative', title: 'Distance to training' },
          color: { field: 'field', type: 'nominal', title: null },
        },
      },
      {
        data: { values: thresholds },
        mark: { type: 'rule', strokeDash: [4, 4], color: '#c00' },
        encoding: { y: { field: 'threshold', type: 'quantitative' } },
      },
    ],
  };
}

/**
 * Per week: the realized ROC AUC with its interval, the estimated one, and the card's held-out
 * interval scaled to one week (what a week's interval is compared with) as a grey band.
 */
export function performanceChart(m: ModelFigures): TopLevelSpec {
  const { low, high } = scaledInterval(m.card, 'rocAuc', 1);
  const figure = m.card.metrics.rocAuc;
  const points = m.weeks.flatMap((w) => [
    {
      week: w.week,
      figure: 'estimated',
      value: w.estimated.rocAuc,
      ...bounds(w.estimated.rocAucInterval),
    },
    ...(w.realized
      ? [
          {
            week: w.week,
            figure: 'realized',
            value: w.realized.rocAuc,
            ...bounds(w.realized.intervals?.rocAuc),
          },
        ]
      : []),
  ]);
  return {
    ...frame(
      `${m.card.name}: ROC AUC per week`,
      `bars: 95% intervals (days resampled); grey: card's interval scaled to one week; dashed: card`,
    ),
    layer: [
      {
        data: { values: [{ low, high }] },
        mark: { type: 'rect', color: '#ddd', opacity: 0.6 },
        encoding: {
          y: { field: 'low', type: 'quantitative' },
          y2: { field: 'high' },
        },
      },
      {
        data: { values: [{ figure }] },
        mark: { type: 'rule', strokeDash: [4, 4], color: '#777' },
        encoding: { y: { field: 'figure', type: 'quantitative' } },
      },
      {
        data: { values: points },
        mark: { type: 'rule' },
        encoding: {
          x: { field: 'week', type: 'ordinal', title: 'ISO week' },
          xOffset: { field: 'figure' },
          y: { field: 'low', type: 'quantitative', scale: { zero: false }, title: 'ROC AUC' },
          y2: { field: 'high' },
          color: { field: 'figure', type: 'nominal', title: null },
        },
      },
      {
        data: { values: points },
        mark: { type: 'point', filled: true },
        encoding: {
          x: { field: 'week', type: 'ordinal' },
          xOffset: { field: 'figure' },
          y: { field: 'value', type: 'quantitative' },
          color: { field: 'figure', type: 'nominal', title: null },
        },
      },
    ],
  };
}

function bounds(interval: { low: number; high: number } | undefined) {
  return interval ? { low: interval.low, high: interval.high } : {};
}

/** A field's (or the probabilities') shares over the period against the training reference. */
export function sharesChart(m: ModelFigures, drift: Drift): TopLevelSpec {
  const rows = (source: string, shares: Record<string, number>) =>
    Object.entries(shares).map(([value, share]) => ({ value, share, source }));
  const order = Object.keys(drift.reference);
  return {
    ...frame(
      `${m.card.name}: ${drift.field} over the period`,
      `${drift.flights} flights against training, same months weighted alike; ${drift.metric} ${drift.value.toFixed(3)}`,
    ),
    data: { values: [...rows('served', drift.serving), ...rows('training', drift.reference)] },
    mark: { type: 'bar' },
    encoding: {
      x: { field: 'value', type: 'nominal', sort: order, title: drift.field },
      xOffset: { field: 'source' },
      y: { field: 'share', type: 'quantitative', title: 'Share of flights' },
      color: { field: 'source', type: 'nominal', title: null },
    },
  };
}
