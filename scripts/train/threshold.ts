/**
 * The decision threshold: the probability at and above which a flight is called delayed. Training
 * keeps probabilities calibrated (no resampling) and handles the rare class here instead, by
 * choosing the threshold that maximises the delayed class's F1 on held-out predictions.
 */
import { sweep } from './metrics.js';

/** A chosen threshold and the F1 it reaches on the rows it was chosen on. */
export interface ChosenThreshold {
  value: number;
  f1: number;
}

/**
 * The score s maximising F1 when "delayed" means probability ≥ s. Among equal F1 values the
 * highest score wins (fewer flights flagged for the same F1).
 * @throws RangeError when a class is absent (F1 is then meaningless).
 */
export function maxF1Threshold(
  probabilities: ArrayLike<number>,
  labels: ArrayLike<number>,
): ChosenThreshold {
  const s = sweep(probabilities, labels);
  let best: ChosenThreshold = { value: s.thresholds[0]!, f1: -1 };
  s.thresholds.forEach((value, k) => {
    const tp = s.tp[k]!;
    // F1 = 2tp / (2tp + fp + fn) and fn = positives − tp.
    const f1 = (2 * tp) / (tp + s.fp[k]! + s.positives);
    if (f1 > best.f1) best = { value, f1 };
  });
  return best;
}
