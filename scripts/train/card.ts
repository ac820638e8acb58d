/**
 * Model cards: the JSON beside each ONNX file that tells the function how to serve it (features,
 * threshold, tensor names) and tells people how it was made and how good it is on weeks it never
 * saw. A card is checked against schemas/model-card.schema.json before anything is written.
 */
import { createHash } from 'node:crypto';
import { FEATURE_COLUMNS } from '../../functions/features.js';
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
import { HEADLINE_HORIZON, HORIZONS } from './airport-samples.js';
import { choiceLabel } from './feature-sets.js';
import type { FieldImportance } from './importance.js';
import type { BinaryMetrics, ThresholdFreeMetrics } from './metrics.js';
import { MODEL_SPECS, type ModelName } from './models.js';
import type { AirportStateScores } from './pipeline.js';
import type { Scored } from './scoring.js';
import type { StateWindows } from './state-windows.js';
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
  airportState?: AirportStateCard;
}

/** What the card of a model reading the airport's state adds: how it was trained, and by horizon. */
export interface AirportStateCard {
  note: string;
  /** Minutes from asOf to the scheduled departure that the model answers for. */
  horizonMinutes: { min: number; max: number };
  trainingHorizons: number[];
  headlineHorizonMinutes: number;
  windows: StateWindows;
  stateFeatures: string[];
  comparedWith: string;
  samples: { training: number; leftOut: number; heldOutPerHorizon: number };
  byHorizon: AirportStateScores['byHorizon'];
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
  /** The served (ONNX) model's probabilities on the reference rows, in `referenceRows` order. */
  trainingProbabilities: Float32Array;
  airportState?: AirportStateScores | undefined;
}

/** What every card of a run shares: the config, the data and its split, the seed's figures. */
export interface CardContext {
  config: TrainingConfig;
  now: Date;
  data: Pick<TrainingData, 'dataset' | 'split' | 'folds' | 'records' | 'referenceRows'>;
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
      note: model.airportState
        ? `Secondary, for comparison with the original system's protocol only: the same features, parameters and rounds fitted on a random stratified split of the flights (not of the samples, so that the samples of one flight stay on one side), on the samples of its training flights at every horizon, and scored on its test flights ${HEADLINE_HORIZON} minutes before departure (those with a sample there), which share days and weeks with the training flights (no calibration step). States as for the held-out figures: training weeks' flights on the training weeks' board, held-out weeks' flights on every flight's board. Not what holds for future flights.`
        : `Secondary, for comparison with the original system's protocol only: the same features, parameters and rounds fitted on a random stratified row split and scored on its test rows, which share days and weeks with the training rows (no calibration step). Not what holds for future flights.`,
      ...config.rowSplit,
      metrics: model.rowSplit,
    },
    importance: model.importance.map(({ field, meanAbsContribution }) => ({
      field,
      // Six decimals, like the explanations they average.
      meanAbsContribution: Math.round(meanAbsContribution * 1e6) / 1e6,
    })),
    trainingDistribution: trainingDistribution(
      // The reference rows stand for the training split: one per training flight.
      { split: { ...split, train: [...data.referenceRows] }, records: data.records },
      model.trainingProbabilities,
      model.features,
    ),
    ...(model.airportState && {
      airportState: airportStateCard(model, model.airportState, context),
    }),
  };
  validateCard(card);
  return card;
}

/** @throws Error when the config gives the model no windows. */
function airportStateCard(
  { name, features }: CardSource,
  scores: AirportStateScores,
  { config, data }: CardContext,
): AirportStateCard {
  const windows = config.models[name].airportState;
  if (!windows) throw new Error(`models["${name}"] reads the airport state but has no windows`);
  return {
    note: `Each training flight is seen at every horizon h of trainingHorizons (asOf = Fecha-I − h minutes), its state read from a departure board (functions/airport-state.ts, the code serving uses): a sample's state counts only departures whose Fecha-O is at or before its asOf, never the flight's own. The training samples' board holds only the training weeks' flights, and a training sample whose windows (back to the start of the previous calendar day) reach into a held-out week is left out (samples.leftOut), so no held-out flight's outcome is an input the model learned from. The held-out samples' board holds every flight, as a real board would. The headline metrics, intervals and importance are the held-out flights ${HEADLINE_HORIZON} minutes (headlineHorizonMinutes) before departure; the calibration step and threshold were chosen on the out-of-fold predictions of the training samples of every horizon; the XGBoost parameters are the schedule model's (a grid on this many rows is too slow) and the rounds and windows were chosen by week-grouped cross-validation on the training samples (npm run tune). Cross-validation only chooses: a sample near a fold's boundary may read departures of another fold's weeks. byHorizon: the held-out flights at each horizon beside ${scores.comparedWith} on the same flights; difference is this model − ${scores.comparedWith}, with a paired week-bootstrap interval (both models scored on the same resampled weeks in each replicate).`,
    horizonMinutes: { min: Math.min(...HORIZONS), max: Math.max(...HORIZONS) },
    trainingHorizons: [...HORIZONS],
    headlineHorizonMinutes: HEADLINE_HORIZON,
    windows,
    stateFeatures: features.filter((f) => FEATURE_COLUMNS.state.includes(f)),
    comparedWith: scores.comparedWith,
    samples: {
      training: scores.trainingSamples,
      leftOut: scores.leftOut,
      heldOutPerHorizon: data.split.test.length,
    },
    byHorizon: scores.byHorizon,
  };
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
