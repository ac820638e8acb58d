/**
 * The checked-in training configuration, scripts/train/hyperparameters.json: how the data is split
 * and cross-validated, the search space `npm run tune` explores, and per model the feature set (and
 * for `nowcast` the board's windows), XGBoost parameters and number of rounds that `npm run train`
 * uses. Tune rewrites `models` and
 * `tuning`; everything else is edited by hand.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CANDIDATE_FEATURES, featureSet } from './feature-sets.js';
import { formatJson } from './formatting.js';
import { MODEL_NAMES, MODEL_SPECS, type ModelName } from './models.js';
import { checkWindows, type StateWindows } from './state-windows.js';

/** Default location of the config. */
export const CONFIG_PATH = fileURLToPath(new URL('./hyperparameters.json', import.meta.url));

export interface ModelConfig {
  /** A key of FEATURE_SETS. */
  featureSet: string;
  /** Keys of CANDIDATE_FEATURES the feature study kept, appended to the set's columns. */
  extraFeatures: string[];
  /** The board's windows the state study kept: only, and always, for a model reading the state. */
  airportState?: StateWindows;
  /** XGBoost parameters, exactly as passed to XGBoosterSetParam. */
  params: Record<string, string>;
  rounds: number;
}

/** Cross-validated scores of one candidate. */
export interface CvScore {
  rounds: number;
  logLoss: number;
  rocAuc: number;
}

/** What `npm run tune` measured, kept so the report can show it. */
export interface TuningRecord {
  data: { file: string; sha256: string; trainingRows: number; trainingWeeks: number };
  /**
   * The schedule model's feature sets, then the best of them with each candidate feature added
   * (and the kept candidates together), at `search.studyParams`.
   */
  featureStudy: Array<{ featureSet: string; extraFeatures: string[]; features: number } & CvScore>;
  /** Every grid point tried, per model (its grid values only). */
  grid: Array<{ model: ModelName; params: Record<string, string> } & CvScore>;
  /** The plain configuration (`plainBaseline`'s parameters and rounds) on each model's features. */
  reference: Array<{ model: ModelName } & CvScore>;
  /**
   * The state study: choices of the board's windows added to the schedule model's features, each
   * cross-validated on the training samples at the schedule model's parameters.
   */
  stateStudy?: {
    horizons: number[];
    trainingSamples: number;
    /** Training samples left out because their windows reach into a held-out week. */
    leftOut: number;
    candidates: Array<StateWindows & { features: number } & CvScore>;
  };
}

/** A model trained without any search, scored beside each served model on the same weeks. */
export interface PlainBaselineConfig {
  description: string;
  params: Record<string, string>;
  rounds: number;
  /** The feature set of each model's baseline: the one that model served before the week study. */
  featureSets: Record<ModelName, string>;
}

export interface TrainingConfig {
  /** Share of the ISO weeks held out for the test, and the seed of their draw. */
  split: { testFraction: number; seed: number };
  /** Week-grouped folds on the training weeks. */
  crossValidation: { folds: number; seed: number };
  /** Resampling of test weeks behind every interval. */
  bootstrap: { replicates: number; seed: number; level: number };
  /** The random row split of the secondary figures (the original system's protocol). */
  rowSplit: { testFraction: number; seed: number };
  plainBaseline: PlainBaselineConfig;
  search: {
    /** Parameters every model gets; the grid's values are added to them. */
    baseParams: Record<string, string>;
    /** Values tried per parameter (every combination). */
    grid: Record<string, string[]>;
    /** The grid values at which feature sets are compared. */
    studyParams: Record<string, string>;
    /** Rounds each cross-validation runs; the best mean log loss picks the model's rounds. */
    maxRounds: number;
    /**
     * Grid points whose CV log loss is within this of the lowest count as equally good, and the
     * one cheapest to serve among them wins (see `servingCost` in tuning.ts).
     */
    logLossTolerance: number;
  };
  models: Record<ModelName, ModelConfig>;
  tuning?: TuningRecord;
}

/**
 * Reads and checks the config.
 * @throws Error naming the first problem (unknown feature set, missing model, bad round count or
 *   tolerance).
 */
export async function readConfig(path = CONFIG_PATH): Promise<TrainingConfig> {
  const config = JSON.parse(await readFile(path, 'utf8')) as TrainingConfig;
  const tolerance = config.search.logLossTolerance;
  if (typeof tolerance !== 'number' || !(tolerance >= 0)) {
    throw new Error(`${path}: search.logLossTolerance must be a number ≥ 0`);
  }
  for (const name of MODEL_NAMES) {
    const model = config.models[name];
    if (!model) throw new Error(`${path}: models["${name}"] is missing`);
    featureSet(model.featureSet);
    featureSet(config.plainBaseline.featureSets[name]);
    const unknown = model.extraFeatures.filter((f) => !(f in CANDIDATE_FEATURES));
    if (unknown.length > 0) {
      throw new Error(`${path}: models["${name}"].extraFeatures has unknown ${unknown.join(', ')}`);
    }
    const reads = MODEL_SPECS[name].readsAirportState;
    if (reads !== (model.airportState !== undefined)) {
      throw new Error(
        `${path}: models["${name}"].airportState must be ${reads ? 'given' : 'absent'}`,
      );
    }
    if (model.airportState) checkWindows(model.airportState, `${path}: models["${name}"]`);
    if (!Number.isInteger(model.rounds) || model.rounds < 1) {
      throw new Error(`${path}: models["${name}"].rounds must be a positive integer`);
    }
  }
  return config;
}

/** Writes the config, formatted as the repository's Prettier settings want it. */
export async function writeConfig(config: TrainingConfig, path = CONFIG_PATH): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, await formatJson(config, path));
}
