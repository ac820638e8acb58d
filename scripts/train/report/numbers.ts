/** Numbers as the report and its charts show them. */
import type { Interval } from '../bootstrap.js';

/** `value` with `digits` decimals (4 unless said). */
export const fixed = (value: number, digits = 4): string => value.toFixed(digits);

/** A share (0.2134) as a percentage with `digits` decimals: `21.3%`. */
export const percent = (share: number, digits = 1): string => `${(share * 100).toFixed(digits)}%`;

/** A figure with its bootstrap interval: `0.6858 [0.6407, 0.7159]`. */
export const withInterval = (value: number, { low, high }: Interval): string =>
  `${fixed(value)} [${fixed(low)}, ${fixed(high)}]`;
