/**
 * The seed's "synthetic features" table (data/processed/synthetic_features.csv): every input
 * column plus `temporada_alta`, `dif_min`, `atraso_15` and `periodo_dia`, computed with the
 * functions serving uses (functions/features.ts).
 */
import { delayMinutes } from '../../functions/delay.js';
import { dayPeriod, isHighSeason } from '../../functions/features.js';
import type { Dataset, Flight } from './dataset.js';

/** The columns added to the input's, in the seed's order. */
export const SYNTHETIC_COLUMNS = ['temporada_alta', 'dif_min', 'atraso_15', 'periodo_dia'] as const;

/** The added columns' values for one flight (high season and day period from Fecha-I). */
export function syntheticFeatures(flight: Flight): Array<string | number> {
  return [
    isHighSeason(flight.scheduled) ? 1 : 0,
    delayMinutes(flight.scheduled, flight.operated),
    flight.delayed,
    dayPeriod(flight.scheduled),
  ];
}

/** The table, header first: the input's columns as read, then {@link SYNTHETIC_COLUMNS}. */
export function syntheticFeatureTable(dataset: Dataset): Array<Array<string | number>> {
  return [
    [...dataset.header, ...SYNTHETIC_COLUMNS],
    ...dataset.flights.map((flight) => [...flight.fields, ...syntheticFeatures(flight)]),
  ];
}
