import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { minutesBefore } from '../../../functions/airport-state.js';
import {
  airportSamples,
  boardOf,
  expandSamples,
  HEADLINE_HORIZON,
  HORIZONS,
  readsWeeks,
} from '../../../scripts/train/airport-samples.js';
import { readConfig } from '../../../scripts/train/config.js';
import type { Flight } from '../../../scripts/train/dataset.js';
import { loadTrainingData } from '../../../scripts/train/training-data.js';
import { isoWeekKey } from '../../../scripts/train/weeks.js';
import { syntheticCsv } from '../../fixtures/synthetic-flights.js';
import { temporaryFile } from './helpers.js';

const config = await readConfig();
const dataPath = await temporaryFile('flights.csv', syntheticCsv(3000, 5));
const data = await loadTrainingData(dataPath, config, () => {});
const { flights } = data.dataset;
const samples = airportSamples(data);
const all = flights.map((_, row) => row);

/** A copy of the flights with some of them leaving at another time. */
function withOperated(change: (flight: Flight, row: number) => Flight['operated'] | undefined) {
  return flights.map((flight, row) => ({
    ...flight,
    operated: change(flight, row) ?? flight.operated,
  }));
}

const later = (flight: Flight, minutes: number) => minutesBefore(flight.operated, -minutes);
const board = (rows: readonly number[], changed = flights) =>
  expandSamples(changed, rows, boardOf(changed, all)).samples.map((s) => s.record.state);

describe('expandSamples', () => {
  it('sees every flight at every horizon, asOf that many minutes before its schedule', () => {
    const rows = [0, 5, 17];
    const { samples: expanded, leftOut } = expandSamples(flights, rows, boardOf(flights, all));
    expect(leftOut).toBe(0);
    expect(expanded.map((s) => [s.flight, s.horizon])).toEqual(
      HORIZONS.flatMap((h) => rows.map((row) => [row, h])),
    );
    for (const sample of expanded) {
      expect(sample.record.state.horizonMinutes).toBe(sample.horizon);
      expect(sample.record['Fecha-I']).toBe(flights[sample.flight]!.record['Fecha-I']);
    }
  });

  it('never shows a departure after asOf: moving later ones changes no state', () => {
    fc.assert(
      fc.property(
        fc.nat(flights.length - 1),
        fc.constantFrom(...HORIZONS),
        fc.integer({ min: 1, max: 600 }),
        (row, horizon, minutes) => {
          const asOf = minutesBefore(flights[row]!.scheduled, horizon);
          const pushed = withOperated((f) =>
            minutesAfter(f.operated, asOf) ? later(f, minutes) : undefined,
          );
          const at = HORIZONS.indexOf(horizon);
          expect(board([row], pushed)[at]).toEqual(board([row])[at]);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('never counts the flight itself, even when it left before asOf', () => {
    fc.assert(
      fc.property(fc.nat(flights.length - 1), (row) => {
        // 400 minutes early: before every asOf, and inside the hourly windows at 6 hours.
        const early = withOperated((f, r) =>
          r === row ? minutesBefore(f.scheduled, 400) : undefined,
        );
        expect(board([row], early)).toEqual(board([row]));
      }),
      { numRuns: 40 },
    );
  });
});

/** Whether `time` is strictly after `asOf`. */
function minutesAfter(time: Flight['operated'], asOf: Flight['operated']): boolean {
  const millis = (t: Flight['operated']) =>
    Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second);
  return millis(time) > millis(asOf);
}

describe('airportSamples', () => {
  const { split } = samples.data;
  const testWeeks = new Set(data.split.testWeeks);

  it('leaves out exactly the training samples whose windows reach into a held-out week', () => {
    let expectedLeftOut = 0;
    for (const row of data.split.train) {
      for (const horizon of HORIZONS) {
        const asOf = minutesBefore(flights[row]!.scheduled, horizon);
        const dayBefore = minutesBefore(asOf, 24 * 60);
        if (testWeeks.has(isoWeekKey(asOf)) || testWeeks.has(isoWeekKey(dayBefore))) {
          expectedLeftOut++;
        }
      }
    }
    expect(expectedLeftOut).toBeGreaterThan(0);
    expect(samples.leftOut).toBe(expectedLeftOut);
    expect(split.train.length + samples.leftOut).toBe(data.split.train.length * HORIZONS.length);
  });

  it('shows training samples nothing of the held-out weeks: their outcomes can change freely', () => {
    const held = new Set(data.split.test);
    const changed = withOperated((f, row) => (held.has(row) ? later(f, 90) : undefined));
    const again = airportSamples({ ...data, dataset: { ...data.dataset, flights: changed } });
    const states = (s: typeof samples) => s.data.split.train.map((i) => s.byIndex[i]!.record.state);
    expect(states(again)).toEqual(states(samples));
    // The held-out samples read every flight, as a real board would.
    const heldOut = (s: typeof samples) => s.data.split.test.map((i) => s.byIndex[i]!.record.state);
    expect(heldOut(again)).not.toEqual(heldOut(samples));
  });

  it('scores each held-out flight once per horizon, in the flights’ order', () => {
    for (const horizon of HORIZONS) {
      const rows = samples.testAt.get(horizon)!;
      expect(rows).toHaveLength(data.split.test.length);
      rows.forEach((index, i) => {
        const sample = samples.byIndex[index]!;
        expect(sample).toMatchObject({ flight: data.split.test[i], horizon });
        expect(sample.record.state.horizonMinutes).toBe(horizon);
      });
    }
    expect(split.test).toEqual(samples.testAt.get(HEADLINE_HORIZON));
  });

  it('folds the samples by the flights’ folds: the same weeks, every training sample once', () => {
    const foldWeeks = (folds: number[][], weeks: readonly string[], rows: readonly number[]) =>
      folds.map((fold) => [...new Set(fold.map((position) => weeks[rows[position]!]!))].sort());
    expect(foldWeeks(samples.data.folds, samples.data.weeks, split.train)).toEqual(
      foldWeeks(data.folds, data.weeks, data.split.train),
    );
    const positions = samples.data.folds.flat().sort((a, b) => a - b);
    expect(positions).toEqual(split.train.map((_, i) => i));
  });

  it('labels each sample with its flight’s delay', () => {
    const byFlight = new Map(data.split.test.map((row, i) => [i, data.labels[row]]));
    samples.testAt.forEach((rows) =>
      rows.forEach((index, i) => expect(samples.data.labels[index]).toBe(byFlight.get(i))),
    );
  });
});

describe('readsWeeks', () => {
  const reads = readsWeeks(new Set(['2017-W10']));
  const at = (text: string) => {
    const [date, time] = text.split(' ');
    const [year, month, day] = date!.split('-').map(Number);
    const [hour, minute] = time!.split(':').map(Number);
    return { year: year!, month: month!, day: day!, hour: hour!, minute: minute!, second: 0 };
  };

  it.each([
    // 2017-W10 runs from Monday 6 March to Sunday 12 March.
    ['2017-03-08 12:00', true],
    ['2017-03-13 08:00', true], // Monday after: the previous day is in it
    ['2017-03-14 00:30', false], // Tuesday after: 6 hours back is still Monday
    ['2017-03-05 23:59', false], // the Sunday before
  ])('at %s: %s', (text, expected) => {
    expect(reads(at(text))).toBe(expected);
  });
});
