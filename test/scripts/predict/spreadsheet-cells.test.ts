import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { spreadsheetRow, spreadsheetText } from '../../../scripts/predict/spreadsheet-cells.js';

/** Cells a spreadsheet would evaluate (OWASP, "CSV Injection"), each as it must be written. */
const FORMULA_CELLS: ReadonlyArray<[cell: string, written: string]> = [
  ['=HYPERLINK("http://evil.example","x")', `'=HYPERLINK("http://evil.example","x")`],
  ["+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"],
  ['@SUM(1+1)', "'@SUM(1+1)"],
  ['-2+3', "'-2+3"],
  ['\t=1+2', "'\t=1+2"],
  ['\r=1+2', "'\r=1+2"],
  ['-', "'-"],
];

const KEPT = ['-2.5', '+3', '-1e-3', '-.5', '42', 'Grupo LATAM', "'=already text", ' =1+2', ''];

describe('spreadsheetText', () => {
  it.each(FORMULA_CELLS)('writes %j as text: %j', (cell, written) => {
    expect(spreadsheetText(cell)).toBe(written);
  });

  it.each(KEPT)('keeps %j as it is', (cell) => {
    expect(spreadsheetText(cell)).toBe(cell);
  });
});

describe('spreadsheetRow', () => {
  it('writes a CSV line whose every cell a CSV reader reads back as spreadsheet text', () => {
    const cells = [...FORMULA_CELLS.map(([cell]) => cell), ...KEPT, 'Lima, "Peru"'];
    const [read] = parse(spreadsheetRow(cells));
    expect(read).toEqual(cells.map(spreadsheetText));
    expect(read).toEqual([...FORMULA_CELLS.map(([, written]) => written), ...KEPT, 'Lima, "Peru"']);
  });
});
