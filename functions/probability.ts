/**
 * How a model's raw output becomes the probability and decision every endpoint answers, so that
 * the same flight gets the same numbers from `POST /predict` and `POST /bigquery`.
 */

// Six decimals is finer than the model's own resolution and keeps 10,000-flight answers small;
// the decision is taken on the rounded value, so it always agrees with the number shown.
export function roundProbability(p: number): number {
  return Math.round(p * 1e6) / 1e6;
}

/** The rounded probability and whether it reaches the model card's threshold. */
export function scored(p: number, threshold: number): { probability: number; delayed: boolean } {
  const probability = roundProbability(p);
  return { probability, delayed: probability >= threshold };
}

/**
 * Whether the model's own float32 probability, unrounded, reaches the threshold: how the labels
 * answered without a probability beside them are decided, so that the original model's labels
 * equal XGBoost's predict().
 */
export function labelled(p: number, threshold: number): boolean {
  return p >= threshold;
}
