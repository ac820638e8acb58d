/**
 * Writing CSV (RFC 4180). Reading goes through csv-parse; writing needs only quoting, so it is done
 * here rather than with another dependency.
 */

/** A field, quoted when it holds a comma, a quote or a line break (quotes doubled). */
export function csvField(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Rows (the header first) as CSV text, CRLF-free, ending in a newline. */
export function toCsv(rows: ReadonlyArray<ReadonlyArray<string | number>>): string {
  return rows.map((row) => row.map(csvField).join(',')).join('\n') + '\n';
}
