/** The bodies the bench sends: what the schemas say of them. */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '../../../functions/intake.js';
import { compileSchema, createAjv } from '../../../functions/contract-schemas.js';
import { rejectionBodies } from '../../../scripts/bench/rejection.js';
import {
  memoryBytes,
  objectGarbage,
  paddedBatch,
} from '../../../scripts/bench/worst-case-memory.js';
import { syntheticCsv } from '../../fixtures/synthetic-flights.js';
import { temporaryFile } from '../train/helpers.js';

const ajv = createAjv();
const schemaOf = {
  '/predict': 'flights-request.schema.json',
  '/bigquery': 'bigquery-request.schema.json',
} as const;

describe('the worst bodies', () => {
  it('a padded batch: within 10,000 bytes of 32 MiB, valid, 10,000 flights', async () => {
    const text = await paddedBatch().text();
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(MAX_BODY_BYTES);
    expect(Buffer.byteLength(text)).toBeGreaterThan(MAX_BODY_BYTES - 10_000);
    const body = JSON.parse(text) as { flights: unknown[] };
    expect(body.flights).toHaveLength(10_000);
    expect(compileSchema(ajv, schemaOf['/predict'])(body)).toBe(true);
  });

  it('garbage: exactly 32 MiB, and JSON that fails validation (parsed at 1 MiB, the same shape)', async () => {
    expect(objectGarbage().size).toBe(MAX_BODY_BYTES);
    const small = objectGarbage(2 ** 20);
    expect(small.size).toBe(2 ** 20);
    expect(compileSchema(ajv, schemaOf['/predict'])(JSON.parse(await small.text()))).toBe(false);
  });
});

describe('memoryBytes', () => {
  it.each([
    ['1Gi', 2 ** 30],
    ['512Mi', 512 * 2 ** 20],
    ['2G', 2e9],
    ['1000k', 1e6],
  ])('%s is %d bytes', (setting, bytes) => {
    expect(memoryBytes(setting)).toBe(bytes);
  });

  it('refuses what Cloud Run would', () => {
    expect(() => memoryBytes('1.5Gi')).toThrow(/not a Cloud Run memory setting/);
  });
});

describe('rejectionBodies', () => {
  it.each(rejectionBodies())(
    '$path: 10,000 valid items, and 10,000 that fail the schema',
    ({ path, valid, invalid }) => {
      const validate = compileSchema(ajv, schemaOf[path as keyof typeof schemaOf]);
      expect(Object.values(valid).find(Array.isArray)).toHaveLength(10_000);
      expect(Object.values(invalid).find(Array.isArray)).toHaveLength(10_000);
      expect(validate(valid)).toBe(true);
      expect(validate(invalid)).toBe(false);
    },
  );
});

describe('onnx-floor.ts', () => {
  it('times ONNX Runtime on every row of the file, in batches of the size asked for', async () => {
    const data = await temporaryFile('floor.csv', syntheticCsv(1_000, 5));
    const script = 'scripts/bench/onnx-floor.ts';
    const output = execFileSync(process.execPath, ['--import=tsx', script, data, '300'], {
      encoding: 'utf8',
    });
    const floor = JSON.parse(output) as {
      rows: number;
      batchRows: number;
      rowsPerSecond: number[];
    };
    expect(floor).toMatchObject({ rows: 1_000, batchRows: 300 });
    expect(floor.rowsPerSecond).toHaveLength(3);
  });
});
