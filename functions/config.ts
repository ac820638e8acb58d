/**
 * The function's settings, read from the environment once per instance. A bad value stops the
 * instance at start-up with a message naming the variable, instead of surfacing on a request.
 */
import { resolve } from 'node:path';
import { SEED_COLUMN_MODELS, type SeedColumnModel } from './model-choice.js';

export interface Config {
  /** Folder holding `<name>.onnx` and `<name>.json` for every served model. */
  modelsDir: string;
  /** Largest batch accepted in one request; more is answered 413. */
  maxFlights: number;
  /** Largest batch explained in one request (`"explain": true`); more is answered 413. */
  maxExplainedFlights: number;
  /** Most departures a request's `airport` may list; more is answered 413. */
  maxDepartures: number;
  /**
   * Bytes of request bodies the instance holds at once, counted as they arrive (functions/intake.ts);
   * memory is sized from it (terraform/variables.tf).
   */
  bodyBudgetBytes: number;
  /** How long a request's body may take to arrive, from its headers on; slower is answered 408. */
  bodyDeadlineMs: number;
  /** One log line per request (besides the error and model-load lines always written). */
  logRequests: boolean;
  /**
   * Share of the requests POST /predict and POST /bigquery answer whose predictions are logged,
   * from 0 (none) to 1 (all): functions/prediction-log.ts.
   */
  logPredictions: number;
  /** After SIGTERM, how long in-flight requests may take before the process exits anyway. */
  shutdownGraceMs: number;
  /** Google Cloud project, to turn trace ids into the `projects/…/traces/…` form Logging links. */
  project: string | undefined;
  /** Deployed revision (Cloud Run's K_REVISION), reported by `GET /`. */
  revision: string | undefined;
  /** The model answering `vuelos` requests that name none (`?model=`): onehot-37 or original. */
  vuelosModel: SeedColumnModel;
}

type Environment = Readonly<Record<string, string | undefined>>;

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    value: string,
    expected: string,
  ) {
    super(`${variable}=${JSON.stringify(value.slice(0, 100))} is invalid: expected ${expected}`);
    this.name = 'ConfigError';
  }
}

/**
 * Reads the configuration from environment variables.
 * @throws ConfigError naming the first variable with an unusable value.
 */
export function loadConfig(env: Environment): Config {
  return {
    // Relative to the working directory: the repository root locally, /workspace when deployed,
    // and the bundle keeps models/ next to index.js — so one default serves both.
    modelsDir: resolve(env.MODELS_DIR ?? 'models'),
    maxFlights: integer(env, 'MAX_FLIGHTS', 10_000, 1, 1_000_000),
    // Explaining costs far more than predicting (functions/explain): a bound of its own.
    maxExplainedFlights: integer(env, 'MAX_EXPLAINED_FLIGHTS', 1_000, 1, 1_000_000),
    // The previous day's and the current day's departures at SCL's busiest (the data set's two
    // busiest consecutive days), with room to grow.
    maxDepartures: integer(env, 'MAX_DEPARTURES', 800, 1, 1_000_000),
    bodyBudgetBytes: integer(env, 'BODY_BUDGET_MIB', 32, 1, 1_024) * 1024 * 1024,
    // Under the deployment's request timeout (terraform/variables.tf), so that a slow body gets
    // this 408 rather than Cloud Run's 504, yet long enough for 32 MiB at 9 Mbit/s; at most
    // Node's own request timeout, which would otherwise answer first.
    bodyDeadlineMs: integer(env, 'BODY_DEADLINE_MS', 30_000, 1, 300_000),
    logRequests: flag(env, 'LOG_REQUESTS'),
    logPredictions: fraction(env, 'LOG_PREDICTIONS'),
    // Cloud Run sends SIGKILL 10 s after SIGTERM; leave a second for the process to exit.
    shutdownGraceMs: integer(env, 'SHUTDOWN_GRACE_MS', 9_000, 0, 3_600_000),
    project: env.GOOGLE_CLOUD_PROJECT || undefined,
    revision: env.K_REVISION || undefined,
    vuelosModel: oneOf(env, 'VUELOS_MODEL', SEED_COLUMN_MODELS),
  };
}

function integer(env: Environment, name: string, fallback: number, min: number, max: number) {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) {
    throw new ConfigError(name, text, `an integer from ${min} to ${max}`);
  }
  return value;
}

/** A decimal number from 0 to 1; 0 when unset. */
function fraction(env: Environment, name: string): number {
  const text = env[name];
  if (text === undefined || text === '') return 0;
  const value = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || value > 1) {
    throw new ConfigError(name, text, 'a number from 0 to 1, such as 0.1');
  }
  return value;
}

function flag(env: Environment, name: string): boolean {
  const text = env[name];
  if (text === undefined || text === '' || text === '0' || text === 'false') return false;
  if (text === '1' || text === 'true') return true;
  throw new ConfigError(name, text, '1, true, 0 or false');
}

/** One of `allowed`; the first when unset. */
function oneOf<T extends string>(env: Environment, name: string, allowed: readonly [T, ...T[]]): T {
  const text = env[name];
  if (text === undefined || text === '') return allowed[0];
  const value = allowed.find((option) => option === text);
  if (value === undefined) throw new ConfigError(name, text, allowed.join(' or '));
  return value;
}
