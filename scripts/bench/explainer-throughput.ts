/**
 * The explainer's throughput against XGBoost's own TreeSHAP: the same held-out rows of the data
 * set, explained by functions/explain/tree-shap.ts and by `pred_contribs` through the C API
 * (XGBoosterPredictFromDMatrix, one thread), in alternating rounds in this process, pinned to one
 * CPU for the phase so that both run on the same core.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { treeExplainer } from '../../functions/explain/tree-shap.js';
import { flightEncoder, type EncodedRows } from '../../functions/features.js';
import { readXgboostModel } from '../../functions/xgboost-json.js';
import { heldOutFlights, type TrainingCard } from '../train/card.js';
import { readDataset } from '../train/dataset.js';
import { Booster, DMatrix } from '../xgboost/booster.js';
import { xgboostVersion } from '../xgboost/library.js';

export interface ExplainerThroughput {
  model: string;
  trees: number;
  /** Held-out rows explained per round: the first of the card's test weeks, in file order. */
  rows: number;
  /** CPUs the process was confined to during the rounds (a taskset list), if any. */
  cpus: string | undefined;
  xgboostVersion: string;
  /** Rows per second of each round. */
  ours: number[];
  xgboost: number[];
  /** Largest |ours − XGBoost's| over every contribution: both explained the same thing. */
  maxDifference: number;
}

/**
 * Explains `rows` held-out rows of `dataPath` with the model `name` in models/, `rounds` times by
 * each implementation in turn.
 */
export async function explainerThroughput(options: {
  dataPath: string;
  name: string;
  rows: number;
  rounds: number;
  cpus: string | undefined;
}): Promise<ExplainerThroughput> {
  const { name, rounds, cpus } = options;
  const card = JSON.parse(readFileSync(`models/${name}.json`, 'utf8')) as TrainingCard;
  const json = readFileSync(`models/${name}.xgboost.json`, 'utf8');
  const encoded = await heldOutRows(card, options.dataPath, options.rows);
  const trees = readXgboostModel(JSON.parse(json));
  const explainer = treeExplainer(trees);
  const booster = Booster.fromJson(json, { nthread: '1' });
  const matrix = DMatrix.fromRows(encoded);
  const ours: number[] = [];
  const theirs: number[] = [];
  let maxDifference = 0;
  try {
    withAffinity(cpus, () => {
      for (let round = 0; round < rounds; round++) {
        const a = timed(() => explainer.contributions(encoded.data, encoded.rows));
        const b = timed(() => booster.predictContributions(matrix));
        ours.push(encoded.rows / a.seconds);
        theirs.push(encoded.rows / b.seconds);
        maxDifference = Math.max(maxDifference, largestDifference(a.value, b.value, encoded));
      }
    });
  } finally {
    matrix.free();
    booster.free();
  }
  return {
    model: name,
    trees: trees.trees.length,
    rows: encoded.rows,
    cpus,
    xgboostVersion: xgboostVersion(),
    ours,
    xgboost: theirs,
    maxDifference,
  };
}

/** The first `rows` rows of the card's held-out weeks, encoded for its model. */
async function heldOutRows(
  card: TrainingCard,
  dataPath: string,
  rows: number,
): Promise<EncodedRows> {
  const held = heldOutFlights(card, (await readDataset(dataPath)).flights).slice(0, rows);
  if (held.length < rows) {
    throw new Error(
      `${dataPath} has ${held.length} rows in ${card.name}'s test weeks, not ${rows}`,
    );
  }
  return flightEncoder(card.features)(held.map((f) => f.record));
}

function timed<T>(run: () => T): { value: T; seconds: number } {
  const start = process.hrtime.bigint();
  const value = run();
  return { value, seconds: Number(process.hrtime.bigint() - start) / 1e9 };
}

/** Max |ours[r, j] − theirs[r, j]| over features j; XGBoost's rows carry one more (bias) value. */
function largestDifference(ours: Float64Array, theirs: Float32Array, rows: EncodedRows): number {
  let largest = 0;
  for (let r = 0; r < rows.rows; r++) {
    for (let j = 0; j < rows.width; j++) {
      const difference = Math.abs(ours[r * rows.width + j]! - theirs[r * (rows.width + 1) + j]!);
      largest = Math.max(largest, difference);
    }
  }
  return largest;
}

/**
 * Runs `measure` with every thread of this process confined to `cpus`, then gives the process
 * back the CPUs it had; without a list, runs it as it is.
 */
function withAffinity(cpus: string | undefined, measure: () => void): void {
  if (cpus === undefined) return measure();
  const pid = String(process.pid);
  const before = /:\s*(\S+)\s*$/.exec(execFileSync('taskset', ['-cp', pid], { encoding: 'utf8' }));
  if (!before) throw new Error(`could not read this process's CPU affinity with taskset -cp`);
  execFileSync('taskset', ['-a', '-cp', cpus, pid], { stdio: 'ignore' });
  try {
    measure();
  } finally {
    execFileSync('taskset', ['-a', '-cp', before[1]!, pid], { stdio: 'ignore' });
  }
}
