import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  bigqueryRowsPerSecond,
  bigqueryThroughput,
} from '../../../scripts/bench/bigquery-throughput.js';
import { syntheticCsv } from '../../fixtures/synthetic-flights.js';

describe('bigqueryThroughput', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-bigquery-test-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("loads POST /bigquery with a data set's flights in rounds beside their floor, counting rows, and stops the server", async () => {
    const data = join(dir, 'flights.csv');
    writeFileSync(data, syntheticCsv(100));
    const lines: string[] = [];
    const result = await bigqueryThroughput({
      rowsPerCall: 20,
      callers: 2,
      data,
      duration: '1s',
      warmup: '1s',
      repeats: 2,
      progress: (line) => lines.push(line),
    });
    expect(result.wrkCommand).toBe(
      'wrk -t2 -c2 -d1s --timeout 30s --latency -s scripts/wrk/bigquery.lua ' +
        'http://127.0.0.1:PORT/bigquery -- 20 $TMP/calls.jsonl',
    );
    expect(result.calls).toBe(`the 100 flights of ${data} in file order`);
    expect(result.faults).toEqual([]);
    expect(result.rowsPerSecond).toHaveLength(2);
    // Its own floor before each round: the same rows, a call's rows a run, three passes each.
    expect(result.floor).toMatchObject({ rows: 100, batchRows: 20 });
    expect(result.floor.rowsPerSecond).toHaveLength(6);
    expect(result.cpuUsPerRow.every((us) => us > 0)).toBe(true);
    // Rows, not calls: twenty per call.
    expect(bigqueryRowsPerSecond(result)).toBeGreaterThan(20);
    expect(lines.filter((line) => line.startsWith('bigquery round'))).toHaveLength(2);
  });
});
