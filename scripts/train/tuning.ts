/**
 * `npm run tune` without the command line: a small search on the training weeks, every score a
 * cross-validation grouped by ISO week. First the feature study at fixed parameters: the schedule
 * model's feature sets, then the best of them with each candidate feature added (a candidate is
 * kept only if it lowers the log loss; the kept ones are also tried together), the lowest log loss
 * winning. Then a grid over the search parameters for each model's features, beside the plain
 * configuration of the baselines: a grid point replaces the plain configuration only if it beats it
 * by more than `logLossTolerance`; then the cheapest model to serve within that tolerance of the
 * lowest log loss wins, its best round becoming the model's number of rounds.
 */
import type { LabelledRows } from './boosting.js';
import type { CvScore, ModelConfig, TrainingConfig, TuningRecord } from './config.js';
import { crossValidate } from './cross-validation.js';
import {
  CANDIDATE_FEATURES,
  choiceLabel,
  choiceNames,
  type FeatureChoice,
} from './feature-sets.js';
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
  const { maxRounds } = config.search;
  const score = (label: string, rows: LabelledRows, grid: Record<string, string>) =>
    withProgress(progress, label, data.folds.length * maxRounds, (tick) =>
      crossValidationScore(rows, data, { ...config.search.baseParams, ...grid }, maxRounds, tick),
    );

  const study = (choice: FeatureChoice) => {
    const features = choiceNames(choice, data.trainRecords);
    const label = `study ${choiceLabel(choice)}`;
    const result = score(label, data.rows(data.split.train, features), config.search.studyParams);
    log(`${label}: ${describe(result)}`);
    return {
      ...choice,
      extraFeatures: [...choice.extraFeatures],
      features: features.length,
      ...result,
    };
  };
  const sets = MODEL_SPECS.schedule.featureSets.map((set) =>
    study({ featureSet: set, extraFeatures: [] }),
  );
  const best = lowestLogLoss(sets);
  const singles = Object.keys(CANDIDATE_FEATURES).map((feature) =>
    study({ featureSet: best.featureSet, extraFeatures: [feature] }),
  );
  const kept = singles.filter((s) => s.logLoss < best.logLoss).flatMap((s) => s.extraFeatures);
  const together =
    kept.length > 1 ? [study({ featureSet: best.featureSet, extraFeatures: kept })] : [];
  const featureStudy: TuningRecord['featureStudy'] = [...sets, ...singles, ...together];
  const studyWinner = lowestLogLoss([best, ...singles, ...together]);

  const grid: TuningRecord['grid'] = [];
  const reference: TuningRecord['reference'] = [];
  const models = {} as Record<ModelName, ModelConfig>;
  for (const model of MODEL_NAMES) {
    const choice: FeatureChoice =
      model === 'schedule'
        ? { featureSet: studyWinner.featureSet, extraFeatures: studyWinner.extraFeatures }
        : { featureSet: MODEL_SPECS[model].featureSets[0], extraFeatures: [] };
    const rows = data.rows(data.split.train, choiceNames(choice, data.trainRecords));
    const tried = combinations(config.search.grid).map((params) => {
      const result = score(`${model} ${describeParams(params)}`, rows, params);
      log(`${model} ${describeParams(params)}: ${describe(result)}`);
      return { model, params, ...result };
    });
    grid.push(...tried);
    const { params, rounds } = config.plainBaseline;
    const plain = withProgress(progress, `${model} plain`, data.folds.length * rounds, (tick) =>
      crossValidationScore(rows, data, params, rounds, tick, rounds),
    );
    log(`${model} plain configuration: ${describe(plain)}`);
    reference.push({ model, ...plain });
    const best = chooseConfiguration(tried, plain, config.search);
    models[model] = {
      featureSet: choice.featureSet,
      extraFeatures: [...choice.extraFeatures],
      params: best ? { ...config.search.baseParams, ...best.params } : params,
      rounds: best ? best.rounds : rounds,
    };
  }
  const { file, sha256 } = data.dataset;
  return {
    ...config,
    models,
    tuning: {
      data: {
        file,
        sha256,
        trainingRows: data.split.train.length,
        trainingWeeks: data.split.trainWeeks.length,
      },
      featureStudy,
      grid,
      reference,
    },
  };
}

/**
 * The grid point to serve, or undefined for the plain configuration: a grid point replaces it only
 * when the lowest grid log loss beats the plain one by more than the tolerance (differences
 * smaller than that are the noise of a week-grouped estimate); then the cheapest grid point within
 * the tolerance of the lowest wins.
 */
export function chooseConfiguration<T extends CvScore & { params: Record<string, string> }>(
  tried: readonly T[],
  plain: CvScore,
  search: Pick<TrainingConfig['search'], 'logLossTolerance' | 'baseParams'>,
): T | undefined {
  const lowest = lowestLogLoss(tried);
  if (!(lowest.logLoss < plain.logLoss - search.logLossTolerance)) return undefined;
  return cheapestWithin(tried, search.logLossTolerance, search.baseParams);
}

/**
 * Out-of-fold scores of `params`: trained for `rounds`, taken at the best mean validation round
 * when the rounds are a search's maximum, or at `rounds` for a fixed configuration.
 */
function crossValidationScore(
  rows: LabelledRows,
  data: TrainingData,
  params: Record<string, string>,
  rounds: number,
  onRound: () => void,
  predictAt: number | 'best' = 'best',
): CvScore {
  const cv = crossValidate(rows, data.folds, { params, rounds, predictAt, onRound });
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
