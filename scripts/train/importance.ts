/**
 * The global view of a model's explanations on the held-out rows: how much each input field moves
 * predictions on average (mean |contribution|, in log-odds), and how a field's contribution varies
 * with its value (the scheduled hour across the day, each airline).
 */
import type { Explanation } from '../../functions/explain/flight-explainer.js';

/** A field's mean |contribution| over the explained rows. */
export interface FieldImportance {
  field: string;
  meanAbsContribution: number;
}

/** A field's mean contribution among the rows where it took one value. */
export interface ValueContribution {
  value: string;
  meanContribution: number;
  rows: number;
}

/** Mean |contribution| per field, largest first (ties by name, so the order is reproducible). */
export function fieldImportance(explanations: readonly Explanation[]): FieldImportance[] {
  const sums = new Map<string, number>();
  for (const { contributions } of explanations) {
    for (const { field, contribution } of contributions) {
      sums.set(field, (sums.get(field) ?? 0) + Math.abs(contribution));
    }
  }
  return [...sums]
    .map(([field, sum]) => ({ field, meanAbsContribution: sum / explanations.length }))
    .sort(
      (a, b) => b.meanAbsContribution - a.meanAbsContribution || a.field.localeCompare(b.field),
    );
}

/**
 * `field`'s mean contribution per value, grouped by `group` (the hour of `"19:05"`, say), in the
 * groups' natural order.
 */
export function contributionsByValue(
  explanations: readonly Explanation[],
  field: string,
  group: (value: string) => string = (value) => value,
): ValueContribution[] {
  const totals = new Map<string, { sum: number; rows: number }>();
  for (const { contributions } of explanations) {
    const entry = contributions.find((c) => c.field === field);
    if (!entry) continue;
    const key = group(String(entry.value));
    const total = totals.get(key) ?? { sum: 0, rows: 0 };
    total.sum += entry.contribution;
    total.rows++;
    totals.set(key, total);
  }
  return [...totals]
    .map(([value, { sum, rows }]) => ({ value, meanContribution: sum / rows, rows }))
    .sort((a, b) => a.value.localeCompare(b.value, 'en', { numeric: true }));
}
