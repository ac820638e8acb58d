/**
 * The `airport` of a flights request (schemas/airport-state.schema.json), once it has passed its
 * schema: the departure board it describes, read at its asOf. A departure that left after asOf
 * cannot be on a board read then — it would hand the model what it is meant to predict — so the
 * request is refused, naming each such departure, rather than the departure being ignored.
 */
import {
  boardMinutes,
  DepartureBoard,
  timedDepartures,
  WINDOWS,
  type Departure,
  type WindowName,
  type WindowState,
} from './airport-state.js';
import { MAX_LISTED_VIOLATIONS, ProblemError, type Violation } from './errors.js';
import { localText, validatedTime, type LocalDateTime } from './santiago-time.js';
import { quote } from './violations.js';

/** The request's `airport`, validated. */
export interface AirportRequest {
  asOf: string;
  departures: Departure[];
}

/** What an answer echoes of the state it used: the airport-wide windows at asOf. */
export interface AirportEcho {
  /** asOf as Santiago local time, `YYYY-MM-DD HH:MM:SS`. */
  asOf: string;
  departures: number;
  windows: Record<WindowName, WindowState>;
}

/** A request's board, read at its asOf. */
export interface Airport {
  asOf: LocalDateTime;
  board: DepartureBoard;
  echo: AirportEcho;
}

/**
 * The board of a validated `airport`.
 * @throws ProblemError 'invalid-request' listing every departure whose Fecha-O is after asOf.
 */
export function readAirport(airport: AirportRequest): Airport {
  const asOf = validatedTime(airport.asOf, 'asOf');
  const timed = timedDepartures(airport.departures);
  const asOfMinute = boardMinutes(asOf);
  const late = timed.flatMap((departure, index) =>
    boardMinutes(departure.operated) > asOfMinute ? [index] : [],
  );
  if (late.length > 0) throw leftAfterAsOf(airport, late);
  const board = new DepartureBoard(timed);
  const windows = board.airportAt(asOf);
  return {
    asOf,
    board,
    echo: {
      asOf: localText(asOf),
      departures: timed.length,
      windows: Object.fromEntries(WINDOWS.map((name) => [name, rounded(windows[name])])) as Record<
        WindowName,
        WindowState
      >,
    },
  };
}

function leftAfterAsOf(airport: AirportRequest, indices: readonly number[]): ProblemError {
  const asOf = quote(airport.asOf);
  const violations: Violation[] = indices.slice(0, MAX_LISTED_VIOLATIONS).map((index) => ({
    pointer: `/airport/departures/${index}/Fecha-O`,
    message:
      `${quote(airport.departures[index]!['Fecha-O'])} is after asOf ${asOf}: a departure ` +
      'board read at asOf cannot show a flight that had not left yet',
  }));
  const count = indices.length;
  return new ProblemError(
    'invalid-request',
    `${count} of the airport's departures left after asOf ${asOf}: list only those whose ` +
      'Fecha-O is at or before asOf',
    { violations, omitted: count - violations.length },
  );
}

// Four decimals, as explanations show the state's values: a share or a mean delay, not float noise.
function rounded({ departures, delayedShare, meanDelayMinutes }: WindowState): WindowState {
  const round = (value: number) => Math.round(value * 1e4) / 1e4;
  return {
    departures,
    delayedShare: round(delayedShare),
    meanDelayMinutes: round(meanDelayMinutes),
  };
}
