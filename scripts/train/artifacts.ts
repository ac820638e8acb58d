/**
 * The files `npm run train` produces in models/: per model the ONNX file and its card. They are
 * either written, or (with --check) compared with what is committed, ignoring the cards' createdAt.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sha256 } from './card.js';
import { formatJson } from './formatting.js';
import type { TrainedModel } from './pipeline.js';

/** Writes models/<name>.onnx and models/<name>.json for every model; returns the paths. */
export async function writeModels(models: readonly TrainedModel[], dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const { name, onnx, card } of models) {
    const onnxPath = join(dir, `${name}.onnx`);
    const cardPath = join(dir, `${name}.json`);
    await writeFile(onnxPath, onnx);
    await writeFile(cardPath, await formatJson(card, cardPath));
    written.push(onnxPath, cardPath);
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
  for (const { name, onnx, card } of models) {
    const onnxPath = join(dir, `${name}.onnx`);
    const committedOnnx = await readIfExists(onnxPath);
    if (!committedOnnx) differences.push(`${onnxPath}: missing`);
    else if (!Buffer.from(onnx).equals(committedOnnx)) {
      differences.push(
        `${onnxPath}: bytes differ (committed sha256 ${sha256(committedOnnx)}, retrained ${sha256(onnx)})`,
      );
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
