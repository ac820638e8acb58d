import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { readXgboostModel, XgboostModelError } from '../../functions/xgboost-json.js';
import {
  MISSING_LEFT_TREE,
  MISSING_RIGHT_TREE,
  xgboostJson,
  type XgboostJson,
} from '../scripts/onnx/tiny-xgboost-model.js';

const REFERENCE_MODEL = 'models/baseline/seed-xgb-upsampling.model.json';

const validModel = (): XgboostJson =>
  xgboostJson({ trees: [MISSING_RIGHT_TREE, MISSING_LEFT_TREE], baseScore: '2.5E-1' });
const tree = (model: XgboostJson, t: number) => model.learner.gradient_booster.model.trees[t]!;

/** Every key path of a JSON value, arrays read through their first element. */
function keyPaths(value: unknown, prefix = ''): string[] {
  if (Array.isArray(value)) return value.length > 0 ? keyPaths(value[0], `${prefix}[]`) : [];
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, child]) => [
    `${prefix}.${key}`,
    ...keyPaths(child, `${prefix}.${key}`),
  ]);
}

describe('readXgboostModel', () => {
  it('reads the seed model saved by XGBoost 1.7.4', async () => {
    const model = readXgboostModel(JSON.parse(await readFile(REFERENCE_MODEL, 'utf8')));
    expect(model).toMatchObject({ version: '1.7.4', numFeature: 37, baseScore: 0.5 });
    expect(model.trees).toHaveLength(100);
    // Tree 0 of the file has num_nodes 135 and num_deleted 0: every node is reachable.
    expect(model.trees[0]).toHaveLength(135);
    expect(model.trees[0]![0]).toMatchObject({ kind: 'split', id: 0, feature: 23, threshold: 0.5 });
    // The root's sum_hessian in the file.
    expect(model.trees[0]![0]!.cover).toBe(14336.5);
  });

  it('is tested with hand-written models laid out like XGBoost 1.7.4 writes them', async () => {
    const reference: unknown = JSON.parse(await readFile(REFERENCE_MODEL, 'utf8'));
    const handWritten = xgboostJson({ trees: [MISSING_RIGHT_TREE], numFeature: 37 });
    // The seed's attributes (best_iteration…) and feature names are optional extras.
    const optional = /^\.learner\.(attributes|feature_names|feature_types)\./;
    expect(keyPaths(handWritten)).toEqual(keyPaths(reference).filter((p) => !optional.test(p)));
  });

  it('reads the default directions and leaves of a hand-written tree', () => {
    expect(readXgboostModel(validModel()).trees).toEqual([
      [
        {
          kind: 'split',
          id: 0,
          feature: 0,
          threshold: 0.5,
          left: 1,
          right: 2,
          missingGoesLeft: false,
          cover: 1,
        },
        { kind: 'leaf', id: 1, value: -0.4, cover: 1 },
        { kind: 'leaf', id: 2, value: 1.5, cover: 1 },
      ],
      [
        {
          kind: 'split',
          id: 0,
          feature: 1,
          threshold: 1.5,
          left: 1,
          right: 2,
          missingGoesLeft: true,
          cover: 1,
        },
        { kind: 'leaf', id: 1, value: 0.6, cover: 1 },
        { kind: 'leaf', id: 2, value: -0.3, cover: 1 },
      ],
    ]);
  });

  const rejections: { name: string; change: (model: XgboostJson) => void; message: RegExp }[] = [
    {
      name: 'a multi-class objective',
      change: (m) => (m.learner.objective.name = 'multi:softprob'),
      message: /^Unsupported objective "multi:softprob": only binary:logistic is supported$/,
    },
    {
      name: 'a regression objective',
      change: (m) => (m.learner.objective.name = 'reg:squarederror'),
      message: /^Unsupported objective "reg:squarederror"/,
    },
    {
      name: 'a ranking objective',
      change: (m) => (m.learner.objective.name = 'rank:pairwise'),
      message: /^Unsupported objective "rank:pairwise"/,
    },
    {
      name: 'num_class above 1',
      change: (m) => (m.learner.learner_model_param.num_class = '3'),
      message: /^Unsupported multi-class model \(num_class 3\)$/,
    },
    {
      name: 'several targets',
      change: (m) => (m.learner.learner_model_param.num_target = '2'),
      message: /^Unsupported multi-target model \(num_target 2\)$/,
    },
    {
      name: 'a linear booster',
      change: (m) => (m.learner.gradient_booster.name = 'gblinear'),
      message: /^Unsupported booster "gblinear": only gbtree is supported$/,
    },
    {
      name: 'a categorical split',
      change: (m) => (tree(m, 1).split_type[0] = 1),
      message: /^tree 1 node 0: categorical splits are not supported$/,
    },
    {
      name: 'vector leaves',
      change: (m) => (tree(m, 0).tree_param.size_leaf_vector = '2'),
      message: /^Unsupported vector-leaf trees \(tree 0: tree_param.size_leaf_vector 2\)$/,
    },
    {
      name: 'a column shorter than num_nodes',
      change: (m) => tree(m, 1).right_children.pop(),
      message: /^tree 1: right_children has 2 entries but num_nodes is 3$/,
    },
    {
      name: 'num_nodes larger than the columns',
      change: (m) => (tree(m, 0).tree_param.num_nodes = '4'),
      message: /^tree 0: split_type has 3 entries but num_nodes is 4$/,
    },
    {
      name: 'a child index out of range',
      change: (m) => (tree(m, 1).right_children[0] = 7),
      message: /^tree 1 node 0: right child 7 is out of range \(the tree has 3 nodes\)$/,
    },
    {
      name: 'a split with one child',
      change: (m) => (tree(m, 0).left_children[0] = -1),
      message: /^tree 0 node 0: left child -1 is out of range/,
    },
    {
      name: 'a cycle back to the root',
      change: (m) => {
        tree(m, 0).left_children[2] = 0;
        tree(m, 0).right_children[2] = 1;
      },
      message: /^tree 0 node \d: reached twice/,
    },
    {
      name: 'a node shared by two parents',
      change: (m) => (tree(m, 0).right_children[0] = 1),
      message: /^tree 0 node 1: reached twice \(children form a cycle or share a node\)$/,
    },
    {
      name: 'a split feature beyond num_feature',
      change: (m) => (tree(m, 1).split_indices[0] = 2),
      message: /^tree 1 node 0: split feature 2 is out of range \(num_feature is 2\)$/,
    },
    {
      name: 'a non-numeric split condition',
      change: (m) => ((tree(m, 0).split_conditions as unknown[])[1] = '0.5'),
      message: /^tree 0: split_conditions\[1\] must be a number$/,
    },
    {
      name: 'a missing hessian sum',
      change: (m) => ((tree(m, 1).sum_hessian as unknown[])[2] = null),
      message: /^tree 1: sum_hessian\[2\] must be a number$/,
    },
    {
      name: 'num_trees disagreeing with the trees',
      change: (m) => (m.learner.gradient_booster.model.gbtree_model_param.num_trees = '3'),
      message: /num_trees is 3 but there are 2 trees and 2 tree_info entries$/,
    },
    {
      name: 'a missing num_feature',
      change: (m) =>
        delete (m.learner.learner_model_param as Partial<{ num_feature: string }>).num_feature,
      message: /^learner\.learner_model_param\.num_feature is missing$/,
    },
    {
      name: 'a base_score that is not a probability',
      change: (m) => (m.learner.learner_model_param.base_score = '1E0'),
      message: /^learner\.learner_model_param\.base_score must be one probability .*, got "1E0"$/,
    },
    {
      name: 'a base_score vector with two entries',
      change: (m) => (m.learner.learner_model_param.base_score = '[5E-1,5E-1]'),
      message: /base_score must be one probability .*, got "\[5E-1,5E-1\]"$/,
    },
    {
      name: 'a missing version',
      change: (m) => delete (m as Partial<XgboostJson>).version,
      message: /^Not an XGBoost JSON model: "version" must be \[major, minor, patch\]$/,
    },
  ];

  it.each(rejections)('rejects $name', ({ change, message }) => {
    const model = validModel();
    change(model);
    expect(() => readXgboostModel(model)).toThrow(XgboostModelError);
    expect(() => readXgboostModel(model)).toThrow(message);
  });

  it('rejects a node unreachable from the root that num_deleted does not account for', () => {
    const model = xgboostJson({ trees: [MISSING_LEFT_TREE, [...MISSING_RIGHT_TREE, { leaf: 9 }]] });
    expect(() => readXgboostModel(model)).toThrow(
      /^tree 1: 1 of 4 nodes are unreachable from the root, but num_deleted is 0$/,
    );
    tree(model, 1).tree_param.num_deleted = '1';
    expect(readXgboostModel(model).trees[1]).toHaveLength(3);
  });

  it.each([null, [], 'model', {}, { version: [1, 7, 4] }])('rejects %j as not a model', (json) => {
    expect(() => readXgboostModel(json)).toThrow(/^Not an XGBoost JSON model/);
  });
});
