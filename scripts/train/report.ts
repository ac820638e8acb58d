/**
 * reports/model-report.md and its SVG charts: how the models compare with the seed's on the
 * untouched test rows, how the threshold was chosen, what data was used or rejected, and what the
 * feature study and hyper-parameter search measured.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { categoryValue } from '../../functions/features.js';
import {
  calibrationChart,
  prChart,
  rateChart,
  renderSvg,
  rocChart,
  type RateRow,
} from './charts.js';
import type { TrainingConfig } from './config.js';
import { featureSet } from './feature-sets.js';
import { formatText } from './formatting.js';
import { calibrationBins, prCurve, rocCurve, sweep, type BinaryMetrics } from './metrics.js';
import type { TrainingRun } from './pipeline.js';
import { servingCost } from './tuning.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Bins of the calibration plot (each holds a tenth of the test rows). */
const CALIBRATION_BINS = 10;

/** A model's test-row results, as the report shows them. */
interface Scored {
  label: string;
  probabilities: Float32Array;
  metrics: BinaryMetrics;
}

/**
 * Renders the charts and writes the report into `dir`.
 * @returns the paths written.
 */
export async function writeReport(
  run: TrainingRun,
  config: TrainingConfig,
  dir: string,
): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const charts = chartSpecs(run);
  const written: string[] = [];
  for (const [file, spec] of Object.entries(charts)) {
    const path = join(dir, file);
    await writeFile(path, await renderSvg(spec));
    written.push(path);
  }
  const path = join(dir, 'model-report.md');
  await writeFile(path, await formatText(markdown(run, config), path, true));
  return [path, ...written];
}

function scored(run: TrainingRun): Scored[] {
  return [
    ...run.models.map((m) => ({
      label: m.name,
      probabilities: m.testProbabilities,
      metrics: m.card.metrics,
    })),
    {
      label: 'seed',
      probabilities: run.baseline.testProbabilities,
      metrics: run.baseline.metrics,
    },
  ];
}

function chartSpecs(run: TrainingRun) {
  const models = scored(run);
  const sweeps = models.map((m) => sweep(m.probabilities, run.testLabels));
  const subtitle = `${run.testLabels.length} untouched test rows`;
  const delayRate = run.testLabels.reduce((a, b) => a + b, 0) / run.testLabels.length;
  const flights = run.dataset.flights;
  const overall = flights.filter((f) => f.delayed).length / flights.length;
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
      models.map((m) => ({
        label: `${m.label}: Brier ${m.metrics.brier.toFixed(4)}`,
        points: calibrationBins(m.probabilities, run.testLabels, CALIBRATION_BINS),
      })),
      `${subtitle}, ${CALIBRATION_BINS} equal-count bins per model`,
    ),
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

function delayRates<T extends { delayed: 0 | 1 }>(
  rows: readonly T[],
  group: (row: T) => string,
): RateRow[] {
  const counts = new Map<string, { flights: number; delayed: number }>();
  for (const row of rows) {
    const key = group(row);
    const count = counts.get(key) ?? { flights: 0, delayed: 0 };
    count.flights++;
    count.delayed += row.delayed;
    counts.set(key, count);
  }
  return [...counts].map(([key, c]) => ({
    group: key,
    rate: c.delayed / c.flights,
    flights: c.flights,
  }));
}

const percent = (share: number) => `${(share * 100).toFixed(1)}%`;

const fixed = (digits: number) => (value: number) => value.toFixed(digits);

function table(header: string[], rows: string[][]): string {
  return [header, header.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
}

function metricsTable(models: Scored[]): string {
  const rows: Array<[string, (m: BinaryMetrics) => string]> = [
    ['ROC AUC ↑', (m) => fixed(4)(m.rocAuc)],
    ['PR AUC (average precision) ↑', (m) => fixed(4)(m.prAuc)],
    ['log loss ↓', (m) => fixed(4)(m.logLoss)],
    ['Brier score ↓', (m) => fixed(4)(m.brier)],
    ['threshold', (m) => fixed(4)(m.threshold)],
    ['precision (delayed)', (m) => fixed(4)(m.precision)],
    ['recall (delayed)', (m) => fixed(4)(m.recall)],
    ['F1 (delayed)', (m) => fixed(4)(m.f1)],
    ['TP / FP', (m) => `${m.confusion.tp} / ${m.confusion.fp}`],
    ['FN / TN', (m) => `${m.confusion.fn} / ${m.confusion.tn}`],
  ];
  return table(
    ['metric', ...models.map((m) => `\`${m.label}\``)],
    rows.map(([name, value]) => [name, ...models.map((m) => value(m.metrics))]),
  );
}

function markdown(run: TrainingRun, config: TrainingConfig): string {
  const models = scored(run);
  const { dataset, split } = run;
  const delayed = dataset.flights.filter((f) => f.delayed).length;
  const rejected = Object.entries(dataset.rejected);
  const k = config.crossValidation.folds;
  return `# Model report

Generated by \`npm run train\` from \`${dataset.file}\` (SHA-256 \`${dataset.sha256}\`). Every figure
below comes from that run, except the feature study and the hyper-parameter search, which
\`npm run tune\` measured${config.tuning ? ` on \`${config.tuning.data.file}\` (SHA-256 \`${config.tuning.data.sha256}\`)` : ''} and recorded in
\`scripts/train/hyperparameters.json\`.

## Results on the untouched test rows

The data was split once, stratified by the label and seeded (test fraction ${config.split.testFraction},
seed ${config.split.seed}), before anything was fitted. The ${split.test.length} test rows played no part
in training, cross-validation, threshold choice or tuning.

${metricsTable(models)}

- \`schedule\` and \`onehot-37\` are this pipeline's models, scored by ONNX Runtime from the exported
  \`models/*.onnx\` files (the exact files the function serves). Each matched XGBoost's own
  predictions on these rows to within ${run.models.map((m) => `${m.parity.toExponential(1)} (${m.name})`).join(', ')}.
- The seed's model (\`models/baseline/seed-xgb-upsampling.model.json\`, exported to ONNX by the same
  exporter) is scored on the same rows, encoded the same way (MES from the scheduled date), at its own
  threshold 0.5. **It was trained on data that includes these rows** (the seed's notebook upsampled
  the delayed class and then split, so test rows leaked into training): its figures are, if
  anything, flattering. It was also trained on a 50/50 upsampled class balance, so its probabilities
  overstate the delay rate, which is what its log loss and Brier score measure.
- ↑: higher is better; ↓: lower is better. Precision, recall and F1 are those of the delayed class at
  the model's threshold.

## Threshold rule

No resampling: the models are fitted on the data as it is, so their probabilities stay calibrated.
The class imbalance (${((100 * delayed) / dataset.flights.length).toFixed(1)}% delayed) is handled by the
decision threshold instead. For each model, ${k}-fold stratified cross-validation on the
${split.train.length} training-split rows gives every training row a probability from a model that did
not see it (out-of-fold); the threshold is the probability that maximises the F1 score of the delayed
class over those predictions. A flight is called delayed when its probability is ≥ the threshold.

${table(
  ['model', 'threshold', 'out-of-fold F1', 'test F1'],
  run.models.map((m) => [
    `\`${m.name}\``,
    fixed(4)(m.card.threshold.value),
    fixed(4)(m.outOfFoldF1),
    fixed(4)(m.card.metrics.f1),
  ]),
)}

## Data

${table(
  ['', 'rows'],
  [
    ['read', String(dataset.read)],
    ['used', String(dataset.flights.length)],
    ...rejected.map(([reason, count]) => [`rejected: ${reason}`, String(count)]),
    ['training split', String(split.train.length)],
    ['test split', String(split.test.length)],
    [
      'delayed (> 15 min), all used rows',
      `${delayed} (${((100 * delayed) / dataset.flights.length).toFixed(2)}%)`,
    ],
  ],
)}

A row is rejected, and counted under the first reason that applies, when it has a different number of
fields than the header, an empty required field, a \`Fecha-I\` or \`Fecha-O\` that is not a valid
\`YYYY-MM-DD HH:MM:SS\` time, or a \`TIPOVUELO\` other than \`I\`/\`N\`. The label is \`atraso_15\`:
\`Fecha-O\` − \`Fecha-I\` > 15 minutes.

## Charts

### ROC curve

![ROC curve](roc.svg)

Each curve follows one model as its threshold falls from 1 to 0: the x axis is the share of on-time
flights it would flag, the y axis the share of delayed flights it would catch. A curve higher and
further left ranks flights better; the dashed diagonal is a random ranking. The area under the curve
(AUC, in the legend) is the probability that a random delayed flight gets a higher score than a random
on-time one. It ignores calibration and the threshold.

### Precision–recall curve

![Precision–recall curve](precision-recall.svg)

Same sweep, seen from the flights flagged: for each recall (share of delayed flights caught) the
precision (share of flagged flights that really were delayed). The dashed line is the delay rate,
what flagging at random achieves. With a rare positive class this view shows differences the ROC
curve compresses. AP (average precision) summarises it.

### Calibration

![Calibration](calibration.svg)

Test rows are sorted by each model's probability and cut into ${CALIBRATION_BINS} bins of equal size; each
point is one bin: its mean predicted probability (x) against the share of its flights that were
delayed (y). Points on the dashed diagonal mean the probabilities can be read at face value ("30%"
means 3 flights in 10 are late). Points below it mean the model overstates the risk.

### Delay rate by airline and by month

![Delay rate by airline](delay-by-airline.svg)

![Delay rate by month](delay-by-month.svg)

Descriptive statistics of the data (all used rows, not a model): each bar is the share of a group's
flights that left more than 15 minutes late, labelled with that share and the number of flights it
rests on; the dashed red line is the rate over all flights. Rates resting on few flights (small counts)
are noisy. The month is that of the scheduled date (\`Fecha-I\`), as the models see it.

${featureStudy(config)}

${gridSection(config)}

## Models

${table(
  ['model', 'feature set', 'features', 'rounds', 'parameters'],
  run.models.map((m) => [
    `\`${m.name}\``,
    `\`${config.models[m.name].featureSet}\``,
    String(m.card.features.length),
    String(m.card.training.rounds),
    Object.entries(m.card.training.params)
      .map(([name, value]) => `${name}=${value}`)
      .join(', '),
  ]),
)}

XGBoost ${run.models[0]?.card.training.xgboostVersion ?? ''} (libxgboost through koffi), \`hist\` trees,
no resampling; fixed seeds (split, folds, XGBoost \`seed\`, which drives row and column subsampling).
Training the same data twice gives byte-identical models, and so does training with 1 or 2 threads
(\`test/scripts/train/boosting.test.ts\`); \`nthread=1\` is set anyway because on a busy 2-core
machine OpenMP threads competing with other processes made training several times slower.

## Reproduce

\`\`\`sh
npm run tune -- --data PATH/${dataset.file}    # rewrite scripts/train/hyperparameters.json
npm run train -- --data PATH/${dataset.file}   # models/*.onnx, models/*.json, this report
npm run train -- --data PATH/${dataset.file} --check   # retrain, compare with models/, fail on a difference
\`\`\`
`;
}

function featureStudy(config: TrainingConfig): string {
  const study = config.tuning?.featureStudy;
  if (!study) return '## Feature study\n\nNot measured yet: run `npm run tune`.';
  const params = Object.entries(config.search.studyParams)
    .map(([n, v]) => `${n}=${v}`)
    .join(', ');
  const chosen = config.models.schedule.featureSet;
  return `## Feature study (\`schedule\`)

Candidate feature sets for the \`schedule\` model, compared by ${config.crossValidation.folds}-fold
stratified cross-validation on the ${config.tuning?.data.trainingRows} training-split rows at ${params}
(plus the base parameters), each with its best number of rounds (up to ${config.search.maxRounds}). The
sets grow the seed's columns one group at a time; \`numeric-calendar\` encodes month, weekday and hour
as numbers. Every feature is derived from \`OPERA\`, \`TIPOVUELO\`, \`SIGLADES\` and \`Fecha-I\` through
\`flightEncoder\`, as in serving. The chosen set (lowest log loss) is marked.

${table(
  ['feature set', 'what it adds', 'features', 'rounds', 'CV log loss', 'CV ROC AUC'],
  study.map((s) => [
    `\`${s.featureSet}\`${s.featureSet === chosen ? ' **(chosen)**' : ''}`,
    featureSet(s.featureSet).description,
    String(s.features),
    String(s.rounds),
    fixed(4)(s.logLoss),
    fixed(4)(s.rocAuc),
  ]),
)}

Log-loss differences of a few ten-thousandths are within the noise of a
${config.crossValidation.folds}-fold estimate (the grid below shows such spreads between
near-identical settings).

Not tried on purpose: day of month and day of year. With a single year of data split at random, they
let the model memorise particular days (a storm, a strike) that reappear in the test rows but not in
next year's flights, flattering the test figures.`;
}

function gridSection(config: TrainingConfig): string {
  const grid = config.tuning?.grid;
  if (!grid) return '## Hyper-parameter search\n\nNot run yet: run `npm run tune`.';
  const names = Object.keys(config.search.grid);
  return `## Hyper-parameter search

Every combination of ${names.map((n) => `\`${n}\` ∈ {${config.search.grid[n]!.join(', ')}}`).join(' and ')}
on each model's feature set, by the same cross-validation; the number of rounds is the one with the
lowest mean validation log loss (up to ${config.search.maxRounds}). Grid points within
${config.search.logLossTolerance} of the lowest log loss count as equally good — settings that differ only in
\`min_child_weight\` land a few ten-thousandths apart, the noise of this estimate — and among them the
one cheapest to serve wins: fewest rounds × \`max_depth\`, the most tree nodes a flight visits, which
is what a 10,000-flight request spends most of its time on
([docs/BENCHMARKS.md](../docs/BENCHMARKS.md)).

${table(
  ['model', ...names, 'rounds', 'rounds × depth', 'CV log loss', 'CV ROC AUC'],
  grid.map((g) => {
    const chosen = names.every((n) => config.models[g.model].params[n] === g.params[n]);
    return [
      `\`${g.model}\`${chosen ? ' **(chosen)**' : ''}`,
      ...names.map((n) => g.params[n] ?? ''),
      String(g.rounds),
      String(servingCost(g.rounds, { ...config.search.baseParams, ...g.params })),
      fixed(4)(g.logLoss),
      fixed(4)(g.rocAuc),
    ];
  }),
)}`;
}
