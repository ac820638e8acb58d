/** What explanations cost in one `npm run bench`, as docs/BENCHMARKS.md shows it. */
import { count, ms, percent, table } from './markdown.js';
import type { BenchResults } from './results.js';
import { median } from './stats.js';
import { unexplainedShift } from './verdicts.js';

export function explanationSection({
  explanationLatency,
  explainerThroughput,
}: BenchResults): string {
  const latencyRows = explanationLatency.sizes.map((size) => {
    const { explained, neverExplains, besideExplained } = size;
    const { shift, noise } = unexplainedShift(size);
    const extraPerFlight = (explained.requestMs.p50 - besideExplained.requestMs.p50) / size.flights;
    return [
      count(size.flights),
      `${ms(neverExplains.requestMs.p50)} ms`,
      `${ms(besideExplained.requestMs.p50)} ms (${shift >= 0 ? '+' : ''}${percent(shift)})`,
      `±${percent(noise)}`,
      `${ms(explained.requestMs.p50)} ms`,
      `${ms(explained.requestMs.p90)} ms`,
      `${ms(extraPerFlight)} ms`,
    ];
  });
  const { ours, xgboost } = explainerThroughput;
  const throughputRows = ours.map((rate, i) => [
    String(i + 1),
    count(rate),
    count(xgboost[i]!),
    `${(rate / xgboost[i]!).toFixed(2)}×`,
  ]);
  throughputRows.push([
    '**median**',
    count(median(ours)),
    count(median(xgboost)),
    `${(median(ours) / median(xgboost)).toFixed(2)}×`,
  ]);
  return [
    '### Explanations',
    '',
    'Server-side request time (the preload of the batch table) of the flights-format body of ' +
      '`scripts/wrk/batch.lua` with and without `"explain": true`, on two servers of the same ' +
      'function pinned to the same CPU: one never asked to explain, one asked to explain and ' +
      'not to, explained requests first (it has loaded its trees when its unexplained ones are ' +
      `timed). ${explanationLatency.sizes[0]?.neverExplains.windows ?? 0} windows per case, ` +
      'every case in turn, round after round. **Spread** is the largest distance of any ' +
      "unexplained window's median from its own pooled median: the noise the unexplained " +
      'difference is judged against.',
    '',
    table(
      [
        'Flights',
        'Unexplained, never explains',
        'Unexplained, beside explained',
        'Spread',
        'Explained p50',
        'p90',
        'Explaining, per flight',
      ],
      latencyRows,
    ),
    '',
    `Server: \`${explanationLatency.serverCommand}\``,
    '',
    `Throughput on the first ${count(explainerThroughput.rows)} rows of the held-out weeks of ` +
      `\`${explainerThroughput.model}\` (${explainerThroughput.trees} trees), rows/s: ` +
      '`functions/explain/tree-shap.ts` against XGBoost ' +
      `${explainerThroughput.xgboostVersion}'s \`pred_contribs\` ` +
      '(`XGBoosterPredictFromDMatrix`, type contributions, `nthread` 1, on a DMatrix built ' +
      'beforehand), in alternating rounds in the benchmark process, ' +
      (explainerThroughput.cpus === undefined
        ? 'unpinned. '
        : `every thread pinned to CPU ${explainerThroughput.cpus} (\`taskset -a -cp\`). `) +
      `Largest difference between the two over every contribution: ` +
      `${explainerThroughput.maxDifference.toExponential(1)}.`,
    '',
    table(['Round', 'Explainer', 'XGBoost', 'Ratio'], throughputRows),
  ].join('\n');
}
