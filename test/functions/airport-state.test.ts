import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DepartureBoard,
  minutesBefore,
  timedDepartures,
  WINDOWS,
  type TimedDeparture,
  type WindowName,
  type WindowState,
} from '../../functions/airport-state.js';
import { flightEncoder, FEATURE_COLUMNS, type FlightInState } from '../../functions/features.js';
import { minutesBetween, type LocalDateTime } from '../../functions/santiago-time.js';

const AIRLINES = ['Grupo LATAM', 'Sky Airline', 'Aerolineas Argentinas'];
const START: LocalDateTime = { year: 2017, month: 3, day: 10, hour: 0, minute: 0, second: 0 };
const at = (minutes: number) => minutesBefore(START, -minutes);

/** A departure `offset` minutes into a three-day span, `delay` minutes after its schedule. */
const departure = fc
  .record({
    airline: fc.constantFrom(...AIRLINES),
    offset: fc.integer({ min: 0, max: 3 * 1440 }),
    delay: fc.integer({ min: -14, max: 180 }),
  })
  .map(({ airline, offset, delay }) => ({
    airline,
    scheduled: at(offset - delay),
    operated: at(offset),
  }));

/**
 * What a person reading the board would count: every departure that left in the window, by
 * comparing times one by one, never the own flight.
 */
function expectedWindow(
  departures: readonly TimedDeparture[],
  asOf: LocalDateTime,
  window: WindowName,
  airline?: string,
): WindowState {
  const midnight = { ...asOf, hour: 0, minute: 0, second: 0 };
  const inWindow = departures.filter((d) => {
    if (airline !== undefined && d.airline !== airline) return false;
    const before = minutesBetween(d.operated, asOf);
    if (window === 'ayer') {
      const sinceMidnight = minutesBetween(d.operated, midnight);
      return sinceMidnight > 0 && sinceMidnight <= 1440;
    }
    const hours = { '1h': 60, '3h': 180, '6h': 360 }[window];
    return before >= 0 && before < hours;
  });
  const delays = inWindow.map((d) => minutesBetween(d.scheduled, d.operated));
  const n = delays.length;
  return {
    departures: n,
    delayedShare: n === 0 ? 0 : delays.filter((d) => d > 15).length / n,
    meanDelayMinutes: n === 0 ? 0 : delays.reduce((a, b) => a + b, 0) / n,
  };
}

function expectClose(actual: WindowState, expected: WindowState): void {
  expect(actual.departures).toBe(expected.departures);
  expect(actual.delayedShare).toBeCloseTo(expected.delayedShare, 9);
  expect(actual.meanDelayMinutes).toBeCloseTo(expected.meanDelayMinutes, 9);
}

describe('DepartureBoard', () => {
  it('counts, in every window, exactly the departures at or before asOf, never the own flight', () => {
    fc.assert(
      fc.property(
        fc.array(departure, { maxLength: 60 }),
        fc.integer({ min: 0, max: 3 * 1440 }),
        fc.nat(),
        fc.integer({ min: 0, max: 400 }),
        (departures, asOfOffset, pick, horizon) => {
          const board = new DepartureBoard(departures);
          const asOf = at(asOfOffset);
          const own = departures.length > 0 ? departures[pick % departures.length] : undefined;
          const airline = own?.airline ?? AIRLINES[0]!;
          const scheduled = minutesBefore(asOf, -horizon);
          const state = board.stateAt(asOf, airline, scheduled, own);
          const others = departures.filter((d) => d !== own);
          expect(state.horizonMinutes).toBe(horizon);
          for (const window of WINDOWS) {
            expectClose(state.airport[window], expectedWindow(others, asOf, window));
            expectClose(state.airline[window], expectedWindow(others, asOf, window, airline));
          }
        },
      ),
    );
  });

  it('gives a departure at asOf to the recent windows and one after asOf to none', () => {
    const asOf = at(600);
    const board = new DepartureBoard([
      { airline: 'Sky Airline', scheduled: at(560), operated: at(600) },
      { airline: 'Sky Airline', scheduled: at(590), operated: at(601) },
    ]);
    const { airport, airline } = board.stateAt(asOf, 'Sky Airline', at(660));
    expect(airport['1h']).toEqual({ departures: 1, delayedShare: 1, meanDelayMinutes: 40 });
    expect(airline['6h']).toEqual(airport['6h']);
    expect(airport.ayer.departures).toBe(0);
  });

  it('is the state a request describes: departures parsed from their data-set fields', () => {
    const departures = timedDepartures([
      { OPERA: 'Grupo LATAM', 'Fecha-I': '2017-03-09 23:50:00', 'Fecha-O': '2017-03-10 00:20:00' },
      { OPERA: 'Grupo LATAM', 'Fecha-I': '2017-03-09 22:00:00', 'Fecha-O': '2017-03-09 22:05:00' },
    ]);
    const board = new DepartureBoard(departures);
    const asOf = at(60);
    const airport = board.airportAt(asOf);
    expect(airport['1h']).toEqual({ departures: 1, delayedShare: 1, meanDelayMinutes: 30 });
    expect(airport.ayer).toEqual({ departures: 1, delayedShare: 0, meanDelayMinutes: 5 });
  });
});

describe('the state columns', () => {
  it('encode the state the board gives, in the columns the card names', () => {
    const board = new DepartureBoard([
      { airline: 'Sky Airline', scheduled: at(500), operated: at(530) },
      { airline: 'Grupo LATAM', scheduled: at(520), operated: at(525) },
    ]);
    const flight: FlightInState = {
      OPERA: 'Sky Airline',
      TIPOVUELO: 'N',
      'Fecha-I': '2017-03-10 10:00:00',
      SIGLADES: 'Antofagasta',
      state: board.stateAt(at(540), 'Sky Airline', at(600)),
    };
    const names = ['horizonte', 'salidas_1h', 'tasa_atraso_1h', 'demora_media_opera_1h'];
    const { data } = flightEncoder(names)([flight]);
    expect(Array.from(data)).toEqual([60, 2, 0.5, 30]);
    expect(FEATURE_COLUMNS.state).toEqual(expect.arrayContaining(names));
  });

  it('refuse a flight that carries no state', () => {
    const flight = {
      OPERA: 'Sky Airline',
      TIPOVUELO: 'N',
      'Fecha-I': '2017-03-10 10:00:00',
      SIGLADES: 'Lima',
    };
    expect(() => flightEncoder(['horizonte'])([flight])).toThrow(/no airport state/);
  });
});
