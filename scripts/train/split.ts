/**
 * Seeded partitions of row indices, made before anything is fitted. The held-out test set and
 * every cross-validation fold are whole ISO weeks of the scheduled date: delays cluster by day and
 * by week (weather, air-traffic restrictions, strikes), so a split that put flights of the same
 * week on both sides would let a model learn those particular days and flatter its figures. The
 * random row split survives only for the secondary, labelled figures that follow the original
 * system's protocol.
 */

/** Row indices of the two sides of a split, each in ascending order. */
export interface Split {
  train: number[];
  test: number[];
}

/** A split by whole weeks, with the weeks each side holds (ascending). */
export interface WeekSplit extends Split {
  testWeeks: string[];
  trainWeeks: string[];
}

/**
 * Holds out round(weeks × testFraction) whole weeks: the distinct week keys, sorted, shuffled by
 * Fisher–Yates with mulberry32(seed); the first ones drawn are the test weeks.
 * @param weeks the ISO week key of each row (`2017-W05`).
 */
export function weekSplit(weeks: readonly string[], testFraction: number, seed: number): WeekSplit {
  checkFraction(testFraction);
  const drawn = shuffle(distinct(weeks), mulberry32(seed));
  const testCount = Math.round(drawn.length * testFraction);
  const testWeeks = new Set(drawn.slice(0, testCount));
  const split: Split = { train: [], test: [] };
  weeks.forEach((week, row) => (testWeeks.has(week) ? split.test : split.train).push(row));
  return {
    ...split,
    testWeeks: [...testWeeks].sort(),
    trainWeeks: drawn.slice(testCount).sort(),
  };
}

/**
 * Deals whole weeks into `k` folds: the distinct week keys, sorted, shuffled with the seed and
 * dealt round-robin, so fold sizes differ by at most one week.
 * @returns for each fold, the indices (into `weeks`) of its validation rows, ascending.
 * @throws RangeError when `k` is not an integer ≥ 2 or there are fewer than `k` weeks.
 */
export function weekFolds(weeks: readonly string[], k: number, seed: number): number[][] {
  if (!Number.isInteger(k) || k < 2) throw new RangeError(`k must be an integer ≥ 2, got ${k}`);
  const drawn = shuffle(distinct(weeks), mulberry32(seed));
  if (drawn.length < k) throw new RangeError(`${drawn.length} weeks cannot fill ${k} folds`);
  const foldOf = new Map(drawn.map((week, i) => [week, i % k]));
  const folds: number[][] = Array.from({ length: k }, () => []);
  weeks.forEach((week, row) => folds[foldOf.get(week)!]!.push(row));
  return folds;
}

/**
 * Splits rows so that each class puts round(count × testFraction) rows into the test side (each
 * class shuffled on its own, so both sides keep the delay rate). Only for the secondary row-split
 * figures: it puts flights of the same day on both sides.
 * @param labels the class of each row.
 */
export function stratifiedSplit(
  labels: ArrayLike<number>,
  testFraction: number,
  seed: number,
): Split {
  checkFraction(testFraction);
  const split: Split = { train: [], test: [] };
  for (const rows of shuffledClasses(labels, seed)) {
    const testRows = Math.round(rows.length * testFraction);
    split.test.push(...rows.slice(0, testRows));
    split.train.push(...rows.slice(testRows));
  }
  return { train: ascending(split.train), test: ascending(split.test) };
}

/**
 * A seeded sample of `count` groups drawn with replacement from `groups` (the bootstrap's
 * resampling of weeks).
 */
export function sampleWithReplacement<T>(
  groups: readonly T[],
  count: number,
  random: () => number,
): T[] {
  return Array.from({ length: count }, () => groups[Math.floor(random() * groups.length)]!);
}

function checkFraction(testFraction: number): void {
  if (!(testFraction > 0 && testFraction < 1)) {
    throw new RangeError(`testFraction must lie in (0, 1), got ${testFraction}`);
  }
}

function distinct(values: readonly string[]): string[] {
  return [...new Set(values)].sort();
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
export function mulberry32(seed: number): () => number {
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
