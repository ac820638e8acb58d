/**
 * The served models: each ONNX file is loaded on the first request that needs it, checked against
 * its card, and kept for every later request the instance serves; so are the trees that explain a
 * model's predictions, on the first request that asks for explanations. This cache is the
 * function's one deliberate piece of state that outlives a request.
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
  flightExplainer,
  type Calibration,
  type ExplainFlights,
  type Explanation,
} from './explain/flight-explainer.js';
import {
  flightEncoder,
  seedKey,
  seedRowEncoder,
  type EncodedRows,
  type ScheduledFlight,
} from './features.js';
import { lazily, whenLoaded } from './lazy.js';
import type { Log } from './logging.js';
import { mapOutcome, type Outcome } from './outcome.js';

/** The fields of a model card (schemas/model-card.schema.json) that serving reads. */
export interface ModelCard {
  name: string;
  version: string;
  requestFormat: 'vuelos' | 'flights';
  features: string[];
  threshold: { value: number };
  calibration: Calibration;
  /** The XGBoost JSON model the ONNX file was exported from: what explanations are computed on. */
  xgboost: { file: string; sha256: string };
  onnx: { file: string; sha256: string; input: string; output: string };
  /**
   * A model reading the airport's state (nowcast): the minutes from asOf to a flight's Fecha-I it
   * answers for, min and max included — the horizons it was trained on.
   */
  airportState?: { horizonMinutes: { min: number; max: number } };
}

/** Predictions with their explanations, in input order. */
export interface ExplainedPredictions {
  probabilities: Float32Array;
  explanations: Explanation[];
}

/** A loaded model, ready to answer requests. */
export interface ServedModel {
  card: ModelCard;
  /**
   * P(delayed) for each input, in order, delivered to `outcome` once the run the inputs join has
   * finished. Inputs must have passed the card's request schema.
   */
  predict(inputs: readonly unknown[], outcome: Outcome<Float32Array>): void;
  /**
   * Like {@link predict}, for rows already encoded as the card's features list them (by
   * `flightEncoder(card.features)` for flights): for a caller that encodes on another thread than
   * the one the model runs on (scripts/predict).
   */
  predictRows(rows: EncodedRows, outcome: Outcome<Float32Array>): void;
  /**
   * Like {@link predict}, with each input's explanation. The trees load on the first call (a
   * failed load rejects with ProblemError 'model-unavailable'). Inputs must be flights.
   */
  explain(inputs: readonly unknown[], outcome: Outcome<ExplainedPredictions>): void;
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
  const models = new Map<string, () => ServedModel | Promise<ServedModel>>();
  return {
    get(name) {
      let model = models.get(name);
      if (!model) {
        model = loadedOnce(name, options.log, () => loadModel(name, options));
        models.set(name, model);
      }
      return model();
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
  const onnx = await readVerifiedFile(dir, card.onnx);
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
  const explainer = loadedOnce(name, log, () => loadExplainer(card, dir, log));
  return {
    card,
    predict: (inputs, outcome) => submit(encode(inputs), outcome),
    predictRows: submit,
    explain(inputs, outcome) {
      const flights = inputs as readonly ScheduledFlight[];
      const explainAndRun = (explain: ExplainFlights) => {
        const rows = encode(flights);
        const explanations = explain(flights, rows);
        submit(
          rows,
          mapOutcome(outcome, (probabilities) => ({ probabilities, explanations })),
        );
      };
      whenLoaded(explainer(), outcome.reject, explainAndRun);
    },
  };
}

/** A part of model `name` loaded lazily (see {@link lazily}); a failed load is logged and 503. */
function loadedOnce<T>(name: string, log: Log, load: () => Promise<T>): () => T | Promise<T> {
  return lazily(() =>
    load().catch((error: unknown) => {
      throw unavailable(name, error, log);
    }),
  );
}

/** The model's explainer, from the XGBoost JSON model its card names. */
async function loadExplainer(card: ModelCard, dir: string, log: Log): Promise<ExplainFlights> {
  const started = performance.now();
  const bytes = await readVerifiedFile(dir, card.xgboost);
  let trees: unknown;
  try {
    trees = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new Error(`${card.xgboost.file} is not valid JSON`, { cause: error });
  }
  const explain = flightExplainer(trees, card.features, card.calibration);
  log('INFO', `explainer of model ${card.name} loaded`, {
    model: { name: card.name, version: card.version },
    loadMs: Math.round(performance.now() - started),
  });
  return explain;
}

/** A model file whose SHA-256 must be the one its card records. */
async function readVerifiedFile(
  dir: string,
  { file, sha256 }: { file: string; sha256: string },
): Promise<Buffer> {
  const bytes = await readModelFile(dir, file);
  const actual = createHash('sha256').update(bytes).digest('hex');
  if (actual !== sha256) {
    throw new Error(`${file} has SHA-256 ${actual}, but its card expects ${sha256}`);
  }
  return bytes;
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
