import { describe, expect, it } from 'vitest';
import { jsonDifferences } from '../../../scripts/train/artifacts.js';

describe('jsonDifferences', () => {
  it.each([
    ['equal values', { a: [1, { b: 'x' }] }, { a: [1, { b: 'x' }] }, []],
    ['a changed number', { m: { auc: 0.7 } }, { m: { auc: 0.71 } }, ['/m/auc: 0.7 → 0.71']],
    ['an added key', { a: 1 }, { a: 1, b: 2 }, ['/b: (absent) → 2']],
    ['a removed key', { a: 1, b: 2 }, { a: 1 }, ['/b: 2 → (absent)']],
    [
      'an array element',
      { f: ['x', 'y'] },
      { f: ['x', 'z', 'w'] },
      ['/f/1: "y" → "z"', '/f/2: (absent) → "w"'],
    ],
    ['a type change', { a: [1] }, { a: { 0: 1 } }, ['/a: [1] → {"0":1}']],
    ['different roots', 1, 2, ['/: 1 → 2']],
  ])('reports %s', (_, committed, retrained, expected) => {
    expect(jsonDifferences(committed, retrained)).toEqual(expected);
  });
});
