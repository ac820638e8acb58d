/**
 * The feature sets a model can be trained on, named so that the hyper-parameter config and the
 * feature study can refer to them. A set turns the training flights into ordered feature names
 * (functions/features.ts's vocabulary); one-hot groups get a column for every value with at least
 * {@link MIN_CATEGORY_ROWS} training rows and pool the rest into `<column>_other`.
 */
import { categoryValue, type ScheduledFlight } from '../../functions/features.js';
import { NO_STATE, stateColumns, windowsLabel, type StateWindows } from './state-windows.js';
import seedFeatureNames from '../../models/baseline/seed-feature-names.json' with { type: 'json' };

/** The seed model's 37 one-hot inputs, in its order. */
export const SEED_FEATURES: readonly string[] = seedFeatureNames;

/**
 * A value needs this many training rows for its own column: fewer rows give a rate too noisy to
 * learn (Plus Ultra, the rarest airline, has about 33 in the training split).
 */
export const MIN_CATEGORY_ROWS = 30;

export interface FeatureSet {
  description: string;
  names(training: readonly ScheduledFlight[]): string[];
}

/**
 * One-hot names for `column`: values with enough training rows, in natural order (`MES_2` before
 * `MES_10`), then `<column>_other` when some value was pooled.
 */
export function oneHotNames(column: string, training: readonly ScheduledFlight[]): string[] {
  const counts = new Map<string, number>();
  for (const flight of training) {
    const value = categoryValue(column, flight);
    counts.set(value, (counts.get(value) ?? 0) + 1);
  }
  const kept = [...counts]
    .filter(([, rows]) => rows >= MIN_CATEGORY_ROWS)
    .map(([value]) => value)
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  const names = kept.map((value) => `${column}_${value}`);
  return kept.length < counts.size ? [...names, `${column}_other`] : names;
}

const withSeed =
  (...columns: Array<string | ((training: readonly ScheduledFlight[]) => string[])>) =>
  (training: readonly ScheduledFlight[]): string[] => [
    ...SEED_FEATURES,
    ...columns.flatMap((c) => (typeof c === 'string' ? [c] : c(training))),
  ];

const oneHot = (column: string) => (training: readonly ScheduledFlight[]) =>
  oneHotNames(column, training);

/**
 * Every feature set, keyed by name. The `seed-37…` sets grow the seed's columns one group at a
 * time (the feature study compares them); `numeric-calendar` encodes month, weekday and hour as
 * numbers instead of indicators.
 */
export const FEATURE_SETS: Readonly<Record<string, FeatureSet>> = {
  'seed-37': {
    description: "the seed's columns: airline, flight type, month (one-hot)",
    names: withSeed(),
  },
  'seed-37+weekday': {
    description: '+ day of week (one-hot)',
    names: withSeed(oneHot('DIANOM')),
  },
  'seed-37+weekday+destination': {
    description: '+ destination (one-hot, rare pooled)',
    names: withSeed(oneHot('DIANOM'), oneHot('SIGLADES')),
  },
  'seed-37+weekday+destination+hour': {
    description: '+ scheduled hour (number, minutes as fraction)',
    names: withSeed(oneHot('DIANOM'), oneHot('SIGLADES'), 'hora'),
  },
  'seed-37+weekday+destination+hour+period+season': {
    description: '+ day period (one-hot) and high season (0/1)',
    names: withSeed(
      oneHot('DIANOM'),
      oneHot('SIGLADES'),
      'hora',
      oneHot('periodo_dia'),
      'temporada_alta',
    ),
  },
  'numeric-calendar': {
    description:
      'airline, flight type, destination (one-hot, rare pooled); month, weekday, hour, high season as numbers',
    names: (training) => [
      ...oneHotNames('OPERA', training),
      ...oneHotNames('TIPOVUELO', training),
      ...oneHotNames('SIGLADES', training),
      'mes',
      'dia_semana',
      'hora',
      'temporada_alta',
    ],
  },
};

/**
 * Numeric features (functions/features.ts) the feature study adds to the best feature set one at
 * a time; each is kept only if it lowers the week-grouped cross-validated log loss.
 */
export const CANDIDATE_FEATURES: Readonly<Record<string, string>> = {
  festivo: 'Chilean public holiday (0/1, date-holidays)',
  fin_de_semana_largo: 'long weekend: a day off in a run of ≥ 3 (Saturdays, Sundays, holidays)',
  dias_desde_festivo: 'days since the last public holiday',
  dias_a_festivo: 'days until the next public holiday',
  dia_mes: 'day of month',
};

/**
 * A feature set and the candidate features added to it, and for a model that reads the airport's
 * state its windows: what a model is trained on.
 */
export interface FeatureChoice {
  featureSet: string;
  extraFeatures: readonly string[];
  airportState?: StateWindows | undefined;
}

/** The ordered feature names of a choice: the set's, the extra features, the state columns. */
export function choiceNames(choice: FeatureChoice, training: readonly ScheduledFlight[]): string[] {
  return [
    ...featureSet(choice.featureSet).names(training),
    ...choice.extraFeatures,
    ...stateColumns(choice.airportState ?? NO_STATE),
  ];
}

/**
 * The choice's name as the report and card show it: `set`, `set + a + b`, or with the airport's
 * state `set + a + state (airport 1h/3h, airline 1h)`.
 */
export function choiceLabel({ featureSet, extraFeatures, airportState }: FeatureChoice): string {
  const state = airportState ? [`state (${windowsLabel(airportState)})`] : [];
  return [featureSet, ...extraFeatures, ...state].join(' + ');
}

/** @throws Error naming the known sets when `name` is not one. */
export function featureSet(name: string): FeatureSet {
  const set = FEATURE_SETS[name];
  if (!set) {
    throw new Error(
      `unknown feature set "${name}" (known: ${Object.keys(FEATURE_SETS).join(', ')})`,
    );
  }
  return set;
}
