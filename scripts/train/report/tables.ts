/** The report's tables, each built from the run's figures or the recorded tuning. */
import type { TrainingConfig } from '../config.js';
import type { FoldSummary } from '../cross-validation.js';
import type { Dataset } from '../dataset.js';
import { CANDIDATE_FEATURES, choiceLabel, featureSet } from '../feature-sets.js';
import type { ThresholdFreeMetrics } from '../metrics.js';
import type { ModelName } from '../models.js';
import type { TrainingRun } from '../pipeline.js';
import type { WeekSplit } from '../split.js';
import type { FieldDistribution } from '../training-distribution.js';
import { servingCost } from '../tuning.js';
import type { LabelledScore } from './data.js';
import { code, table } from './markdown.js';
import { fixed, percent, signed, withInterval } from './numbers.js';

/** Every figure of each model on the held-out weeks. */
export function metricsTable(models: readonly LabelledScore[]): string {
  const rows: Array<[string, (m: LabelledScore) => string]> = [
    ['ROC AUC ↑', (m) => withInterval(m.metrics.rocAuc, m.intervals.rocAuc)],
    ['PR AUC (average precision) ↑', (m) => withInterval(m.metrics.prAuc, m.intervals.prAuc)],
    ['log loss ↓', (m) => withInterval(m.metrics.logLoss, m.intervals.logLoss)],
    ['Brier score ↓', (m) => withInterval(m.metrics.brier, m.intervals.brier)],
    ['ECE (10 bins) ↓', (m) => withInterval(m.metrics.ece, m.intervals.ece)],
    ['threshold', (m) => fixed(m.metrics.threshold)],
    ['precision (delayed)', (m) => fixed(m.metrics.precision)],
    ['recall (delayed)', (m) => fixed(m.metrics.recall)],
    ['F1 (delayed)', (m) => fixed(m.metrics.f1)],
    ['TP / FP', (m) => `${m.metrics.confusion.tp} / ${m.metrics.confusion.fp}`],
    ['FN / TN', (m) => `${m.metrics.confusion.fn} / ${m.metrics.confusion.tn}`],
  ];
  return table(
    ['metric', ...models.map((m) => code(m.label))],
    rows.map(([name, value]) => [name, ...models.map(value)]),
  );
}

/** Each model's threshold-free figures on the held-out weeks beside those on a row split. */
export function rowSplitTable(run: TrainingRun): string {
  const rows: Array<[string, (m: ThresholdFreeMetrics) => number]> = [
    ['ROC AUC ↑', (m) => m.rocAuc],
    ['PR AUC ↑', (m) => m.prAuc],
    ['log loss ↓', (m) => m.logLoss],
    ['Brier score ↓', (m) => m.brier],
    ['ECE ↓', (m) => m.ece],
  ];
  return table(
    [
      'metric',
      ...run.models.flatMap((m) => [
        `${code(m.name)}, held-out weeks`,
        `${code(m.name)}, row split`,
      ]),
    ],
    rows.map(([name, value]) => [
      name,
      ...run.models.flatMap((m) => [fixed(value(m.metrics)), fixed(value(m.rowSplit))]),
    ]),
  );
}

/** Cross-validation's spread over the folds beside the held-out figures. */
export function foldTable(run: TrainingRun): string {
  const range = (r: FoldSummary['rocAuc']) => `${fixed(r.mean)} (${fixed(r.min)}–${fixed(r.max)})`;
  return table(
    [
      'model',
      'CV ROC AUC, mean (range)',
      'CV log loss, mean (range)',
      'held-out ROC AUC',
      'held-out log loss',
    ],
    run.models.map((m) => [
      code(m.name),
      range(m.folds.rocAuc),
      range(m.folds.logLoss),
      fixed(m.metrics.rocAuc),
      fixed(m.metrics.logLoss),
    ]),
  );
}

/** Each model's calibration step and what it did to the log loss. */
export function calibrationTable(run: TrainingRun): string {
  return table(
    [
      'model',
      'step',
      'slope',
      'intercept',
      'out-of-fold log loss without → with',
      'held-out log loss without → served',
      'held-out ECE',
    ],
    run.models.map((m) => [
      code(m.name),
      m.calibration.used ? 'Platt (in the ONNX trees)' : 'none',
      fixed(m.calibration.platt.slope),
      fixed(m.calibration.platt.intercept),
      `${fixed(m.calibration.rawLogLoss, 5)} → ${fixed(m.calibration.calibratedLogLoss, 5)}`,
      `${fixed(m.uncalibratedLogLoss, 5)} → ${fixed(m.metrics.logLoss, 5)}`,
      withInterval(m.metrics.ece, m.intervals.ece),
    ]),
  );
}

/** Each model's threshold and its F1 where it was chosen and on the held-out weeks. */
export function thresholdTable(run: TrainingRun): string {
  return table(
    ['model', 'threshold', 'out-of-fold F1', 'held-out F1'],
    run.models.map((m) => [
      code(m.name),
      fixed(m.card.threshold.value),
      fixed(m.threshold.f1),
      fixed(m.metrics.f1),
    ]),
  );
}

/** The rows read, used and rejected, and how they were split. */
export function dataTable(dataset: Dataset, split: WeekSplit): string {
  const delayed = dataset.flights.filter((f) => f.delayed).length;
  return table(
    ['', 'rows'],
    [
      ['read', String(dataset.read)],
      ['used', String(dataset.flights.length)],
      ...Object.entries(dataset.rejected).map(([reason, count]) => [
        `rejected: ${reason}`,
        String(count),
      ]),
      ['training weeks', `${split.train.length} (${split.trainWeeks.length} weeks)`],
      ['held-out test weeks', `${split.test.length} (${split.testWeeks.length} weeks)`],
      [
        'delayed (> 15 min), all used rows',
        `${delayed} (${percent(delayed / dataset.flights.length, 2)})`,
      ],
    ],
  );
}

/**
 * Each model's training distribution as its card holds it: per field (and the probability) how
 * many values or bins, and the most frequent one with its share.
 */
export function trainingDistributionTable(run: TrainingRun): string {
  return table(
    ['model', 'field', 'kind', 'values or bins', 'most frequent'],
    run.models.flatMap(({ name, card }) => {
      const { fields, probability } = card.trainingDistribution;
      return [...Object.entries(fields), ['probability', probability] as const].map(
        ([field, distribution]) => [
          code(name),
          field,
          distribution.kind,
          String(Object.keys(distribution.counts).length),
          mostFrequent(distribution, card.trainingDistribution.rows),
        ],
      );
    }),
  );
}

function mostFrequent(distribution: FieldDistribution, rows: number): string {
  const entries = Object.entries(distribution.counts);
  const [key, count] = entries.reduce((best, entry) => (entry[1] > best[1] ? entry : best));
  const label =
    distribution.kind === 'categorical'
      ? key
      : `[${distribution.edges[Number(key)]}, ${distribution.edges[Number(key) + 1]})`;
  return `${label} (${percent(count / rows)})`;
}

/** What each model was trained on and with. */
export function modelsTable(run: TrainingRun, config: TrainingConfig): string {
  return table(
    ['model', 'features', 'columns', 'rounds', 'parameters'],
    run.models.map((m) => [
      code(m.name),
      code(choiceLabel(config.models[m.name])),
      String(m.card.features.length),
      String(m.card.training.rounds),
      Object.entries(m.card.training.params)
        .map(([name, value]) => `${name}=${value}`)
        .join(', '),
    ]),
  );
}

/**
 * The feature study `npm run tune` recorded: each row's cross-validated figures and their change
 * against the set it grows (Δ).
 */
export function featureStudyTable(
  config: TrainingConfig,
  study: NonNullable<TrainingConfig['tuning']>['featureStudy'],
): string {
  const chosen = choiceLabel(config.models.schedule);
  const reference = config.plainBaseline.featureSets.schedule;
  const bare = (set: string) =>
    study.find((s) => s.featureSet === set && s.extraFeatures.length === 0);
  return table(
    [
      'features',
      'what it adds',
      'columns',
      'rounds',
      'CV log loss',
      'Δ log loss',
      'CV ROC AUC',
      'Δ ROC AUC',
    ],
    study.map((s) => {
      const base = s.extraFeatures.length === 0 ? bare(reference) : bare(s.featureSet);
      const label = choiceLabel(s);
      return [
        `${code(label)}${label === chosen ? ' **(chosen)**' : ''}`,
        s.extraFeatures.length === 0
          ? featureSet(s.featureSet).description
          : s.extraFeatures.map((f) => CANDIDATE_FEATURES[f] ?? f).join('; '),
        String(s.features),
        String(s.rounds),
        fixed(s.logLoss),
        base ? signed(s.logLoss - base.logLoss) : '',
        fixed(s.rocAuc),
        base ? signed(s.rocAuc - base.rocAuc) : '',
      ];
    }),
  );
}

/** The hyper-parameter grid `npm run tune` recorded, after the plain configuration's scores. */
export function gridTable(
  config: TrainingConfig,
  { grid, reference }: Pick<NonNullable<TrainingConfig['tuning']>, 'grid' | 'reference'>,
): string {
  const names = Object.keys(config.search.grid);
  const { plainBaseline, search } = config;
  const serves = (model: ModelName, params: Record<string, string>, rounds: number) =>
    config.models[model].rounds === rounds &&
    Object.entries(params).every(([n, v]) => config.models[model].params[n] === v);
  const row = (
    model: ModelName,
    params: Record<string, string>,
    score: { rounds: number; logLoss: number; rocAuc: number },
    label = '',
  ) => [
    `${code(model)}${label}${serves(model, params, score.rounds) ? ' **(chosen)**' : ''}`,
    ...names.map((n) => params[n] ?? ''),
    String(score.rounds),
    String(servingCost(score.rounds, { ...search.baseParams, ...params })),
    fixed(score.logLoss),
    fixed(score.rocAuc),
  ];
  return table(
    ['model', ...names, 'rounds', 'rounds × depth', 'CV log loss', 'CV ROC AUC'],
    [
      ...reference.map((r) => row(r.model, plainBaseline.params, r, ' plain configuration')),
      ...grid.map((g) => row(g.model, g.params, g)),
    ],
  );
}
