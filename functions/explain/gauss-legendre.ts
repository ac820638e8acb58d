/**
 * Gauss–Legendre quadrature on [0, 1]: `points` nodes and weights that integrate every polynomial
 * of degree up to 2·points − 1 exactly. TreeSHAP's Shapley weights are such integrals (see
 * tree-shap.ts), so a handful of points gives them exactly, up to rounding.
 */
export interface Quadrature {
  /** Nodes in (0, 1), ascending. */
  nodes: Float64Array;
  /** Positive weights, summing to 1. */
  weights: Float64Array;
}

/** Newton's method converges in a few steps; this bounds it should it cycle in the last bit. */
const NEWTON_STEPS = 100;

/**
 * The quadrature rule with `points` nodes.
 * @throws RangeError unless `points` is a positive integer.
 */
export function gaussLegendre(points: number): Quadrature {
  if (!Number.isInteger(points) || points < 1) {
    throw new RangeError(`quadrature needs a positive whole number of points, got ${points}`);
  }
  const nodes = new Float64Array(points);
  const weights = new Float64Array(points);
  for (let k = 0; k < points; k++) {
    // Root k of the Legendre polynomial P_points on [-1, 1], in descending order.
    let x = Math.cos((Math.PI * (k + 0.75)) / (points + 0.5));
    for (let step = 0; step < NEWTON_STEPS; step++) {
      const [value, slope] = legendre(points, x);
      const next = x - value / slope;
      if (next === x) break;
      x = next;
    }
    const slope = legendre(points, x)[1];
    // Mapped to [0, 1]: t = (1 - x) / 2 ascends as x descends; weights halve with the interval.
    nodes[k] = (1 - x) / 2;
    weights[k] = 1 / ((1 - x * x) * slope * slope);
  }
  return { nodes, weights };
}

/** P_n(x) and P_n'(x) for n ≥ 1 and |x| < 1, by the three-term recurrence. */
function legendre(n: number, x: number): [number, number] {
  let previous = 1;
  let value = x;
  for (let degree = 2; degree <= n; degree++) {
    [previous, value] = [value, ((2 * degree - 1) * x * value - (degree - 1) * previous) / degree];
  }
  return [value, (n * (x * value - previous)) / (x * x - 1)];
}
