/**
 * `npm run train` without the command line: read the data, hold out whole ISO weeks before anything
 * is fitted, and for each model cross-validate on the training weeks (calibration step, threshold),
 * fit, export to ONNX, check ONNX Runtime against XGBoost, and score it on the untouched weeks with
 * bootstrap intervals — beside a plain XGBoost baseline, the seed's model, and the same model on the
 * original system's random row split (secondary figures) — and build its card.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { flightExplainer, type Explanation } from '../../functions/explain/flight-explainer.js';
import type { EncodedRows } from '../../functions/features.js';
import { xgboostToOnnx } from '../onnx/tree-ensemble.js';
import type { Booster, BoosterParams } from '../xgboost/booster.js';
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
import { fieldImportance, type FieldImportance } from './importance.js';
import { evaluate, logLoss, type ThresholdFreeMetrics } from './metrics.js';
import { MODEL_NAMES, type ModelName } from './models.js';
import { assertParity, onnxProbabilities } from './onnx-runtime.js';
import { silentProgress, withProgress, type Progress } from './progress.js';
import { score, type Scored } from './scoring.js';
import { stratifiedSplit, type WeekSplit } from './split.js';
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

/** Everything a model's training needs that does not depend on the model. */
interface Context {
  config: TrainingConfig;
  log: (line: string) => void;
  progress: Progress;
  now: Date;
  data: TrainingData;
  testWeeks: string[];
  baseline: { name: string } & Scored;
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
    data,
    testWeeks,
    baseline,
  };
  const models: TrainedModel[] = [];
  for (const name of MODEL_NAMES) models.push(await trainModel(name, context));
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

async function trainModel(name: ModelName, context: Context): Promise<TrainedModel> {
  const { config, log, data } = context;
  const { params, rounds } = config.models[name];
  const features = choiceNames(config.models[name], data.trainRecords);
  log(
    `${name}: ${features.length} features (${choiceLabel(config.models[name])}), ${rounds} rounds`,
  );
  const model = fitAndScore(name, { features, params, rounds, calibrate: true }, context);
  let exported: Awaited<ReturnType<typeof exportChecked>>;
  try {
    exported = await exportChecked(name, model);
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
    data.rows(data.split.train, features).x,
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

/** The plain XGBoost of the config on the model's reference features, same weeks. */
function scorePlainBaseline(name: ModelName, context: Context): Scored {
  const { plainBaseline } = context.config;
  const features = featureSet(plainBaseline.featureSets[name]).names(context.data.trainRecords);
  const spec = { ...plainBaseline, features, calibrate: false };
  const { booster, testProbabilities, metrics, intervals } = fitAndScore(
    `${name} plain baseline`,
    spec,
    context,
  );
  booster.free();
  return { testProbabilities, metrics, intervals };
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
  const split = stratifiedSplit(data.labels, config.rowSplit.testFraction, config.rowSplit.seed);
  const train = data.rows(split.train, features);
  const test = data.rows(split.test, features);
  const { booster } = fit(train, { params, rounds });
  try {
    const { rows, rocAuc, prAuc, logLoss, brier, ece } = evaluate(
      predict(booster, test.x),
      test.y,
      0.5,
    );
    return { rows, rocAuc, prAuc, logLoss, brier, ece };
  } finally {
    booster.free();
  }
}
