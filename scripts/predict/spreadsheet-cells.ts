/**
 * Output rows a spreadsheet opens as text, never as formulas (OWASP, "CSV Injection"): a cell
 * starting with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading apostrophe, which
 * spreadsheets read as "text follows", unless the cell is a plain number (`-2.5`, `+3`, `-1e-3`),
 * which a spreadsheet reads as that number and nothing else. Then the row is written as RFC 4180
 * CSV (a cell with a comma, a quote or a line break quoted, its quotes doubled).
 */
import { csvRow } from '../train/csv.js';

const PLAIN_NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Whether a spreadsheet could take `cell` for a formula, by its first character. */
function formulaStart(cell: string): boolean {
  const first = cell.charAt(0);
  return (
    first === '=' ||
    first === '+' ||
    first === '-' ||
    first === '@' ||
    first === '\t' ||
    first === '\r'
  );
}

/** `cell` as a spreadsheet shows it as text: with a leading apostrophe if it could be a formula. */
export function spreadsheetText(cell: string): string {
  return formulaStart(cell) && !PLAIN_NUMBER.test(cell) ? `'${cell}` : cell;
}

/** `fields` as one CSV line (no line break), each cell made {@link spreadsheetText}. */
export function spreadsheetRow(fields: readonly string[]): string {
  // Most rows have no cell to change: they are written without a copy.
  return csvRow(fields.some(formulaStart) ? fields.map(spreadsheetText) : fields);
}
