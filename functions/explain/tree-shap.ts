/**
 * Exact path-dependent TreeSHAP (Lundberg et al. 2020, the values XGBoost's `pred_contribs`
 * computes) for an XGBoost tree ensemble, in O(nodes × depth) per row instead of Algorithm 2's
 * O(leaves × depth²).
 *
 * For a leaf of value v whose path tests the distinct features P (a feature tested twice counts
 * once, its tests merged), let z_j be the share of training cover that follows the path's tests
 * of feature j and o_j ∈ {0, 1} whether the row passes them. Feature i's Shapley value from that
 * leaf is
 *
 *   φ_i = v · (o_i − z_i) · ∫₀¹ Π_{j ∈ P, j ≠ i} (o_j·t + z_j·(1 − t)) dt
 *
 * (expanding the product gives the Shapley weights |S|!(|P|−|S|−1)!/|P|! as Beta integrals; the
 * Linear TreeSHAP formulation of Yu et al. 2022). The integrand is a polynomial of degree below
 * the depth, so Gauss–Legendre quadrature with ⌈depth / 2⌉ points (here rounded up to a multiple
 * of four) integrates it exactly. At each
 * quadrature point the products are built root to leaf, summed leaf to root, and each edge
 * divides its own factor back out of the sum of the leaves below it: one pass down and one pass
 * up per tree.
 */
import type { XgboostBinaryModel, XgboostTree } from '../xgboost-json.js';
import { gaussLegendre, type Quadrature } from './gauss-legendre.js';

/** Per-feature contributions to an ensemble's margin (log-odds). */
export interface TreeExplainer {
  /** Columns per row, as the model was trained. */
  numFeature: number;
  /** The expected margin over the training rows (XGBoost's bias column): base margin plus trees. */
  base: number;
  /**
   * For `rows` rows of `numFeature` floats (row-major, NaN = missing), each feature's contribution:
   * rows × numFeature values that, with {@link base}, sum to each row's margin.
   * @throws RangeError when `data` does not hold rows × numFeature values.
   */
  contributions(data: Float32Array, rows: number): Float64Array;
}

/** One node of one tree, in pre-order: a split's left child is the node after it. */
interface FlatNode extends Edge {
  /** Split feature, or {@link LEAF}. */
  feature: number;
  threshold: number;
  missingLeft: boolean;
  /** The right child's index in the tree. */
  right: number;
  /** A leaf's value. */
  value: number;
  /** Share of the root's cover that reaches the node. */
  reach: number;
  /** The nearest splits below that test the feature of the edge into this node (see `previous`). */
  nested: number[];
}

/** The edge from a node's parent into it (the root's parent is {@link NO_EDGE}). */
interface Edge {
  parent: number;
  isLeft: boolean;
  /**
   * The nearest edge above that tests the same feature, whose test this edge's merges with, or
   * {@link NO_EDGE}. The leaves below this edge count for the feature here, not there.
   */
  previous: number;
  /** z of the merged tests: this edge's share of its parent's cover times `previous`'s z. */
  zero: number;
}

const LEAF = -1;
const NO_EDGE = -1;

/** Flattens one tree into pre-order, deriving each edge's merged test. */
function flatten(tree: XgboostTree, t: number): FlatNode[] {
  const uncovered = tree.find((node) => !(node.cover > 0));
  if (uncovered) {
    throw new RangeError(`tree ${t} node ${uncovered.id} has cover ${uncovered.cover}, not > 0`);
  }
  // Non-null: the reader checked every child id, and the root (id 0) comes first.
  const byId = new Map(tree.map((node) => [node.id, node]));
  const root = tree[0]!;
  const flat: FlatNode[] = [];
  // For each feature tested on the path being visited, the edge below its deepest test.
  const lastEdge = new Map<number, number>();
  const visit = (id: number, edge: Edge): void => {
    const node = byId.get(id)!;
    const index = flat.length;
    flat.push({
      ...edge,
      feature: node.kind === 'split' ? node.feature : LEAF,
      threshold: node.kind === 'split' ? node.threshold : 0,
      missingLeft: node.kind === 'split' && node.missingGoesLeft,
      right: 0,
      value: node.kind === 'leaf' ? node.value : 0,
      reach: node.cover / root.cover,
      nested: [],
    });
    if (node.kind === 'leaf') return;
    const previous = lastEdge.get(node.feature) ?? NO_EDGE;
    if (previous !== NO_EDGE) flat[previous]!.nested.push(index);
    const merged = previous === NO_EDGE ? 1 : flat[previous]!.zero;
    const child = (childId: number, isLeft: boolean): number => {
      const at = flat.length;
      lastEdge.set(node.feature, at);
      const zero = (byId.get(childId)!.cover / node.cover) * merged;
      visit(childId, { parent: index, isLeft, previous, zero });
      return at;
    };
    child(node.left, true);
    flat[index]!.right = child(node.right, false);
    if (previous === NO_EDGE) lastEdge.delete(node.feature);
    else lastEdge.set(node.feature, previous);
  };
  visit(root.id, { parent: NO_EDGE, isLeft: false, previous: NO_EDGE, zero: 1 });
  return flat;
}

/** Edges on the longest root-to-leaf path: the most distinct features a leaf's path can test. */
function depth(trees: FlatNode[][]): number {
  let deepest = 0;
  for (const tree of trees) {
    const depths = tree.map(() => 0);
    tree.forEach((node, n) => {
      if (node.parent !== NO_EDGE) depths[n] = depths[node.parent]! + 1;
      deepest = Math.max(deepest, depths[n]!);
    });
  }
  return deepest;
}

/**
 * Gauss–Legendre points enough for a leaf's integrand (degree below `depth`: ⌈depth / 2⌉), in a
 * multiple of {@link GROUP}, so that the inner loops take them four at a time.
 */
function quadraturePoints(depth: number): number {
  return GROUP * Math.max(1, Math.ceil(depth / (2 * GROUP)));
}

/** The inner loops' unrolling: written out four points at a time, they run about twice as fast. */
const GROUP = 4;

/** Every tree's nodes in one set of typed arrays, indexed by node (tree after tree). */
interface Ensemble {
  /** Tree t's nodes are treeStart[t] … treeStart[t + 1] - 1. */
  treeStart: Int32Array;
  feature: Int32Array;
  threshold: Float32Array;
  missingLeft: Uint8Array;
  right: Int32Array;
  value: Float64Array;
  parent: Int32Array;
  isLeft: Uint8Array;
  /** The feature tested on the edge into the node: its parent's. */
  edgeFeature: Int32Array;
  previous: Int32Array;
  zero: Float64Array;
  /** Node n's nested splits are nested[nestedStart[n]] … nested[nestedStart[n + 1] - 1]. */
  nestedStart: Int32Array;
  nested: Int32Array;
  /** The size of the largest tree. */
  maxNodes: number;
}

function pack(trees: FlatNode[][]): Ensemble {
  const nodes = trees.flat();
  const offsets = trees.map((_, t) =>
    trees.slice(0, t).reduce((sum, tree) => sum + tree.length, 0),
  );
  const global = (t: number, local: number) => (local === NO_EDGE ? NO_EDGE : offsets[t]! + local);
  const each = <T>(read: (node: FlatNode, t: number) => T): T[] =>
    trees.flatMap((tree, t) => tree.map((node) => read(node, t)));
  const nested = each((node, t) => node.nested.map((n) => global(t, n)));
  const nestedStart = [0];
  nested.forEach((list) => nestedStart.push(nestedStart.at(-1)! + list.length));
  return {
    treeStart: Int32Array.from([...offsets, nodes.length]),
    feature: Int32Array.from(nodes, (node) => node.feature),
    threshold: Float32Array.from(nodes, (node) => node.threshold),
    missingLeft: Uint8Array.from(nodes, (node) => (node.missingLeft ? 1 : 0)),
    right: Int32Array.from(each((node, t) => global(t, node.right))),
    value: Float64Array.from(nodes, (node) => node.value),
    parent: Int32Array.from(each((node, t) => global(t, node.parent))),
    isLeft: Uint8Array.from(nodes, (node) => (node.isLeft ? 1 : 0)),
    edgeFeature: Int32Array.from(
      each((node, t) => (node.parent === NO_EDGE ? LEAF : trees[t]![node.parent]!.feature)),
    ),
    previous: Int32Array.from(each((node, t) => global(t, node.previous))),
    zero: Float64Array.from(nodes, (node) => node.zero),
    nestedStart: Int32Array.from(nestedStart),
    nested: Int32Array.from(nested.flat()),
    maxNodes: Math.max(...trees.map((tree) => tree.length)),
  };
}

/**
 * Precomputes everything the explanation of a row needs, once per model.
 * @throws RangeError when a node's cover is not positive (its share of the cover is undefined).
 */
export function treeExplainer(model: XgboostBinaryModel): TreeExplainer {
  const trees = model.trees.map(flatten);
  const explainTree = treeWalker(pack(trees), gaussLegendre(quadraturePoints(depth(trees))));
  const expected = trees.flat().reduce((sum, node) => sum + node.value * node.reach, 0);
  const { numFeature } = model;
  return {
    numFeature,
    base: Math.log(model.baseScore / (1 - model.baseScore)) + expected,
    contributions(data, rows) {
      if (data.length !== rows * numFeature) {
        throw new RangeError(`${data.length} values for ${rows} rows of ${numFeature} features`);
      }
      const out = new Float64Array(rows * numFeature);
      // Tree by tree over a block of rows, so that the tree's arrays stay in cache meanwhile.
      for (let first = 0; first < rows; first += ROW_BLOCK) {
        const last = Math.min(rows, first + ROW_BLOCK);
        for (let t = 0; t < trees.length; t++) {
          for (let r = first; r < last; r++) explainTree(t, data, r * numFeature, out);
        }
      }
      return out;
    },
  };
}

const ROW_BLOCK = 64;

/** Adds tree t's contributions for the row at `at` in `rows` to `out` at the same offset. */
type TreeWalker = (t: number, rows: Float32Array, at: number, out: Float64Array) => void;

/**
 * Per edge and quadrature point, what the walk multiplies by, precomputed so that the inner loop
 * neither branches on the row's outcomes nor divides. An edge's factor is o·t + z·(1 − t), for
 * o ∈ {0, 1} whether the row passes its merged test; going down, a repeated feature's factor
 * replaces the earlier edge's (o', z'); going up, the edge's Shapley value weighs the leaves
 * below by (o − z)·w / factor.
 */
interface EdgeTables {
  /** At ((3·n + o + o')·q + g): factor / earlier factor, where o = 1 implies o' = 1. */
  step: Float64Array;
  /** At ((2·n + o)·q + g): (o − z)·w / factor. */
  weight: Float64Array;
}

function edgeTables(ensemble: Ensemble, { nodes: point, weights }: Quadrature): EdgeTables {
  const { zero, previous } = ensemble;
  const q = point.length;
  const step = new Float64Array(zero.length * 3 * q);
  const weight = new Float64Array(zero.length * 2 * q);
  const factor = (o: number, z: number, g: number) => o * point[g]! + z * (1 - point[g]!);
  zero.forEach((z, n) => {
    const before = previous[n]!;
    // No earlier test on the feature: as if an earlier factor of 1 (o' = 1, z' = 1).
    const zBefore = before === NO_EDGE ? 1 : zero[before]!;
    for (let g = 0; g < q; g++) {
      for (const [o, oBefore] of [
        [0, 0],
        [0, 1],
        [1, 1],
      ] as const) {
        step[(3 * n + o + oBefore) * q + g] = factor(o, z, g) / factor(oBefore, zBefore, g);
      }
      for (const o of [0, 1]) {
        weight[(2 * n + o) * q + g] = ((o - z) * weights[g]!) / factor(o, z, g);
      }
    }
  });
  return { step, weight };
}

/**
 * The inner loop: one pass down a tree in pre-order (which way the row goes, whether it passes
 * each edge's merged test, and per quadrature point the product of the factors on the path) and
 * one pass up (per point, the sum of value × product over the leaves below, and each edge's
 * Shapley value from it). Flat loops over typed arrays, scratch space allocated once.
 */
function treeWalker(ensemble: Ensemble, quadrature: Quadrature): TreeWalker {
  const { treeStart, feature, threshold, missingLeft, right, value, parent, isLeft } = ensemble;
  const { edgeFeature, previous, nestedStart, nested, maxNodes } = ensemble;
  const { step, weight } = edgeTables(ensemble, quadrature);
  const q = quadrature.nodes.length;
  const wentLeft = new Uint8Array(maxNodes);
  // One more slot, always 1, stands for "no earlier test on the feature".
  const passes = new Uint8Array(maxNodes + 1);
  passes[maxNodes] = 1;
  const down = new Float64Array(maxNodes * q);
  const up = new Float64Array(maxNodes * q);
  return (t, rows, at, out) => {
    const start = treeStart[t]!;
    const end = treeStart[t + 1]!;
    down.fill(1, 0, q);
    for (let n = start; n < end; n++) {
      const local = n - start;
      if (n > start) {
        const p = parent[n]! - start;
        const before = previous[n]!;
        const passedBefore = passes[before === NO_EDGE ? maxNodes : before - start]!;
        const o = (wentLeft[p] === isLeft[n] ? 1 : 0) & passedBefore;
        passes[local] = o;
        const factors = (3 * n + o + passedBefore) * q;
        for (let g = 0; g < q; g += GROUP) {
          const into = local * q + g;
          const from = p * q + g;
          const by = factors + g;
          down[into] = down[from]! * step[by]!;
          down[into + 1] = down[from + 1]! * step[by + 1]!;
          down[into + 2] = down[from + 2]! * step[by + 2]!;
          down[into + 3] = down[from + 3]! * step[by + 3]!;
        }
      }
      const f = feature[n]!;
      if (f !== LEAF) {
        const x = rows[at + f]!;
        // NaN is missing; XGBoost compares float32 values with float32 thresholds.
        wentLeft[local] = x !== x ? missingLeft[n]! : x < threshold[n]! ? 1 : 0;
      }
    }
    for (let n = end - 1; n >= start; n--) {
      const here = (n - start) * q;
      if (feature[n] === LEAF) {
        const v = value[n]!;
        for (let g = here; g < here + q; g += GROUP) {
          up[g] = v * down[g]!;
          up[g + 1] = v * down[g + 1]!;
          up[g + 2] = v * down[g + 2]!;
          up[g + 3] = v * down[g + 3]!;
        }
      } else {
        const left = here + q;
        const other = (right[n]! - start) * q;
        for (let g = 0; g < q; g += GROUP) {
          up[here + g] = up[left + g]! + up[other + g]!;
          up[here + g + 1] = up[left + g + 1]! + up[other + g + 1]!;
          up[here + g + 2] = up[left + g + 2]! + up[other + g + 2]!;
          up[here + g + 3] = up[left + g + 3]! + up[other + g + 3]!;
        }
      }
      if (n === start) continue;
      const weights = (2 * n + passes[n - start]!) * q;
      let contribution = 0;
      for (let g = 0; g < q; g += GROUP) {
        const u = here + g;
        const w = weights + g;
        contribution +=
          up[u]! * weight[w]! +
          up[u + 1]! * weight[w + 1]! +
          up[u + 2]! * weight[w + 2]! +
          up[u + 3]! * weight[w + 3]!;
      }
      // Leaves below a later test of the same feature count there, with its merged factor.
      for (let k = nestedStart[n]!; k < nestedStart[n + 1]!; k++) {
        const later = (nested[k]! - start) * q;
        for (let g = 0; g < q; g++) contribution -= up[later + g]! * weight[weights + g]!;
      }
      out[at + edgeFeature[n]!]! += contribution;
    }
  };
}
