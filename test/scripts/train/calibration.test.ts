import { describe, expect, it } from 'vitest';
import {
  applyPlatt,
  choosePlatt,
  fitPlatt,
  logit,
  NO_CALIBRATION,
  sigmoid,
} from '../../../scripts/train/calibration.js';
import { logLoss } from '../../../scripts/train/metrics.js';
import { mulberry32 } from '../../../scripts/train/split.js';

/** Margins whose true log-odds are slope × margin + intercept. */
function overconfident(rows: number, slope: number, intercept: number, seed = 1) {
  const random = mulberry32(seed);
  const margins = Array.from({ length: rows }, () => (random() - 0.5) * 6);
  const labels = margins.map((m) => (random() < sigmoid(slope * m + intercept) ? 1 : 0));
  return { margins, labels };
}

const foldsOf = (rows: number, k: number) =>
  Array.from({ length: k }, (_, f) =>
    Array.from({ length: rows }, (_, i) => i).filter((i) => i % k === f),
  );

describe('fitPlatt', () => {
  it('recovers the slope and intercept the labels were drawn with', () => {
    const { margins, labels } = overconfident(40_000, 0.6, -0.4);
    const platt = fitPlatt(margins, labels);
    expect(platt.slope).toBeCloseTo(0.6, 1);
    expect(platt.intercept).toBeCloseTo(-0.4, 1);
  });

  it('lowers the log loss of the margins it was fitted on', () => {
    const { margins, labels } = overconfident(5_000, 0.5, 0.3);
    const raw = logLoss(applyPlatt(NO_CALIBRATION, margins), labels);
    expect(logLoss(applyPlatt(fitPlatt(margins, labels), margins), labels)).toBeLessThan(raw);
  });
});

describe('choosePlatt', () => {
  it('uses the step when cross-validation says it lowers the log loss', () => {
    const { margins, labels } = overconfident(6_000, 0.6, -0.3);
    const probabilities = Float32Array.from(margins, sigmoid);
    const choice = choosePlatt(probabilities, labels, foldsOf(6_000, 5));
    expect(choice.used).toBe(true);
    expect(choice.calibratedLogLoss).toBeLessThan(choice.rawLogLoss);
    expect(choice.platt.slope).toBeLessThan(1);
  });

  it('keeps the identity for probabilities that are already calibrated', () => {
    const { margins, labels } = overconfident(6_000, 1, 0, 2);
    const choice = choosePlatt(Float32Array.from(margins, sigmoid), labels, foldsOf(6_000, 5));
    expect(choice.used).toBe(false);
    expect(choice.platt).toEqual(NO_CALIBRATION);
  });
});

describe('logit', () => {
  it('inverts the sigmoid', () => {
    for (const m of [-4, -0.5, 0, 0.7, 3]) expect(logit(sigmoid(m))).toBeCloseTo(m, 12);
  });
});
