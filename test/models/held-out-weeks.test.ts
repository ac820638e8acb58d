/**
 * The schedule card's headline figures hold for the function as served: the held-out weeks' rows
 * of the data set, posted to a real server in the `flights` format with the data set's own fields,
 * score the ROC AUC and log loss the card reports.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { heldOutFlights, type TrainingCard } from '../../scripts/train/card.js';
import { readDataset } from '../../scripts/train/dataset.js';
import { logLoss, rocAuc, sweep } from '../../scripts/train/metrics.js';
import { post, startServer, type TestServer } from '../helpers/server.js';
import { hasSharedData, SHARED_DATA } from '../scripts/train/helpers.js';

const card = JSON.parse(readFileSync('models/schedule.json', 'utf8')) as TrainingCard;
/** The function's default MAX_FLIGHTS. */
const BATCH = 10_000;
/** The bound: the served probabilities are rounded to six decimals. */
const TOLERANCE = 0.002;

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

describe.skipIf(!hasSharedData)('the schedule card on its held-out weeks', () => {
  it('is reproduced by the function’s answers for those rows', async () => {
    const held = heldOutFlights(card, (await readDataset(SHARED_DATA)).flights);
    expect(held).toHaveLength(card.data.split.test);
    const probabilities: number[] = [];
    for (let start = 0; start < held.length; start += BATCH) {
      const batch = held.slice(start, start + BATCH).map(({ record }) => ({
        ...record,
        // Numbers in JSON, as the flight schema types them.
        DIA: Number(record.DIA),
        MES: Number(record.MES),
        AÑO: Number(record.AÑO),
      }));
      const response = await post(server, '/predict', { flights: batch });
      expect(response.status).toBe(200);
      const body = (await response.json()) as { predictions: Array<{ probability: number }> };
      probabilities.push(...body.predictions.map((p) => p.probability));
    }
    const labels = held.map((f) => f.delayed);
    expect(Math.abs(rocAuc(sweep(probabilities, labels)) - card.metrics.rocAuc)).toBeLessThan(
      TOLERANCE,
    );
    expect(Math.abs(logLoss(probabilities, labels) - card.metrics.logLoss)).toBeLessThan(TOLERANCE);
  });
});
