/**
 * The data every training step shares, prepared once: the validated flights, their labels and ISO
 * weeks, the split by whole weeks (made before anything is fitted) and the week-grouped
 * cross-validation folds of the training weeks. Training and tuning both start here, so both see
 * the same rows. Its rows are the used flights; airport-samples.ts makes the same shape from the
 * flights seen at several horizons, whose rows are samples.
 */
import { flightEncoder } from '../../functions/features.js';
import type { LabelledRows } from './boosting.js';
import type { TrainingConfig } from './config.js';
import { describeDataset, readDataset, type Dataset, type FlightRecord } from './dataset.js';
import { stratifiedSplit, weekFolds, weekSplit, type Split, type WeekSplit } from './split.js';
import { isoWeekKey } from './weeks.js';

export interface TrainingData {
  dataset: Dataset;
  /** atraso_15 of every row's flight. */
  labels: Float32Array;
  /** The ISO week (`2017-W05`) of every row's scheduled date. */
  weeks: string[];
  split: WeekSplit;
  /** Validation rows of each fold, as indices into the training split; whole weeks each. */
  folds: number[][];
  /** The training split's flights, from which feature sets take their vocabularies. */
  trainRecords: FlightRecord[];
  /** The flights at rows `indices`. */
  records(indices: readonly number[]): FlightRecord[];
  /** The rows at `indices` encoded with `features`, labels alongside. */
  rows(indices: readonly number[], features: readonly string[]): LabelledRows;
  /**
   * The training rows a card's training distribution describes, one per training flight: for the
   * flights, `split.train` itself.
   */
  referenceRows: readonly number[];
  /** The random stratified split of the secondary figures (the original system's protocol). */
  rowSplit(testFraction: number, seed: number): Split;
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
  const weeks = dataset.flights.map((f) => isoWeekKey(f.scheduled));
  const split = weekSplit(weeks, config.split.testFraction, config.split.seed);
  const folds = weekFolds(
    split.train.map((row) => weeks[row]!),
    config.crossValidation.folds,
    config.crossValidation.seed,
  );
  log(
    `split: ${split.train.length} training rows in ${split.trainWeeks.length} weeks, ` +
      `${split.test.length} test rows in ${split.testWeeks.length} weeks (untouched): ${split.testWeeks.join(' ')}`,
  );
  const records = (rows: readonly number[]) => rows.map((row) => dataset.flights[row]!.record);
  return {
    dataset,
    labels,
    weeks,
    split,
    folds,
    trainRecords: records(split.train),
    records,
    rows: (indices, features) => ({
      x: flightEncoder(features)(records(indices)),
      y: Float32Array.from(indices, (row) => labels[row]!),
    }),
    referenceRows: split.train,
    rowSplit: (testFraction, seed) => stratifiedSplit(labels, testFraction, seed),
  };
}
