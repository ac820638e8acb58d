/** Markdown the report is assembled from. */

/**
 * A table; each cell's pipes are escaped and line breaks turned into spaces, so that no value can
 * add a column or end a row.
 */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.map(escapeCell).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** Inline code. */
export const code = (text: string): string => `\`${text}\``;
