/**
 * The report's sections on the model that reads the airport's state: its figures at every horizon
 * beside `schedule` on the same held-out flights, its reliability diagram at the headline horizon,
 * and the state study `npm run tune` recorded.
 */
import { WINDOWS } from '../../../functions/airport-state.js';
import type { TrainingConfig } from '../config.js';
import type { TrainingRun } from '../pipeline.js';
import { windowsLabel } from '../state-windows.js';
import { airportStateCalibrationFile, airportStatePair, CALIBRATION_BINS } from './data.js';
import { code, table } from './markdown.js';
import { fixed, signed, signedWithInterval, withInterval } from './numbers.js';

/**
 * Issue 23's targets, reported against the held-out figures (never used to choose anything): ROC
 * AUC above `schedule`'s by this much 1 hour and 3 hours before departure.
 */
const TARGETS = { hour: { minutes: 60, rocAuc: 0.02 }, later: { minutes: 180, rocAuc: 0.01 } };

export function airportStateSection(run: TrainingRun): string {
  const pair = airportStatePair(run);
  if (!pair) return '';
  const { model, comparedWith } = pair;
  const state = model.card.airportState!;
  const other = code(comparedWith.name);
  const { level, replicates } = model.card.bootstrap;
  return `## \`${model.name}\`: the airport's state, by horizon

\`${model.name}\` reads ${other}'s features and what a departure board shows at the moment of the
prediction (${windowsLabel(state.windows)}: departures, share more than 15 minutes late and mean
delay in each window; \`horizonte\`, the minutes left to the scheduled departure). It learned from
${state.samples.training} training samples (${state.samples.leftOut} left out because their windows reach into a held-out week) and is
scored on each of the ${state.samples.heldOutPerHorizon} held-out flights at every horizon. How the samples were built, as its
card's \`airportState.note\` says:

> ${state.note}

Each row scores the same held-out flights, at one horizon, beside ${other}, whose probabilities do
not depend on the horizon. Δ is \`${model.name}\` − ${other}, with the ${Math.round(level * 100)}% interval of a paired
bootstrap of the held-out weeks (${replicates} replicates; in each, both models are scored on the same
resampled weeks).

${horizonTable(run)}

${targetLines(run)}

![Reliability diagram at ${state.headlineHorizonMinutes} min](${airportStateCalibrationFile(model)})

The reliability diagram of \`${model.name}\` ${state.headlineHorizonMinutes} minutes before departure beside ${other} on the same
flights, ${CALIBRATION_BINS} equal-count bins each (read as the reliability diagram above).`;
}

function horizonTable(run: TrainingRun): string {
  const { model } = airportStatePair(run)!;
  const other = model.card.airportState!.comparedWith;
  return table(
    [
      'before departure',
      `ROC AUC`,
      `${other} ROC AUC`,
      'Δ ROC AUC',
      'log loss',
      `${other} log loss`,
      'Δ log loss',
      'PR AUC',
      'Brier',
      'ECE',
    ],
    model.card.airportState!.byHorizon.map(
      ({ horizonMinutes, metrics, intervals, schedule, difference }) => [
        `${horizonMinutes} min`,
        withInterval(metrics.rocAuc, intervals.rocAuc),
        fixed(schedule.rocAuc),
        signedWithInterval(difference.rocAuc.value, difference.rocAuc),
        withInterval(metrics.logLoss, intervals.logLoss),
        fixed(schedule.logLoss),
        signedWithInterval(difference.logLoss.value, difference.logLoss),
        withInterval(metrics.prAuc, intervals.prAuc),
        withInterval(metrics.brier, intervals.brier),
        withInterval(metrics.ece, intervals.ece),
      ],
    ),
  );
}

/** The issue's targets, each with the figure it is measured by and whether it is met. */
function targetLines(run: TrainingRun): string {
  const { model } = airportStatePair(run)!;
  const { byHorizon, comparedWith } = model.card.airportState!;
  const at = (minutes: number) => byHorizon.find((h) => h.horizonMinutes === minutes);
  const verdict = (met: boolean) => (met ? '**met**' : '**not met**');
  const lines: string[] = [];
  const { hour, later } = TARGETS;
  const first = at(hour.minutes);
  if (first) {
    const { rocAuc, logLoss } = first.difference;
    const met = rocAuc.value >= hour.rocAuc && rocAuc.low > 0 && logLoss.value < 0;
    lines.push(
      `${hour.minutes} min before: Δ ROC AUC ${signed(rocAuc.value)} (target ≥ +${hour.rocAuc}), its interval [${signed(rocAuc.low)}, ${signed(rocAuc.high)}] (target: above 0), Δ log loss ${signed(logLoss.value)} (target: below 0) — ${verdict(met)}.`,
    );
  }
  const second = at(later.minutes);
  if (second) {
    const { value } = second.difference.rocAuc;
    lines.push(
      `${later.minutes} min before: Δ ROC AUC ${signed(value)} (target ≥ +${later.rocAuc}) — ${verdict(value >= later.rocAuc)}.`,
    );
  }
  const worse = byHorizon.filter((h) => h.difference.logLoss.value > 0);
  lines.push(
    `Log loss no worse than \`${comparedWith}\`'s at every horizon — ${verdict(worse.length === 0)}${worse.length > 0 ? ` (worse at ${worse.map((h) => `${h.horizonMinutes} min`).join(', ')})` : ''}.`,
  );
  return `Targets of issue 23, measured here and never used to choose anything:\n\n${lines.map((l) => `- ${l}`).join('\n')}`;
}

export function stateStudySection(config: TrainingConfig): string {
  const study = config.tuning?.stateStudy;
  if (!study) return '## State study (`nowcast`)\n\nNot measured yet: run `npm run tune`.';
  const chosen = config.models.nowcast.airportState;
  const reference = study.candidates[0]!;
  return `## State study (\`nowcast\`)

Every row is a ${config.crossValidation.folds}-fold cross-validation grouped by ISO week (the folds hold the same weeks as the
flights' folds) on the ${study.trainingSamples} training samples: every training flight at ${study.horizons.join(', ')} minutes
before departure, ${study.leftOut} samples left out because their windows reach into a held-out week. The
features are \`schedule\`'s, plus \`horizonte\` and the state columns of the windows (${WINDOWS.map(code).join(', ')}: the last 1,
3 and 6 hours and the previous calendar day; each window brings its departures, late share and mean delay)
for the airport and for the flight's airline. The XGBoost parameters are \`schedule\`'s (a grid on this
many rows is too slow); each row's rounds are its best (up to ${config.search.maxRounds}). The airport's windows are grown
one at a time, then the airline's on the best airport windows; at each step the fewest columns within
${config.search.logLossTolerance} of the lowest log loss win, and the winner's rounds are \`nowcast\`'s. Δ is against the first
row, the schedule's features alone on the same samples.

${table(
  ['windows', 'columns', 'rounds', 'CV log loss', 'Δ log loss', 'CV ROC AUC', 'Δ ROC AUC'],
  study.candidates.map((c) => [
    `${windowsLabel(c)}${chosen && windowsLabel(chosen) === windowsLabel(c) ? ' **(chosen)**' : ''}`,
    String(c.features),
    String(c.rounds),
    fixed(c.logLoss),
    signed(c.logLoss - reference.logLoss),
    fixed(c.rocAuc),
    signed(c.rocAuc - reference.rocAuc),
  ]),
)}`;
}
