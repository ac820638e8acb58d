/**
 * The `nowcast` model's rows: every flight seen at several horizons before its scheduled departure,
 * with the departure board as it stood then (functions/airport-state.ts, the code serving uses). A
 * sample's state counts only departures whose actual time is at or before its asOf, never the
 * flight's own.
 *
 * What keeps the held-out weeks out of what the model learns: the training samples' board holds
 * only the training weeks' flights, and a training sample whose windows reach into a held-out week
 * is left out, so no held-out flight's outcome is an input of a training sample. The held-out
 * samples' board holds every flight, as a real board would.
 */
import {
  DepartureBoard,
  minutesBefore,
  type TimedDeparture,
} from '../../functions/airport-state.js';
import { flightEncoder, type FlightInState } from '../../functions/features.js';
import type { LocalDateTime } from '../../functions/santiago-time.js';
import type { Flight, FlightRecord } from './dataset.js';
import type { TrainingData } from './training-data.js';
import { isoWeekKey } from './weeks.js';

/** Minutes before the scheduled departure at which every flight is seen. */
export const HORIZONS: readonly number[] = [15, 30, 60, 120, 180, 360];

/** The horizon of the headline figures, the explanations and the training distribution. */
export const HEADLINE_HORIZON = 60;

/** One flight seen at one horizon. */
export interface Sample {
  /** Index into the used flights. */
  flight: number;
  horizon: number;
  /** The flight's data-set fields and its state. */
  record: FlightRecord & FlightInState;
}

/** The flights' samples as training data, and where each horizon's samples lie in it. */
export interface AirportSamples {
  /**
   * `split.train`: every training sample kept, at every horizon; `split.test`: the held-out
   * samples at {@link HEADLINE_HORIZON}, one per held-out flight in the flights' `split.test`
   * order; the folds hold the same weeks as the flights' folds; `trainRecords` stays the training
   * flights, so one-hot columns are the schedule model's.
   */
  data: TrainingData;
  /** Training samples at each horizon (indices into the samples). */
  trainingAt: ReadonlyMap<number, number[]>;
  /** Held-out samples at each horizon, each one per held-out flight in `split.test` order. */
  testAt: ReadonlyMap<number, number[]>;
  /** Training samples left out because their windows reach into a held-out week. */
  leftOut: number;
  /** Every sample, by its index in `data`. */
  byIndex: readonly Sample[];
}

/** The board of the flights at `rows`. */
export function boardOf(flights: readonly Flight[], rows: readonly number[]): DepartureBoard {
  return new DepartureBoard(rows.map((row) => departureOf(flights[row]!)));
}

function departureOf(flight: Flight): TimedDeparture {
  return { airline: flight.record.OPERA, scheduled: flight.scheduled, operated: flight.operated };
}

/**
 * The flights at `rows`, each at every horizon (horizon by horizon, rows in the order given), with
 * the state `board` shows at asOf = scheduled − horizon for the flight's airline, its own departure
 * never counted.
 * @param excluded whether a sample seen at `asOf` must be left out.
 */
export function expandSamples(
  flights: readonly Flight[],
  rows: readonly number[],
  board: DepartureBoard,
  excluded: (asOf: LocalDateTime) => boolean = () => false,
): { samples: Sample[]; leftOut: number } {
  const samples: Sample[] = [];
  let leftOut = 0;
  for (const horizon of HORIZONS) {
    for (const row of rows) {
      const flight = flights[row]!;
      const asOf = minutesBefore(flight.scheduled, horizon);
      if (excluded(asOf)) {
        leftOut++;
        continue;
      }
      const { OPERA } = flight.record;
      const state = board.stateAt(asOf, OPERA, flight.scheduled, departureOf(flight));
      samples.push({ flight: row, horizon, record: { ...flight.record, state } });
    }
  }
  return { samples, leftOut };
}

/**
 * Whether a board read at asOf looks into one of `weeks`. Its windows reach back to the start of
 * the previous calendar day (`ayer`; the hourly ones at most 6 hours), so they span asOf's date
 * and the date before.
 */
export function readsWeeks(weeks: ReadonlySet<string>): (asOf: LocalDateTime) => boolean {
  return (asOf) =>
    weeks.has(isoWeekKey(asOf)) || weeks.has(isoWeekKey(minutesBefore(asOf, 24 * 60)));
}

/**
 * Expands flight-level training data into samples: the training flights on the training weeks'
 * board (samples reading a held-out week left out), the held-out flights on every flight's board.
 */
export function airportSamples(flightData: TrainingData): AirportSamples {
  const { dataset, split } = flightData;
  const { flights } = dataset;
  const training = expandSamples(
    flights,
    split.train,
    boardOf(flights, split.train),
    readsWeeks(new Set(split.testWeeks)),
  );
  const everyFlight = flights.map((_, row) => row);
  const heldOut = expandSamples(flights, split.test, boardOf(flights, everyFlight));
  const samples = [...training.samples, ...heldOut.samples];
  const trainCount = training.samples.length;
  const byHorizon = (from: number, to: number) =>
    new Map(HORIZONS.map((h) => [h, indicesWhere(samples, from, to, (s) => s.horizon === h)]));
  const trainingAt = byHorizon(0, trainCount);
  const testAt = byHorizon(trainCount, samples.length);
  return {
    data: sampleData(flightData, samples, {
      train: indicesWhere(samples, 0, trainCount, () => true),
      test: testAt.get(HEADLINE_HORIZON)!,
      reference: trainingAt.get(HEADLINE_HORIZON)!,
    }),
    trainingAt,
    testAt,
    leftOut: training.leftOut,
    byIndex: samples,
  };
}

/** The samples as training data, split as given, folded and row-split by their flights. */
function sampleData(
  flightData: TrainingData,
  samples: readonly Sample[],
  rows: { train: number[]; test: number[]; reference: number[] },
): TrainingData {
  const { split } = flightData;
  const foldOfFlight = new Map<number, number>();
  flightData.folds.forEach((positions, fold) =>
    positions.forEach((position) => foldOfFlight.set(split.train[position]!, fold)),
  );
  const labels = Float32Array.from(samples, (s) => flightData.labels[s.flight]!);
  const records = (indices: readonly number[]) => indices.map((i) => samples[i]!.record);
  const trainingSamples = rows.train.map((i) => samples[i]!);
  return {
    dataset: flightData.dataset,
    labels,
    weeks: samples.map((s) => flightData.weeks[s.flight]!),
    split: { ...split, train: rows.train, test: rows.test },
    folds: flightData.folds.map((_, fold) =>
      indicesWhere(
        trainingSamples,
        0,
        trainingSamples.length,
        (s) => foldOfFlight.get(s.flight) === fold,
      ),
    ),
    trainRecords: flightData.trainRecords,
    records,
    rows: (indices, features) => ({
      x: flightEncoder(features)(records(indices)),
      y: Float32Array.from(indices, (i) => labels[i]!),
    }),
    referenceRows: rows.reference,
    // The flights are split, not the samples: a flight's samples stay on one side.
    rowSplit: (testFraction, seed) => {
      const flightSplit = flightData.rowSplit(testFraction, seed);
      const train = new Set(flightSplit.train);
      const test = new Set(flightSplit.test);
      return {
        train: indicesWhere(samples, 0, samples.length, (s) => train.has(s.flight)),
        test: indicesWhere(
          samples,
          0,
          samples.length,
          (s) => s.horizon === HEADLINE_HORIZON && test.has(s.flight),
        ),
      };
    },
  };
}

/** Indices i in [from, to) of the samples that `keep`. */
function indicesWhere(
  samples: readonly Sample[],
  from: number,
  to: number,
  keep: (sample: Sample) => boolean,
): number[] {
  const indices: number[] = [];
  for (let i = from; i < to; i++) if (keep(samples[i]!)) indices.push(i);
  return indices;
}
