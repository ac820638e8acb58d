/**
 * BigQuery's renaming of log entry fields when a sink streams them into a table: lower case, and
 * every character other than a letter or digit becomes `_` (`Fecha-I` → `fecha_i`,
 * `predictionLog` → `predictionlog`). The monitor reads every entry through these names, so that
 * the function's own lines, Cloud Logging's export and the sink's rows are read alike.
 */

/** A field name as the BigQuery sink writes it. */
export function bigQueryName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '_');
}

/** `value` with every object key renamed by {@link bigQueryName}, at every depth. */
export function withBigQueryNames(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withBigQueryNames);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [bigQueryName(key), withBigQueryNames(inner)]),
  );
}
