/**
 * Writes a validated XGBoost `binary:logistic` ensemble as one ONNX `ai.onnx.ml`
 * `TreeEnsembleClassifier` node, encoded with onnx-proto (protobufjs).
 */
// onnx-proto is CommonJS: its runtime namespace comes through the default import, its types by name.
import onnxProto, { type onnx } from 'onnx-proto';
import {
  readXgboostModel,
  XgboostModelError,
  type XgboostBinaryModel,
  type XgboostNode,
  type XgboostTree,
} from '../../functions/xgboost-json.js';

const { ModelProto, AttributeProto, TensorProto } = onnxProto.onnx;
const { AttributeType } = AttributeProto;
const { DataType } = TensorProto;

/** Input tensor: float32 `[N, num_feature]`; NaN means missing. */
export const ONNX_INPUT = 'input';
/** Output tensor: float32 `[N, 2]`, `[P(on time), P(delayed)]`. */
export const ONNX_PROBABILITIES = 'probabilities';
/** Output tensor: int64 `[N]`, 1 when the margin is > 0 (P(delayed) > 0.5). */
export const ONNX_LABEL = 'label';
/**
 * Operator sets the model imports. The default domain is declared by convention (no node uses it);
 * 17 and ai.onnx.ml 3 are the pair ONNX 1.12 ships with IR version 8.
 */
export const ONNX_OPSETS: Readonly<Record<string, number>> = { '': 17, 'ai.onnx.ml': 3 };
/** IR version 8: the newest onnx-proto 8 (ONNX 1.10 protos) describes; onnxruntime reads it. */
export const ONNX_IR_VERSION = 8;

const ML_DOMAIN = 'ai.onnx.ml';
const BATCH = 'N';
const utf8 = new TextEncoder();

function ints(name: string, values: number[]): onnx.IAttributeProto {
  return { name, type: AttributeType.INTS, ints: values };
}

function floats(name: string, values: number[]): onnx.IAttributeProto {
  return { name, type: AttributeType.FLOATS, floats: values };
}

function strings(name: string, values: string[]): onnx.IAttributeProto {
  return { name, type: AttributeType.STRINGS, strings: values.map((value) => utf8.encode(value)) };
}

function text(name: string, value: string): onnx.IAttributeProto {
  return { name, type: AttributeType.STRING, s: utf8.encode(value) };
}

function tensorInfo(
  name: string,
  elemType: onnx.TensorProto.DataType,
  dims: (number | string)[],
): onnx.IValueInfoProto {
  const dim = dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d }));
  return { name, type: { tensorType: { elemType, shape: { dim } } } };
}

/**
 * onnxruntime requires each tree's node ids to run 0, 1, 2…; XGBoost's have gaps where it deleted
 * pruned nodes. Renumbers by position, which leaves a tree without gaps unchanged.
 */
function denseIds(tree: XgboostTree): XgboostTree {
  const position = new Map(tree.map((node, i) => [node.id, i]));
  // Non-null: the reader only returns children that are nodes of the same tree.
  const dense = (id: number): number => position.get(id)!;
  return tree.map((node) =>
    node.kind === 'leaf'
      ? { ...node, id: dense(node.id) }
      : { ...node, id: dense(node.id), left: dense(node.left), right: dense(node.right) },
  );
}

/**
 * The `nodes_*` and `class_*` attributes. XGBoost goes left when `x < threshold` in float32, so
 * splits are BRANCH_LT with the left child as the true branch, and `default_left` becomes
 * `nodes_missing_value_tracks_true`. Every leaf votes for class 0 only; with two class labels,
 * onnxruntime reads that as the binary case: score = base value + sum of votes, probabilities
 * `[sigmoid(-score), sigmoid(score)]` under LOGISTIC, label 1 when score > 0.
 */
function treeAttributes(trees: XgboostTree[], slope: number): onnx.IAttributeProto[] {
  const nodes = trees.flatMap((tree, t) => denseIds(tree).map((node) => ({ tree: t, node })));
  const leaves = nodes.flatMap(({ tree, node }) => (node.kind === 'leaf' ? [{ tree, node }] : []));
  const treeOf = (entry: { tree: number }): number => entry.tree;
  const idOf = (entry: { node: XgboostNode }): number => entry.node.id;
  // Leaves carry 0 in every split column: onnxruntime ignores those entries for LEAF nodes.
  const splitColumn = (key: 'feature' | 'threshold' | 'left' | 'right'): number[] =>
    nodes.map(({ node }) => (node.kind === 'split' ? node[key] : 0));
  const modes = nodes.map(({ node }) => (node.kind === 'split' ? 'BRANCH_LT' : 'LEAF'));
  const missingTracksTrue = nodes.map(({ node }) =>
    node.kind === 'split' && node.missingGoesLeft ? 1 : 0,
  );
  const weights = leaves.map(({ node }) => slope * node.value);
  checkSomeLeafNegative(weights);
  return [
    ints('nodes_treeids', nodes.map(treeOf)),
    ints('nodes_nodeids', nodes.map(idOf)),
    ints('nodes_featureids', splitColumn('feature')),
    floats('nodes_values', splitColumn('threshold')),
    strings('nodes_modes', modes),
    ints('nodes_truenodeids', splitColumn('left')),
    ints('nodes_falsenodeids', splitColumn('right')),
    ints('nodes_missing_value_tracks_true', missingTracksTrue),
    ints('class_treeids', leaves.map(treeOf)),
    ints('class_nodeids', leaves.map(idOf)),
    ints('class_ids', new Array<number>(leaves.length).fill(0)),
    floats('class_weights', weights),
  ];
}

/**
 * When no class weight is negative, onnxruntime takes the weights for probabilities and labels the
 * row 1 when the score exceeds 0.5 rather than 0 (measured with onnxruntime-node 1.30), so such a
 * model's ONNX labels would disagree with XGBoost. Real ensembles have negative leaves; refuse the
 * rest instead of exporting wrong labels.
 */
function checkSomeLeafNegative(weights: number[]): void {
  if (!weights.some((weight) => weight < 0)) {
    throw new XgboostModelError(
      'Cannot export a model with no negative leaf value: onnxruntime would label rows by ' +
        'score > 0.5 instead of score > 0',
    );
  }
}

/** The margin XGBoost starts from: logit of the base_score probability. */
function baseMargin(baseScore: number): number {
  return Math.log(baseScore / (1 - baseScore));
}

export interface OnnxOptions {
  /** The graph's name. */
  name?: string;
  /**
   * A Platt step, sigmoid(slope · margin + intercept), folded into the trees: every leaf times the
   * slope, the base margin times the slope plus the intercept. Serving stays one tree node.
   */
  calibration?: { slope: number; intercept: number };
}

/**
 * Encodes an already validated ensemble (see {@link readXgboostModel}) as ONNX bytes.
 * The output is a pure function of the input: no timestamps or random ids.
 * @throws XgboostModelError when the calibration's slope is not positive (it would reverse the
 *   ranking).
 */
export function encodeOnnx(xgb: XgboostBinaryModel, options: OnnxOptions = {}): Uint8Array {
  const name = options.name ?? 'xgboost';
  const { slope, intercept } = options.calibration ?? { slope: 1, intercept: 0 };
  if (!(slope > 0)) throw new XgboostModelError(`calibration slope must be > 0, got ${slope}`);
  const classifier: onnx.INodeProto = {
    name: 'tree_ensemble',
    opType: 'TreeEnsembleClassifier',
    domain: ML_DOMAIN,
    input: [ONNX_INPUT],
    output: [ONNX_LABEL, ONNX_PROBABILITIES],
    attribute: [
      ...treeAttributes(xgb.trees, slope),
      ints('classlabels_int64s', [0, 1]),
      text('post_transform', 'LOGISTIC'),
      floats('base_values', [slope * baseMargin(xgb.baseScore) + intercept]),
    ],
  };
  const model = ModelProto.create({
    irVersion: ONNX_IR_VERSION,
    opsetImport: Object.entries(ONNX_OPSETS).map(([domain, version]) => ({ domain, version })),
    producerName: 'scl-delay-predictor xgboost-to-onnx',
    docString:
      `XGBoost ${xgb.version} binary:logistic model: ${xgb.trees.length} trees, ` +
      `${xgb.numFeature} features, base_score ${xgb.baseScore}` +
      (options.calibration ? `; Platt calibration slope ${slope}, intercept ${intercept}` : ''),
    graph: {
      name,
      node: [classifier],
      input: [tensorInfo(ONNX_INPUT, DataType.FLOAT, [BATCH, xgb.numFeature])],
      output: [
        tensorInfo(ONNX_LABEL, DataType.INT64, [BATCH]),
        tensorInfo(ONNX_PROBABILITIES, DataType.FLOAT, [BATCH, 2]),
      ],
    },
  });
  return ModelProto.encode(model).finish();
}

/** Converts a parsed XGBoost JSON model (XGBoost's own JSON model format) to ONNX bytes. */
export function xgboostToOnnx(model: unknown, options?: OnnxOptions): Uint8Array {
  return encodeOnnx(readXgboostModel(model), options);
}
