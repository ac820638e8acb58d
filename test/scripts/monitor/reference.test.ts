/** Like with like: a week's reference is the training months it spans, weighted by its flights. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { categoricalReference, histogramReference } from '../../../scripts/monitor/reference.js';
import type { TrainingCard } from '../../../scripts/train/card.js';

const { trainingDistribution: baseline } = JSON.parse(
  readFileSync('models/schedule.json', 'utf8'),
) as TrainingCard;
const shares = (counts: Record<string, number>) => {
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  return Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, v / total]));
};

describe('the reference of a group of flights', () => {
  it('is the month’s own training distribution for flights of one month', () => {
    const july = baseline.byMonth['7']!;
    const reference = categoricalReference(baseline, 'OPERA', new Map([['7', 120]]));
    expect(shares(reference)).toEqual(
      Object.fromEntries(
        Object.entries(shares(july.fields.OPERA as Record<string, number>)).map(([k, v]) => [
          k,
          expect.closeTo(v, 12),
        ]),
      ),
    );
  });

  it('weighs the months a week spans by its flights in each', () => {
    const weights = new Map([
      ['6', 300],
      ['7', 100],
    ]);
    const mixed = histogramReference(baseline, 'hora', weights);
    const [june, july] = [baseline.byMonth['6']!, baseline.byMonth['7']!];
    const expected = (june.fields.hora as number[]).map(
      (c, i) => (300 * c) / june.rows + (100 * (july.fields.hora as number[])[i]!) / july.rows,
    );
    mixed.forEach((value, i) => expect(value).toBeCloseTo(expected[i]!, 9));
  });

  it('is the whole training period for DIANOM and for flights that name no month', () => {
    const whole = shares(baseline.fields.DIANOM!.counts as Record<string, number>);
    expect(shares(categoricalReference(baseline, 'DIANOM', new Map([['7', 50]])))).toEqual(
      Object.fromEntries(Object.entries(whole).map(([k, v]) => [k, expect.closeTo(v, 12)])),
    );
    const undated = histogramReference(baseline, 'probability', new Map([[undefined, 10]]));
    const total = baseline.probability.counts.reduce((a, b) => a + b, 0);
    undated.forEach((v, i) =>
      expect(v).toBeCloseTo((10 * baseline.probability.counts[i]!) / total, 9),
    );
  });
});
