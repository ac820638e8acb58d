/**
 * The report's charts as Vega-Lite specs, rendered in Node (Vega-Lite → Vega → SVG with
 * View.toSVG; no browser, no canvas).
 */
import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { CalibrationBin } from '../metrics.js';
import { percent } from './numbers.js';

/** Renders a Vega-Lite spec to SVG text. */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new View(parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** One model's curve or bins, labelled for the legend. */
export interface Series<T> {
  label: string;
  points: T[];
}

const WIDTH = 440;
const HEIGHT = 360;
const FONT = { font: 'DejaVu Sans, Helvetica, Arial, sans-serif' };
const CONFIG = {
  font: FONT.font,
  title: { fontSize: 15, anchor: 'start' as const, subtitleFontSize: 12, subtitleColor: '#555' },
  axis: { labelFontSize: 11, titleFontSize: 12, grid: true, gridColor: '#e6e6e6' },
  // Below the plot so that it never hides a curve. Without a canvas Vega estimates text widths
  // generously, so a large label limit keeps legend labels from being cut.
  legend: {
    labelFontSize: 12,
    orient: 'bottom' as const,
    direction: 'vertical' as const,
    labelLimit: 1000,
  },
  view: { stroke: '#bbb' },
};

/** What every chart of the report shares: Vega-Lite version, title, size and style. */
function frame(text: string, subtitle: string, width = WIDTH, height = HEIGHT) {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: { text, subtitle },
    width,
    height,
    config: CONFIG,
  };
}

/** A curve drawn as a line needs far fewer points than a sweep yields; keeps ends and shape. */
export function thin<T>(points: readonly T[], max = 400): T[] {
  if (points.length <= max) return [...points];
  const step = (points.length - 1) / (max - 1);
  return Array.from({ length: max }, (_, i) => points[Math.round(i * step)]!);
}

function flatten<T extends object>(series: ReadonlyArray<Series<T>>): Array<T & { model: string }> {
  return series.flatMap(({ label, points }) => thin(points).map((p) => ({ ...p, model: label })));
}

/** Each model's colour, the same in every chart; a label starts with the model's name. */
const MODEL_COLORS: Readonly<Record<string, string>> = {
  'onehot-37': '#1f77b4',
  schedule: '#ff7f0e',
  nowcast: '#2ca02c',
  seed: '#7f7f7f',
};

const modelColor = (labels: string[]) => ({
  field: 'model',
  type: 'nominal' as const,
  title: null,
  sort: labels,
  scale: {
    domain: labels,
    range: labels.map((label) => MODEL_COLORS[label.split(/[ :]/)[0]!] ?? '#9467bd'),
  },
});

const unitAxis = (title: string) => ({
  type: 'quantitative' as const,
  title,
  scale: { domain: [0, 1] },
});

/** The dashed y = x line from (0, 0) to (top, top): a random ranking, or perfect calibration. */
function diagonal(top: number) {
  return {
    data: {
      values: [
        { x: 0, y: 0 },
        { x: top, y: top },
      ],
    },
    mark: { type: 'line' as const, strokeDash: [4, 4], color: '#999' },
    encoding: {
      x: { field: 'x', type: 'quantitative' as const },
      y: { field: 'y', type: 'quantitative' as const },
    },
  };
}

/** ROC curves with the chance diagonal. */
export function rocChart(
  series: ReadonlyArray<Series<{ fpr: number; tpr: number }>>,
  subtitle: string,
): TopLevelSpec {
  const labels = series.map((s) => s.label);
  return {
    ...frame('ROC curve', subtitle),
    layer: [
      diagonal(1),
      {
        data: { values: flatten(series) },
        // Straight segments between thresholds: rows tied on a score move the curve diagonally.
        mark: { type: 'line', strokeWidth: 2 },
        encoding: {
          x: { field: 'fpr', ...unitAxis('False positive rate') },
          y: { field: 'tpr', ...unitAxis('True positive rate') },
          color: modelColor(labels),
          order: { field: 'fpr' },
        },
      },
    ],
  };
}

/** Precision–recall curves with the no-skill line at the delay rate. */
export function prChart(
  series: ReadonlyArray<Series<{ recall: number; precision: number }>>,
  delayRate: number,
  subtitle: string,
): TopLevelSpec {
  const labels = series.map((s) => s.label);
  return {
    ...frame('Precision–recall curve', subtitle),
    layer: [
      {
        data: {
          values: [{ y: delayRate, label: `delay rate ${delayRate.toFixed(3)} (no skill)` }],
        },
        layer: [
          {
            mark: { type: 'rule', strokeDash: [4, 4], color: '#999' },
            encoding: { y: { field: 'y', type: 'quantitative' } },
          },
          {
            mark: {
              type: 'text',
              // Left end: the curves run high there, far from the no-skill line.
              align: 'left',
              dy: -7,
              color: '#666',
              fontSize: 11,
              x: 4,
            },
            encoding: { y: { field: 'y', type: 'quantitative' }, text: { field: 'label' } },
          },
        ],
      },
      {
        data: { values: flatten(series) },
        mark: { type: 'line', strokeWidth: 2 },
        encoding: {
          x: { field: 'recall', ...unitAxis('Recall') },
          y: {
            field: 'precision',
            ...unitAxis('Precision'),
          },
          color: modelColor(labels),
          order: { field: 'recall' },
        },
      },
    ],
  };
}

/** Observed delay rate against mean predicted probability, per bin, with the diagonal. */
export function calibrationChart(
  series: ReadonlyArray<Series<CalibrationBin>>,
  subtitle: string,
): TopLevelSpec {
  const labels = series.map((s) => s.label);
  const values = flatten(series);
  const top = Math.min(
    1,
    Math.ceil(Math.max(...values.flatMap((v) => [v.predicted, v.observed])) * 10 + 0.5) / 10,
  );
  const axis = (title: string) => ({
    type: 'quantitative' as const,
    title,
    scale: { domain: [0, top] },
  });
  return {
    ...frame('Reliability diagram (calibration)', subtitle),
    layer: [
      diagonal(top),
      {
        data: { values },
        mark: { type: 'line', point: { size: 40 }, strokeWidth: 2 },
        encoding: {
          x: { field: 'predicted', ...axis('Mean predicted probability') },
          y: { field: 'observed', ...axis('Observed delay rate') },
          color: modelColor(labels),
          order: { field: 'predicted' },
        },
      },
    ],
  };
}

/** The text mark properties the bar labels use. */
interface TextMark {
  type: 'text';
  align?: 'left';
  baseline?: 'top' | 'bottom';
  dx?: number;
  dy?: number;
  fontSize: number;
  color?: string;
}

/** One bar: a group's delay rate and how many flights it rests on. */
export interface RateRow {
  group: string;
  rate: number;
  flights: number;
}

/**
 * Delay rate per group as bars in the order given, each labelled with its rate and flight count,
 * and the overall rate as a dashed rule. Horizontal bars suit many long names (airlines),
 * vertical bars a short ordered axis (months).
 */
export function rateChart(
  rows: readonly RateRow[],
  options: {
    title: string;
    subtitle: string;
    groupTitle: string;
    overall: number;
    orientation: 'horizontal' | 'vertical';
  },
): TopLevelSpec {
  const horizontal = options.orientation === 'horizontal';
  const group = {
    field: 'group',
    type: 'nominal' as const,
    title: options.groupTitle,
    sort: rows.map((r) => r.group),
    axis: { labelLimit: 1000, labelAngle: 0 },
  };
  const rate = {
    field: 'rate',
    type: 'quantitative' as const,
    title: 'Share of flights more than 15 min late',
    axis: { format: '.0%' },
  };
  const position = horizontal ? { y: group, x: rate } : { x: group, y: rate };
  const values = rows.map((r) => ({
    ...r,
    percent: percent(r.rate, 0),
    label: `${percent(r.rate, 0)} of ${r.flights}`,
  }));
  // Horizontal bars have room for "61% of 49" beside them; vertical ones get the rate above the
  // bar and the flight count inside its top.
  const labels: Array<{ mark: TextMark; text: keyof (typeof values)[number] }> = horizontal
    ? [{ mark: { type: 'text', align: 'left', dx: 4, fontSize: 10 }, text: 'label' }]
    : [
        { mark: { type: 'text', baseline: 'bottom', dy: -3, fontSize: 11 }, text: 'percent' },
        {
          mark: { type: 'text', baseline: 'top', dy: 4, fontSize: 9, color: 'white' },
          text: 'flights',
        },
      ];
  return {
    ...frame(
      options.title,
      options.subtitle,
      horizontal ? WIDTH : WIDTH + 80,
      horizontal ? rows.length * 20 : HEIGHT,
    ),
    // Bars, then the overall rule, then the labels, so that the rule never crosses a label.
    layer: [
      { data: { values }, mark: { type: 'bar', color: '#4c78a8' }, encoding: position },
      {
        data: { values: [{ overall: options.overall }] },
        mark: { type: 'rule', strokeDash: [4, 4], color: '#d62728' },
        encoding: {
          [horizontal ? 'x' : 'y']: { field: 'overall', type: 'quantitative' },
        },
      },
      ...labels.map(({ mark, text }) => ({
        data: { values },
        mark,
        encoding: { ...position, text: { field: text } },
      })),
    ],
  };
}

/** One model's mean |contribution| per field, for the importance chart. */
export interface ImportanceRow {
  model: string;
  field: string;
  meanAbsContribution: number;
}

/** Mean |contribution| per input field as horizontal bars, one bar per model beside each field. */
export function importanceChart(rows: readonly ImportanceRow[], subtitle: string): TopLevelSpec {
  const models = [...new Set(rows.map((r) => r.model))];
  const fields = [...new Set(rows.map((r) => r.field))];
  return {
    ...frame(
      'What moves predictions: mean |contribution| per input field',
      subtitle,
      WIDTH,
      fields.length * 34,
    ),
    data: { values: [...rows] },
    mark: { type: 'bar' },
    encoding: {
      y: {
        field: 'field',
        type: 'nominal',
        title: 'Input field',
        sort: fields,
        axis: { labelLimit: 1000 },
      },
      yOffset: { field: 'model', sort: models },
      x: {
        field: 'meanAbsContribution',
        type: 'quantitative',
        title: 'Mean |contribution| (log-odds)',
      },
      color: modelColor(models),
    },
  };
}

/** A field's mean contribution per value as bars around zero (raising the odds right, lowering left). */
export function valueContributionChart(
  rows: ReadonlyArray<{ value: string; meanContribution: number; rows: number }>,
  options: { title: string; subtitle: string; valueTitle: string },
): TopLevelSpec {
  const values = rows.map((r) => ({ ...r, sign: r.meanContribution >= 0 ? 'raises' : 'lowers' }));
  return {
    ...frame(options.title, options.subtitle, WIDTH + 80, HEIGHT),
    data: { values },
    mark: { type: 'bar' },
    encoding: {
      x: {
        field: 'value',
        type: 'ordinal',
        title: options.valueTitle,
        sort: rows.map((r) => r.value),
        axis: { labelAngle: rows.length > 12 ? -45 : 0, labelLimit: 1000 },
      },
      y: { field: 'meanContribution', type: 'quantitative', title: 'Mean contribution (log-odds)' },
      color: {
        field: 'sign',
        type: 'nominal',
        title: 'the odds of a delay',
        scale: { domain: ['raises', 'lowers'], range: ['#d62728', '#2ca02c'] },
      },
      tooltip: [
        { field: 'value' },
        { field: 'meanContribution', format: '.3f' },
        { field: 'rows' },
      ],
    },
  };
}
