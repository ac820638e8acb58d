/**
 * A served model on a thread of its own, for `npm run predict`. ONNX Runtime's session runs
 * synchronously on the thread that calls it: on the main thread, each batch's run would wait for
 * the batch to be read, validated and encoded, and the next batch for the run. On its own thread
 * the model scores one batch while the main thread prepares the next, so with a second CPU the
 * command runs at the pace of the slower of the two rather than of their sum (docs/BENCHMARKS.md).
 */
import { Worker } from 'node:worker_threads';
import type { EncodedRows } from '../../functions/features.js';
import type { ModelCard } from '../../functions/model-registry.js';

/** What the thread is started with. */
export interface ThreadStart {
  dir: string;
  name: string;
}

/** What the thread sends: its card once loaded, then one answer per batch, in order. */
export type ThreadReply = { card: ModelCard } | { probabilities: Float32Array } | { error: string };

export interface ModelThread {
  card: ModelCard;
  /** P(delayed) of each row, as `ServedModel.predictRows` gives it. `rows.data` is moved, not copied. */
  score(rows: EncodedRows): Promise<Float32Array>;
  /** Stops the thread; batches not yet answered reject. */
  close(): Promise<void>;
}

/** Thrown when the model cannot be loaded: the registry's message, for the user. */
export class ModelLoadError extends Error {
  override name = 'ModelLoadError';
}

// The worker is TypeScript, as the command is. Node 20 resolves a worker's entry before the
// hooks of an `--import=tsx` in its execArgv apply, so the worker registers tsx itself first.
const WORKER_SOURCE = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))})
  .then((tsx) => { tsx.register(); return import(${JSON.stringify(new URL('./model-worker.ts', import.meta.url).href)}); })`;

/** Starts the thread and waits for model `name` of `dir` to load on it. */
export function startModelThread(start: ThreadStart): Promise<ModelThread> {
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: start });
  // Batches sent and not yet answered, oldest first: answers come in the order batches went.
  const waiting: Array<{ resolve(p: Float32Array): void; reject(e: Error): void }> = [];
  let failure: Error | undefined;
  let stopped = false;
  let whenIdle: (() => void) | undefined;
  const fail = (error: Error) => {
    failure ??= error;
    // Rejected now, but kept until answered: see close().
    for (const pending of waiting) pending.reject(failure);
  };
  const settled = () => {
    if (stopped || waiting.length === 0) whenIdle?.();
  };
  return new Promise((resolve, reject) => {
    worker.once('message', (first: ThreadReply) => {
      if (!('card' in first)) {
        void worker.terminate();
        return reject(new ModelLoadError('error' in first ? first.error : 'no model card'));
      }
      worker.on('message', (message: ThreadReply) => {
        const pending = waiting.shift();
        if ('probabilities' in message) pending?.resolve(message.probabilities);
        else pending?.reject(new Error('error' in message ? message.error : 'unexpected reply'));
        settled();
      });
      resolve({
        card: first.card,
        score(rows) {
          if (failure) return Promise.reject(failure);
          return new Promise((resolveRun, rejectRun) => {
            waiting.push({ resolve: resolveRun, reject: rejectRun });
            // Encoders allocate a plain ArrayBuffer for each batch, never a shared one.
            worker.postMessage(rows, [rows.data.buffer as ArrayBuffer]);
          });
        },
        async close() {
          fail(new Error('the model thread was closed'));
          // Terminating the thread inside a session run aborts the whole process (onnxruntime-node
          // throws from native code as the thread is torn down), so the runs it has finish first.
          await new Promise<void>((idle) => {
            whenIdle = idle;
            settled();
          });
          await worker.terminate();
        },
      });
    });
    worker.on('error', (error) => {
      fail(error);
      reject(error);
    });
    worker.on('exit', (code) => {
      stopped = true;
      const error = new Error(`the model thread stopped (exit code ${code})`);
      fail(error);
      reject(error);
      settled();
    });
  });
}
