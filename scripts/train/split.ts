/**
 * Seeded, stratified partitions of row indices: the train/test split made before anything is
 * fitted, and the cross-validation folds of the training split. Each class is shuffled on its own
 * so every part keeps the data's delay rate.
 */

/** Row indices of the two sides of a split, each in ascending order. */
export interface Split {
  train: number[];
  test: number[];
}

/**
 * Splits rows so that each class puts round(count × testFraction) rows into the test side.
 * @param labels the class of each row.
 */
export function stratifiedSplit(
  labels: ArrayLike<number>,
  testFraction: number,
  seed: number,
): Split {
  if (!(testFraction > 0 && testFraction < 1)) {
    throw new RangeError(`testFraction must lie in (0, 1), got ${testFraction}`);
  }
  const split: Split = { train: [], test: [] };
  for (const rows of shuffledClasses(labels, seed)) {
    const testRows = Math.round(rows.length * testFraction);
    split.test.push(...rows.slice(0, testRows));
    split.train.push(...rows.slice(testRows));
  }
  return { train: ascending(split.train), test: ascending(split.test) };
}

/**
 * Deals rows into `k` folds, each class dealt round-robin after shuffling, so fold sizes and
 * delay rates differ by at most one row per class.
 * @returns for each fold, the indices (into `labels`) of its validation rows, ascending.
 */
export function stratifiedFolds(labels: ArrayLike<number>, k: number, seed: number): number[][] {
  if (!Number.isInteger(k) || k < 2) throw new RangeError(`k must be an integer ≥ 2, got ${k}`);
  const folds: number[][] = Array.from({ length: k }, () => []);
  let next = 0;
  for (const rows of shuffledClasses(labels, seed)) {
    for (const row of rows) folds[next++ % k]!.push(row);
  }
  return folds.map(ascending);
}

/** The indices of each class (in ascending class order), each list shuffled by one seeded PRNG. */
function shuffledClasses(labels: ArrayLike<number>, seed: number): number[][] {
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < labels.length; i++) {
    const rows = byClass.get(labels[i]!) ?? [];
    rows.push(i);
    byClass.set(labels[i]!, rows);
  }
  const random = mulberry32(seed);
  return [...byClass.keys()]
    .sort((a, b) => a - b)
    .map((label) => shuffle(byClass.get(label)!, random));
}

/** Fisher–Yates, in place. */
function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

/** mulberry32: a small, well-distributed 32-bit PRNG; the same seed gives the same sequence. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function ascending(rows: number[]): number[] {
  return rows.sort((a, b) => a - b);
}
