/** Numbers as the report and its charts show them. */
import type { Interval } from '../bootstrap.js';

/** `value` with `digits` decimals (4 unless said). */
export const fixed = (value: number, digits = 4): string => value.toFixed(digits);

/** A share (0.2134) as a percentage with `digits` decimals: `21.3%`. */
export const percent = (share: number, digits = 1): string => `${(share * 100).toFixed(digits)}%`;

/** A figure with its bootstrap interval: `0.6858 [0.6407, 0.7159]`. */
export const withInterval = (value: number, { low, high }: Interval): string =>
  `${fixed(value)} [${fixed(low)}, ${fixed(high)}]`;

/** A difference with its sign: `+0.0213`, `−0.0040`, and `±0.0000` when it rounds to zero. */
export const signed = (value: number, digits = 4): string => {
  const shown = fixed(Math.abs(value), digits);
  return `${Number(shown) === 0 ? '±' : value > 0 ? '+' : '−'}${shown}`;
};

/** A difference with its interval: `+0.0213 [+0.0102, +0.0330]`. */
export const signedWithInterval = (value: number, { low, high }: Interval): string =>
  `${signed(value)} [${signed(low)}, ${signed(high)}]`;
