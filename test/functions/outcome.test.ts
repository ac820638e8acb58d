import { describe, expect, it } from 'vitest';
import { mapOutcome, type Outcome } from '../../functions/outcome.js';

function recording() {
  const seen: Array<['resolve' | 'reject', unknown]> = [];
  const outcome: Outcome<number> = {
    resolve: (value) => seen.push(['resolve', value]),
    reject: (error) => seen.push(['reject', error]),
  };
  return { seen, outcome };
}

describe('mapOutcome', () => {
  it('resolves with the mapped value and passes rejections through', () => {
    const { seen, outcome } = recording();
    const mapped = mapOutcome(outcome, (text: string) => text.length);
    mapped.resolve('four');
    mapped.reject('cause');
    expect(seen).toEqual([
      ['resolve', 4],
      ['reject', 'cause'],
    ]);
  });

  it('rejects, and does not throw, when the map throws', () => {
    const { seen, outcome } = recording();
    const failure = new Error('cannot map');
    const mapped = mapOutcome(outcome, (): number => {
      throw failure;
    });
    expect(() => mapped.resolve('x')).not.toThrow();
    expect(seen).toEqual([['reject', failure]]);
  });
});
