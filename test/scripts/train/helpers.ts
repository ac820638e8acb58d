/**
 * Helpers for the training tests: temporary files, and the shared data set, which the tests use
 * when the clone sits beside /work/shared (as in CI) and skip otherwise.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll } from 'vitest';
import { readDataset, type Dataset } from '../../../scripts/train/dataset.js';
import { syntheticCsv } from '../../fixtures/synthetic-flights.js';

/** `../shared/data/dataset_SCL_2017.csv` from the repository root. */
export const SHARED_DATA = fileURLToPath(
  new URL('../../../../shared/data/dataset_SCL_2017.csv', import.meta.url),
);

export const hasSharedData = existsSync(SHARED_DATA);

/** A fresh temporary directory, removed after the test file's tests. */
export async function temporaryDirectory(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'scl-train-'));
  afterAll(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** Writes `text` to a file in a fresh temporary directory; returns its path. */
export async function temporaryFile(name: string, text: string): Promise<string> {
  const path = join(await temporaryDirectory(), name);
  await writeFile(path, text);
  return path;
}

/** `rows` synthetic flights written as CSV and read back by the pipeline's reader. */
export async function syntheticDataset(rows: number, seed = 1): Promise<Dataset> {
  return readDataset(await temporaryFile('synthetic.csv', syntheticCsv(rows, seed)));
}

/**
 * Scores on a grid of `steps` + 1 values from `from`/`steps` to 1 (ties likely), with 0/1 labels
 * of both classes: what every ranking metric and threshold needs to be defined.
 */
export function labelledScores(steps: number, from = 0) {
  return fc
    .array(fc.tuple(fc.integer({ min: from, max: steps }), fc.constantFrom(0, 1)), {
      minLength: 2,
    })
    .filter((rows) => rows.some(([, l]) => l === 1) && rows.some(([, l]) => l === 0))
    .map((rows) => ({ scores: rows.map(([s]) => s / steps), labels: rows.map(([, l]) => l) }));
}
