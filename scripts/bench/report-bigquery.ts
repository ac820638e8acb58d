/** The `/bigquery` throughput section of the benchmark report. */
import { bigqueryRowsPerSecond } from './bigquery-throughput.js';
import { count, counts, ms, percent, table } from './markdown.js';
import type { BenchResults } from './results.js';
import { median } from './stats.js';
import { shareOfFloor } from './throughput.js';

export function bigquerySection({ bigquery: b }: BenchResults): string {
  return [
    '### BigQuery remote function throughput',
    '',
    `\`${b.wrkCommand}\`: ${b.callers} callers each sending BigQuery call batches of ` +
      `${count(b.rowsPerCall)} rows (\`scripts/wrk/bigquery.lua\`) to POST /bigquery, as BigQuery ` +
      `calls one instance; the calls are ${b.calls}. ` +
      `${b.rowsPerSecond.length} rounds after an uncounted warm-up; medians ` +
      'over the rounds. Rows/s is what one instance scores on its one CPU; CPU/row is the ' +
      "server's user + system CPU time over a round divided by the rows it scored. Before each " +
      'round, on the same CPU, the floor: ONNX Runtime alone on the same rows encoded ' +
      `beforehand, ${count(b.floor.batchRows)} rows a run.`,
    '',
    table(
      [
        '',
        'Rows/s',
        'Share of the floor',
        'p50 per call',
        'p99 per call',
        'CPU/row',
        'Rounds (rows/s)',
        'Faults',
      ],
      [
        [
          'ONNX Runtime alone (floor)',
          count(median(b.floor.rowsPerSecond)),
          '100%',
          '',
          '',
          '',
          counts(b.floor.rowsPerSecond),
          '',
        ],
        [
          'POST /bigquery',
          count(bigqueryRowsPerSecond(b)),
          percent(shareOfFloor(b.rowsPerSecond, b.floor)),
          `${ms(median(b.p50Ms))} ms`,
          `${ms(median(b.p99Ms))} ms`,
          `${median(b.cpuUsPerRow).toFixed(2)} µs`,
          counts(b.rowsPerSecond),
          b.faults.join('; ') || 'none',
        ],
      ],
    ),
    '',
    `- floor: \`${b.floor.command}\``,
    `- server: \`${b.serverCommand}\``,
  ].join('\n');
}
