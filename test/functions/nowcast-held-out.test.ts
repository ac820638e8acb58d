/**
 * The nowcast card's one-hour figure holds for the function as served: every flight of the card's
 * held-out weeks is posted with the airport's departures as a board showed them one hour before
 * its scheduled time — the data set's flights that had left by then, as far back as the windows
 * the card reads (the previous day when it reads `ayer`) — and the ROC AUC of the answers is the
 * card's at that horizon.
 */
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boardMinutes, minutesBefore } from '../../functions/airport-state.js';
import {
  localText,
  parseScheduledTime,
  scheduledTimeProblem,
  type LocalDateTime,
} from '../../functions/santiago-time.js';
import { heldOutFlights, type TrainingCard } from '../../scripts/train/card.js';
import { readDataset, type Flight } from '../../scripts/train/dataset.js';
import { rocAuc, sweep } from '../../scripts/train/metrics.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { hasSharedData, SHARED_DATA } from '../scripts/train/helpers.js';

const card = JSON.parse(readFileSync('models/nowcast.json', 'utf8')) as TrainingCard;
const HORIZON = 60;
/** The bound: the served probabilities are rounded to six decimals. */
const TOLERANCE = 0.003;
/** Requests in flight at once, each on a kept-alive connection. */
const CONCURRENCY = 4;
/** Some 17,000 requests: more beside the rest of the suite than the default minute. */
const TIMEOUT_MS = 240_000;
const { windows } = card.airportState!;
const readWindows = [...windows.airport, ...windows.airline];
/**
 * How far back the model reads, in minutes before asOf; the previous day is the whole day before
 * asOf's midnight. Older departures fall in no window the card reads: sending them would change
 * nothing but the test's time.
 */
const reach = readWindows.includes('ayer')
  ? undefined
  : Math.max(...readWindows.map((w) => Number(w.replace('h', '')) * 60));

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  agent.destroy();
  await server.close();
});

/**
 * The data set as a departure board: flights in order of actual departure, each as the JSON a
 * request lists, and the departures a board showed at any moment of the previous and current day.
 */
function departureBoard(flights: readonly Flight[]) {
  const byDeparture = [...flights].sort(
    (a, b) => boardMinutes(a.operated) - boardMinutes(b.operated),
  );
  const minutes = byDeparture.map((f) => boardMinutes(f.operated));
  const json = byDeparture.map(({ record }) =>
    JSON.stringify({
      OPERA: record.OPERA,
      'Fecha-I': record['Fecha-I'],
      'Fecha-O': record['Fecha-O'],
    }),
  );
  /** Index of the first departure later than `minute` (or at it, when `strictly`). */
  const firstAfter = (minute: number, strictly: boolean) => {
    let [lo, hi] = [0, minutes.length];
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (strictly ? minutes[mid]! <= minute : minutes[mid]! < minute) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return (asOf: LocalDateTime): string[] => {
    const now = boardMinutes(asOf);
    const yesterday = now - (asOf.hour * 60 + asOf.minute + asOf.second / 60) - 1440;
    const first =
      reach === undefined ? firstAfter(yesterday, false) : firstAfter(now - reach, true);
    return json.slice(first, firstAfter(now, true));
  };
}

// node:http rather than fetch: thousands of small requests, where its lower cost per request shows.
const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });

/** POSTs a JSON text to /predict: the status and text of the answer. */
function postText(body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${server.url}/predict`,
      { method: 'POST', agent, headers: { 'content-type': 'application/json' } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * asOf as a request sends it. An hour before a flight due just after Santiago's clocks skipped an
 * hour (daylight saving time began) is a wall-clock time that never existed, which the function
 * refuses: it is sent as the instant it names in summer time (−03:00), the moment an hour before
 * the flight — on the wall clock, an hour earlier still, so such a flight is seen two hours ahead
 * (the card's samples, on the wall clock, one).
 */
function asOfText(asOf: LocalDateTime): string {
  const text = localText(asOf);
  return scheduledTimeProblem(text) ? `${text.replace(' ', 'T')}-03:00` : text;
}

describe.skipIf(!hasSharedData)('the nowcast card on its held-out weeks, one hour ahead', () => {
  it(
    'is reproduced by the function’s answers, each flight seen with the board of its asOf',
    async () => {
      const { flights } = await readDataset(SHARED_DATA);
      const atHorizon = card.airportState!.byHorizon.find((h) => h.horizonMinutes === HORIZON)!;
      const held = heldOutFlights(card, flights);
      expect(held).toHaveLength(atHorizon.metrics.rows);
      const departuresAt = departureBoard(flights);
      // Flights sharing a scheduled time share their asOf: one request each.
      const groups = new Map<string, number[]>();
      held.forEach((flight, i) => {
        const same = groups.get(flight.record['Fecha-I']);
        if (same) same.push(i);
        else groups.set(flight.record['Fecha-I'], [i]);
      });
      const requests = [...groups.values()];
      const probabilities = new Array<number>(held.length);
      const models = new Set<string>();
      const send = async (indices: number[]) => {
        const asOf = asOfText(minutesBefore(held[indices[0]!]!.scheduled, HORIZON));
        const sent = indices.map((i) => {
          const { OPERA, TIPOVUELO, SIGLADES } = held[i]!.record;
          return { OPERA, TIPOVUELO, 'Fecha-I': held[i]!.record['Fecha-I'], SIGLADES };
        });
        const body =
          `{"flights":${JSON.stringify(sent)},"airport":{"asOf":"${asOf}",` +
          `"departures":[${departuresAt(parseScheduledTime(asOf)!).join(',')}]}}`;
        const { status, text } = await postText(body);
        expect(status, text).toBe(200);
        const answer = JSON.parse(text) as {
          predictions: Array<{ model: string; probability: number }>;
        };
        answer.predictions.forEach(({ model, probability }, k) => {
          models.add(model);
          probabilities[indices[k]!] = probability;
        });
      };
      let next = 0;
      const worker = async () => {
        while (next < requests.length) await send(requests[next++]!);
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));
      expect(models).toEqual(new Set(['nowcast']));
      const served = rocAuc(
        sweep(
          probabilities,
          held.map((f) => f.delayed),
        ),
      );
      const expected = atHorizon.metrics.rocAuc;
      expect(Math.abs(served - expected), `served ${served}, card ${expected}`).toBeLessThan(
        TOLERANCE,
      );
    },
    TIMEOUT_MS,
  );
});
