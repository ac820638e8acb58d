/**
 * `npm run tune` without the command line: a small cross-validated search on the training split.
 * First the feature study (the schedule model's candidate feature sets at fixed parameters), then
 * a grid over the search parameters for each model's feature set. The lowest out-of-fold log loss
 * wins the feature study; in the grid, the cheapest model to serve within `logLossTolerance` of the
 * lowest wins. The winner's best round becomes the model's number of rounds.
 */
import type { LabelledRows } from './boosting.js';
import type { CvScore, ModelConfig, TrainingConfig, TuningRecord } from './config.js';
import { crossValidate } from './cross-validation.js';
import { featureSet } from './feature-sets.js';
import { evaluate } from './metrics.js';
import { MODEL_NAMES, MODEL_SPECS, type ModelName } from './models.js';
import { silentProgress, withProgress, type Progress } from './progress.js';
import { loadTrainingData, type TrainingData } from './training-data.js';

export interface TuningOptions {
  dataPath: string;
  config: TrainingConfig;
  log?: (line: string) => void;
  progress?: Progress;
}

/** @returns the config with `models` and `tuning` replaced by what the search found. */
export async function tune(options: TuningOptions): Promise<TrainingConfig> {
  const { config } = options;
  const log = options.log ?? (() => {});
  const progress = options.progress ?? silentProgress;
  const data = await loadTrainingData(options.dataPath, config, log);
  const score = (label: string, rows: LabelledRows, grid: Record<string, string>) =>
    withProgress(progress, label, data.folds.length * config.search.maxRounds, (tick) =>
      crossValidationScore(rows, data, { ...config.search.baseParams, ...grid }, config, tick),
    );

  const featureStudy: TuningRecord['featureStudy'] = [];
  for (const setName of MODEL_SPECS.schedule.featureSets) {
    const features = featureSet(setName).names(data.trainRecords);
    const result = score(
      `study ${setName}`,
      data.rows('train', features),
      config.search.studyParams,
    );
    featureStudy.push({ featureSet: setName, features: features.length, ...result });
    log(`study ${setName}: ${describe(result)}`);
  }
  const studyWinner = lowestLogLoss(featureStudy).featureSet;

  const grid: TuningRecord['grid'] = [];
  const models = {} as Record<ModelName, ModelConfig>;
  for (const model of MODEL_NAMES) {
    const setName = model === 'schedule' ? studyWinner : MODEL_SPECS[model].featureSets[0];
    const rows = data.rows('train', featureSet(setName).names(data.trainRecords));
    const tried = combinations(config.search.grid).map((params) => {
      const result = score(`${model} ${describeParams(params)}`, rows, params);
      log(`${model} ${describeParams(params)}: ${describe(result)}`);
      return { model, params, ...result };
    });
    grid.push(...tried);
    const best = cheapestWithin(tried, config.search.logLossTolerance, config.search.baseParams);
    models[model] = {
      featureSet: setName,
      params: { ...config.search.baseParams, ...best.params },
      rounds: best.rounds,
    };
  }
  const { file, sha256 } = data.dataset;
  return {
    ...config,
    models,
    tuning: { data: { file, sha256, trainingRows: data.split.train.length }, featureStudy, grid },
  };
}

function crossValidationScore(
  rows: LabelledRows,
  data: TrainingData,
  params: Record<string, string>,
  config: TrainingConfig,
  onRound: () => void,
): CvScore {
  const cv = crossValidate(rows, data.folds, {
    params,
    rounds: config.search.maxRounds,
    predictAt: 'best',
    onRound,
  });
  const metrics = evaluate(cv.oof, rows.y, 0.5);
  return { rounds: cv.round, logLoss: metrics.logLoss, rocAuc: metrics.rocAuc };
}

/** Every combination of the grid's values, in the grid's key order. */
export function combinations(grid: Record<string, readonly string[]>): Record<string, string>[] {
  return Object.entries(grid).reduce<Record<string, string>[]>(
    (partial, [name, values]) =>
      partial.flatMap((params) => values.map((value) => ({ ...params, [name]: value }))),
    [{}],
  );
}

function lowestLogLoss<T extends CvScore>(scores: readonly T[]): T {
  return scores.reduce((best, s) => (s.logLoss < best.logLoss ? s : best));
}

/**
 * The grid point cheapest to serve among those whose log loss is within `tolerance` of the lowest
 * (ties: the lower log loss). Differences that small are noise to a cross-validated estimate, while
 * a model's trees are what a large request spends its time on (docs/BENCHMARKS.md).
 */
export function cheapestWithin<T extends CvScore & { params: Record<string, string> }>(
  scores: readonly T[],
  tolerance: number,
  baseParams: Record<string, string>,
): T {
  const limit = lowestLogLoss(scores).logLoss + tolerance;
  const cost = (s: T) => servingCost(s.rounds, { ...baseParams, ...s.params });
  return scores
    .filter((s) => s.logLoss <= limit)
    .reduce((best, s) => {
      const difference = cost(s) - cost(best);
      return difference < 0 || (difference === 0 && s.logLoss < best.logLoss) ? s : best;
    });
}

/**
 * What predicting one row costs, up to a constant: a row visits at most `max_depth` nodes in each
 * of the model's trees (XGBoost's default depth is 6).
 */
export function servingCost(rounds: number, params: Record<string, string>): number {
  return rounds * Number(params.max_depth ?? 6);
}

function describe({ rounds, logLoss, rocAuc }: CvScore): string {
  return `${rounds} rounds, CV log loss ${logLoss.toFixed(4)}, ROC AUC ${rocAuc.toFixed(4)}`;
}

function describeParams(params: Record<string, string>): string {
  return Object.entries(params)
    .map(([name, value]) => `${name}=${value}`)
    .join(' ');
}
