/**
 * Writing CSV (RFC 4180). Training reads through csv-parse, `npm run predict` line by line
 * (scripts/predict/csv-line.ts); writing needs only quoting, so it is done here rather than with
 * another dependency.
 */

/** A field, quoted when it holds a comma, a quote or a line break (quotes doubled). */
export function csvField(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A row's fields as one CSV line (no line break), each quoted only where it must be. */
export function csvRow(fields: ReadonlyArray<string | number>): string {
  const line = fields.join(',');
  // The common case, tested once per line rather than once per field: nothing to quote, which
  // holds when no quote or line break is present and every comma is a separator.
  if (!/["\r\n]/.test(line) && commas(line) === fields.length - 1) return line;
  return fields.map(csvField).join(',');
}

function commas(text: string): number {
  let found = 0;
  for (let at = text.indexOf(','); at !== -1; at = text.indexOf(',', at + 1)) found++;
  return found;
}

/** Rows (the header first) as CSV text, CRLF-free, ending in a newline. */
export function toCsv(rows: ReadonlyArray<ReadonlyArray<string | number>>): string {
  return rows.map(csvRow).join('\n') + '\n';
}
