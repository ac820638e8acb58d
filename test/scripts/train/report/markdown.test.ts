import { describe, expect, it } from 'vitest';
import { formatText } from '../../../../scripts/train/formatting.js';
import { table } from '../../../../scripts/train/report/markdown.js';

describe('table', () => {
  it('keeps a cell with pipes and line breaks in its own column and row', async () => {
    // Prettier parses the table as GitHub does (remark) and prints every row it found.
    const printed = await formatText(
      table(
        ['field', 'meaning'],
        [
          ['a|b', 'one\ntwo'],
          ['c', 'd'],
        ],
      ),
      'report.md',
    );
    const rows = printed.trim().split('\n');
    const cells = (row: string) =>
      row
        .split(/(?<!\\)\|/)
        .slice(1, -1)
        .map((c) => c.trim());
    expect(rows).toHaveLength(4);
    expect(rows.map((row) => cells(row).length)).toEqual([2, 2, 2, 2]);
    expect(cells(rows[2]!)).toEqual(['a\\|b', 'one two']);
  });
});
