import { describe, expect, it } from 'vitest';
import { measureFloor, shareOfFloor } from '../../../scripts/bench/throughput.js';
import { syntheticCsv } from '../../fixtures/synthetic-flights.js';
import { temporaryFile } from '../train/helpers.js';

describe('measureFloor', () => {
  it('times ONNX Runtime on every row of the file, in batches of the size asked for', async () => {
    const data = await temporaryFile('floor.csv', syntheticCsv(1_000, 5));
    const floor = await measureFloor({ data, batchRows: 300 });
    expect(floor).toMatchObject({ rows: 1_000, batchRows: 300 });
    expect(floor.command).toBe(`node --import=tsx scripts/bench/onnx-floor.ts ${data} 3 300`);
    expect(floor.rowsPerSecond).toHaveLength(3);
    for (const rate of floor.rowsPerSecond) expect(rate).toBeGreaterThan(1_000);
    expect(
      shareOfFloor([floor.rowsPerSecond[0]! / 2], {
        ...floor,
        rowsPerSecond: [floor.rowsPerSecond[0]!],
      }),
    ).toBe(0.5);
  });
});
