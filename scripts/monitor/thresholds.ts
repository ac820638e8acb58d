/**
 * The drift thresholds: a distance above its field's threshold is drift. Categorical fields
 * (L-infinity) default to Vertex AI Model Monitoring's 0.3. Numerical fields (hora, the
 * probabilities) are measured by the Jensen–Shannon distance, not the divergence Vertex AI
 * thresholds at 0.3: the divergence grows with the square of a change, so that every flight
 * scheduled three hours later — a day's profile moved, its shape kept — scores under 0.1 bits and
 * would never alert. Their default, 0.2, sits three times above the distance that chance alone
 * gives a week of about a thousand flights over 24 bins (≈ √((bins − 1) / (8 n ln 2)) ≈ 0.06).
 */

export interface Thresholds {
  categorical: number;
  numerical: number;
  /** Per field (`hora`, `OPERA`, `probability`), over the defaults. */
  fields: Record<string, number>;
}

export const DEFAULT_THRESHOLDS: Thresholds = { categorical: 0.3, numerical: 0.2, fields: {} };

/**
 * Thresholds from `--threshold` values: `X` sets every field's, `FIELD=X` one field's.
 * @throws Error naming a value that is not a number from 0 to 1, or a field no card counts.
 */
export function parseThresholds(values: readonly string[], fields: readonly string[]): Thresholds {
  const thresholds: Thresholds = { ...DEFAULT_THRESHOLDS, fields: {} };
  for (const value of values) {
    const [field, number] = value.includes('=') ? value.split('=', 2) : [undefined, value];
    const threshold = Number(number);
    if (number === '' || !(threshold >= 0 && threshold <= 1)) {
      throw new Error(`--threshold ${value}: not a number from 0 to 1`);
    }
    if (field === undefined) {
      thresholds.categorical = threshold;
      thresholds.numerical = threshold;
    } else if (!fields.includes(field)) {
      throw new Error(`--threshold ${value}: no field "${field}" (fields: ${fields.join(', ')})`);
    } else {
      thresholds.fields[field] = threshold;
    }
  }
  return thresholds;
}

export function thresholdOf(thresholds: Thresholds, field: string, numerical: boolean): number {
  return thresholds.fields[field] ?? (numerical ? thresholds.numerical : thresholds.categorical);
}
