import { describe, expect, it } from 'vitest';
import {
  bigqueryRowsPerSecond,
  bigqueryThroughput,
} from '../../../scripts/bench/bigquery-throughput.js';

describe('bigqueryThroughput', () => {
  it('loads POST /bigquery with call batches in rounds, counting rows, and stops the server', async () => {
    const lines: string[] = [];
    const result = await bigqueryThroughput({
      rowsPerCall: 20,
      callers: 2,
      duration: '1s',
      warmup: '1s',
      repeats: 2,
      progress: (line) => lines.push(line),
    });
    expect(result.wrkCommand).toBe(
      'wrk -t2 -c2 -d1s --timeout 30s --latency -s scripts/wrk/bigquery.lua ' +
        'http://127.0.0.1:PORT/bigquery -- 20',
    );
    expect(result.faults).toEqual([]);
    expect(result.rowsPerSecond).toHaveLength(2);
    expect(result.cpuUsPerRow.every((us) => us > 0)).toBe(true);
    // Rows, not calls: twenty per call.
    expect(bigqueryRowsPerSecond(result)).toBeGreaterThan(20);
    expect(lines.filter((line) => line.startsWith('bigquery round'))).toHaveLength(2);
  });
});
