/**
 * Hand-written XGBoost models for tests, laid out exactly like XGBoost 1.7.4's JSON model
 * (models/baseline/seed-xgb-upsampling.model.json), so expected outputs can be derived from the
 * tree definition by hand.
 */

/** A leaf value, or a split: XGBoost goes left when x[feature] < threshold, NaN goes `missing`. */
export type NodeSpec =
  | { leaf: number }
  | { feature: number; threshold: number; left: number; right: number; missing: 'left' | 'right' };

/** XGBoost's "no parent" marker for the root (2^31 - 1). */
const ROOT_PARENT = 2147483647;

function xgboostTree(nodes: NodeSpec[], id: number, numFeature: number) {
  const column = (
    leaf: (n: { leaf: number }) => number,
    split: (n: Exclude<NodeSpec, { leaf: number }>) => number,
  ) => nodes.map((n) => ('leaf' in n ? leaf(n) : split(n)));
  const parent = (i: number) =>
    nodes.findIndex((n) => !('leaf' in n) && (n.left === i || n.right === i));
  return {
    base_weights: column(
      (n) => n.leaf,
      () => 0,
    ),
    categories: [] as number[],
    categories_nodes: [] as number[],
    categories_segments: [] as number[],
    categories_sizes: [] as number[],
    default_left: column(
      () => 0,
      (n) => (n.missing === 'left' ? 1 : 0),
    ),
    id,
    left_children: column(
      () => -1,
      (n) => n.left,
    ),
    loss_changes: nodes.map(() => 0),
    parents: nodes.map((_, i) => (i === 0 ? ROOT_PARENT : parent(i))),
    right_children: column(
      () => -1,
      (n) => n.right,
    ),
    split_conditions: column(
      (n) => n.leaf,
      (n) => n.threshold,
    ),
    split_indices: column(
      () => 0,
      (n) => n.feature,
    ),
    split_type: nodes.map(() => 0),
    sum_hessian: nodes.map(() => 1),
    tree_param: {
      num_deleted: '0',
      num_feature: String(numFeature),
      num_nodes: String(nodes.length),
      size_leaf_vector: '0',
    },
  };
}

/** A `binary:logistic` gbtree model with the given trees, as XGBoost 1.7.4 saves it. */
export function xgboostJson({
  trees,
  baseScore = '5E-1',
  numFeature = 2,
}: {
  trees: NodeSpec[][];
  baseScore?: string;
  numFeature?: number;
}) {
  return {
    learner: {
      attributes: {},
      feature_names: [] as string[],
      feature_types: [] as string[],
      gradient_booster: {
        model: {
          gbtree_model_param: {
            num_parallel_tree: '1',
            num_trees: String(trees.length),
            size_leaf_vector: '0',
          },
          tree_info: trees.map(() => 0),
          trees: trees.map((nodes, id) => xgboostTree(nodes, id, numFeature)),
        },
        name: 'gbtree',
      },
      learner_model_param: {
        base_score: baseScore,
        boost_from_average: '1',
        num_class: '0',
        num_feature: String(numFeature),
        num_target: '1',
      },
      objective: { name: 'binary:logistic', reg_loss_param: { scale_pos_weight: '1' } },
    },
    version: [1, 7, 4],
  };
}

export type XgboostJson = ReturnType<typeof xgboostJson>;

/** Tree 0: x0 < 0.5 → -0.4, else 1.5; a missing x0 goes right. */
export const MISSING_RIGHT_TREE: NodeSpec[] = [
  { feature: 0, threshold: 0.5, left: 1, right: 2, missing: 'right' },
  { leaf: -0.4 },
  { leaf: 1.5 },
];

/** Tree 1: x1 < 1.5 → 0.6, else -0.3; a missing x1 goes left. */
export const MISSING_LEFT_TREE: NodeSpec[] = [
  { feature: 1, threshold: 1.5, left: 1, right: 2, missing: 'left' },
  { leaf: 0.6 },
  { leaf: -0.3 },
];
