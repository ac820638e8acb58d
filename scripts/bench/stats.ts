/** The few statistics the bench reports. */

/** The value below which a share `q` (0–1) of `values` lies, interpolating between neighbours. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const [below, above] = [Math.floor(position), Math.ceil(position)];
  return sorted[below]! + (sorted[above]! - sorted[below]!) * (position - below);
}

export const median = (values: readonly number[]) => quantile(values, 0.5);

/** The interquartile range: the spread of the middle half. */
export const interquartileRange = (values: readonly number[]) =>
  quantile(values, 0.75) - quantile(values, 0.25);
