/**
 * The data every training step shares, prepared once: the validated flights, their labels, the
 * train/test split (made before anything is fitted) and the cross-validation folds of the training
 * split. Training and tuning both start here, so both see the same rows.
 */
import { flightEncoder } from '../../functions/features.js';
import type { LabelledRows } from './boosting.js';
import type { TrainingConfig } from './config.js';
import { describeDataset, readDataset, type Dataset, type FlightRecord } from './dataset.js';
import { stratifiedFolds, stratifiedSplit, type Split } from './split.js';

export interface TrainingData {
  dataset: Dataset;
  /** atraso_15 of every used flight. */
  labels: Float32Array;
  split: Split;
  /** Validation rows of each fold, as indices into the training split. */
  folds: number[][];
  /** The training split's flights, from which feature sets take their vocabularies. */
  trainRecords: FlightRecord[];
  /** One side of the split encoded with `features`, labels alongside. */
  rows(side: keyof Split, features: readonly string[]): LabelledRows;
}

/** Reads the data, reports what was rejected, and splits it as the config says. */
export async function loadTrainingData(
  dataPath: string,
  config: TrainingConfig,
  log: (line: string) => void,
): Promise<TrainingData> {
  const dataset = await readDataset(dataPath);
  describeDataset(dataset).forEach((line) => log(line));
  const labels = Float32Array.from(dataset.flights, (f) => f.delayed);
  const split = stratifiedSplit(labels, config.split.testFraction, config.split.seed);
  const trainLabels = Float32Array.from(split.train, (row) => labels[row]!);
  const folds = stratifiedFolds(
    trainLabels,
    config.crossValidation.folds,
    config.crossValidation.seed,
  );
  log(`split: ${split.train.length} training rows, ${split.test.length} test rows (untouched)`);
  const records = (rows: readonly number[]) => rows.map((row) => dataset.flights[row]!.record);
  return {
    dataset,
    labels,
    split,
    folds,
    trainRecords: records(split.train),
    rows: (side, features) => ({
      x: flightEncoder(features)(records(split[side])),
      y: Float32Array.from(split[side], (row) => labels[row]!),
    }),
  };
}
