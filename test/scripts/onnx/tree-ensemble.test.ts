import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import {
  ONNX_INPUT,
  ONNX_LABEL,
  ONNX_PROBABILITIES,
  xgboostToOnnx,
} from '../../../scripts/onnx/tree-ensemble.js';
import {
  MISSING_LEFT_TREE,
  MISSING_RIGHT_TREE,
  xgboostJson,
  type NodeSpec,
} from './tiny-xgboost-model.js';

const REFERENCE_MODEL = 'models/baseline/seed-xgb-upsampling.model.json';
const REFERENCE_PREDICTIONS = 'test/fixtures/seed-xgb-upsampling.predictions.csv';

interface Prediction {
  /** [P(on time), P(delayed)] */
  probabilities: [number, number];
  label: number;
}

async function predict(onnxBytes: Uint8Array, rows: number[][]): Promise<Prediction[]> {
  const session = await InferenceSession.create(onnxBytes);
  try {
    const width = rows[0]?.length ?? 0;
    const input = new Tensor('float32', Float32Array.from(rows.flat()), [rows.length, width]);
    const output = await session.run({ [ONNX_INPUT]: input });
    const probabilities = output[ONNX_PROBABILITIES]?.data as Float32Array;
    const labels = output[ONNX_LABEL]?.data as BigInt64Array;
    return rows.map((_, i) => ({
      probabilities: [probabilities[2 * i]!, probabilities[2 * i + 1]!],
      label: Number(labels[i]),
    }));
  } finally {
    await session.release();
  }
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
const sigmoid = (margin: number): number => 1 / (1 + Math.exp(-margin));
const logit = (p: number): number => Math.log(p / (1 - p));

async function readReferenceModel(): Promise<unknown> {
  return JSON.parse(await readFile(REFERENCE_MODEL, 'utf8'));
}

describe('xgboostToOnnx on the seed model', () => {
  it('reproduces XGBoost 1.7.4 predict_proba within 1e-6 and every label', async () => {
    const records = parse<Record<string, string>>(await readFile(REFERENCE_PREDICTIONS, 'utf8'), {
      columns: true,
    });
    const features = Object.keys(records[0] ?? {}).filter((column) => /^x\d+$/.test(column));
    expect(records).toHaveLength(2052);
    expect(features).toHaveLength(37);

    const rows = records.map((record) => features.map((column) => Number(record[column])));
    const predictions = await predict(xgboostToOnnx(await readReferenceModel()), rows);

    const deltas = predictions.map((p, i) =>
      Math.abs(p.probabilities[1] - Number(records[i]!.proba)),
    );
    expect(Math.max(...deltas)).toBeLessThanOrEqual(1e-6);
    const expectedLabels = records.map((record) => Number(record.label));
    expect(predictions.map((p) => p.label)).toEqual(expectedLabels);
    expect(predictions.map((p) => (p.probabilities[1] > 0.5 ? 1 : 0))).toEqual(expectedLabels);
    for (const { probabilities } of predictions) {
      expect(probabilities[0] + probabilities[1]).toBeCloseTo(1, 6);
    }
  });

  it('folds a Platt step into the trees: sigmoid(slope × margin + intercept), labels by its sign', async () => {
    const records = parse<Record<string, string>>(await readFile(REFERENCE_PREDICTIONS, 'utf8'), {
      columns: true,
    });
    const features = Object.keys(records[0] ?? {}).filter((column) => /^x\d+$/.test(column));
    const rows = records.map((record) => features.map((column) => Number(record[column])));
    const calibration = { slope: 0.7, intercept: -0.4 };
    const model = await readReferenceModel();
    const predictions = await predict(xgboostToOnnx(model, { calibration }), rows);
    predictions.forEach(({ probabilities, label }, i) => {
      const margin = calibration.slope * logit(Number(records[i]!.proba)) + calibration.intercept;
      expect(probabilities[1]).toBeCloseTo(sigmoid(margin), 5);
      if (Math.abs(margin) > 1e-4) expect(label).toBe(margin > 0 ? 1 : 0);
    });
    expect(() => xgboostToOnnx(model, { calibration: { slope: 0, intercept: 0 } })).toThrow(
      /slope must be > 0/,
    );
  });

  it('gives byte-identical ONNX for the same model', async () => {
    const model = await readReferenceModel();
    const first = sha256(xgboostToOnnx(model));
    expect(sha256(xgboostToOnnx(structuredClone(model)))).toBe(first);
    expect(sha256(xgboostToOnnx(await readReferenceModel()))).toBe(first);
  });
});

describe('xgboostToOnnx on hand-written trees', () => {
  // Expected leaves are read off MISSING_RIGHT_TREE (x0 < 0.5 ? -0.4 : 1.5, NaN → right) and
  // MISSING_LEFT_TREE (x1 < 1.5 ? 0.6 : -0.3, NaN → left).
  const below05 = 0.5 - 2 ** -25; // the float32 just below 0.5
  const below15 = 1.5 - 2 ** -23; // the float32 just below 1.5
  const cases: { name: string; x: [number, number]; leaves: [number, number] }[] = [
    { name: 'below both thresholds goes left twice', x: [0, 1], leaves: [-0.4, 0.6] },
    {
      name: 'the float32 just below each threshold goes left',
      x: [below05, below15],
      leaves: [-0.4, 0.6],
    },
    {
      name: 'exactly at each threshold goes right (x < t is false)',
      x: [0.5, 1.5],
      leaves: [1.5, -0.3],
    },
    { name: 'missing x0 follows default right', x: [NaN, 1.5], leaves: [1.5, -0.3] },
    { name: 'missing x1 follows default left', x: [0.5, NaN], leaves: [1.5, 0.6] },
    { name: 'all missing follows both defaults', x: [NaN, NaN], leaves: [1.5, 0.6] },
    { name: 'missing x1 goes left even with x0 left', x: [0, NaN], leaves: [-0.4, 0.6] },
  ];

  // XGBoost 1.7 writes base_score as "2.5E-1"; newer versions write a one-element vector.
  describe.each(['2.5E-1', '[2.5E-1]'])('with base_score %s', (baseScore) => {
    const model = xgboostJson({ trees: [MISSING_RIGHT_TREE, MISSING_LEFT_TREE], baseScore });

    it.each(cases)('$name', async ({ x, leaves }) => {
      const margin = logit(0.25) + leaves[0] + leaves[1];
      const [prediction] = await predict(xgboostToOnnx(model), [x]);
      expect(prediction!.probabilities[1]).toBeCloseTo(sigmoid(margin), 6);
      expect(prediction!.probabilities[0]).toBeCloseTo(sigmoid(-margin), 6);
      expect(prediction!.label).toBe(margin > 0 ? 1 : 0);
    });
  });

  it('ignores slots XGBoost marked deleted (unreachable from the root)', async () => {
    const tree: NodeSpec[] = [
      { feature: 0, threshold: 0.5, left: 1, right: 3, missing: 'right' },
      { leaf: -0.4 },
      { leaf: 9 }, // a deleted slot: nothing points to it
      { leaf: 1.5 },
    ];
    const model = xgboostJson({ trees: [tree] });
    model.learner.gradient_booster.model.trees[0]!.tree_param.num_deleted = '1';
    const predictions = await predict(xgboostToOnnx(model), [
      [0, 0],
      [1, 0],
    ]);
    expect(predictions.map((p) => p.probabilities[1])).toEqual([
      expect.closeTo(sigmoid(-0.4), 6),
      expect.closeTo(sigmoid(1.5), 6),
    ]);
  });

  it('refuses a model with no negative leaf, which onnxruntime would mislabel', () => {
    const model = xgboostJson({
      trees: [
        [
          { feature: 0, threshold: 0.5, left: 1, right: 2, missing: 'left' },
          { leaf: 0.1 },
          { leaf: 0.2 },
        ],
      ],
    });
    expect(() => xgboostToOnnx(model)).toThrow(/no negative leaf value/);
  });
});
