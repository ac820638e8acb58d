/**
 * Where a schedule CSV keeps the fields the model reads: the flight schema's required fields,
 * found by the data set's column names in the header. Every other column is carried through.
 */
import flightSchema from '../../schemas/flight.schema.json' with { type: 'json' };
import type { ScheduledFlight } from '../../functions/features.js';

/** The columns the output adds after the input's own. */
export const ADDED_COLUMNS = ['probability', 'delayed'] as const;

/** The fields a flight must have, as the flight schema lists them (OPERA, TIPOVUELO, …). */
export const FLIGHT_COLUMNS = flightSchema.required as ReadonlyArray<keyof ScheduledFlight>;

/** The header's width and the index of each flight field in it. */
export interface ScheduleColumns {
  width: number;
  index: Readonly<Record<keyof ScheduledFlight, number>>;
}

/** Thrown for a header the command cannot work with: a message for the user. */
export class HeaderError extends Error {
  override name = 'HeaderError';
}

/**
 * The flight fields' positions in `header`, the first row of `file`.
 * @throws HeaderError naming every flight column missing, one named twice, or a column the output
 *   would add.
 */
export function scheduleColumns(header: readonly string[], file: string): ScheduleColumns {
  const missing = FLIGHT_COLUMNS.filter((column) => !header.includes(column));
  if (missing.length > 0) {
    throw new HeaderError(
      `${file}: the header lacks the column${missing.length > 1 ? 's' : ''} ${quoted(missing)}; a ` +
        `schedule needs ${quoted(FLIGHT_COLUMNS)}, named as in the data set ` +
        `(header: ${JSON.stringify(header.join(',').slice(0, 200))})`,
    );
  }
  const repeated = header.filter((column, at) => header.indexOf(column) !== at);
  if (repeated.length > 0)
    throw new HeaderError(`${file}: the header names ${quoted(repeated)} twice`);
  const clashing = ADDED_COLUMNS.filter((column) => header.includes(column));
  if (clashing.length > 0) {
    throw new HeaderError(
      `${file}: the header already has ${quoted(clashing)}, which the output adds`,
    );
  }
  const index = Object.fromEntries(FLIGHT_COLUMNS.map((c) => [c, header.indexOf(c)]));
  return { width: header.length, index: index as Record<keyof ScheduledFlight, number> };
}

function quoted(columns: readonly string[]): string {
  return [...new Set(columns)].map((column) => `"${column}"`).join(', ');
}
