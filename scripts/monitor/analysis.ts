/**
 * One model's monitoring figures: per week (of scheduled departure, or of logging for formats
 * without a date) its drift, its estimated performance and, where actual times matched, its
 * realized performance; and the same performance figures over the whole period.
 */
import type { BootstrapOptions, Interval } from '../train/bootstrap.js';
import type { Actuals } from './actuals.js';
import { matchActuals } from './actuals.js';
import { groupDrift, type Drift } from './drift.js';
import { estimate, estimatedRocAucInterval, type Estimate } from './estimation.js';
import type { MonitoredCard } from './model-cards.js';
import { realized, type Realized } from './realized.js';
import type { MonitoredFlight } from './serving-values.js';
import type { Thresholds } from './thresholds.js';

export interface Estimated extends Estimate {
  rocAucInterval?: Interval;
}

export interface WeekFigures {
  week: string;
  weekOf: MonitoredFlight['weekOf'];
  flights: number;
  drift: Drift[];
  estimated: Estimated;
  realized?: Realized | undefined;
}

export interface ModelFigures {
  card: MonitoredCard;
  flights: number;
  /** Flights without a scheduled date (`vuelos`, LATAM): drift and estimation only. */
  undated: number;
  weeks: WeekFigures[];
  /** The period's performance, and its drift (drawn, not alerted on: alerts are per week). */
  period: { estimated: Estimated; realized?: Realized | undefined; drift: Drift[] };
  /** With actual times: dated flights no actual departure matched. */
  unmatched?: number | undefined;
}

export function analyseModel(
  card: MonitoredCard,
  flights: readonly MonitoredFlight[],
  actuals: Actuals | undefined,
  thresholds: Thresholds,
): ModelFigures {
  const options: BootstrapOptions = card.bootstrap;
  const match = actuals && matchActuals(flights, actuals);
  const labels = new Map(match?.labelled.map(({ flight, delayed }) => [flight, delayed]));
  const weeks = groupBy(flights, (f) => `${f.weekOf}:${f.week}`);
  const edges = periodEdges(flights);
  const weekFigures = [...weeks.values()].map((group): WeekFigures => {
    const probabilities = group.map((f) => f.logged.probability);
    const { week, weekOf } = group[0]!;
    const cut = weekOf === 'scheduled' && edges.has(week);
    return {
      week,
      weekOf,
      flights: group.length,
      drift: groupDrift(card.trainingDistribution, group, thresholds, cut),
      estimated: estimated(card, probabilities, group.map(dayOf), options),
      realized: actuals && realizedOf(group, labels, dayOf, options),
    };
  });
  const probabilities = flights.map((f) => f.logged.probability);
  const weekOf = (f: MonitoredFlight) => f.week;
  return {
    card,
    flights: flights.length,
    undated: flights.filter((f) => f.weekOf === 'logged').length,
    weeks: weekFigures.sort((a, b) => a.week.localeCompare(b.week)),
    period: {
      estimated: estimated(card, probabilities, flights.map(weekOf), options),
      realized: actuals && realizedOf(flights, labels, weekOf, options),
      drift: groupDrift(card.trainingDistribution, flights, thresholds),
    },
    unmatched: match?.unmatched,
  };
}

/** The first and last weeks of scheduled departure: those the period's start and end may cut. */
function periodEdges(flights: readonly MonitoredFlight[]): Set<string> {
  const weeks = flights.filter((f) => f.weekOf === 'scheduled').map((f) => f.week);
  if (weeks.length === 0) return new Set();
  weeks.sort();
  return new Set([weeks[0]!, weeks[weeks.length - 1]!]);
}

function estimated(
  card: MonitoredCard,
  probabilities: readonly number[],
  groups: readonly string[],
  options: BootstrapOptions,
): Estimated {
  const interval = estimatedRocAucInterval(probabilities, groups, options);
  return {
    ...estimate(probabilities, card.threshold.value),
    ...(interval && { rocAucInterval: interval }),
  };
}

function realizedOf(
  flights: readonly MonitoredFlight[],
  labels: ReadonlyMap<MonitoredFlight, 0 | 1>,
  groupOf: (f: MonitoredFlight) => string,
  options: BootstrapOptions,
): Realized | undefined {
  const matched = flights.filter((f) => labels.has(f));
  if (matched.length === 0) return undefined;
  return realized(
    matched.map((f) => f.logged.probability),
    matched.map((f) => labels.get(f)!),
    matched.map(groupOf),
    options,
  );
}

/** The day a flight's week is made of: its scheduled date, or the date it was logged. */
function dayOf(f: MonitoredFlight): string {
  if (!f.scheduled) return f.logged.loggedAt.slice(0, 10);
  const { year, month, day } = f.scheduled.time;
  return `${year}-${month}-${day}`;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group) group.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}
