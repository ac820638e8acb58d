/**
 * A percentile interval for any figure computed from weighted rows, resampling whole groups
 * (days of a week, weeks of a period) as scripts/train/bootstrap.ts resamples weeks: delays come
 * in bad days and bad weeks, so rows of one group are not independent.
 */
import { quantile, type BootstrapOptions, type Interval } from '../train/bootstrap.js';
import { mulberry32, sampleWithReplacement } from '../train/split.js';

/**
 * @param groups the group of each row.
 * @param statistic the figure for rows weighted by how often their group was drawn; undefined
 *   when a draw leaves it undefined (a class absent), which is left out of the percentiles.
 */
export function groupBootstrap(
  groups: readonly string[],
  statistic: (weights: Float64Array) => number | undefined,
  options: BootstrapOptions,
): Interval | undefined {
  const distinct = [...new Set(groups)].sort();
  const index = new Map(distinct.map((group, i) => [group, i]));
  const rowGroup = Int32Array.from(groups, (group) => index.get(group)!);
  const random = mulberry32(options.seed);
  const weights = new Float64Array(groups.length);
  const values: number[] = [];
  for (let r = 0; r < options.replicates; r++) {
    const draws = new Float64Array(distinct.length);
    for (const group of sampleWithReplacement(distinct, distinct.length, random)) {
      draws[index.get(group)!]!++;
    }
    rowGroup.forEach((group, row) => (weights[row] = draws[group]!));
    const value = statistic(weights);
    if (value !== undefined) values.push(value);
  }
  if (values.length < options.replicates / 2) return undefined;
  const tail = (1 - options.level) / 2;
  return { low: quantile(values, tail), high: quantile(values, 1 - tail) };
}
