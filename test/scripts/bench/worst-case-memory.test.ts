import { describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '../../../functions/intake.js';
import { targetCommand } from '../../../scripts/bench/targets.js';
import { memoryBytes, worstCaseMemory } from '../../../scripts/bench/worst-case-memory.js';
import { objectGarbage, paddedBatch } from '../../../scripts/bench/worst-bodies.js';
import { expectSchema } from '../../helpers/contract.js';
import { compileSchema, createAjv } from '../../../functions/contract-schemas.js';

describe('the worst bodies', () => {
  it('a padded batch: exactly 32 MiB, valid, 10,000 flights', () => {
    const { bytes } = paddedBatch();
    expect(bytes.length).toBe(MAX_BODY_BYTES);
    const body = JSON.parse(bytes.toString('utf8')) as { flights: unknown[] };
    expect(body.flights).toHaveLength(10_000);
    expectSchema('flights-request.schema.json', body);
  });

  it('garbage: exactly 32 MiB, and JSON that fails validation (parsed at 1 MiB, the same shape)', () => {
    expect(objectGarbage().bytes.length).toBe(MAX_BODY_BYTES);
    const { bytes } = objectGarbage(2 ** 20);
    expect(bytes.length).toBe(2 ** 20);
    const validate = compileSchema(createAjv(), 'flights-request.schema.json');
    expect(validate(JSON.parse(bytes.toString('utf8')))).toBe(false);
  });
});

describe('memoryBytes', () => {
  it.each([
    ['1Gi', 2 ** 30],
    ['512Mi', 512 * 2 ** 20],
    ['2G', 2e9],
    ['500M', 5e8],
    ['1000k', 1e6],
  ])('%s is %d bytes', (setting, bytes) => {
    expect(memoryBytes(setting)).toBe(bytes);
  });

  it('refuses what Cloud Run would', () => {
    expect(() => memoryBytes('1.5Gi')).toThrow(/not a Cloud Run memory setting/);
  });
});

describe('worstCaseMemory', () => {
  it('loads a fresh server per case and counts answers, turned-away ones included', async () => {
    const result = await worstCaseMemory(
      targetCommand('function'),
      [{ body: objectGarbage(2 ** 20), budgetMiB: 1 }],
      {
        concurrency: 3,
        memoryLimitBytes: 2 ** 30,
        progress: () => {},
        loadMs: 2000,
        settleMs: 200,
      },
    );
    const [only] = result.cases;
    expect(result).toMatchObject({ concurrency: 3, loadMs: 2000, settleMs: 200 });
    expect(only?.serverCommand).toContain('BODY_BUDGET_MIB=1');
    expect(Object.keys(only?.statuses ?? {}).sort()).toEqual(['400', '503']);
    expect(only?.peakRssBytes).toBeGreaterThanOrEqual(only?.idleRssBytes ?? Infinity);
  });
});
