/** `npm run bench`'s command line, run as a command. */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

describe('npm run bench', () => {
  it('prints its usage for --help, exits 0 and writes nothing', async () => {
    const before = readFileSync('docs/BENCHMARKS.md', 'utf8');
    const { stdout } = await run(process.execPath, ['--import=tsx', 'scripts/bench.ts', '--help']);
    expect(stdout).toMatch(/^Usage: npm run bench -- \[options\]/);
    expect(stdout).toContain('--soak-requests N');
    expect(readFileSync('docs/BENCHMARKS.md', 'utf8')).toBe(before);
  });
});
