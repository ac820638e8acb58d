/**
 * XGBoost's C API (libxgboost 1.7, Debian's libxgboost0) bound through koffi. Only the calls
 * training needs are declared; {@link xgboost} loads the library once, on first use, and every
 * call goes through {@link check} so that a failing return code becomes an exception carrying
 * XGBGetLastError's message.
 */
import koffi, { type LibraryHandle } from 'koffi';

/** An opaque XGBoost handle (DMatrixHandle, BoosterHandle): koffi 3 represents pointers as BigInt. */
export type Handle = bigint;

/** A one-element array that koffi fills for an `_Out_` parameter. */
type Out<T> = [T];

/** The C functions used, typed as koffi calls them (bst_ulong is uint64_t). */
export interface XGBoostApi {
  XGBoostVersion(major: Out<number>, minor: Out<number>, patch: Out<number>): void;
  XGBGetLastError(): string;
  XGDMatrixCreateFromMat(
    data: Float32Array,
    rows: number,
    columns: number,
    missing: number,
    out: Out<Handle | null>,
  ): number;
  XGDMatrixSetFloatInfo(
    matrix: Handle,
    field: string,
    values: Float32Array,
    length: number,
  ): number;
  XGDMatrixFree(matrix: Handle): number;
  XGBoosterCreate(cache: Handle[], length: number, out: Out<Handle | null>): number;
  XGBoosterSetParam(booster: Handle, name: string, value: string): number;
  XGBoosterUpdateOneIter(booster: Handle, iteration: number, train: Handle): number;
  XGBoosterEvalOneIter(
    booster: Handle,
    iteration: number,
    matrices: Handle[],
    names: string[],
    length: number,
    out: Out<string | null>,
  ): number;
  XGBoosterPredictFromDMatrix(
    booster: Handle,
    matrix: Handle,
    config: string,
    shape: Out<bigint | null>,
    dimensions: Out<number | bigint>,
    result: Out<bigint | null>,
  ): number;
  XGBoosterSaveModelToBuffer(
    booster: Handle,
    config: string,
    length: Out<number | bigint>,
    data: Out<bigint | null>,
  ): number;
  XGBoosterLoadModelFromBuffer(booster: Handle, data: Uint8Array, length: number): number;
  XGBoosterFree(booster: Handle): number;
}

// Prototypes copied from xgboost/c_api.h 1.7, with `_Out_` marking what koffi copies back.
const PROTOTYPES: Record<keyof XGBoostApi, string> = {
  XGBoostVersion: 'void XGBoostVersion(_Out_ int *major, _Out_ int *minor, _Out_ int *patch)',
  XGBGetLastError: 'const char *XGBGetLastError()',
  XGDMatrixCreateFromMat:
    'int XGDMatrixCreateFromMat(const float *data, uint64_t nrow, uint64_t ncol, float missing, _Out_ DMatrixHandle *out)',
  XGDMatrixSetFloatInfo:
    'int XGDMatrixSetFloatInfo(DMatrixHandle handle, const char *field, const float *array, uint64_t len)',
  XGDMatrixFree: 'int XGDMatrixFree(DMatrixHandle handle)',
  XGBoosterCreate:
    'int XGBoosterCreate(const DMatrixHandle *dmats, uint64_t len, _Out_ BoosterHandle *out)',
  XGBoosterSetParam:
    'int XGBoosterSetParam(BoosterHandle handle, const char *name, const char *value)',
  XGBoosterUpdateOneIter:
    'int XGBoosterUpdateOneIter(BoosterHandle handle, int iter, DMatrixHandle dtrain)',
  XGBoosterEvalOneIter:
    'int XGBoosterEvalOneIter(BoosterHandle handle, int iter, const DMatrixHandle *dmats, const char **evnames, uint64_t len, _Out_ const char **out_result)',
  XGBoosterPredictFromDMatrix:
    'int XGBoosterPredictFromDMatrix(BoosterHandle handle, DMatrixHandle dmat, const char *config, _Out_ uint64_t **out_shape, _Out_ uint64_t *out_dim, _Out_ float **out_result)',
  XGBoosterSaveModelToBuffer:
    'int XGBoosterSaveModelToBuffer(BoosterHandle handle, const char *config, _Out_ uint64_t *out_len, _Out_ void **out_dptr)',
  XGBoosterLoadModelFromBuffer:
    'int XGBoosterLoadModelFromBuffer(BoosterHandle handle, const void *buf, uint64_t len)',
  XGBoosterFree: 'int XGBoosterFree(BoosterHandle handle)',
};

/** The library's soname: found by the dynamic loader wherever the platform installs it. */
export const DEFAULT_LIBRARY = 'libxgboost.so.0';

/** A failed XGBoost call; the message is the library's own explanation. */
export class XGBoostError extends Error {
  override name = 'XGBoostError';
}

let loaded: XGBoostApi | undefined;

/**
 * The bound C API, loaded on first use from `XGBOOST_LIB` or {@link DEFAULT_LIBRARY}.
 * @throws XGBoostError when the library cannot be loaded or lacks a declared function.
 */
export function xgboost(): XGBoostApi {
  loaded ??= bind(process.env.XGBOOST_LIB ?? DEFAULT_LIBRARY);
  return loaded;
}

function bind(path: string): XGBoostApi {
  let library: LibraryHandle;
  try {
    library = koffi.load(path);
  } catch (error) {
    throw new XGBoostError(
      `cannot load XGBoost from "${path}" (install libxgboost0 or set XGBOOST_LIB): ${String(error)}`,
    );
  }
  // Declared once per process: koffi type names are global and may not be redefined.
  koffi.pointer('DMatrixHandle', koffi.opaque());
  koffi.pointer('BoosterHandle', koffi.opaque());
  const api: Partial<Record<keyof XGBoostApi, unknown>> = {};
  for (const [name, prototype] of Object.entries(PROTOTYPES)) {
    api[name as keyof XGBoostApi] = library.func(prototype);
  }
  return api as XGBoostApi;
}

/**
 * Turns an XGBoost return code into an exception.
 * @throws XGBoostError naming the call, with XGBGetLastError's message, when `code` is not 0.
 */
export function check(call: keyof XGBoostApi, code: number): void {
  if (code !== 0) throw new XGBoostError(`${call} failed: ${xgboost().XGBGetLastError()}`);
}

/** The library's version as `major.minor.patch`, asked of the library itself. */
export function xgboostVersion(): string {
  const [major, minor, patch]: [Out<number>, Out<number>, Out<number>] = [[0], [0], [0]];
  xgboost().XGBoostVersion(major, minor, patch);
  return `${major[0]}.${minor[0]}.${patch[0]}`;
}
