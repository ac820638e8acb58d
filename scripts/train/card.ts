/**
 * Model cards: the JSON beside each ONNX file that tells the function how to serve it (features,
 * threshold, tensor names) and tells people how it was made and how good it is on weeks it never
 * saw. A card is checked against schemas/model-card.schema.json before anything is written.
 */
import { createHash } from 'node:crypto';
import type { ModelCard } from '../../functions/model-registry.js';
import { modelCard as validate } from '../../functions/compiled-validators.js';
import {
  ONNX_INPUT,
  ONNX_IR_VERSION,
  ONNX_OPSETS,
  ONNX_PROBABILITIES,
} from '../onnx/tree-ensemble.js';
import { xgboostVersion } from '../xgboost/library.js';
import type { Intervals } from './bootstrap.js';
import type { CalibrationChoice, Platt } from './calibration.js';
import type { TrainingConfig } from './config.js';
import type { FoldSummary } from './cross-validation.js';
import type { Flight } from './dataset.js';
import { choiceLabel } from './feature-sets.js';
import type { FieldImportance } from './importance.js';
import type { BinaryMetrics, ThresholdFreeMetrics } from './metrics.js';
import { MODEL_SPECS, type ModelName } from './models.js';
import type { Scored } from './scoring.js';
import type { ChosenThreshold } from './threshold.js';
import { trainingDistribution, type TrainingDistribution } from './training-distribution.js';
import type { TrainingData } from './training-data.js';
import { isoWeekKey } from './weeks.js';

/** The held-out weeks' figures with their bootstrap intervals. */
export interface CardScore {
  metrics: BinaryMetrics;
  intervals: Intervals;
}

/**
 * A model card as `npm run train` writes it: every field of schemas/model-card.schema.json, of
 * which serving reads the {@link ModelCard} part.
 */
export interface TrainingCard extends ModelCard, CardScore {
  name: string;
  version: string;
  createdAt: string;
  description: string;
  requestFormat: 'vuelos' | 'flights';
  features: string[];
  threshold: { value: number; rule: string };
  calibration: {
    method: 'platt' | 'none';
    rule: string;
    outOfFoldLogLoss: { raw: number; calibrated: number };
    heldOutLogLoss: { raw: number; calibrated: number };
  } & Platt;
  xgboost: { file: string; sha256: string };
  onnx: {
    file: string;
    sha256: string;
    input: string;
    output: string;
    irVersion: number;
    opsets: Record<string, number>;
  };
  training: {
    xgboostVersion: string;
    params: Record<string, string>;
    rounds: number;
    seed: number;
  };
  data: {
    file: string;
    sha256: string;
    rows: { read: number; used: number; rejected: Record<string, number> };
    split: {
      unit: 'ISO week';
      rule: string;
      testFraction: number;
      seed: number;
      train: number;
      test: number;
      trainWeeks: number;
      testWeeks: string[];
    };
  };
  bootstrap: { unit: 'ISO week'; replicates: number; seed: number; level: number };
  crossValidation: { unit: 'ISO week'; folds: number; seed: number } & FoldSummary;
  plainBaseline: {
    description: string;
    featureSet: string;
    params: Record<string, string>;
    rounds: number;
  } & CardScore;
  baseline: { name: string; note: string } & CardScore;
  rowSplit: {
    note: string;
    testFraction: number;
    seed: number;
    metrics: ThresholdFreeMetrics;
  };
  importance: FieldImportance[];
  trainingDistribution: TrainingDistribution;
}

/** What a card is built from: a trained model, exported and scored. */
export interface CardSource extends Scored {
  name: ModelName;
  features: readonly string[];
  onnx: Uint8Array;
  xgboostJson: string;
  threshold: ChosenThreshold;
  calibration: CalibrationChoice;
  uncalibratedLogLoss: number;
  folds: FoldSummary;
  plainBaseline: Scored;
  rowSplit: ThresholdFreeMetrics;
  importance: FieldImportance[];
  /** The served (ONNX) model's probabilities on the training rows, in `split.train` order. */
  trainingProbabilities: Float32Array;
}

/** What every card of a run shares: the config, the data and its split, the seed's figures. */
export interface CardContext {
  config: TrainingConfig;
  now: Date;
  data: Pick<TrainingData, 'dataset' | 'split' | 'folds' | 'records'>;
  baseline: { name: string } & Scored;
}

const cardScore = ({ metrics, intervals }: Scored): CardScore => ({ metrics, intervals });

/** The card of a trained model, validated. */
export function buildCard(model: CardSource, context: CardContext): TrainingCard {
  const { config, now, data } = context;
  const { params, rounds } = config.models[model.name];
  const onnxSha256 = sha256(model.onnx);
  const { dataset, split, folds } = data;
  const k = folds.length;
  const card: TrainingCard = {
    name: model.name,
    version: versionOf(onnxSha256),
    createdAt: now.toISOString(),
    description: `${MODEL_SPECS[model.name].description} Features: ${choiceLabel(config.models[model.name])}.`,
    requestFormat: MODEL_SPECS[model.name].requestFormat,
    features: [...model.features],
    threshold: {
      value: model.threshold.value,
      rule: `Maximises the F1 score of the delayed class over the (calibrated) out-of-fold probabilities of ${k}-fold cross-validation grouped by ISO week (seed ${config.crossValidation.seed}) on the ${split.train.length} rows of the ${split.trainWeeks.length} training weeks; delayed when probability >= value.`,
    },
    calibration: calibrationOf(model, k),
    xgboost: { file: `${model.name}.xgboost.json`, sha256: sha256(model.xgboostJson) },
    onnx: {
      file: `${model.name}.onnx`,
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
        unit: 'ISO week',
        rule: `The distinct ISO weeks (YYYY-Www) of Fecha-I, sorted, are shuffled by Fisher–Yates with mulberry32(seed); the first round(weeks × testFraction) drawn are held out, every flight of them. Drawn once, before anything was fitted.`,
        testFraction: config.split.testFraction,
        seed: config.split.seed,
        train: split.train.length,
        test: split.test.length,
        trainWeeks: split.trainWeeks.length,
        testWeeks: split.testWeeks,
      },
    },
    ...cardScore(model),
    bootstrap: { unit: 'ISO week', ...config.bootstrap },
    crossValidation: { unit: 'ISO week', ...config.crossValidation, ...model.folds },
    plainBaseline: {
      description: config.plainBaseline.description,
      featureSet: config.plainBaseline.featureSets[model.name],
      params: config.plainBaseline.params,
      rounds: config.plainBaseline.rounds,
      ...cardScore(model.plainBaseline),
    },
    baseline: {
      name: context.baseline.name,
      note: "The original system's production model, at its own threshold 0.5. It was trained on rows that include these weeks (the seed notebook upsampled, then split), so its figures flatter it.",
      ...cardScore(context.baseline),
    },
    rowSplit: {
      note: `Secondary, for comparison with the original system's protocol only: the same features, parameters and rounds fitted on a random stratified row split and scored on its test rows, which share days and weeks with the training rows (no calibration step). Not what holds for future flights.`,
      ...config.rowSplit,
      metrics: model.rowSplit,
    },
    importance: model.importance.map(({ field, meanAbsContribution }) => ({
      field,
      // Six decimals, like the explanations they average.
      meanAbsContribution: Math.round(meanAbsContribution * 1e6) / 1e6,
    })),
    trainingDistribution: trainingDistribution(data, model.trainingProbabilities, model.features),
  };
  validateCard(card);
  return card;
}

function calibrationOf(model: CardSource, folds: number): TrainingCard['calibration'] {
  const { calibration } = model;
  return {
    method: calibration.used ? 'platt' : 'none',
    ...calibration.platt,
    rule: `Platt scaling, P = sigmoid(slope × margin + intercept), is used when fitting it on ${folds - 1} folds' out-of-fold margins and applying it to the remaining fold lowers the out-of-fold log loss; it is then fitted on all out-of-fold margins and folded into the ONNX trees.`,
    outOfFoldLogLoss: { raw: calibration.rawLogLoss, calibrated: calibration.calibratedLogLoss },
    heldOutLogLoss: { raw: model.uncalibratedLogLoss, calibrated: model.metrics.logLoss },
  };
}

/**
 * Checks a card with the validator the function uses to load it.
 * @throws Error listing every way `card` breaks the schema.
 */
export function validateCard(card: unknown): asserts card is TrainingCard {
  if (validate(card)) return;
  const problems = (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`);
  throw new Error(
    `model card does not match schemas/model-card.schema.json:\n  ${problems.join('\n  ')}`,
  );
}

/** The flights of the card's held-out weeks, in the order given: what its metrics are scored on. */
export function heldOutFlights(card: TrainingCard, flights: readonly Flight[]): Flight[] {
  const weeks = new Set(card.data.split.testWeeks);
  return flights.filter((f) => weeks.has(isoWeekKey(f.scheduled)));
}

/** Hex SHA-256 of some bytes (a string: of its UTF-8 bytes). */
export function sha256(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** A model's version: the first 12 hex digits of its ONNX file's SHA-256. */
export function versionOf(onnxSha256: string): string {
  return onnxSha256.slice(0, 12);
}
