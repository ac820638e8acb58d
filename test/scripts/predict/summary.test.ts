import { describe, expect, it } from 'vitest';
import type { PredictSummary } from '../../../scripts/predict/predict-file.js';
import { rejectLines, rowsPerSecond, summaryLine } from '../../../scripts/predict/summary.js';

const summary = (scored: number, rejected: number): PredictSummary => ({
  bytes: 0,
  scored,
  rejected,
  firstRejects: Array.from({ length: rejected }, (_, i) => ({
    line: i + 2,
    reasons: ['SIGLADES: must be a string'],
    fields: [],
  })),
  seconds: 0.5,
});

describe('the closing line of npm run predict', () => {
  it('counts one row as one row and many as rows', () => {
    expect(summaryLine(summary(0, 1), 2 ** 20)).toMatch(/^predict: 1 row, 0 scored, 1 rejected /);
    expect(summaryLine(summary(1500, 0), 2 ** 20)).toMatch(
      /^predict: 1,500 rows, 1,500 scored, 0 rejected /,
    );
    expect(rejectLines(summary(0, 1), undefined)[0]).toMatch(/^rejected 1 row \(/);
    expect(rejectLines(summary(0, 2), undefined)[0]).toMatch(/^rejected 2 rows \(/);
  });

  it('gives back the rate it states, for the benchmark to read', () => {
    expect(rowsPerSecond(summaryLine(summary(1500, 0), 2 ** 20))).toBe(3000);
  });
});
