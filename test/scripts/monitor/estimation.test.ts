/**
 * Confidence-based estimation on synthetic data whose probabilities are calibrated by
 * construction (each label drawn with its own probability): on average over many samples the
 * estimate matches the realized figure, and it does not when the probabilities are not calibrated.
 */
import { describe, expect, it } from 'vitest';
import { estimatedF1, estimatedRocAuc } from '../../../scripts/monitor/estimation.js';
import { classScores, confusionAt, rocAuc, sweep } from '../../../scripts/train/metrics.js';
import { mulberry32 } from '../../../scripts/train/split.js';

const SAMPLES = 200;
const ROWS = 1000;
const THRESHOLD = 0.25;

/** Mean over samples of (realized − estimated) ROC AUC and F1, labels drawn from `truth(p)`. */
function meanGaps(truth: (p: number) => number) {
  const random = mulberry32(7);
  let auc = 0;
  let f1 = 0;
  for (let s = 0; s < SAMPLES; s++) {
    const probabilities = Array.from({ length: ROWS }, () => random() ** 2 * 0.9);
    const labels = probabilities.map((p) => (random() < truth(p) ? 1 : 0));
    auc += rocAuc(sweep(probabilities, labels)) - estimatedRocAuc(probabilities)()!;
    const realizedF1 = classScores(confusionAt(probabilities, labels, THRESHOLD)).f1;
    f1 += realizedF1 - estimatedF1(probabilities, THRESHOLD);
  }
  return { auc: auc / SAMPLES, f1: f1 / SAMPLES };
}

describe('estimated performance', () => {
  it('matches the realized ROC AUC and F1 on average when the probabilities are calibrated', () => {
    const gaps = meanGaps((p) => p);
    expect(Math.abs(gaps.auc)).toBeLessThan(0.003);
    expect(Math.abs(gaps.f1)).toBeLessThan(0.003);
  });

  it('misses the realized figures when the delays no longer follow the probabilities', () => {
    const gaps = meanGaps((p) => 0.5 * p + 0.1); // concept drift: ranking weaker
    expect(gaps.auc).toBeLessThan(-0.03);
  });

  it('estimates 0.5 when every flight gets the same probability', () => {
    expect(estimatedRocAuc([0.3, 0.3, 0.3])()).toBeCloseTo(0.5, 12);
  });
});
