/**
 * Reads and validates XGBoost's own JSON model format (`Booster.save_model('m.json')`), keeping the
 * subset the explainer (functions/explain) and the ONNX exporter (scripts/onnx) support: a
 * `gbtree` booster with the `binary:logistic` objective and numeric splits. Anything else is
 * rejected with a message naming what is unsupported or, for a malformed tree, the tree and node.
 * It lives with the function because the function parses the served models' trees at run time.
 */

/** A split node: XGBoost goes left when the float32 feature value is `< threshold`. */
export interface XgboostSplit {
  kind: 'split';
  /** XGBoost's node index within its tree. */
  id: number;
  feature: number;
  threshold: number;
  left: number;
  right: number;
  /** Where a missing (NaN) value goes: XGBoost's `default_left`. */
  missingGoesLeft: boolean;
  /** XGBoost's `sum_hessian`: the training rows' hessian reaching the node, which TreeSHAP weighs by. */
  cover: number;
}

/** A leaf: its value is added to the margin (log-odds) of every row that reaches it. */
export interface XgboostLeaf {
  kind: 'leaf';
  id: number;
  value: number;
  /** XGBoost's `sum_hessian`, as for a split. */
  cover: number;
}

export type XgboostNode = XgboostSplit | XgboostLeaf;

/** The nodes reachable from the root, in XGBoost's id order (root first); pruned slots are left out. */
export type XgboostTree = XgboostNode[];

/** A validated XGBoost `binary:logistic` tree ensemble. */
export interface XgboostBinaryModel {
  /** Version of XGBoost that saved the model, e.g. `1.7.4`. */
  version: string;
  numFeature: number;
  /** XGBoost's `base_score`: P(positive) before any tree, so the margin starts at logit(baseScore). */
  baseScore: number;
  trees: XgboostTree[];
}

/** The input is not an XGBoost JSON model this exporter supports; the message says why. */
export class XgboostModelError extends Error {
  override name = 'XgboostModelError';
}

type JsonObject = Record<string, unknown>;

/** XGBoost writes `left_children`/`right_children` entries of -1 for "no child". */
const NO_CHILD = -1;

function fail(message: string): never {
  throw new XgboostModelError(message);
}

function object(value: unknown, path: string): JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    fail(`${path} must be a JSON object`);
  }
  return value as JsonObject;
}

function member(parent: JsonObject, key: string, path: string): unknown {
  if (!(key in parent)) fail(`${path}.${key} is missing`);
  return parent[key];
}

function string(parent: JsonObject, key: string, path: string): string {
  const value = member(parent, key, path);
  if (typeof value !== 'string') fail(`${path}.${key} must be a string`);
  return value;
}

/** XGBoost stores its parameters as decimal strings (`"num_feature": "37"`). */
function integerParam(parent: JsonObject, key: string, path: string): number {
  const value = string(parent, key, path);
  if (!/^\d+$/.test(value)) fail(`${path}.${key} must be a non-negative integer, got "${value}"`);
  return Number(value);
}

function array(value: unknown, path: string, length?: number): unknown[] {
  if (!Array.isArray(value)) fail(`${path} must be an array`);
  if (length !== undefined && value.length !== length) {
    fail(`${path} has ${value.length} entries but num_nodes is ${length}`);
  }
  return value;
}

function numbers(value: unknown, path: string, length?: number): number[] {
  return array(value, path, length).map((item, i) => {
    if (typeof item !== 'number' || !Number.isFinite(item)) fail(`${path}[${i}] must be a number`);
    return item;
  });
}

function integers(value: unknown, path: string, length?: number): number[] {
  return numbers(value, path, length).map((item, i) => {
    if (!Number.isInteger(item)) fail(`${path}[${i}] must be an integer, got ${item}`);
    return item;
  });
}

/** XGBoost 1.x writes `default_left` as 0/1; its published schema describes booleans. */
function flags(value: unknown, path: string, length: number): boolean[] {
  return array(value, path, length).map((item, i) => {
    if (item === 0 || item === 1 || typeof item === 'boolean') return Boolean(item);
    fail(`${path}[${i}] must be 0, 1, true or false`);
  });
}

function readVersion(root: JsonObject): string {
  const version = root['version'];
  if (!Array.isArray(version) || version.length !== 3 || !version.every(Number.isInteger)) {
    fail('Not an XGBoost JSON model: "version" must be [major, minor, patch]');
  }
  if ((version[0] as number) < 1) {
    fail(`Unsupported XGBoost version ${version.join('.')}: the JSON model format starts at 1.0`);
  }
  return version.join('.');
}

/**
 * XGBoost 1.x stores base_score as a probability string ("5E-1"); 2.x and later may write a
 * one-element vector ("[5E-1]"). For `binary:logistic` it must lie strictly between 0 and 1.
 */
function readBaseScore(param: JsonObject, path: string): number {
  const text = string(param, 'base_score', path);
  const scalar = /^\[(.*)\]$/.exec(text)?.[1] ?? text;
  const value = scalar.trim() === '' ? NaN : Number(scalar);
  if (!(value > 0 && value < 1)) {
    fail(`${path}.base_score must be one probability strictly between 0 and 1, got "${text}"`);
  }
  return value;
}

function checkObjective(learner: JsonObject): void {
  const objective = object(member(learner, 'objective', 'learner'), 'learner.objective');
  const name = string(objective, 'name', 'learner.objective');
  if (name !== 'binary:logistic') {
    fail(`Unsupported objective "${name}": only binary:logistic is supported`);
  }
}

function checkOutputShape(param: JsonObject, path: string): void {
  const numClass = integerParam(param, 'num_class', path);
  if (numClass > 1) fail(`Unsupported multi-class model (num_class ${numClass})`);
  if ('num_target' in param) {
    const numTarget = integerParam(param, 'num_target', path);
    if (numTarget !== 1) fail(`Unsupported multi-target model (num_target ${numTarget})`);
  }
}

/** XGBoost 1.x writes size_leaf_vector 0 for scalar leaves, 2.x writes 1; more means vector leaves. */
function checkScalarLeaves(param: JsonObject, path: string): void {
  if (!('size_leaf_vector' in param)) return;
  const size = integerParam(param, 'size_leaf_vector', path);
  if (size > 1) fail(`Unsupported vector-leaf trees (${path}.size_leaf_vector ${size})`);
}

interface TreeColumns {
  left: number[];
  right: number[];
  feature: number[];
  condition: number[];
  defaultLeft: boolean[];
  cover: number[];
}

function readColumns(tree: JsonObject, t: number, numNodes: number): TreeColumns {
  const column = (key: string): unknown => member(tree, key, `tree ${t}`);
  const path = (key: string): string => `tree ${t}: ${key}`;
  if ('split_type' in tree) {
    const splitTypes = integers(column('split_type'), path('split_type'), numNodes);
    const categorical = splitTypes.findIndex((type) => type !== 0);
    if (categorical !== -1) {
      fail(`tree ${t} node ${categorical}: categorical splits are not supported`);
    }
  }
  return {
    left: integers(column('left_children'), path('left_children'), numNodes),
    right: integers(column('right_children'), path('right_children'), numNodes),
    feature: integers(column('split_indices'), path('split_indices'), numNodes),
    condition: numbers(column('split_conditions'), path('split_conditions'), numNodes),
    defaultLeft: flags(column('default_left'), path('default_left'), numNodes),
    cover: numbers(column('sum_hessian'), path('sum_hessian'), numNodes),
  };
}

function checkChild(child: number, side: string, at: string, numNodes: number): void {
  if (child < 0 || child >= numNodes) {
    fail(`${at}: ${side} child ${child} is out of range (the tree has ${numNodes} nodes)`);
  }
}

/** Walks the tree from its root, so every node is checked once and unreachable slots are left out. */
function readNodes(
  columns: TreeColumns,
  t: number,
  numNodes: number,
  numFeature: number,
): XgboostTree {
  const nodes: XgboostTree = [];
  const seen = new Set<number>();
  const pending = [0];
  for (let id = pending.pop(); id !== undefined; id = pending.pop()) {
    const at = `tree ${t} node ${id}`;
    if (seen.has(id)) fail(`${at}: reached twice (children form a cycle or share a node)`);
    seen.add(id);
    // Non-null: `id` is range-checked before it is queued, and every column has num_nodes entries.
    const [left, right] = [columns.left[id]!, columns.right[id]!];
    if (left === NO_CHILD && right === NO_CHILD) {
      nodes.push({ kind: 'leaf', id, value: columns.condition[id]!, cover: columns.cover[id]! });
      continue;
    }
    checkChild(left, 'left', at, numNodes);
    checkChild(right, 'right', at, numNodes);
    const feature = columns.feature[id]!;
    if (feature >= numFeature || feature < 0) {
      fail(`${at}: split feature ${feature} is out of range (num_feature is ${numFeature})`);
    }
    const threshold = columns.condition[id]!;
    nodes.push({
      kind: 'split',
      id,
      feature,
      threshold,
      left,
      right,
      missingGoesLeft: columns.defaultLeft[id]!,
      cover: columns.cover[id]!,
    });
    pending.push(right, left);
  }
  return nodes.sort((a, b) => a.id - b.id);
}

function readTree(value: unknown, t: number, numFeature: number): XgboostTree {
  const tree = object(value, `tree ${t}`);
  const paramPath = `tree ${t}: tree_param`;
  const param = object(member(tree, 'tree_param', `tree ${t}`), paramPath);
  checkScalarLeaves(param, paramPath);
  const numNodes = integerParam(param, 'num_nodes', paramPath);
  const numDeleted = 'num_deleted' in param ? integerParam(param, 'num_deleted', paramPath) : 0;
  if (numNodes === 0) fail(`tree ${t} has no nodes`);
  const nodes = readNodes(readColumns(tree, t, numNodes), t, numNodes, numFeature);
  if (nodes.length !== numNodes - numDeleted) {
    fail(
      `tree ${t}: ${numNodes - nodes.length} of ${numNodes} nodes are unreachable from the root, ` +
        `but num_deleted is ${numDeleted}`,
    );
  }
  return nodes;
}

function readTrees(booster: JsonObject, numFeature: number): XgboostTree[] {
  const modelPath = 'learner.gradient_booster.model';
  const model = object(member(booster, 'model', 'learner.gradient_booster'), modelPath);
  const paramPath = `${modelPath}.gbtree_model_param`;
  const param = object(member(model, 'gbtree_model_param', modelPath), paramPath);
  checkScalarLeaves(param, paramPath);
  const numTrees = integerParam(param, 'num_trees', paramPath);
  const trees = array(member(model, 'trees', modelPath), `${modelPath}.trees`);
  const treeInfo = integers(member(model, 'tree_info', modelPath), `${modelPath}.tree_info`);
  if (trees.length !== numTrees || treeInfo.length !== numTrees) {
    fail(
      `${modelPath} is inconsistent: num_trees is ${numTrees} but there are ${trees.length} ` +
        `trees and ${treeInfo.length} tree_info entries`,
    );
  }
  // tree_info is each tree's output group; a binary model has one group, 0.
  const otherGroup = treeInfo.findIndex((group) => group !== 0);
  if (otherGroup !== -1)
    fail(`tree ${otherGroup}: tree_info is ${treeInfo[otherGroup]}, expected 0`);
  return trees.map((tree, t) => readTree(tree, t, numFeature));
}

/**
 * Validates a parsed XGBoost JSON model and returns its trees.
 * @throws {XgboostModelError} for anything unsupported or malformed, naming what and where.
 */
export function readXgboostModel(json: unknown): XgboostBinaryModel {
  if (typeof json !== 'object' || json === null || !('learner' in json)) {
    fail('Not an XGBoost JSON model: expected an object with "learner" and "version"');
  }
  const root = json as JsonObject;
  const version = readVersion(root);
  const learner = object(root['learner'], 'learner');
  checkObjective(learner);
  const booster = object(
    member(learner, 'gradient_booster', 'learner'),
    'learner.gradient_booster',
  );
  const boosterName = string(booster, 'name', 'learner.gradient_booster');
  if (boosterName !== 'gbtree') {
    fail(`Unsupported booster "${boosterName}": only gbtree is supported`);
  }
  const paramPath = 'learner.learner_model_param';
  const param = object(member(learner, 'learner_model_param', 'learner'), paramPath);
  checkOutputShape(param, paramPath);
  const numFeature = integerParam(param, 'num_feature', paramPath);
  if (numFeature === 0) fail(`${paramPath}.num_feature is 0`);
  const baseScore = readBaseScore(param, paramPath);
  return { version, numFeature, baseScore, trees: readTrees(booster, numFeature) };
}
