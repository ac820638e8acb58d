/**
 * The models training produces: what each is for, the request format that serves it, the feature
 * sets `npm run tune` may choose among for it, and whether it reads the airport's state.
 */
import { FEATURE_SETS } from './feature-sets.js';

export interface ModelSpec {
  description: string;
  requestFormat: 'vuelos' | 'flights';
  /** Feature sets the search compares (the first is the reference of the feature study). */
  featureSets: readonly string[];
  /**
   * The model reads the airport's state beside the schedule: it is trained on samples of every
   * flight at several horizons (airport-samples.ts), on `schedule`'s feature choice and parameters
   * plus the state windows its own study keeps, and compared with `schedule` on the same flights.
   */
  readsAirportState: boolean;
}

export const MODEL_SPECS = {
  'onehot-37': {
    description:
      "Probability that a flight leaves SCL more than 15 minutes late, from the seed API's 37 one-hot inputs (airline, flight type, month of the scheduled date). Serves the seed's `vuelos` request format.",
    requestFormat: 'vuelos',
    featureSets: ['seed-37'],
    readsAirportState: false,
  },
  schedule: {
    description:
      'Probability that a flight leaves SCL more than 15 minutes late, from what is known when it is scheduled: airline, flight type, destination and the scheduled date and time (Fecha-I). Serves the `flights` request format.',
    requestFormat: 'flights',
    featureSets: Object.keys(FEATURE_SETS),
    readsAirportState: false,
  },
  nowcast: {
    description:
      "Probability that a flight leaves SCL more than 15 minutes late, seen from 15 minutes to 6 hours before its scheduled departure: from what `schedule` reads and the airport's recent departures as a departure board shows them at that moment (how many left, what share left more than 15 minutes late, their mean delay, in recent windows, for the airport and the flight's airline). Serves `flights` requests that carry the airport's state.",
    requestFormat: 'flights',
    featureSets: [],
    readsAirportState: true,
  },
} as const satisfies Record<string, ModelSpec>;

export type ModelName = keyof typeof MODEL_SPECS;

export const MODEL_NAMES = Object.keys(MODEL_SPECS) as ModelName[];
