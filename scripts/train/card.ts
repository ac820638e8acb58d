/**
 * Model cards: the JSON beside each ONNX file that tells the function how to serve it (features,
 * threshold, tensor names) and tells people how it was made and how good it is. A card is checked
 * against schemas/model-card.schema.json before anything is written.
 */
import { createHash } from 'node:crypto';
import { modelCard as validate } from '../../functions/validators.js';
import type { BinaryMetrics } from './metrics.js';

/** A model card, as schemas/model-card.schema.json defines it. */
export interface ModelCard {
  name: string;
  version: string;
  createdAt: string;
  description: string;
  requestFormat: 'vuelos' | 'flights';
  features: string[];
  threshold: { value: number; rule: string };
  onnx: {
    file: string;
    sha256: string;
    input: string;
    output: string;
    irVersion: number;
    opsets: Record<string, number>;
  };
  training: {
    xgboostVersion: string;
    params: Record<string, string>;
    rounds: number;
    seed: number;
  };
  data: {
    file: string;
    sha256: string;
    rows: { read: number; used: number; rejected: Record<string, number> };
    split: { train: number; test: number; testFraction: number; seed: number };
  };
  metrics: BinaryMetrics;
  baseline: { name: string; metrics: BinaryMetrics };
}

/**
 * Checks a card with the validator the function uses to load it.
 * @throws Error listing every way `card` breaks the schema.
 */
export function validateCard(card: unknown): asserts card is ModelCard {
  if (validate(card)) return;
  const problems = (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`);
  throw new Error(
    `model card does not match schemas/model-card.schema.json:\n  ${problems.join('\n  ')}`,
  );
}

/** Hex SHA-256 of some bytes. */
export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** A model's version: the first 12 hex digits of its ONNX file's SHA-256. */
export function versionOf(onnxSha256: string): string {
  return onnxSha256.slice(0, 12);
}
