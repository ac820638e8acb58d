import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flightEncoder, type ScheduledFlight } from '../../../functions/features.js';
import {
  ModelLoadError,
  startModelThread,
  type ModelThread,
} from '../../../scripts/predict/model-thread.js';
import { syntheticFlights } from '../../fixtures/synthetic-flights.js';
import { directProbabilities, readCard } from '../../helpers/contract.js';
import { copyModels } from '../../helpers/models.js';

const flights: ScheduledFlight[] = syntheticFlights(400, 5).map((f) => ({
  OPERA: f.OPERA,
  TIPOVUELO: f.TIPOVUELO,
  'Fecha-I': f['Fecha-I'],
  SIGLADES: f.SIGLADES,
}));
const encode = () => flightEncoder(readCard('models', 'schedule').features)(flights);

describe('the model thread', () => {
  let thread: ModelThread;
  beforeAll(async () => {
    thread = await startModelThread({ dir: 'models', name: 'schedule' });
  });
  afterAll(() => thread.close());

  it('scores encoded rows as ONNX Runtime does on this thread, in order, batch after batch', async () => {
    const direct = await directProbabilities('models', 'schedule', flights);
    // Several batches in flight at once, as `npm run predict` keeps them.
    const rows = [encode(), encode(), encode()];
    const answers = await Promise.all(rows.map((r) => thread.score(r)));
    for (const answer of answers) expect(Array.from(answer)).toEqual(direct.map(Math.fround));
    expect(thread.card.name).toBe('schedule');
  });

  it('moves the rows to the thread rather than copying them', async () => {
    const rows = encode();
    const scored = thread.score(rows);
    expect(rows.data.length).toBe(0);
    expect((await scored).length).toBe(flights.length);
  });
});

describe('starting the model thread', () => {
  const models = copyModels();
  afterAll(() => models.remove());

  it("fails with the registry's message for a model that is not there", async () => {
    const start = startModelThread({ dir: models.dir, name: 'nonexistent' });
    await expect(start).rejects.toBeInstanceOf(ModelLoadError);
    await expect(start).rejects.toThrow(/nonexistent/);
  });

  it('fails for an ONNX file that does not match its card', async () => {
    models.write('schedule.onnx', 'not a model');
    try {
      await expect(startModelThread({ dir: models.dir, name: 'schedule' })).rejects.toThrow(
        /sha-?256|checksum|digest/i,
      );
    } finally {
      models.restore('schedule.onnx');
    }
  });

  it('rejects what it is given once closed', async () => {
    const thread = await startModelThread({ dir: models.dir, name: 'schedule' });
    const pending = expect(thread.score(encode())).rejects.toThrow(/closed/);
    await thread.close();
    await pending;
    await expect(thread.score(encode())).rejects.toThrow(/closed/);
  });
});
