/**
 * Scoring with ONNX Runtime, as the function serves, and the check that an exported model gives
 * the probabilities XGBoost itself gives.
 */
import * as ort from 'onnxruntime-node';
import type { EncodedRows } from '../../functions/features.js';
import { SESSION_OPTIONS } from '../../functions/model-registry.js';
import { ONNX_INPUT, ONNX_PROBABILITIES } from '../onnx/tree-ensemble.js';

/** Largest |P_onnx − P_xgboost| accepted (float32 sums of hundreds of leaves differ by ~1e-7). */
export const PARITY_TOLERANCE = 1e-5;

/**
 * P(delayed) for every row: column 1 of the model's probabilities output, from a session with the
 * function's own options. Those are single-threaded and sequential, which also makes the figures
 * the same on every machine: ONNX Runtime's default session sums the trees over one thread per
 * core, in an order (and so with float32 rounding) that depends on how many cores there are.
 */
export async function onnxProbabilities(model: Uint8Array, x: EncodedRows): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(model, SESSION_OPTIONS);
  try {
    const input = new ort.Tensor('float32', x.data, [x.rows, x.width]);
    const output = await session.run({ [ONNX_INPUT]: input }, [ONNX_PROBABILITIES]);
    const probabilities = output[ONNX_PROBABILITIES]!.data as Float32Array;
    return Float32Array.from({ length: x.rows }, (_, row) => probabilities[row * 2 + 1]!);
  } finally {
    await session.release();
  }
}

/** The largest absolute difference between two equally long series. */
export function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError(`${a.length} values against ${b.length}`);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

/**
 * @returns the largest difference found.
 * @throws Error when ONNX Runtime's probabilities differ from XGBoost's beyond
 *   {@link PARITY_TOLERANCE} (NaN differences count as failures).
 */
export function assertParity(
  model: string,
  xgboost: ArrayLike<number>,
  onnx: ArrayLike<number>,
): number {
  const difference = maxAbsDifference(xgboost, onnx);
  if (!(difference <= PARITY_TOLERANCE)) {
    throw new Error(
      `${model}: ONNX Runtime and XGBoost disagree by up to ${difference} (tolerance ${PARITY_TOLERANCE})`,
    );
  }
  return difference;
}
