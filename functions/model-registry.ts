/**
 * The served models: each ONNX file is loaded on the first request that needs it, checked against
 * its card, and kept for every later request the instance serves. This cache is the function's one
 * deliberate piece of state that outlives a request.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ValidateFunction } from 'ajv/dist/2020.js';
import * as ort from 'onnxruntime-node';
import seedFlightSchema from '../schemas/seed-flight.schema.json' with { type: 'json' };
import { coalesceRuns, type Run } from './coalesce.js';
import { ProblemError } from './errors.js';
import {
  flightEncoder,
  seedKey,
  seedRowEncoder,
  type EncodedRows,
  type ScheduledFlight,
} from './features.js';
import type { Log } from './logging.js';
import type { Outcome } from './outcome.js';

/** The fields of a model card (schemas/model-card.schema.json) that serving reads. */
export interface ModelCard {
  name: string;
  version: string;
  requestFormat: 'vuelos' | 'flights';
  features: string[];
  threshold: { value: number };
  onnx: { file: string; sha256: string; input: string; output: string };
}

/** A loaded model, ready to answer requests. */
export interface ServedModel {
  card: ModelCard;
  /**
   * P(delayed) for each input, in order, delivered to `outcome` once the run the inputs join has
   * finished. Inputs must have passed the card's request schema.
   */
  predict(inputs: readonly unknown[], outcome: Outcome<Float32Array>): void;
}

export interface ModelRegistry {
  /**
   * The model: at once when it has loaded, else a promise of its first load.
   * @throws ProblemError 'model-unavailable' (the promise rejects with it)
   */
  get(name: string): ServedModel | Promise<ServedModel>;
}

export type SessionFactory = (onnx: Uint8Array) => Promise<ort.InferenceSession>;

/**
 * Session settings for one small tree ensemble per serverless instance: the instance already runs
 * many requests concurrently, and a thread pool per session would only contend with them for the
 * instance's CPU (docs/BENCHMARKS.md measures 1 thread against ONNX Runtime's default).
 */
export const SESSION_OPTIONS: ort.InferenceSession.SessionOptions = {
  intraOpNumThreads: 1,
  interOpNumThreads: 1,
  executionMode: 'sequential',
  graphOptimizationLevel: 'all',
};

const createSession: SessionFactory = (onnx) => ort.InferenceSession.create(onnx, SESSION_OPTIONS);

/** A registry over the cards and ONNX files in `dir`. */
export function createModelRegistry(options: {
  dir: string;
  validateCard: ValidateFunction;
  log: Log;
  createSession?: SessionFactory;
}): ModelRegistry {
  const loaded = new Map<string, ServedModel>();
  const loading = new Map<string, Promise<ServedModel>>();
  return {
    get(name) {
      // A loaded model is returned as is: awaiting a settled promise still costs every request.
      const model = loaded.get(name);
      if (model) return model;
      let load = loading.get(name);
      if (!load) {
        // Concurrent first requests share this one load; a failed load is forgotten so the next
        // request tries again (the file may have been restored meanwhile).
        load = loadModel(name, options).then(
          (served) => {
            loaded.set(name, served);
            loading.delete(name);
            return served;
          },
          (error: unknown) => {
            loading.delete(name);
            throw unavailable(name, error, options.log);
          },
        );
        loading.set(name, load);
      }
      return load;
    },
  };
}

async function loadModel(
  name: string,
  {
    dir,
    validateCard,
    log,
    createSession: create = createSession,
  }: Parameters<typeof createModelRegistry>[0],
): Promise<ServedModel> {
  const started = performance.now();
  const card = parseCard(name, await readModelFile(dir, `${name}.json`), validateCard);
  const onnx = await readModelFile(dir, card.onnx.file);
  const sha256 = createHash('sha256').update(onnx).digest('hex');
  if (sha256 !== card.onnx.sha256) {
    throw new Error(
      `${card.onnx.file} has SHA-256 ${sha256}, but its card expects ${card.onnx.sha256}`,
    );
  }
  const run = runner(card, await create(onnx));
  // One all-zero row proves the input name, width and output shape before any client relies on it.
  const width = card.features.length;
  await run({ data: new Float32Array(width), rows: 1, width });
  const encode = encoderFor(card);
  const submit = coalesceRuns(run);
  log('INFO', `model ${name} loaded`, {
    model: { name, version: card.version },
    loadMs: Math.round(performance.now() - started),
  });
  return { card, predict: (inputs, outcome) => submit(encode(inputs), outcome) };
}

/** A file of the models folder; errors name the file, not the instance's paths. */
async function readModelFile(dir: string, file: string): Promise<Buffer> {
  try {
    return await readFile(join(dir, file));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(code === 'ENOENT' ? `${file} is missing` : `${file} cannot be read (${code})`, {
      cause: error,
    });
  }
}

function parseCard(name: string, text: Buffer, validateCard: ValidateFunction): ModelCard {
  let card: unknown;
  try {
    card = JSON.parse(text.toString('utf8'));
  } catch (error) {
    throw new Error(`card ${name}.json is not valid JSON`, { cause: error });
  }
  if (!validateCard(card)) {
    const [first] = validateCard.errors ?? [];
    throw new Error(
      `card ${name}.json is invalid: ${first?.instancePath || '/'} ${first?.message ?? ''}`,
    );
  }
  const valid = card as ModelCard;
  if (valid.name !== name) throw new Error(`card ${name}.json names model "${valid.name}"`);
  return valid;
}

/** Runs encoded rows through the session: P(delayed) per row. */
function runner(card: ModelCard, session: ort.InferenceSession): Run {
  return async (rows) => {
    const input = new ort.Tensor('float32', rows.data, [rows.rows, rows.width]);
    const outputs = await session.run({ [card.onnx.input]: input }, [card.onnx.output]);
    return delayedColumn(outputs[card.onnx.output], rows.rows);
  };
}

/** Column 1 (delayed) of the [rows, 2] probabilities tensor. */
function delayedColumn(output: ort.OnnxValue | undefined, rows: number): Float32Array {
  if (!(output?.data instanceof Float32Array) || output.data.length !== rows * 2) {
    throw new Error(
      `expected float probabilities of shape [${rows}, 2], got ${output?.dims.join('x') ?? 'none'}`,
    );
  }
  const data = output.data;
  return Float32Array.from({ length: rows }, (_, row) => data[row * 2 + 1] ?? NaN);
}

const SEED_KEYS = new Set(Object.keys(seedFlightSchema.properties));

/** The card's encoding, built once per load; a card naming features this code lacks fails here. */
function encoderFor(card: ModelCard): (inputs: readonly unknown[]) => EncodedRows {
  // Inputs reach a model only after validation against its request format's schema.
  if (card.requestFormat === 'flights') {
    const encode = flightEncoder(card.features);
    return (inputs) => encode(inputs as readonly ScheduledFlight[]);
  }
  const missing = card.features.filter((name) => !SEED_KEYS.has(seedKey(name)));
  if (missing.length > 0) throw new Error(`seed format has no key for ${missing.join(', ')}`);
  const encode = seedRowEncoder(card.features);
  return (inputs) => encode(inputs as ReadonlyArray<Record<string, boolean>>);
}

function unavailable(name: string, error: unknown, log: Log): ProblemError {
  const reason = error instanceof Error ? error.message : String(error);
  log('ERROR', `model ${name} failed to load: ${reason}`, { model: { name } });
  return new ProblemError('model-unavailable', `model "${name}" is unavailable: ${reason}`);
}
