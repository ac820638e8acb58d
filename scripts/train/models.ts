/**
 * The two models training produces: what each is for, the request format that serves it, and the
 * feature sets `npm run tune` may choose among for it.
 */
import { FEATURE_SETS } from './feature-sets.js';

export interface ModelSpec {
  description: string;
  requestFormat: 'vuelos' | 'flights';
  /** Feature sets the search compares (the first is the reference of the feature study). */
  featureSets: readonly string[];
}

export const MODEL_SPECS = {
  'onehot-37': {
    description:
      "Probability that a flight leaves SCL more than 15 minutes late, from the seed API's 37 one-hot inputs (airline, flight type, month of the scheduled date). Serves the seed's `vuelos` request format.",
    requestFormat: 'vuelos',
    featureSets: ['seed-37'],
  },
  schedule: {
    description:
      'Probability that a flight leaves SCL more than 15 minutes late, from what is known when it is scheduled: airline, flight type, destination and the scheduled date and time (Fecha-I). Serves the `flights` request format.',
    requestFormat: 'flights',
    featureSets: Object.keys(FEATURE_SETS),
  },
} as const satisfies Record<string, ModelSpec>;

export type ModelName = keyof typeof MODEL_SPECS;

export const MODEL_NAMES = Object.keys(MODEL_SPECS) as ModelName[];
