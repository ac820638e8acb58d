/**
 * `npm run tune` without the command line: a small search on the training weeks, every score a
 * cross-validation grouped by ISO week. First the feature study at fixed parameters: the schedule
 * model's feature sets, then the best of them with each candidate feature added (a candidate is
 * kept only if it lowers the log loss; the kept ones are also tried together), the lowest log loss
 * winning. Then a grid over the search parameters for each model's features, beside the plain
 * configuration of the baselines: a grid point replaces the plain configuration only if it beats it
 * by more than `logLossTolerance`; then the cheapest model to serve within that tolerance of the
 * lowest log loss wins, its best round becoming the model's number of rounds. Last the state study
 * for `nowcast`, on samples of the training flights at several horizons (see studyState).
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
import { MODEL_SPECS } from './models.js';
import { silentProgress, withProgress, type Progress } from './progress.js';
import { loadTrainingData, type TrainingData } from './training-data.js';
import { airportSamples, HORIZONS } from './airport-samples.js';
import { growingWindows, NO_STATE, windowsLabel, type StateWindows } from './state-windows.js';

export interface TuningOptions {
  dataPath: string;
  config: TrainingConfig;
  /**
   * Run only the state study, on the config's `schedule` model, keeping the other models and
   * their recorded search: the state study does not change them, and they take the longer part.
   */
  stateOnly?: boolean;
  log?: (line: string) => void;
  progress?: Progress;
}

/** Cross-validated scores of `params` on `rows`, up to `search.maxRounds` (logged). */
type Score = (
  label: string,
  rows: LabelledRows,
  params: Record<string, string>,
  folds?: readonly (readonly number[])[],
) => CvScore;

/** The models without the airport's state and what their search measured. */
type Searched = Pick<TuningRecord, 'featureStudy' | 'grid' | 'reference'> & {
  models: Omit<TrainingConfig['models'], 'nowcast'>;
};

/**
 * @returns the config with `models` and `tuning` replaced by what the search found.
 * @throws Error when `stateOnly` is asked of a config with no recorded search.
 */
export async function tune(options: TuningOptions): Promise<TrainingConfig> {
  const { config } = options;
  const log = options.log ?? (() => {});
  const progress = options.progress ?? silentProgress;
  const data = await loadTrainingData(options.dataPath, config, log);
  const { maxRounds } = config.search;
  const score: Score = (label, rows, params, folds = data.folds) => {
    const result = withProgress(progress, label, folds.length * maxRounds, (tick) =>
      crossValidationScore(rows, folds, params, maxRounds, tick),
    );
    log(`${label}: ${describe(result)}`);
    return result;
  };
  const searched = options.stateOnly
    ? recordedSearch(config)
    : searchModels(data, config, score, (label, rows) => {
        const { params, rounds } = config.plainBaseline;
        const plain = withProgress(progress, label, data.folds.length * rounds, (tick) =>
          crossValidationScore(rows, data.folds, params, rounds, tick, rounds),
        );
        log(`${label}: ${describe(plain)}`);
        return plain;
      });
  const state = studyState(data, searched.models.schedule, config.search, score);
  const { file, sha256 } = data.dataset;
  return {
    ...config,
    models: { ...searched.models, nowcast: state.model },
    tuning: {
      data: {
        file,
        sha256,
        trainingRows: data.split.train.length,
        trainingWeeks: data.split.trainWeeks.length,
      },
      featureStudy: searched.featureStudy,
      grid: searched.grid,
      reference: searched.reference,
      stateStudy: state.record,
    },
  };
}

/** @throws Error when the config records no search. */
function recordedSearch({ models, tuning }: TrainingConfig): Searched {
  if (!tuning) throw new Error('no search is recorded in the config: run the whole tune first');
  const { nowcast: _replaced, ...kept } = models;
  const { featureStudy, grid, reference } = tuning;
  return { models: kept, featureStudy, grid, reference };
}

/**
 * The feature study on the schedule model's feature sets, then the grid beside the plain
 * configuration (`plain` scores it) for every model that does not read the airport's state.
 */
function searchModels(
  data: TrainingData,
  config: TrainingConfig,
  score: Score,
  plain: (label: string, rows: LabelledRows) => CvScore,
): Searched {
  const { baseParams } = config.search;
  const study = (choice: FeatureChoice) => {
    const features = choiceNames(choice, data.trainRecords);
    const label = `study ${choiceLabel(choice)}`;
    const rows = data.rows(data.split.train, features);
    const result = score(label, rows, { ...baseParams, ...config.search.studyParams });
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
  const models = {} as Searched['models'];
  for (const model of ['onehot-37', 'schedule'] as const) {
    const choice: FeatureChoice =
      model === 'schedule'
        ? { featureSet: studyWinner.featureSet, extraFeatures: studyWinner.extraFeatures }
        : { featureSet: MODEL_SPECS[model].featureSets[0], extraFeatures: [] };
    const rows = data.rows(data.split.train, choiceNames(choice, data.trainRecords));
    const tried = combinations(config.search.grid).map((params) => {
      const result = score(`${model} ${describeParams(params)}`, rows, {
        ...baseParams,
        ...params,
      });
      return { model, params, ...result };
    });
    grid.push(...tried);
    const plainScore = plain(`${model} plain configuration`, rows);
    reference.push({ model, ...plainScore });
    const chosen = chooseConfiguration(tried, plainScore, config.search);
    models[model] = {
      featureSet: choice.featureSet,
      extraFeatures: [...choice.extraFeatures],
      params: chosen ? { ...baseParams, ...chosen.params } : config.plainBaseline.params,
      rounds: chosen ? chosen.rounds : config.plainBaseline.rounds,
    };
  }
  return { models, featureStudy, grid, reference };
}

/**
 * The state study, on the training samples (every training flight at every horizon, as `nowcast`
 * is trained) with the schedule model's feature choice and parameters: no state, then the airport's
 * windows grown one at a time (1h; 1h and 3h; …), then, on the best of those, the airline's grown
 * alike. At each step the fewest columns within `logLossTolerance` of the lowest log loss win (a
 * difference that small is the noise of the estimate); the winner's best round is `nowcast`'s
 * number of rounds. The schedule's parameters are kept: a grid on this many rows is too slow.
 */
function studyState(
  data: TrainingData,
  schedule: ModelConfig,
  { logLossTolerance }: Pick<TrainingConfig['search'], 'logLossTolerance'>,
  score: Score,
): { model: ModelConfig; record: NonNullable<TuningRecord['stateStudy']> } {
  const samples = airportSamples(data);
  const { split, folds } = samples.data;
  const { featureSet, extraFeatures, params } = schedule;
  const study = (windows: StateWindows) => {
    const features = choiceNames(
      { featureSet, extraFeatures, airportState: windows },
      data.trainRecords,
    );
    const rows = samples.data.rows(split.train, features);
    const result = score(`state study ${windowsLabel(windows)}`, rows, params, folds);
    return { ...windows, features: features.length, ...result };
  };
  const airport = [NO_STATE, ...growingWindows().map((w) => ({ airport: w, airline: [] }))].map(
    study,
  );
  const base = fewestWithin(airport, logLossTolerance);
  const airline = growingWindows().map((w) => study({ airport: base.airport, airline: w }));
  const candidates = [...airport, ...airline];
  const chosen = fewestWithin(candidates, logLossTolerance);
  return {
    model: {
      featureSet,
      extraFeatures: [...extraFeatures],
      airportState: { airport: chosen.airport, airline: chosen.airline },
      params,
      rounds: chosen.rounds,
    },
    record: {
      horizons: [...HORIZONS],
      trainingSamples: samples.data.split.train.length,
      leftOut: samples.leftOut,
      candidates,
    },
  };
}

/**
 * The candidate with the fewest columns among those whose log loss is within `tolerance` of the
 * lowest (ties: the lower log loss).
 */
export function fewestWithin<T extends CvScore & { features: number }>(
  scores: readonly T[],
  tolerance: number,
): T {
  const limit = lowestLogLoss(scores).logLoss + tolerance;
  return scores
    .filter((s) => s.logLoss <= limit)
    .reduce((best, s) =>
      s.features < best.features || (s.features === best.features && s.logLoss < best.logLoss)
        ? s
        : best,
    );
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
  folds: readonly (readonly number[])[],
  params: Record<string, string>,
  rounds: number,
  onRound: () => void,
  predictAt: number | 'best' = 'best',
): CvScore {
  const cv = crossValidate(rows, folds, { params, rounds, predictAt, onRound });
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
