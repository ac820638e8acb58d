/**
 * The thread `npm run predict` runs its model on (see model-thread.ts). It loads the model as the
 * function does, through the registry (card, checksums, a proving run), says so with the card,
 * then answers each message of encoded rows with their probabilities, in the order they came.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { EncodedRows } from '../../functions/features.js';
import { createModelRegistry } from '../../functions/model-registry.js';
import { compileSchema, createAjv } from '../../functions/contract-schemas.js';
import type { ThreadReply, ThreadStart } from './model-thread.js';

const port = parentPort!;
const { dir, name } = workerData as ThreadStart;
const reply = (message: ThreadReply) => port.postMessage(message);
const reason = (error: unknown) => (error instanceof Error ? error.message : String(error));

try {
  // The card's validator alone: the request validators are the main thread's.
  const validateCard = compileSchema(createAjv(), 'model-card.schema.json');
  // The registry's log lines are the function's; the command reports a failed load as its error.
  const model = await createModelRegistry({ dir, validateCard, log() {} }).get(name);
  port.on('message', (rows: EncodedRows) =>
    model.predictRows(rows, {
      resolve: (probabilities) => reply({ probabilities }),
      reject: (error) => reply({ error: reason(error) }),
    }),
  );
  reply({ card: model.card });
} catch (error) {
  reply({ error: reason(error) });
}
