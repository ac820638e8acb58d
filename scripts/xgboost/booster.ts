/**
 * DMatrix and Booster: the two XGBoost objects training needs, each owning one native handle
 * that its `free()` releases. Every call is checked (see library.ts).
 */
import koffi from 'koffi';
import type { EncodedRows } from '../../functions/features.js';
import { check, xgboost, XGBoostError, type Handle } from './library.js';

/** XGBoost parameters as XGBoosterSetParam takes them: names and values are strings. */
export type BoosterParams = Readonly<Record<string, string>>;

/** XGBoosterPredictFromDMatrix's `type`: what it computes for each row. */
const PREDICTION = { probability: 0, margin: 1, contributions: 2 } as const;

/** One native XGBoost object: its handle, checked on use, and its release. */
abstract class NativeObject {
  protected constructor(
    private handle: Handle | undefined,
    private readonly kind: 'DMatrix' | 'Booster',
  ) {}

  /** The native handle. @throws XGBoostError after {@link free}. */
  native(): Handle {
    if (this.handle === undefined) throw new XGBoostError(`${this.kind} used after free()`);
    return this.handle;
  }

  /** Releases the native object; later calls are no-ops. */
  free(): void {
    if (this.handle === undefined) return;
    const handle = this.handle;
    this.handle = undefined;
    const release = this.kind === 'DMatrix' ? 'XGDMatrixFree' : 'XGBoosterFree';
    check(release, xgboost()[release](handle));
  }

  /** Runs `step` on this new object and returns it; frees it when `step` throws. */
  protected setUp(step: () => void): this {
    try {
      step();
    } catch (error) {
      this.free();
      throw error;
    }
    return this;
  }
}

/** A dense float matrix copied into XGBoost; NaN marks a missing value. */
export class DMatrix extends NativeObject {
  private constructor(handle: Handle | undefined) {
    super(handle, 'DMatrix');
  }

  /**
   * Copies `rows` (and, for training, one 0/1 label per row) into a new DMatrix.
   * @throws XGBoostError when the data or label count does not match the shape, or XGBoost fails.
   */
  static fromRows(rows: EncodedRows, labels?: Float32Array): DMatrix {
    // XGBoost reads rows × width floats from the buffer, whatever its real length.
    if (rows.data.length !== rows.rows * rows.width) {
      throw new XGBoostError(
        `${rows.data.length} values for ${rows.rows} rows of ${rows.width} features`,
      );
    }
    if (labels && labels.length !== rows.rows) {
      throw new XGBoostError(`${labels.length} labels for ${rows.rows} rows`);
    }
    const out: [Handle | null] = [null];
    check(
      'XGDMatrixCreateFromMat',
      xgboost().XGDMatrixCreateFromMat(rows.data, rows.rows, rows.width, NaN, out),
    );
    const matrix = new DMatrix(out[0] ?? undefined);
    return matrix.setUp(() => {
      if (labels) {
        check(
          'XGDMatrixSetFloatInfo',
          xgboost().XGDMatrixSetFloatInfo(matrix.native(), 'label', labels, labels.length),
        );
      }
    });
  }
}

/** A gradient-boosted model being trained or loaded. */
export class Booster extends NativeObject {
  private constructor(handle: Handle | undefined) {
    super(handle, 'Booster');
  }

  /** A new booster with `params` set, which will train on `train`. */
  static create(params: BoosterParams, train: DMatrix): Booster {
    const booster = Booster.empty([train.native()]);
    return booster.setUp(() => booster.setParams(params));
  }

  private setParams(params: BoosterParams): void {
    for (const [name, value] of Object.entries(params)) {
      check('XGBoosterSetParam', xgboost().XGBoosterSetParam(this.native(), name, value));
    }
  }

  /**
   * A booster read from XGBoost's JSON model format (as {@link toJson} writes it), with `params`
   * (such as `nthread`) set after loading.
   */
  static fromJson(json: string, params: BoosterParams = {}): Booster {
    const booster = Booster.empty([]);
    const bytes = Buffer.from(json, 'utf8');
    return booster.setUp(() => {
      check(
        'XGBoosterLoadModelFromBuffer',
        xgboost().XGBoosterLoadModelFromBuffer(booster.native(), bytes, bytes.length),
      );
      booster.setParams(params);
    });
  }

  private static empty(cache: Handle[]): Booster {
    const out: [Handle | null] = [null];
    check('XGBoosterCreate', xgboost().XGBoosterCreate(cache, cache.length, out));
    return new Booster(out[0] ?? undefined);
  }

  /** Runs boosting round `iteration` (0-based) on `train`. */
  update(iteration: number, train: DMatrix): void {
    check(
      'XGBoosterUpdateOneIter',
      xgboost().XGBoosterUpdateOneIter(this.native(), iteration, train.native()),
    );
  }

  /**
   * Evaluates the booster's `eval_metric` on `matrix` after round `iteration`.
   * @returns the metric's value, parsed from XGBoost's `[i]\tname-metric:value` report.
   */
  evaluate(iteration: number, matrix: DMatrix): number {
    const out: [string | null] = [null];
    check(
      'XGBoosterEvalOneIter',
      xgboost().XGBoosterEvalOneIter(this.native(), iteration, [matrix.native()], ['m'], 1, out),
    );
    const value = /:(\S+)$/.exec(out[0] ?? '')?.[1];
    if (value === undefined) throw new XGBoostError(`unexpected evaluation report "${out[0]}"`);
    return Number(value);
  }

  /**
   * The transformed prediction (for `binary:logistic`, P(label = 1)) of every row.
   * @param rounds use only the first `rounds` boosting rounds; 0 (default) uses all.
   */
  predict(matrix: DMatrix, rounds = 0): Float32Array {
    return this.predictFromDMatrix(matrix, PREDICTION.probability, rounds);
  }

  /** The untransformed margin (log-odds) of every row: base margin plus the trees' leaves. */
  predictMargin(matrix: DMatrix): Float32Array {
    return this.predictFromDMatrix(matrix, PREDICTION.margin, 0);
  }

  /**
   * XGBoost's exact TreeSHAP contributions (`pred_contribs`): per row, one value per feature and a
   * last one for the bias (the expected margin), which together sum to the row's margin.
   * @returns rows × (features + 1) values, row-major.
   */
  predictContributions(matrix: DMatrix): Float32Array {
    return this.predictFromDMatrix(matrix, PREDICTION.contributions, 0);
  }

  private predictFromDMatrix(matrix: DMatrix, type: number, rounds: number): Float32Array {
    const config = JSON.stringify({
      type,
      training: false,
      iteration_begin: 0,
      iteration_end: rounds,
      strict_shape: false,
    });
    const shape: [bigint | null] = [null];
    const dimensions: [number | bigint] = [0];
    const result: [bigint | null] = [null];
    check(
      'XGBoosterPredictFromDMatrix',
      xgboost().XGBoosterPredictFromDMatrix(
        this.native(),
        matrix.native(),
        config,
        shape,
        dimensions,
        result,
      ),
    );
    const sizes = koffi.decode(shape[0], 'uint64_t', Number(dimensions[0])) as BigUint64Array;
    const length = sizes.reduce((product, size) => product * Number(size), 1);
    if (length === 0) return new Float32Array(0);
    // XGBoost owns the buffer until its next call on this booster: copy it out now.
    return new Float32Array(koffi.view(result[0], length * 4).slice(0));
  }

  /** The model in XGBoost's JSON format (UTF-8 text, as XGBoost writes it). */
  toJson(): string {
    const length: [number | bigint] = [0];
    const data: [bigint | null] = [null];
    check(
      'XGBoosterSaveModelToBuffer',
      xgboost().XGBoosterSaveModelToBuffer(this.native(), '{"format":"json"}', length, data),
    );
    return Buffer.from(koffi.view(data[0], Number(length[0]))).toString('utf8');
  }
}
