import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  averagePrecision,
  brierScore,
  calibrationBins,
  classScores,
  confusionAt,
  evaluate,
  expectedCalibrationError,
  logLoss,
  prCurve,
  rocAuc,
  rocCurve,
  sweep,
} from '../../../scripts/train/metrics.js';
import { labelledScores } from './helpers.js';

// Ranked by score: 0.8 (delayed), 0.4 (on time), 0.35 (delayed), 0.1 (on time).
const SCORES = [0.1, 0.4, 0.35, 0.8];
const LABELS = [0, 0, 1, 1];

describe('threshold-free metrics', () => {
  it('ROC AUC counts correctly ordered (delayed, on-time) pairs: 3 of 4', () => {
    expect(rocAuc(sweep(SCORES, LABELS))).toBe(0.75);
  });

  it('average precision sums recall steps times precision: ½·1 + ½·⅔', () => {
    expect(averagePrecision(sweep(SCORES, LABELS))).toBeCloseTo(0.5 + 1 / 3, 12);
  });

  it('counts a tie between classes as half a pair', () => {
    expect(rocAuc(sweep([0.5, 0.5, 0.2], [1, 0, 0]))).toBe(0.75);
  });

  it.each([
    ['perfect', [0.9, 0.8, 0.2, 0.1], 1],
    ['reversed', [0.1, 0.2, 0.8, 0.9], 0],
  ])('a %s ranking has AUC %s', (_, scores, auc) => {
    expect(rocAuc(sweep(scores, [1, 1, 0, 0]))).toBe(auc);
  });

  it('equals the pairwise (Mann–Whitney) count on random inputs', () => {
    fc.assert(
      fc.property(labelledScores(20), ({ scores, labels }) => {
        let pairs = 0;
        let wins = 0;
        scores.forEach((p, i) =>
          scores.forEach((n, j) => {
            if (labels[i] !== 1 || labels[j] !== 0) return;
            pairs++;
            wins += p > n ? 1 : p === n ? 0.5 : 0;
          }),
        );
        expect(rocAuc(sweep(scores, labels))).toBeCloseTo(wins / pairs, 12);
      }),
    );
  });

  it('draws the curves through each distinct threshold', () => {
    const s = sweep(SCORES, LABELS);
    expect(rocCurve(s)).toEqual([
      { fpr: 0, tpr: 0 },
      { fpr: 0, tpr: 0.5 },
      { fpr: 0.5, tpr: 0.5 },
      { fpr: 0.5, tpr: 1 },
      { fpr: 1, tpr: 1 },
    ]);
    expect(prCurve(s)[2]).toEqual({ recall: 1, precision: 2 / 3 });
  });

  it.each([
    ['lengths differ', [0.1, 0.2], [0]],
    ['a class is absent', [0.1, 0.2], [1, 1]],
    ['a label is not 0/1', [0.1, 0.2], [0, 2]],
    ['there are no rows', [], []],
  ])('refuses inputs where %s', (_, scores, labels) => {
    expect(() => sweep(scores, labels)).toThrow(RangeError);
  });
});

describe('probability metrics', () => {
  it('log loss is the mean of −ln p(true class)', () => {
    expect(logLoss([0.5, 0.5], [0, 1])).toBeCloseTo(Math.LN2, 12);
    expect(logLoss([0.8, 0.25], [1, 0])).toBeCloseTo(-(Math.log(0.8) + Math.log(0.75)) / 2, 12);
  });

  it('log loss stays finite for a certain mistake', () => {
    expect(logLoss([0], [1])).toBeCloseTo(-Math.log(1e-15), 6);
  });

  it('Brier score is the mean squared error', () => {
    expect(brierScore([0.8, 0.3], [1, 0])).toBeCloseTo((0.04 + 0.09) / 2, 12);
  });
});

describe('expectedCalibrationError', () => {
  it('is 0 when each bin’s mean probability equals its delay rate', () => {
    expect(expectedCalibrationError([0.25, 0.25, 0.25, 0.25], [1, 0, 0, 0])).toBeCloseTo(0, 12);
  });

  it('weighs each bin’s gap by its share of the rows', () => {
    // Bin [0.9, 1]: 0.95 vs 0 over one row; bin [0.1, 0.2): 0.1 vs 0.5 over two rows.
    expect(expectedCalibrationError([0.95, 0.1, 0.1], [0, 1, 0])).toBeCloseTo(
      (0.95 + 2 * 0.4) / 3,
      12,
    );
  });

  it('puts a probability of exactly 1 in the top bin', () => {
    expect(expectedCalibrationError([1, 0], [1, 0])).toBe(0);
  });
});

describe('row weights (the week bootstrap)', () => {
  it('count a row as often as its weight: the same as repeating it', () => {
    fc.assert(
      fc.property(
        labelledScores(10),
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 200, maxLength: 200 }),
        ({ scores, labels }, counts) => {
          const weights = scores.map((_, i) => counts[i]!);
          const repeated = scores.flatMap((_, i) => Array<number>(weights[i]!).fill(i));
          const rows = (values: number[]) => repeated.map((i) => values[i]!);
          fc.pre(new Set(rows(labels)).size === 2);
          const weighted = sweep(scores, labels, weights);
          const plain = sweep(rows(scores), rows(labels));
          expect(rocAuc(weighted)).toBeCloseTo(rocAuc(plain), 12);
          expect(averagePrecision(weighted)).toBeCloseTo(averagePrecision(plain), 12);
          expect(logLoss(scores, labels, weights)).toBeCloseTo(
            logLoss(rows(scores), rows(labels)),
            12,
          );
          expect(brierScore(scores, labels, weights)).toBeCloseTo(
            brierScore(rows(scores), rows(labels)),
            12,
          );
          expect(expectedCalibrationError(scores, labels, weights)).toBeCloseTo(
            expectedCalibrationError(rows(scores), rows(labels)),
            12,
          );
        },
      ),
    );
  });

  it('refuses weights of another length', () => {
    expect(() => logLoss([0.1, 0.2], [0, 1], [1])).toThrow(RangeError);
  });
});

describe('threshold metrics', () => {
  it('counts probability ≥ threshold as delayed', () => {
    expect(confusionAt(SCORES, LABELS, 0.35)).toEqual({ tp: 2, fp: 1, tn: 1, fn: 0 });
    expect(confusionAt(SCORES, LABELS, 0.36)).toEqual({ tp: 1, fp: 1, tn: 1, fn: 1 });
  });

  it('derives precision, recall and F1 from the counts', () => {
    expect(classScores({ tp: 2, fp: 1, tn: 1, fn: 0 })).toEqual({
      precision: 2 / 3,
      recall: 1,
      f1: 0.8,
    });
    expect(classScores({ tp: 0, fp: 0, tn: 3, fn: 1 })).toEqual({ precision: 0, recall: 0, f1: 0 });
  });

  it('evaluate gathers every card figure', () => {
    expect(evaluate(SCORES, LABELS, 0.35)).toEqual({
      rows: 4,
      rocAuc: 0.75,
      prAuc: expect.closeTo(5 / 6, 12) as number,
      logLoss: expect.closeTo(
        -(Math.log(0.9) + Math.log(0.6) + Math.log(0.35) + Math.log(0.8)) / 4,
        12,
      ) as number,
      brier: expect.closeTo((0.01 + 0.16 + 0.4225 + 0.04) / 4, 12) as number,
      // Bins [0.1, 0.2): 0.1 vs 0; [0.3, 0.4): 0.35 vs 1; [0.4, 0.5): 0.4 vs 0; [0.8, 0.9): 0.8 vs 1.
      ece: expect.closeTo((0.1 + 0.65 + 0.4 + 0.2) / 4, 12) as number,
      threshold: 0.35,
      precision: 2 / 3,
      recall: 1,
      f1: 0.8,
      confusion: { tp: 2, fp: 1, tn: 1, fn: 0 },
    });
  });
});

describe('calibrationBins', () => {
  it('cuts rows sorted by probability into equal-count bins', () => {
    expect(calibrationBins([0.4, 0.1, 0.3, 0.2], [1, 0, 1, 0], 2)).toEqual([
      { predicted: expect.closeTo(0.15, 12) as number, observed: 0, rows: 2 },
      { predicted: expect.closeTo(0.35, 12) as number, observed: 1, rows: 2 },
    ]);
  });

  it('drops empty bins when there are fewer rows than bins', () => {
    expect(calibrationBins([0.2, 0.7], [0, 1], 5).map((b) => b.rows)).toEqual([1, 1]);
  });
});
