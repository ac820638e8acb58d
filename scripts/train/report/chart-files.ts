/** The report's charts, by file name: each a Vega-Lite spec drawn from the run's figures. */
import type { TopLevelSpec } from 'vega-lite';
import { categoryValue } from '../../../functions/features.js';
import { contributionsByValue } from '../importance.js';
import { calibrationBins, prCurve, rocCurve, sweep, type CalibrationBin } from '../metrics.js';
import type { TrainingRun } from '../pipeline.js';
import {
  calibrationChart,
  type Series,
  importanceChart,
  prChart,
  rateChart,
  rocChart,
  valueContributionChart,
} from './charts.js';
import {
  airportStateCalibrationFile,
  airportStatePair,
  CALIBRATION_BINS,
  delayRates,
  labelled,
  modelLabel,
  MONTHS,
  overallDelayRate,
  scheduleTopFields,
  servedAndSeed,
  valueChartFile,
  type LabelledScore,
} from './data.js';
import { percent } from './numbers.js';

/** Axis titles of the per-value charts, for fields whose name says little. */
const VALUE_TITLES: Readonly<Record<string, string>> = {
  hora: 'Scheduled hour (Santiago)',
  MES: 'Month of the scheduled date (a month with no held-out week has no bar)',
  DIANOM: 'Weekday of the scheduled date',
};

export function chartFiles(run: TrainingRun): Record<string, TopLevelSpec> {
  const models = servedAndSeed(run);
  const sweeps = models.map((m) => sweep(m.probabilities, run.testLabels));
  const subtitle = `${run.testLabels.length} test rows of ${run.split.testWeeks.length} held-out ISO weeks`;
  const delayRate = run.testLabels.reduce((a, b) => a + b, 0) / run.testLabels.length;
  const flights = run.dataset.flights;
  const overall = overallDelayRate(run);
  return {
    'roc.svg': rocChart(
      models.map((m, i) => ({
        label: `${m.label}: AUC ${m.metrics.rocAuc.toFixed(3)}`,
        points: rocCurve(sweeps[i]!),
      })),
      subtitle,
    ),
    'precision-recall.svg': prChart(
      models.map((m, i) => ({
        label: `${m.label}: AP ${m.metrics.prAuc.toFixed(3)}`,
        points: prCurve(sweeps[i]!),
      })),
      delayRate,
      subtitle,
    ),
    'calibration.svg': calibrationChart(
      models.map((m) => calibrationSeries(m, run.testLabels)),
      `${subtitle}, ${CALIBRATION_BINS} equal-count bins per model`,
    ),
    ...airportStateCharts(run, subtitle),
    'field-importance.svg': importanceChart(
      run.models.flatMap((m) =>
        m.importance.map(({ field, meanAbsContribution }) => ({
          model: m.name,
          field,
          meanAbsContribution,
        })),
      ),
      `${subtitle}; exact TreeSHAP, one-hot columns summed per field`,
    ),
    ...topFieldCharts(run, subtitle),
    'delay-by-airline.svg': rateChart(
      delayRates(flights, (f) => f.record.OPERA).sort((a, b) => b.rate - a.rate),
      {
        title: 'Delay rate by airline',
        subtitle: `${flights.length} flights; dashed red: all flights, ${percent(overall)}`,
        groupTitle: 'Airline (OPERA)',
        overall,
        orientation: 'horizontal',
      },
    ),
    'delay-by-month.svg': rateChart(
      delayRates(flights, (f) => MONTHS[Number(categoryValue('MES', f.record)) - 1]!).sort(
        (a, b) => MONTHS.indexOf(a.group) - MONTHS.indexOf(b.group),
      ),
      {
        title: 'Delay rate by month of the scheduled date',
        subtitle: `${flights.length} flights, count in each bar; red: all, ${percent(overall)}`,
        groupTitle: 'Month of Fecha-I',
        overall,
        orientation: 'vertical',
      },
    ),
  };
}

function calibrationSeries(model: LabelledScore, labels: Float32Array): Series<CalibrationBin> {
  const { ece, brier } = model.metrics;
  return {
    label: `${model.label}: ECE ${ece.toFixed(4)}, Brier ${brier.toFixed(4)}`,
    points: calibrationBins(model.probabilities, labels, CALIBRATION_BINS),
  };
}

/**
 * The reliability diagram of the model reading the airport's state at the headline horizon,
 * beside the model it is compared with on the same flights.
 */
function airportStateCharts(run: TrainingRun, subtitle: string): Record<string, TopLevelSpec> {
  const pair = airportStatePair(run);
  if (!pair) return {};
  return {
    [airportStateCalibrationFile(pair.model)]: calibrationChart(
      [pair.model, pair.comparedWith].map((m) =>
        calibrationSeries(labelled(modelLabel(m), m), run.testLabels),
      ),
      `${subtitle}, ${CALIBRATION_BINS} equal-count bins per model`,
    ),
  };
}

/**
 * For the schedule model's top fields, the mean contribution per value: hours of the day in
 * order, categories from the value that raises the odds most to the one that lowers them most.
 */
function topFieldCharts(run: TrainingRun, subtitle: string): Record<string, TopLevelSpec> {
  const top = scheduleTopFields(run);
  if (!top) return {};
  return Object.fromEntries(
    top.fields.map((field) => {
      const hourly = field === 'hora';
      const rows = contributionsByValue(top.model.testExplanations, field, (value) =>
        hourly ? value.slice(0, 2) : value,
      );
      const numeric = rows.every((r) => /^\d+$/.test(r.value));
      const ordered = numeric
        ? rows
        : [...rows].sort((a, b) => b.meanContribution - a.meanContribution);
      return [
        valueChartFile(field),
        valueContributionChart(ordered, {
          title: `schedule: contribution of ${field}${hourly ? ' across the day' : ' per value'}`,
          subtitle: `${subtitle}; mean over the flights with each value`,
          valueTitle: VALUE_TITLES[field] ?? field,
        }),
      ];
    }),
  );
}
