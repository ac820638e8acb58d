/**
 * The explainer's throughput against XGBoost's own TreeSHAP: the first held-out rows of the data
 * set explained by functions/explain/tree-shap.ts and by `pred_contribs` through the C API
 * (XGBoosterPredictFromDMatrix, one thread), in alternating rounds in this process.
 */
import { readFileSync } from 'node:fs';
import { treeExplainer } from '../../functions/explain/tree-shap.js';
import { flightEncoder } from '../../functions/features.js';
import { readXgboostModel } from '../../functions/xgboost-json.js';
import { heldOutFlights, type TrainingCard } from '../train/card.js';
import { readDataset } from '../train/dataset.js';
import { Booster, DMatrix } from '../xgboost/booster.js';
import { count, counts, section } from './markdown.js';
import type { Plan, Verdict } from './plan.js';
import { median } from './stats.js';

const MODEL = 'schedule';
/** The sample. */
const ROWS = 10_000;
const ROUNDS = 3;

export interface ExplainerThroughput {
  rows: number;
  /** Rows per second of each round. */
  ours: number[];
  xgboost: number[];
}

export async function measureExplainer(plan: Plan, rows = ROWS): Promise<ExplainerThroughput> {
  const card = JSON.parse(readFileSync(`models/${MODEL}.json`, 'utf8')) as TrainingCard;
  const json = readFileSync(`models/${MODEL}.xgboost.json`, 'utf8');
  const held = heldOutFlights(card, (await readDataset(plan.data)).flights).slice(0, rows);
  if (held.length < rows)
    throw new Error(`${plan.data}: ${held.length} held-out rows, not ${rows}`);
  const encoded = flightEncoder(card.features)(held.map((f) => f.record));
  const explainer = treeExplainer(readXgboostModel(JSON.parse(json)));
  const booster = Booster.fromJson(json, { nthread: '1' });
  const matrix = DMatrix.fromRows(encoded);
  const result: ExplainerThroughput = { rows, ours: [], xgboost: [] };
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const ours = timed(() => explainer.contributions(encoded.data, encoded.rows));
      const theirs = timed(() => booster.predictContributions(matrix));
      result.ours.push(rows / ours);
      result.xgboost.push(rows / theirs);
    }
  } finally {
    matrix.free();
    booster.free();
  }
  plan.progress(`explainer: ${counts(result.ours)} rows/s, XGBoost ${counts(result.xgboost)}`);
  return result;
}

/** Seconds `run` takes. */
function timed(run: () => unknown): number {
  const start = performance.now();
  run();
  return (performance.now() - start) / 1000;
}

export function explainerVerdicts(t: ExplainerThroughput): Verdict[] {
  const ours = median(t.ours);
  const theirs = median(t.xgboost);
  return [
    {
      target:
        `explainer throughput on ${count(t.rows)} held-out rows ≥ XGBoost's own ` +
        '`pred_contribs` (C API, one thread, same process)',
      measured: `${(ours / theirs).toFixed(2)}× (${count(ours)} vs ${count(theirs)} rows/s)`,
      met: ours >= theirs,
    },
  ];
}

export function explainerSection(t: ExplainerThroughput): string {
  const rows = t.ours.map((rate, i) => {
    const theirs = t.xgboost[i]!;
    return [String(i + 1), count(rate), count(theirs), `${(rate / theirs).toFixed(2)}×`];
  });
  const how = `The first ${count(t.rows)} held-out rows of \`${MODEL}\`, rows/s.`;
  const head = ['Round', 'Explainer', 'XGBoost', 'Ratio'];
  return section('Explainer throughput', how, [head, ...rows], []);
}
