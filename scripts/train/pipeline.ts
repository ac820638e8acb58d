/**
 * `npm run train` without the command line: read the data, split it before anything is fitted,
 * and for each model cross-validate (threshold), fit, export to ONNX, check ONNX Runtime against
 * XGBoost, score on the untouched test rows beside the seed's model, and build its card.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { EncodedRows } from '../../functions/features.js';
import {
  ONNX_INPUT,
  ONNX_IR_VERSION,
  ONNX_OPSETS,
  ONNX_PROBABILITIES,
  xgboostToOnnx,
} from '../onnx/xgboost-to-onnx.js';
import { xgboostVersion } from '../xgboost/library.js';
import type { Booster } from '../xgboost/booster.js';
import { fit, predict, type LabelledRows } from './boosting.js';
import { sha256, validateCard, versionOf, type ModelCard } from './card.js';
import type { TrainingConfig } from './config.js';
import { crossValidate } from './cross-validation.js';
import type { Dataset } from './dataset.js';
import { featureSet, SEED_FEATURES } from './feature-sets.js';
import { evaluate, type BinaryMetrics } from './metrics.js';
import { MODEL_NAMES, MODEL_SPECS, type ModelName } from './models.js';
import { assertParity, onnxProbabilities } from './onnx-runtime.js';
import { silentProgress, withProgress, type Progress } from './progress.js';
import type { Split } from './split.js';
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

export interface TrainedModel {
  name: ModelName;
  card: ModelCard;
  onnx: Uint8Array;
  /** P(delayed) from ONNX Runtime for each test row, in `split.test` order. */
  testProbabilities: Float32Array;
  /** Largest |ONNX Runtime − XGBoost| on the test rows. */
  parity: number;
  /** F1 at the threshold on the out-of-fold predictions it was chosen on. */
  outOfFoldF1: number;
}

export interface TrainingRun {
  dataset: Dataset;
  split: Split;
  testLabels: Float32Array;
  baseline: { name: string; testProbabilities: Float32Array; metrics: BinaryMetrics };
  models: TrainedModel[];
}

/** Everything a model's training needs that does not depend on the model. */
interface Context {
  config: TrainingConfig;
  log: (line: string) => void;
  progress: Progress;
  now: Date;
  data: TrainingData;
  baselineMetrics: BinaryMetrics;
}

/**
 * Trains every model on the data file.
 * @throws Error on unreadable data, a failed XGBoost call, an invalid card, or ONNX/XGBoost parity
 *   beyond tolerance.
 */
export async function train(options: TrainingOptions): Promise<TrainingRun> {
  const log = options.log ?? (() => {});
  const data = await loadTrainingData(options.dataPath, options.config, log);
  const test = data.rows('test', SEED_FEATURES);
  const baselineProbabilities = await scoreBaseline(test.x);
  const baselineMetrics = evaluate(baselineProbabilities, test.y, BASELINE.threshold);
  const context: Context = {
    config: options.config,
    log,
    progress: options.progress ?? silentProgress,
    now: options.now ?? new Date(),
    data,
    baselineMetrics,
  };
  const models: TrainedModel[] = [];
  for (const name of MODEL_NAMES) models.push(await trainModel(name, context));
  return {
    dataset: data.dataset,
    split: data.split,
    testLabels: test.y,
    baseline: {
      name: BASELINE.name,
      testProbabilities: baselineProbabilities,
      metrics: baselineMetrics,
    },
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
  const { config, log, progress, data } = context;
  const { featureSet: setName, params, rounds } = config.models[name];
  const features = featureSet(setName).names(data.trainRecords);
  const training = data.rows('train', features);
  const test = data.rows('test', features);
  log(`${name}: ${features.length} features (${setName}), ${rounds} rounds`);

  const threshold = chooseThreshold(name, training, context);
  const { booster } = withProgress(progress, `${name}: training`, rounds, (tick) =>
    fit(training, { params, rounds, onRound: tick }),
  );
  let exported: Awaited<ReturnType<typeof exportChecked>>;
  try {
    exported = await exportChecked(name, booster, test.x);
  } finally {
    booster.free();
  }
  log(
    `${name}: ONNX Runtime matches XGBoost on ${test.x.rows} test rows (max |Δp| ${exported.parity})`,
  );

  const card = buildCard(name, context, {
    features,
    onnx: exported.onnx,
    threshold: threshold.value,
    metrics: evaluate(exported.probabilities, test.y, threshold.value),
  });
  return {
    name,
    card,
    onnx: exported.onnx,
    testProbabilities: exported.probabilities,
    parity: exported.parity,
    outOfFoldF1: threshold.f1,
  };
}

/** The max-F1 threshold on out-of-fold probabilities of cross-validation on the training rows. */
function chooseThreshold(
  name: ModelName,
  training: LabelledRows,
  { config, data, log, progress }: Context,
): ChosenThreshold {
  const { params, rounds } = config.models[name];
  const folds = data.folds.length;
  const label = `${name}: ${folds}-fold cross-validation`;
  const cv = withProgress(progress, label, folds * rounds, (tick) =>
    crossValidate(training, data.folds, { params, rounds, predictAt: rounds, onRound: tick }),
  );
  const threshold = maxF1Threshold(cv.oof, training.y);
  log(
    `${name}: threshold ${threshold.value.toFixed(4)} (out-of-fold F1 ${threshold.f1.toFixed(4)})`,
  );
  return threshold;
}

/**
 * Exports the booster through its XGBoost JSON to ONNX and scores the test rows with ONNX Runtime.
 * @throws Error when ONNX Runtime's probabilities differ from XGBoost's beyond tolerance.
 */
async function exportChecked(
  name: ModelName,
  booster: Booster,
  x: EncodedRows,
): Promise<{ onnx: Uint8Array; probabilities: Float32Array; parity: number }> {
  const onnx = xgboostToOnnx(JSON.parse(booster.toJson()), { name });
  const probabilities = await onnxProbabilities(onnx, x);
  const parity = assertParity(name, predict(booster, x), probabilities);
  return { onnx, probabilities, parity };
}

function buildCard(
  name: ModelName,
  context: Context,
  model: { features: string[]; onnx: Uint8Array; threshold: number; metrics: BinaryMetrics },
): ModelCard {
  const { config, now } = context;
  const { params, rounds, featureSet: setName } = config.models[name];
  const onnxSha256 = sha256(model.onnx);
  const { dataset, split, folds } = context.data;
  const card: ModelCard = {
    name,
    version: versionOf(onnxSha256),
    createdAt: now.toISOString(),
    description: `${MODEL_SPECS[name].description} Feature set: ${setName}.`,
    requestFormat: MODEL_SPECS[name].requestFormat,
    features: model.features,
    threshold: {
      value: model.threshold,
      rule: `Maximises the F1 score of the delayed class over out-of-fold probabilities of ${folds.length}-fold stratified cross-validation (seed ${config.crossValidation.seed}) on the ${split.train.length} training-split rows; delayed when probability >= value.`,
    },
    onnx: {
      file: `${name}.onnx`,
      sha256: onnxSha256,
      input: ONNX_INPUT,
      output: ONNX_PROBABILITIES,
      irVersion: ONNX_IR_VERSION,
      opsets: { ...ONNX_OPSETS },
    },
    training: { xgboostVersion: xgboostVersion(), params, rounds, seed: Number(params.seed ?? 0) },
    data: {
      file: dataset.file,
      sha256: dataset.sha256,
      rows: { read: dataset.read, used: dataset.flights.length, rejected: dataset.rejected },
      split: {
        train: split.train.length,
        test: split.test.length,
        testFraction: config.split.testFraction,
        seed: config.split.seed,
      },
    },
    metrics: model.metrics,
    baseline: { name: BASELINE.name, metrics: context.baselineMetrics },
  };
  validateCard(card);
  return card;
}
