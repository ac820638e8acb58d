/**
 * The distances drift is measured by, as Vertex AI Model Monitoring measures it: L-infinity for a
 * categorical field, Jensen–Shannon for a numerical one's histogram. Both take counts (or weights)
 * and compare their shares, so a week of 500 flights and a training baseline of 46,000 compare.
 */

/** Shares of each count in their total. */
function shares(counts: readonly number[]): number[] {
  const total = counts.reduce((a, b) => a + b, 0);
  if (!(total > 0)) throw new RangeError('a distribution with no rows has no shares');
  return counts.map((c) => c / total);
}

/**
 * max over values of |share in `a` − share in `b`|: the largest change in any one value's share,
 * from 0 to 1. A value absent from one side has share 0 there.
 */
export function lInfinityDistance(
  a: Readonly<Record<string, number>>,
  b: Readonly<Record<string, number>>,
): number {
  const values = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  const pa = shares(values.map((v) => a[v] ?? 0));
  const pb = shares(values.map((v) => b[v] ?? 0));
  return Math.max(...values.map((_, i) => Math.abs(pa[i]! - pb[i]!)));
}

/**
 * Jensen–Shannon divergence in bits (base-2 logarithms, so it lies between 0 and 1):
 * JSD(P, Q) = ½ KL(P ‖ M) + ½ KL(Q ‖ M), M = ½ (P + Q), KL(P ‖ M) = Σ p log₂(p / m), 0 log 0 = 0.
 * @param p,q counts over the same bins.
 */
export function jensenShannonDivergence(p: readonly number[], q: readonly number[]): number {
  if (p.length !== q.length) throw new RangeError(`${p.length} bins against ${q.length}`);
  const sp = shares(p);
  const sq = shares(q);
  let sum = 0;
  sp.forEach((a, i) => {
    const b = sq[i]!;
    const m = (a + b) / 2;
    if (a > 0) sum += (a / 2) * Math.log2(a / m);
    if (b > 0) sum += (b / 2) * Math.log2(b / m);
  });
  // Rounding can leave a hair below 0 for identical distributions.
  return Math.max(0, sum);
}

/**
 * Jensen–Shannon distance: the square root of {@link jensenShannonDivergence} (bits), from 0 to 1.
 * Unlike the divergence, which grows with the square of a small change, it is a metric and grows
 * in proportion to the change, as L-infinity does, so one threshold scale serves both kinds.
 */
export function jensenShannonDistance(p: readonly number[], q: readonly number[]): number {
  return Math.sqrt(jensenShannonDivergence(p, q));
}
