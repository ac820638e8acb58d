/** The `/bigquery` throughput section of the benchmark report. */
import { bigqueryRowsPerSecond } from './bigquery-throughput.js';
import { count, ms, table } from './markdown.js';
import type { BenchResults } from './results.js';
import { median } from './stats.js';

export function bigquerySection({ bigquery: b }: BenchResults): string {
  return [
    '### BigQuery remote function throughput',
    '',
    `\`${b.wrkCommand}\`: ${b.callers} callers each sending BigQuery call batches of ` +
      `${count(b.rowsPerCall)} rows (\`scripts/wrk/bigquery.lua\`) to POST /bigquery, as BigQuery ` +
      `calls one instance; the calls are ${b.calls}. ` +
      `${b.rowsPerSecond.length} rounds after an uncounted warm-up; medians ` +
      'over the rounds. Rows/s is what one instance scores on its one CPU; CPU/row is the ' +
      "server's user + system CPU time over a round divided by the rows it scored.",
    '',
    table(
      ['Rows/s', 'p50 per call', 'p99 per call', 'CPU/row', 'Rounds (rows/s)', 'Faults'],
      [
        [
          count(bigqueryRowsPerSecond(b)),
          `${ms(median(b.p50Ms))} ms`,
          `${ms(median(b.p99Ms))} ms`,
          `${median(b.cpuUsPerRow).toFixed(2)} µs`,
          b.rowsPerSecond.map(count).join(', '),
          b.faults.join('; ') || 'none',
        ],
      ],
    ),
    '',
    `Server: \`${b.serverCommand}\``,
  ].join('\n');
}
