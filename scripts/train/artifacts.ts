/**
 * The files `npm run train` produces in models/: per model the ONNX file, the XGBoost JSON it was
 * exported from, and its card. They are either written, or (with --check) compared with what is
 * committed, ignoring the cards' createdAt.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sha256 } from './card.js';
import { formatJson } from './formatting.js';
import type { TrainedModel } from './pipeline.js';

/** The model files written byte for byte (the card is written formatted). */
const binaries = ({ card, onnx, xgboostJson }: TrainedModel) => [
  { file: card.onnx.file, bytes: onnx },
  { file: card.xgboost.file, bytes: Buffer.from(xgboostJson) },
];

/** Writes models/<name>.onnx, .xgboost.json and .json for every model; returns the paths. */
export async function writeModels(models: readonly TrainedModel[], dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const model of models) {
    for (const { file, bytes } of binaries(model)) {
      await writeFile(join(dir, file), bytes);
      written.push(join(dir, file));
    }
    const cardPath = join(dir, `${model.name}.json`);
    await writeFile(cardPath, await formatJson(model.card, cardPath));
    written.push(cardPath);
  }
  return written;
}

/**
 * Compares retrained models with the files in `dir`.
 * @returns one line per difference (empty when everything matches).
 */
export async function compareModels(
  models: readonly TrainedModel[],
  dir: string,
): Promise<string[]> {
  const differences: string[] = [];
  for (const model of models) {
    const { name, card } = model;
    for (const { file, bytes } of binaries(model)) {
      const path = join(dir, file);
      const committed = await readIfExists(path);
      if (!committed) differences.push(`${path}: missing`);
      else if (!Buffer.from(bytes).equals(committed)) {
        differences.push(
          `${path}: bytes differ (committed sha256 ${sha256(committed)}, retrained ${sha256(bytes)})`,
        );
      }
    }
    const cardPath = join(dir, `${name}.json`);
    const committedCard = await readIfExists(cardPath);
    if (!committedCard) differences.push(`${cardPath}: missing`);
    else {
      const committed = JSON.parse(committedCard.toString('utf8')) as Record<string, unknown>;
      const { createdAt: _a, ...expected } = committed;
      const { createdAt: _b, ...actual } = card;
      differences.push(...jsonDifferences(expected, actual).map((d) => `${cardPath}: ${d}`));
    }
  }
  return differences;
}

async function readIfExists(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Every path at which two JSON values differ, as `path: committed → retrained`. */
export function jsonDifferences(committed: unknown, retrained: unknown, path = ''): string[] {
  if (isContainer(committed) && isContainer(retrained)) {
    if (Array.isArray(committed) !== Array.isArray(retrained)) {
      return [`${path || '/'}: ${show(committed)} → ${show(retrained)}`];
    }
    const keys = new Set([...Object.keys(committed), ...Object.keys(retrained)]);
    return [...keys].flatMap((key) =>
      jsonDifferences(
        (committed as Record<string, unknown>)[key],
        (retrained as Record<string, unknown>)[key],
        `${path}/${key}`,
      ),
    );
  }
  return committed === retrained ? [] : [`${path || '/'}: ${show(committed)} → ${show(retrained)}`];
}

function isContainer(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}

function show(value: unknown): string {
  return value === undefined ? '(absent)' : JSON.stringify(value);
}
