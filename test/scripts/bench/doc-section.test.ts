import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { check } from 'prettier';
import { describe, expect, it } from 'vitest';
import { BEGIN, END, replaceSection, writeSection } from '../../../scripts/bench/doc-section.js';

describe('replaceSection', () => {
  it('replaces only what lies between the markers', () => {
    const document = `# Title\n\nHand-written.\n\n${BEGIN}\n\nold numbers\n\n${END}\n\n## Notes\n`;
    expect(replaceSection(document, 'new numbers\n')).toBe(
      `# Title\n\nHand-written.\n\n${BEGIN}\n\nnew numbers\n\n${END}\n\n## Notes\n`,
    );
  });

  it('appends the section with its markers when the document has none', () => {
    expect(replaceSection('# Title\n', 'numbers')).toBe(
      `# Title\n\n${BEGIN}\n\nnumbers\n\n${END}\n`,
    );
    expect(replaceSection('', 'numbers')).toBe(`${BEGIN}\n\nnumbers\n\n${END}\n`);
  });
});

describe('writeSection', () => {
  it('writes the section into the file as prettier formats it', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'doc-')), 'BENCHMARKS.md');
    writeFileSync(path, '# Benchmarks\n');
    await writeSection(path, '| a | bb |\n| --- | --- |\n| ccc | d |');
    const written = readFileSync(path, 'utf8');
    expect(written).toContain('| a   | bb  |\n| --- | --- |\n| ccc | d   |');
    expect(await check(written, { filepath: path })).toBe(true);
  });
});
