/**
 * What `npm run predict` says on stderr when it is done: one line of counts and rate, then the
 * first rejected records. The benchmark reads the rate back from that line (`rowsPerSecond`).
 */
import type { PredictSummary } from './predict-file.js';

const RATE = /\(([\d,]+) rows\/s\)/;

/** The closing line: rows, rejects, time, rows/s and the process's peak RSS. */
export function summaryLine(summary: PredictSummary, peakRssBytes: number): string {
  const rows = summary.scored + summary.rejected;
  const rate = summary.seconds > 0 ? rows / summary.seconds : 0;
  return (
    `predict: ${counted(rows, 'row')}, ${count(summary.scored)} scored, ${count(summary.rejected)} ` +
    `rejected in ${summary.seconds.toFixed(2)} s (${count(rate)} rows/s), peak RSS ` +
    `${Math.round(peakRssBytes / 2 ** 20)} MiB`
  );
}

/** The rate a {@link summaryLine} in `output` reports. */
export function rowsPerSecond(output: string): number {
  const match = RATE.exec(output);
  if (!match?.[1]) throw new Error(`no "(N rows/s)" summary in:\n${output.slice(-2000)}`);
  return Number(match[1].replaceAll(',', ''));
}

/** The first rejected records, one line each, and where the rest are. */
export function rejectLines(summary: PredictSummary, rejectsFile: string | undefined): string[] {
  if (summary.rejected === 0) return [];
  const lines = summary.firstRejects.map((r) => `  line ${r.line}: ${r.reasons.join('; ')}`);
  const rest = summary.rejected - summary.firstRejects.length;
  const where = rejectsFile
    ? `every one is in ${rejectsFile}`
    : 'pass --rejects FILE to list them all';
  return [
    `rejected ${counted(summary.rejected, 'row')} (${where}):`,
    ...lines,
    ...(rest > 0 ? [`  … and ${count(rest)} more`] : []),
  ];
}

function count(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

/** `1 row`, `2 rows`, `1,000 rows`. */
function counted(value: number, noun: string): string {
  return `${count(value)} ${noun}${value === 1 ? '' : 's'}`;
}
