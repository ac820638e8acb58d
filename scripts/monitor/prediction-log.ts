/**
 * The log files read together: each flight once, however often its entry was delivered (the
 * BigQuery sink's streaming, or the same export read twice), and a count of the requests some of
 * whose chunks are missing.
 */
import type { LogFile } from './log-reader.js';
import type { LoggedFlight } from './logged-flight.js';

export interface PredictionLog {
  flights: LoggedFlight[];
  entries: number;
  /** Lines or items that held no prediction log entry. */
  skipped: number;
  /** Flights read more than once and counted once. */
  duplicates: number;
  /** Requests that said how many chunks they had and of which some were not read. */
  incompleteRequests: number;
}

export function joinLogFiles(files: readonly LogFile[]): PredictionLog {
  const byKey = new Map<string, LoggedFlight>();
  const chunksSeen = new Map<string, Set<number>>();
  const chunksSaid = new Map<string, number>();
  let duplicates = 0;
  for (const file of files) {
    file.chunks.forEach((chunks, requestId) => chunksSaid.set(requestId, chunks));
    for (const flight of file.flights) {
      const key = `${flight.requestId}/${flight.chunk}/${flight.position}`;
      if (byKey.has(key)) {
        duplicates++;
        continue;
      }
      byKey.set(key, flight);
      const seen = chunksSeen.get(flight.requestId) ?? new Set();
      chunksSeen.set(flight.requestId, seen.add(flight.chunk));
    }
  }
  const incompleteRequests = [...chunksSaid].filter(
    ([requestId, chunks]) => (chunksSeen.get(requestId)?.size ?? 0) < chunks,
  ).length;
  return {
    flights: [...byKey.values()],
    entries: files.reduce((sum, f) => sum + f.entries, 0),
    skipped: files.reduce((sum, f) => sum + f.skipped, 0),
    duplicates,
    incompleteRequests,
  };
}
