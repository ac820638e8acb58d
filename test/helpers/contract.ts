/**
 * The contract as tests see it: response bodies validated against schemas/, example requests read
 * from schemas/examples/, and model outputs computed straight from the ONNX files.
 */
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import { expect } from 'vitest';
import { flightEncoder, seedRowEncoder, type ScheduledFlight } from '../../functions/features.js';
import { SESSION_OPTIONS, type ModelCard } from '../../functions/model-registry.js';
import { compileSchema, createAjv, type SchemaFile } from '../../functions/contract-schemas.js';

const ajv = createAjv();

/** Asserts `data` satisfies the schema file, showing ajv's errors when it does not. */
export function expectSchema(file: SchemaFile, data: unknown): void {
  const validate = compileSchema(ajv, file);
  expect(validate(data), JSON.stringify(validate.errors)).toBe(true);
}

export function example<T = unknown>(name: string): T {
  return JSON.parse(readFileSync(`schemas/examples/${name}.json`, 'utf8')) as T;
}

export function readCard(dir: string, name: string): ModelCard {
  return JSON.parse(readFileSync(`${dir}/${name}.json`, 'utf8')) as ModelCard;
}

/**
 * P(delayed) computed by ONNX Runtime directly from the model file and the card's encoding, with
 * the function's session options: ONNX Runtime's thread pool sums a row's trees in another order,
 * which moves probabilities by up to ~3e-7 — enough to change the sixth decimal the function shows.
 */
export async function directProbabilities(
  dir: string,
  name: string,
  inputs: unknown[],
): Promise<number[]> {
  const card = readCard(dir, name);
  const session = await ort.InferenceSession.create(`${dir}/${card.onnx.file}`, SESSION_OPTIONS);
  const rows =
    card.requestFormat === 'flights'
      ? flightEncoder(card.features)(inputs as ScheduledFlight[])
      : seedRowEncoder(card.features)(inputs as Array<Record<string, boolean>>);
  const tensor = new ort.Tensor('float32', rows.data, [rows.rows, rows.width]);
  const output = (await session.run({ [card.onnx.input]: tensor }))[card.onnx.output];
  const data = output?.data as Float32Array;
  return Array.from({ length: rows.rows }, (_, i) => data[i * 2 + 1] ?? NaN);
}
