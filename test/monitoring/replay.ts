/**
 * Replays flights through a real function started with LOG_PREDICTIONS=1 and returns what it
 * wrote to its log, one JSON line each, as its stdout holds them.
 */
import type { FlightRecord } from '../../scripts/train/dataset.js';
import { post, startServer } from '../helpers/server.js';

/** The function's default MAX_FLIGHTS. */
const BATCH = 10_000;

export async function replayLog(records: readonly FlightRecord[]): Promise<string> {
  const server = await startServer({ LOG_PREDICTIONS: '1' });
  try {
    for (let start = 0; start < records.length; start += BATCH) {
      const flights = records.slice(start, start + BATCH).map((record) => ({
        ...record,
        // Numbers in JSON, as the flight schema types them.
        DIA: Number(record.DIA),
        MES: Number(record.MES),
        AÑO: Number(record.AÑO),
      }));
      const response = await post(server, '/predict', { flights });
      if (response.status !== 200) throw new Error(`${response.status}: ${await response.text()}`);
    }
    // Entries are written after each answer has gone: wait until every flight is in them.
    while (loggedFlights(server.logs) < records.length) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return server.logs.map((line) => `${JSON.stringify(line)}\n`).join('');
  } finally {
    await server.close();
  }
}

function loggedFlights(logs: ReadonlyArray<Record<string, unknown>>): number {
  return logs.reduce((sum, line) => {
    const entry = line.predictionLog as { flights?: unknown[] } | undefined;
    return sum + (entry?.flights?.length ?? 0);
  }, 0);
}
