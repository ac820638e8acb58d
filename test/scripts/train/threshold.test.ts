import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classScores, confusionAt } from '../../../scripts/train/metrics.js';
import { maxF1Threshold } from '../../../scripts/train/threshold.js';
import { labelledScores } from './helpers.js';

describe('maxF1Threshold', () => {
  it('picks the score with the best F1 (worked by hand)', () => {
    // ≥0.9: F1 2/3; ≥0.8: 1/2; ≥0.7: 4/5; ≥0.6: 2/3; ≥0.2: 4/7.
    expect(maxF1Threshold([0.9, 0.8, 0.7, 0.6, 0.2], [1, 0, 1, 0, 0])).toEqual({
      value: 0.7,
      f1: 0.8,
    });
  });

  it('prefers the higher threshold when F1 ties', () => {
    // ≥0.9 and ≥0.5 both give F1 2/3.
    expect(maxF1Threshold([0.9, 0.5, 0.4], [1, 1, 0]).value).toBe(0.5);
    expect(maxF1Threshold([0.9, 0.8, 0.1], [1, 0, 0])).toEqual({ value: 0.9, f1: 1 });
  });

  it('beats or equals every other threshold on random inputs', () => {
    fc.assert(
      fc.property(labelledScores(50, 1), ({ scores, labels }) => {
        const best = maxF1Threshold(scores, labels);
        expect(best.f1).toBeCloseTo(classScores(confusionAt(scores, labels, best.value)).f1, 12);
        for (const candidate of scores) {
          const f1 = classScores(confusionAt(scores, labels, candidate)).f1;
          expect(f1).toBeLessThanOrEqual(best.f1 + 1e-12);
        }
      }),
    );
  });
});
