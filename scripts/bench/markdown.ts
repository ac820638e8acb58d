/** Markdown tables, sections and the number formats of the bench report. */

export function table(head: string[], rows: string[][]): string {
  // A bare | inside a cell would end it: escaped, it shows as itself.
  const line = (cells: string[]) => `| ${cells.map((c) => c.replaceAll('|', '\\|')).join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}

/** Milliseconds with three significant digits or so: `0.54`, `14.9`, `182`. */
export function ms(value: number): string {
  return value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);
}

export function count(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

/** Several counts in one cell: `90,000, 95,000, 92,000`. */
export function counts(values: readonly number[]): string {
  return values.map(count).join(', ');
}

export function percent(share: number): string {
  return `${(share * 100).toFixed(Math.abs(share) < 0.1 ? 1 : 0)}%`;
}

export function mebibytes(bytes: number): string {
  return `${Math.round(bytes / 2 ** 20)} MiB`;
}

/** A section of the report: its title, how it was measured, its table, the commands it ran. */
export function section(
  title: string,
  how: string,
  [head, ...rows]: string[][],
  commands: readonly string[],
): string {
  const run = commands.map((command) => `- \`${command}\``);
  return [`### ${title}`, '', how, '', table(head!, rows), '', ...run].join('\n');
}
