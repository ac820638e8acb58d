/**
 * The command line of every project script in package.json (`tsx scripts/X.ts`; the tools' own
 * scripts — vitest, eslint, prettier, tsc, functions-framework — answer for themselves): `--help`
 * prints the usage, exits 0 and touches no tracked file; an unknown option is one line and the
 * usage on stderr, exit 2, no stack trace.
 */
import { execFile } from 'node:child_process';
import { statSync } from 'node:fs';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import packageJson from '../../package.json' with { type: 'json' };
import { runScript, type ScriptRun } from '../../scripts/lib/process.js';

const git = async (...args: string[]) => (await promisify(execFile)('git', args)).stdout;

const SCRIPTS = Object.entries(packageJson.scripts).flatMap(([name, command]) => {
  const file = /^tsx (scripts\/[\w-]+\.ts)$/.exec(command)?.[1];
  return file ? [{ name, file }] : [];
});

/** The status and the modification time of every tracked file: a rewrite with the same bytes counts. */
async function trackedState(): Promise<{ status: string; modified: Map<string, number> }> {
  const files = (await git('ls-files', '-z')).split('\0').filter(Boolean);
  const modified = new Map(files.map((file) => [file, statSync(file).mtimeMs]));
  return { status: await git('status', '--porcelain'), modified };
}

// The scripts that read their command line with scripts/command-line.ts.
const STRICT = ['build', 'holidays', 'xgboost-to-onnx'];

const help = new Map<string, ScriptRun>();
const unknownOption = new Map<string, ScriptRun>();
let before: Awaited<ReturnType<typeof trackedState>>;
let after: typeof before;
beforeAll(async () => {
  before = await trackedState();
  // All at once: each run is mostly tsx starting up.
  await Promise.all([
    ...SCRIPTS.map(async ({ name, file }) => help.set(name, await runScript(file, ['--help']))),
    ...STRICT.map(async (name) =>
      unknownOption.set(name, await runScript(`scripts/${name}.ts`, ['--no-such-option'])),
    ),
  ]);
  after = await trackedState();
});

describe('--help', () => {
  it('covers every script that runs a file of scripts/', () => {
    expect(SCRIPTS.map(({ name }) => name)).toEqual(
      expect.arrayContaining([
        'build',
        'features',
        'train',
        'tune',
        'xgboost-to-onnx',
        'predict',
        'holidays',
        'stress',
        'bench',
      ]),
    );
  });

  it.each(SCRIPTS.map(({ name }) => name))(
    'npm run %s -- --help prints its usage and exits 0',
    (name) => {
      const run = help.get(name);
      expect(run).toMatchObject({ code: 0, stderr: '' });
      expect(run?.stdout).toMatch(new RegExp(`^usage: npm run ${name}\\b`, 'i'));
    },
  );

  it('leaves every tracked file as it was', () => {
    expect(after.status).toBe(before.status);
    const touched = [...after.modified].filter(
      ([file, time]) => before.modified.get(file) !== time,
    );
    expect(touched).toEqual([]);
  });
});

describe('an unknown option', () => {
  it.each(STRICT)('npm run %s answers one line and the usage, exit 2', (name) => {
    const run = unknownOption.get(name);
    expect(run).toMatchObject({ code: 2, stdout: '' });
    const [line, blank, ...usage] = run!.stderr.split('\n');
    expect(line).toMatch(new RegExp(`^${name}: Unknown option '--no-such-option'`));
    expect(blank).toBe('');
    expect(usage.join('\n')).toBe(help.get(name)?.stdout);
  });
});

describe('npm start -- --help', () => {
  // functions-framework prints its usage (and serves nothing) only when --help is its first
  // argument, so the start script gives the target and source through the environment.
  it('leaves --help the first argument functions-framework reads', () => {
    expect(packageJson.scripts.start).toMatch(/^[A-Z_]+=\S+( [A-Z_]+=\S+)* functions-framework$/);
  });
});
