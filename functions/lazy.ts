/**
 * A value loaded on first use and kept for the instance's life: the model cache's building block.
 * It hands back the value itself once loaded, not a settled promise, because awaiting one still
 * costs every request (functions/outcome.ts).
 */

/**
 * `load`, run on the first call and remembered. Calls during the load share it; a failed load is
 * forgotten, so the next call tries again (a file may have been restored meanwhile).
 */
export function lazily<T>(load: () => Promise<T>): () => T | Promise<T> {
  let loaded: { value: T } | undefined;
  let loading: Promise<T> | undefined;
  return () => {
    if (loaded) return loaded.value;
    loading ??= load().then(
      (value) => {
        loaded = { value };
        loading = undefined;
        return value;
      },
      (error: unknown) => {
        loading = undefined;
        throw error;
      },
    );
    return loading;
  };
}

/**
 * Runs `use` on a {@link lazily} loaded value: at once when it has loaded, else once its load
 * settles. A failed load, or a throw of `use` after the wait, goes to `reject`; a throw of an
 * immediate `use` goes to the caller, as any synchronous step of a route's does.
 */
export function whenLoaded<T>(
  value: T | Promise<T>,
  reject: (error: unknown) => void,
  use: (value: T) => void,
): void {
  if (!(value instanceof Promise)) return use(value);
  value.then(use).catch(reject);
}
