/**
 * The explainer against XGBoost's own TreeSHAP (`pred_contribs` through the C API), on a booster
 * trained here with features like the schedule model's, on the seed's production model, and on
 * generated flights (additivity).
 */
import { readFile } from 'node:fs/promises';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { treeExplainer, type TreeExplainer } from '../../../functions/explain/tree-shap.js';
import {
  categoryValue,
  FEATURE_COLUMNS,
  flightEncoder,
  type EncodedRows,
  type ScheduledFlight,
} from '../../../functions/features.js';
import { readXgboostModel } from '../../../functions/xgboost-json.js';
import { readDataset } from '../../../scripts/train/dataset.js';
import { fit } from '../../../scripts/train/boosting.js';
import { Booster, DMatrix } from '../../../scripts/xgboost/booster.js';
import { hasSharedData, SHARED_DATA, syntheticDataset } from '../../scripts/train/helpers.js';

const TOLERANCE = 1e-5;
const TRAIN_ROWS = 20_000;
const COMPARED_ROWS = 2_000;
const PARAMS = {
  objective: 'binary:logistic',
  tree_method: 'hist',
  max_depth: '6',
  eta: '0.1',
  subsample: '0.8',
  seed: '0',
  nthread: '1',
};

/**
 * Schedule-model-like features: each categorical column's frequent values, `_other`, the numerics
 * read from the schedule (the airport's state needs a board these flights are not given).
 */
function featureNames(flights: readonly ScheduledFlight[]): string[] {
  const oneHot = FEATURE_COLUMNS.categorical.flatMap((column) => {
    const counts = new Map<string, number>();
    for (const flight of flights) {
      const value = categoryValue(column, flight);
      counts.set(value, (counts.get(value) ?? 0) + 1);
    }
    const frequent = [...counts].filter(([, count]) => count >= 50).map(([value]) => value);
    return [...frequent.sort(), 'other'].map((value) => `${column}_${value}`);
  });
  const numeric = FEATURE_COLUMNS.numeric.filter((name) => !FEATURE_COLUMNS.state.includes(name));
  return [...oneHot, ...numeric];
}

/** Max |ours − XGBoost's| over every feature of every row, and over the bias column. */
function largestDifferences(explainer: TreeExplainer, booster: Booster, rows: EncodedRows) {
  const matrix = DMatrix.fromRows(rows);
  const theirs = booster.predictContributions(matrix);
  matrix.free();
  const ours = explainer.contributions(rows.data, rows.rows);
  let features = 0;
  let bias = 0;
  for (let r = 0; r < rows.rows; r++) {
    for (let j = 0; j < rows.width; j++) {
      const difference = Math.abs(ours[r * rows.width + j]! - theirs[r * (rows.width + 1) + j]!);
      features = Math.max(features, difference);
    }
    bias = Math.max(bias, Math.abs(explainer.base - theirs[r * (rows.width + 1) + rows.width]!));
  }
  return { features, bias };
}

/** Every `every`-th value of column `column` made missing (NaN). */
function withMissing(rows: EncodedRows, column: number, every: number): EncodedRows {
  const data = rows.data.slice();
  for (let r = 0; r < rows.rows; r += every) data[r * rows.width + column] = NaN;
  return { ...rows, data };
}

describe('TreeSHAP on a booster trained on flights', () => {
  let flights: ScheduledFlight[];
  let names: string[];
  let encode: (flights: readonly ScheduledFlight[]) => EncodedRows;
  let booster: Booster;
  let explainer: TreeExplainer;
  let compared: EncodedRows;
  let labels: Float32Array;

  beforeAll(async () => {
    const dataset = hasSharedData
      ? await readDataset(SHARED_DATA)
      : await syntheticDataset(TRAIN_ROWS + COMPARED_ROWS);
    flights = dataset.flights.map((flight) => flight.record);
    names = featureNames(flights);
    encode = flightEncoder(names);
    // Missing hours in training give the hour's splits default directions both ways.
    const hour = names.indexOf('hora');
    const train = withMissing(encode(flights.slice(0, TRAIN_ROWS)), hour, 7);
    labels = Float32Array.from(dataset.flights.slice(0, TRAIN_ROWS), (f) => f.delayed);
    booster = fit({ x: train, y: labels }, { params: PARAMS, rounds: 60 }).booster;
    explainer = treeExplainer(readXgboostModel(JSON.parse(booster.toJson())));
    compared = encode(flights.slice(-COMPARED_ROWS));
  });
  afterAll(() => booster.free());

  it(`gives XGBoost's contributions and bias on ${COMPARED_ROWS} held-out flights`, () => {
    expect(compared.rows).toBe(COMPARED_ROWS);
    const { features, bias } = largestDifferences(explainer, booster, compared);
    expect(features).toBeLessThanOrEqual(TOLERANCE);
    expect(bias).toBeLessThanOrEqual(TOLERANCE);
  });

  it('follows the default direction of a missing value, as XGBoost does', () => {
    const missing = withMissing(compared, names.indexOf('hora'), 3);
    expect(largestDifferences(explainer, booster, missing).features).toBeLessThanOrEqual(TOLERANCE);
  });

  it('adds up to the margin XGBoost computes for any flight (base + contributions)', () => {
    const seen = (column: 'OPERA' | 'SIGLADES') => [...new Set(flights.map((f) => f[column]))];
    const flight = fc.record({
      OPERA: fc.constantFrom(...seen('OPERA')),
      TIPOVUELO: fc.constantFrom('I', 'N'),
      // An offset names one instant, so every generated time exists in Santiago.
      'Fecha-I': fc
        .date({ min: new Date('1970-01-02'), max: new Date('2100-12-30'), noInvalidDate: true })
        .map((date) => `${date.toISOString().slice(0, 19)}Z`),
      SIGLADES: fc.oneof(fc.constantFrom(...seen('SIGLADES')), fc.constant('Nowhere')),
    });
    fc.assert(
      fc.property(fc.array(flight, { minLength: 1, maxLength: 20 }), (batch) => {
        const rows = encode(batch);
        const matrix = DMatrix.fromRows(rows);
        const margins = booster.predictMargin(matrix);
        matrix.free();
        const contributions = explainer.contributions(rows.data, rows.rows);
        margins.forEach((margin, r) => {
          const row = contributions.subarray(r * rows.width, (r + 1) * rows.width);
          const total = row.reduce((sum, value) => sum + value, explainer.base);
          expect(Math.abs(total - margin)).toBeLessThanOrEqual(TOLERANCE);
        });
      }),
      { numRuns: 100 },
    );
  });

  it('is exact for deeper trees too (depth 12)', () => {
    const train = encode(flights.slice(0, TRAIN_ROWS));
    const params = { ...PARAMS, max_depth: '12', min_child_weight: '0', eta: '0.3' };
    const deep = fit({ x: train, y: labels }, { params, rounds: 10 }).booster;
    const rows = { ...compared, data: compared.data.subarray(0, 500 * compared.width), rows: 500 };
    const differences = largestDifferences(
      treeExplainer(readXgboostModel(JSON.parse(deep.toJson()))),
      deep,
      rows,
    );
    deep.free();
    expect(differences.features).toBeLessThanOrEqual(TOLERANCE);
  });

  it('refuses rows of another width', () => {
    expect(() => explainer.contributions(new Float32Array(names.length + 1), 1)).toThrow(
      RangeError,
    );
  });
});

describe('TreeSHAP on the seed production model (XGBoost 1.7.4)', () => {
  it("gives XGBoost's contributions on 1,024 rows of its 37 one-hot columns", async () => {
    const json = await readFile('models/baseline/seed-xgb-upsampling.model.json', 'utf8');
    const model = readXgboostModel(JSON.parse(json));
    const booster = Booster.fromJson(json);
    // Row r sets column j when bit j of r·2654435761 is set: varied, repeatable, 0/1 like the seed.
    const rows = 1_024;
    const data = Float32Array.from({ length: rows * model.numFeature }, (_, i) => {
      const [r, j] = [Math.floor(i / model.numFeature), i % model.numFeature];
      return Number((BigInt(r) * 2654435761n * 40503n) >> BigInt(j % 48)) & 1;
    });
    const differences = largestDifferences(treeExplainer(model), booster, {
      data,
      rows,
      width: model.numFeature,
    });
    booster.free();
    expect(differences.features).toBeLessThanOrEqual(TOLERANCE);
    expect(differences.bias).toBeLessThanOrEqual(TOLERANCE);
  });
});
