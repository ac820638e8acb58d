/**
 * A served model's explanations: the exact contributions of the XGBoost trees its ONNX file was
 * exported from, per input field, on the scale of the probability the model serves.
 */
import { readXgboostModel } from '../xgboost-json.js';
import type { EncodedRows, ScheduledFlight } from '../features.js';
import { fieldContributions, fieldsOf, type FieldContribution } from './fields.js';
import { treeExplainer } from './tree-shap.js';

/** Why a flight got its probability: base + Σ contributions = logit(probability). */
export interface Explanation {
  base: number;
  contributions: FieldContribution[];
}

/** Explanations of encoded flights, one per row, in order. */
export type ExplainFlights = (
  flights: readonly ScheduledFlight[],
  rows: EncodedRows,
) => Explanation[];

/** The step between the trees' margin and the served probability: sigmoid(slope·m + intercept). */
export interface Calibration {
  slope: number;
  intercept: number;
}

/**
 * Precomputes a model's explainer from its trees (XGBoost's JSON model format). Shapley values
 * are linear in the model, so the calibration step scales every contribution by its slope and
 * maps the base like a margin: the sum is then the logit the served probability comes from.
 * @throws Error when the trees are not a model the explainer reads, or not the card's features.
 */
export function flightExplainer(
  trees: unknown,
  features: readonly string[],
  { slope, intercept }: Calibration,
): ExplainFlights {
  const model = readXgboostModel(trees);
  if (model.numFeature !== features.length) {
    throw new Error(
      `the trees read ${model.numFeature} features, the card lists ${features.length}`,
    );
  }
  const explainer = treeExplainer(model);
  const fields = fieldsOf(features);
  const base = roundLogOdds(slope * explainer.base + intercept);
  return (flights, rows) => {
    const contributions = explainer.contributions(rows.data, rows.rows);
    const { width } = rows;
    return flights.map((flight, r) => {
      const row = contributions.subarray(r * width, (r + 1) * width).map((c) => slope * c);
      const encoded = rows.data.subarray(r * width, (r + 1) * width);
      const byField = fieldContributions(fields, flight, encoded, row);
      for (const field of byField) field.contribution = roundLogOdds(field.contribution);
      return { base, contributions: byField };
    });
  };
}

// Six decimals, like the probabilities: a dozen fields and the base then still add up to the
// logit within 1e-5, and the answer stays readable.
function roundLogOdds(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
