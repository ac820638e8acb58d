/**
 * The actual departures: a CSV with `Fecha-I`, `Fecha-O` and the flight's fields (the data set's
 * layout), read and labelled by the training pipeline's own reader (scripts/train/dataset.ts:
 * delayed when Fecha-O − Fecha-I > 15 minutes), and matched to logged flights by airline, flight
 * type, destination and scheduled time in Santiago (a logged `Fecha-I` with an offset is brought
 * to Santiago's wall clock, as the function read it). Flights that share all four are matched in
 * turn; a logged flight left without an actual one is unmatched, and counted.
 */
import { readDataset, type Flight } from '../train/dataset.js';
import type { LocalDateTime } from '../../functions/santiago-time.js';
import type { MonitoredFlight } from './serving-values.js';

export interface Actuals {
  file: string;
  /** Rows of the file, and those its reader rejected. */
  read: number;
  rejected: number;
  byKey: Map<string, Flight[]>;
}

export async function readActuals(path: string): Promise<Actuals> {
  const dataset = await readDataset(path);
  const byKey = new Map<string, Flight[]>();
  for (const flight of dataset.flights) {
    const { OPERA, TIPOVUELO, SIGLADES } = flight.record;
    const key = matchKey(OPERA, TIPOVUELO, SIGLADES, flight.scheduled);
    byKey.set(key, [...(byKey.get(key) ?? []), flight]);
  }
  return {
    file: dataset.file,
    read: dataset.read,
    rejected: dataset.read - dataset.flights.length,
    byKey,
  };
}

/** A logged flight with its label, when an actual departure matched it. */
export interface Labelled {
  flight: MonitoredFlight;
  delayed: 0 | 1;
}

/**
 * Labels the dated flights that an actual departure matches; each actual row labels one logged
 * flight at most.
 */
export function matchActuals(
  flights: readonly MonitoredFlight[],
  actuals: Actuals,
): { labelled: Labelled[]; unmatched: number } {
  const used = new Map<string, number>();
  const labelled: Labelled[] = [];
  let unmatched = 0;
  for (const flight of flights) {
    if (!flight.scheduled) continue;
    const { flight: sent, time } = flight.scheduled;
    const key = matchKey(sent.OPERA, sent.TIPOVUELO, sent.SIGLADES, time);
    const next = used.get(key) ?? 0;
    const actual = actuals.byKey.get(key)?.[next];
    if (!actual) {
      unmatched++;
      continue;
    }
    used.set(key, next + 1);
    labelled.push({ flight, delayed: actual.delayed });
  }
  return { labelled, unmatched };
}

function matchKey(opera: string, type: string, destination: string, t: LocalDateTime): string {
  return JSON.stringify([
    opera,
    type,
    destination,
    t.year,
    t.month,
    t.day,
    t.hour,
    t.minute,
    t.second,
  ]);
}
