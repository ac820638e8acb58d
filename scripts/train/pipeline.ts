/**
 * `npm run train` without the command line: read the data, hold out whole ISO weeks before anything
 * is fitted, and for each model cross-validate on the training weeks (calibration step, threshold),
 * fit, export to ONNX, check ONNX Runtime against XGBoost, and score it on the untouched weeks with
 * bootstrap intervals — beside a plain XGBoost baseline, the seed's model, and the same model on the
 * original system's random row split (secondary figures) — and build its card. A model reading the
 * airport's state goes through the same steps on samples of every flight at several horizons
 * (airport-samples.ts), and is also scored at every horizon beside `schedule` on the same flights.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { flightExplainer, type Explanation } from '../../functions/explain/flight-explainer.js';
import type { EncodedRows } from '../../functions/features.js';
import { xgboostToOnnx } from '../onnx/tree-ensemble.js';
import type { Booster, BoosterParams } from '../xgboost/booster.js';
import {
  airportSamples,
  HEADLINE_HORIZON,
  HORIZONS,
  type AirportSamples,
} from './airport-samples.js';
import { fit, predict } from './boosting.js';
import {
  applyPlatt,
  choosePlatt,
  logit,
  NO_CALIBRATION,
  type CalibrationChoice,
} from './calibration.js';
import { buildCard, type TrainingCard } from './card.js';
import type { TrainingConfig } from './config.js';
import { crossValidate, foldSummary, type FoldSummary } from './cross-validation.js';
import type { Dataset } from './dataset.js';
import { choiceLabel, choiceNames, featureSet, SEED_FEATURES } from './feature-sets.js';
import { scoreHorizons, type HorizonScore } from './horizons.js';
import { fieldImportance, type FieldImportance } from './importance.js';
import { evaluate, logLoss, thresholdFree, type ThresholdFreeMetrics } from './metrics.js';
import { MODEL_NAMES, MODEL_SPECS, type ModelName } from './models.js';
import { assertParity, onnxProbabilities } from './onnx-runtime.js';
import { silentProgress, withProgress, type Progress } from './progress.js';
import { score, type Scored } from './scoring.js';
import type { WeekSplit } from './split.js';
import { maxF1Threshold, type ChosenThreshold } from './threshold.js';
import { loadTrainingData, type TrainingData } from './training-data.js';

/** The seed's production model, scored beside ours. */
export const BASELINE = {
  name: 'seed-xgb-upsampling',
  path: fileURLToPath(
    new URL('../../models/baseline/seed-xgb-upsampling.model.json', import.meta.url),
  ),
  /** The seed service called a flight delayed when XGBoost's predict() said so: P ≥ 0.5. */
  threshold: 0.5,
};

export interface TrainingOptions {
  dataPath: string;
  config: TrainingConfig;
  log?: (line: string) => void;
  progress?: Progress;
  /** The cards' createdAt. */
  now?: Date;
}

/** A model fitted and scored: what cross-validation chose and how it does on the test weeks. */
interface Evaluated extends Scored {
  booster: Booster;
  /** Absent where no calibration step may be chosen (the plain baseline). */
  calibration?: CalibrationChoice | undefined;
  /** The threshold and the F1 it reaches on the out-of-fold predictions it was chosen on. */
  threshold: ChosenThreshold;
  folds: FoldSummary;
  /** Held-out log loss of the trees' own probabilities, before any calibration step. */
  uncalibratedLogLoss: number;
  /** The test rows as the model reads them. */
  test: EncodedRows;
}

export interface TrainedModel extends Omit<Evaluated, 'booster' | 'calibration' | 'test'> {
  name: ModelName;
  card: TrainingCard;
  onnx: Uint8Array;
  /** The booster in XGBoost's JSON model format: the trees the ONNX file was exported from. */
  xgboostJson: string;
  /** Largest |ONNX Runtime − XGBoost (calibrated)| on the test rows. */
  parity: number;
  calibration: CalibrationChoice;
  /** The plain XGBoost baseline of the same kind, on the same weeks. */
  plainBaseline: Scored;
  /** The same parameters fitted and scored on a random row split: the original protocol. */
  rowSplit: ThresholdFreeMetrics;
  /** The served (ONNX) model's probabilities on the training rows, in `split.train` order. */
  trainingProbabilities: Float32Array;
  /** The served explanation of every test row, in `split.test` order. */
  testExplanations: Explanation[];
  /** Mean |contribution| per input field over the test rows, largest first. */
  importance: FieldImportance[];
  /** For a model reading the airport's state: its samples and its figures at every horizon. */
  airportState?: AirportStateScores | undefined;
}

/** A model reading the airport's state at every horizon, beside `schedule` on the same flights. */
export interface AirportStateScores {
  /** Each horizon's figures, and how many training samples the model learned from there. */
  byHorizon: Array<HorizonScore & { trainingSamples: number }>;
  /** The model it is compared with on the same flights. */
  comparedWith: ModelName;
  /** Training samples, every horizon, and those left out because they read a held-out week. */
  trainingSamples: number;
  leftOut: number;
}

export interface TrainingRun {
  dataset: Dataset;
  split: WeekSplit;
  testLabels: Float32Array;
  /** The ISO week of each test row, in `split.test` order. */
  testWeeks: string[];
  baseline: { name: string } & Scored;
  models: TrainedModel[];
}

/** Everything a model's training needs. */
interface Context {
  config: TrainingConfig;
  log: (line: string) => void;
  progress: Progress;
  now: Date;
  flights: TrainingData;
  /** What the model is trained and scored on: the flights, or their samples. */
  data: TrainingData;
  /** The held-out flights' labels, in `split.test` order (and their weeks). */
  testLabels: Float32Array;
  testWeeks: string[];
  baseline: { name: string } & Scored;
  /** Plain baselines by feature set: each set's is fitted once, on the flights. */
  plainBaselines: Map<string, Scored>;
  /** For a model reading the airport's state: its samples, and `schedule` on the held-out flights. */
  airport?: Airport;
}

/** What a model reading the airport's state is trained on and compared with. */
interface Airport {
  samples: AirportSamples;
  /** `schedule`, trained: the same flights without the state. */
  schedule: TrainedModel;
}

/**
 * Trains every model on the data file.
 * @throws Error on unreadable data, a failed XGBoost call, an invalid card, or ONNX/XGBoost parity
 *   beyond tolerance.
 */
export async function train(options: TrainingOptions): Promise<TrainingRun> {
  const log = options.log ?? (() => {});
  const { config } = options;
  const data = await loadTrainingData(options.dataPath, config, log);
  const testWeeks = data.split.test.map((row) => data.weeks[row]!);
  const test = data.rows(data.split.test, SEED_FEATURES);
  const baseline = {
    name: BASELINE.name,
    ...score(await scoreBaseline(test.x), test.y, BASELINE.threshold, testWeeks, config),
  };
  const context: Context = {
    config,
    log,
    progress: options.progress ?? silentProgress,
    now: options.now ?? new Date(),
    flights: data,
    data,
    testLabels: test.y,
    testWeeks,
    baseline,
    plainBaselines: new Map(),
  };
  const models: TrainedModel[] = [];
  for (const name of MODEL_NAMES) {
    const reads = MODEL_SPECS[name].readsAirportState;
    models.push(await trainModel(name, reads ? airportContext(context, models) : context));
  }
  return {
    dataset: data.dataset,
    split: data.split,
    testLabels: test.y,
    testWeeks,
    baseline,
    models,
  };
}

/** The seed's model, exported by our exporter, on the test rows (MES from Fecha-I, as served). */
async function scoreBaseline(x: EncodedRows): Promise<Float32Array> {
  const model = xgboostToOnnx(JSON.parse(await readFile(BASELINE.path, 'utf8')), {
    name: BASELINE.name,
  });
  return onnxProbabilities(model, x);
}

/**
 * The context of a model reading the airport's state: trained and scored on samples of the flights
 * at every horizon, and compared with `schedule`.
 * @throws Error when `schedule` has not been trained yet.
 */
function airportContext(context: Context, trained: readonly TrainedModel[]): Context {
  const schedule = trained.find((m) => m.name === 'schedule');
  if (!schedule) throw new Error('a model reading the airport state needs schedule trained first');
  const samples = airportSamples(context.flights);
  context.log(
    `airport state: ${samples.data.split.train.length} training samples at ${HORIZONS.join(', ')} min ` +
      `(${samples.leftOut} left out: their windows reach into a held-out week); ` +
      `held-out flights scored at each horizon, the headline at ${HEADLINE_HORIZON} min`,
  );
  return { ...context, data: samples.data, airport: { samples, schedule } };
}

async function trainModel(name: ModelName, context: Context): Promise<TrainedModel> {
  const { config, log, data } = context;
  const { params, rounds } = config.models[name];
  const features = choiceNames(config.models[name], data.trainRecords);
  log(
    `${name}: ${features.length} features (${choiceLabel(config.models[name])}), ${rounds} rounds`,
  );
  const model = fitAndScore(name, { features, params, rounds, calibrate: true }, context);
  let exported: Awaited<ReturnType<typeof exportChecked>>;
  let airportState: AirportStateScores | undefined;
  try {
    exported = await exportChecked(name, model);
    airportState = context.airport && scoreAirportState(model, features, context.airport, context);
  } finally {
    model.booster.free();
  }
  log(
    `${name}: ONNX Runtime matches XGBoost on ${data.split.test.length} test rows (max |Δp| ${exported.parity})`,
  );
  // The served model's own probabilities, not the folds' out-of-fold ones: prediction drift asks
  // whether one function's outputs moved because its inputs did, so the reference is that function.
  const trainingProbabilities = await onnxProbabilities(
    exported.onnx,
    data.rows(data.referenceRows, features).x,
  );
  const testExplanations = explainTestRows(features, exported.xgboostJson, model, context);
  const plainBaseline = scorePlainBaseline(name, context);
  const rowSplit = scoreRowSplit({ features, params, rounds }, context);
  const { booster: _freed, test: _encoded, ...scored } = model;
  // Non-null: `calibrate: true` always measures a calibration step, used or not.
  const calibration = model.calibration!;
  const trained = {
    name,
    features,
    ...scored,
    calibration,
    ...exported,
    trainingProbabilities,
    plainBaseline,
    rowSplit,
    testExplanations,
    importance: fieldImportance(testExplanations),
    airportState,
  };
  return { ...trained, card: buildCard(trained, context) };
}

interface FitSpec {
  features: readonly string[];
  params: BoosterParams;
  rounds: number;
  /** Whether a Platt step may be chosen (the served models) or not (the plain baseline). */
  calibrate: boolean;
}

/**
 * Cross-validates on the training weeks (calibration step, then threshold on the out-of-fold
 * probabilities), fits on all training weeks and scores the held-out weeks. The caller frees the
 * booster.
 */
function fitAndScore(label: string, spec: FitSpec, context: Context): Evaluated {
  const { config, data, progress, log } = context;
  const training = data.rows(data.split.train, spec.features);
  const test = data.rows(data.split.test, spec.features);
  const k = data.folds.length;
  const { params, rounds } = spec;
  const cv = withProgress(progress, `${label}: ${k}-fold cross-validation`, k * rounds, (tick) =>
    crossValidate(training, data.folds, { params, rounds, predictAt: rounds, onRound: tick }),
  );
  const folds = foldSummary(cv.oof, training.y, data.folds);
  const calibration = spec.calibrate ? choosePlatt(cv.oof, training.y, data.folds) : undefined;
  const calibrate = calibratorOf(calibration);
  const threshold = maxF1Threshold(calibrate(cv.oof), training.y);
  log(
    `${label}: CV log loss ${folds.logLoss.mean.toFixed(4)}, ROC AUC ${folds.rocAuc.mean.toFixed(4)}; ` +
      `calibration ${calibration?.used ? `Platt ${JSON.stringify(calibration.platt)}` : 'none'}; ` +
      `threshold ${threshold.value.toFixed(4)} (out-of-fold F1 ${threshold.f1.toFixed(4)})`,
  );
  const { booster } = withProgress(progress, `${label}: training`, spec.rounds, (tick) =>
    fit(training, { params: spec.params, rounds: spec.rounds, onRound: tick }),
  );
  const uncalibrated = predict(booster, test.x);
  return {
    booster,
    calibration,
    threshold,
    folds,
    uncalibratedLogLoss: logLoss(uncalibrated, test.y),
    test: test.x,
    ...score(calibrate(uncalibrated), test.y, threshold.value, context.testWeeks, config),
  };
}

/**
 * The model's (calibrated) probabilities on the held-out samples of every horizon, scored beside
 * `schedule`'s, and how many samples the model learned from.
 */
function scoreAirportState(
  model: Evaluated,
  features: readonly string[],
  { samples, schedule }: Airport,
  { testLabels, testWeeks, config }: Context,
): AirportStateScores {
  const calibrate = calibratorOf(model.calibration);
  const byHorizon = new Map(
    [...samples.testAt].map(([horizon, rows]) => [
      horizon,
      calibrate(predict(model.booster, samples.data.rows(rows, features).x)),
    ]),
  );
  const scores = scoreHorizons(
    byHorizon,
    schedule.testProbabilities,
    testLabels,
    testWeeks,
    config.bootstrap,
  );
  return {
    byHorizon: scores.map(({ horizonMinutes, ...figures }) => ({
      horizonMinutes,
      trainingSamples: samples.trainingAt.get(horizonMinutes)!.length,
      ...figures,
    })),
    comparedWith: schedule.name,
    trainingSamples: samples.data.split.train.length,
    leftOut: samples.leftOut,
  };
}

/** The calibration step as a function of the trees' probabilities; the identity when unused. */
function calibratorOf(
  calibration: CalibrationChoice | undefined,
): (p: Float32Array) => Float32Array {
  if (!calibration?.used) return (p) => p;
  const { platt } = calibration;
  return (p) => Float32Array.from(applyPlatt(platt, Float64Array.from(p, logit)));
}

/**
 * Exports the booster through its XGBoost JSON to ONNX, the calibration step folded into the
 * trees, and scores the test rows with ONNX Runtime.
 * @throws Error when ONNX Runtime's probabilities differ from calibrated XGBoost's beyond tolerance.
 */
async function exportChecked(
  name: ModelName,
  model: Evaluated,
): Promise<{ onnx: Uint8Array; xgboostJson: string; parity: number }> {
  const xgboostJson = model.booster.toJson();
  const onnx = xgboostToOnnx(JSON.parse(xgboostJson), {
    name,
    ...(model.calibration?.used && { calibration: model.calibration.platt }),
  });
  const onnxTest = await onnxProbabilities(onnx, model.test);
  const parity = assertParity(name, model.testProbabilities, onnxTest);
  return { onnx, xgboostJson, parity };
}

/**
 * Every test row explained as the function explains it: exact contributions of the exported trees
 * per input field, on the scale of the served probability.
 */
function explainTestRows(
  features: readonly string[],
  xgboostJson: string,
  model: Evaluated,
  { data }: Context,
): Explanation[] {
  const calibration = model.calibration?.used ? model.calibration.platt : NO_CALIBRATION;
  const explain = flightExplainer(JSON.parse(xgboostJson), features, calibration);
  return explain(data.records(data.split.test), model.test);
}

/**
 * The plain XGBoost of the config on the model's reference features (for a model reading the
 * airport's state, schedule-only features: the state is what it adds), fitted on the flights of
 * the same weeks; once per feature set.
 */
function scorePlainBaseline(name: ModelName, context: Context): Scored {
  const { plainBaseline } = context.config;
  const set = plainBaseline.featureSets[name];
  const known = context.plainBaselines.get(set);
  if (known) return known;
  const features = featureSet(set).names(context.flights.trainRecords);
  const spec = { ...plainBaseline, features, calibrate: false };
  const { booster, testProbabilities, metrics, intervals } = fitAndScore(
    `${name} plain baseline`,
    spec,
    { ...context, data: context.flights },
  );
  booster.free();
  const scored = { testProbabilities, metrics, intervals };
  context.plainBaselines.set(set, scored);
  return scored;
}

/**
 * The same features, parameters and rounds fitted on a random stratified row split and scored on
 * its test rows, as the original system measured (no calibration step: it is fitted for unseen
 * weeks, which this split does not have).
 */
function scoreRowSplit(
  { features, params, rounds }: Omit<FitSpec, 'calibrate'>,
  { config, data }: Context,
): ThresholdFreeMetrics {
  const split = data.rowSplit(config.rowSplit.testFraction, config.rowSplit.seed);
  const train = data.rows(split.train, features);
  const test = data.rows(split.test, features);
  const { booster } = fit(train, { params, rounds });
  try {
    return thresholdFree(evaluate(predict(booster, test.x), test.y, 0.5));
  } finally {
    booster.free();
  }
}
