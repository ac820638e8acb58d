import { execFile } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  DATA_OPTION,
  dataPath,
  runCommand,
  UsageError,
} from '../../../scripts/train/command-line.js';
import { DEFAULT_DATA_PATH } from '../../../scripts/train/dataset.js';
import { temporaryDirectory, temporaryFile } from './helpers.js';

const COMMAND = { name: 'demo', usage: 'usage: demo --data PATH', options: DATA_OPTION };

/** The command's exit code and what it printed, with `main` as its body. */
async function runWith(args: string[], main: () => Promise<void> = async () => {}) {
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  const error = vi.spyOn(console, 'error').mockImplementation(() => {});
  await runCommand(COMMAND, main, args);
  const printed = (spy: typeof log) => spy.mock.calls.map((call) => call.join(' ')).join('\n');
  return { exitCode: process.exitCode, stdout: printed(log), stderr: printed(error) };
}

afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
});

describe('runCommand', () => {
  it('prints the usage on --help and runs nothing', async () => {
    const main = vi.fn(async () => {});
    const { exitCode, stdout, stderr } = await runWith(['--help'], main);
    expect(main).not.toHaveBeenCalled();
    expect(exitCode).toBeUndefined();
    expect(stdout).toBe(COMMAND.usage);
    expect(stderr).toBe('');
  });

  it.each([
    ['an unknown option', ['--bogus'], async () => {}, /demo failed: Unknown option '--bogus'/],
    ['an option without its value', ['--data'], async () => {}, /demo failed: .*--data/],
    [
      'a usage error from the command',
      [],
      () => Promise.reject(new UsageError('pass --data')),
      /demo failed: pass --data/,
    ],
  ])('exits 2 with the message and the usage on %s', async (_, args, main, message) => {
    const { exitCode, stderr } = await runWith(args, main);
    expect(exitCode).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr).toContain(COMMAND.usage);
    expect(stderr).not.toMatch(/^\s+at /m);
  });

  it('exits 1 with one line, and no usage, when the work itself fails', async () => {
    const { exitCode, stderr } = await runWith([], () => Promise.reject(new Error('disk full')));
    expect(exitCode).toBe(1);
    expect(stderr).toBe('demo failed: disk full');
  });
});

describe('dataPath', () => {
  it('is the path given when the file exists', async () => {
    const file = await temporaryFile('flights.csv', 'Fecha-I\n');
    expect(dataPath(file)).toBe(file);
  });

  it('names a missing --data file', () => {
    expect(() => dataPath('/nowhere/flights.csv')).toThrow(
      new UsageError('--data /nowhere/flights.csv: no such file'),
    );
  });
});

describe.each(['train', 'tune', 'feature-table'])('scripts/%s.ts', (script) => {
  const run = promisify(execFile);
  const tsx = fileURLToPath(new URL('../../../node_modules/tsx/dist/loader.mjs', import.meta.url));
  const file = fileURLToPath(new URL(`../../../scripts/${script}.ts`, import.meta.url));
  // In an empty directory, so that the default data path cannot exist and nothing can be written
  // unseen.
  const start = async (args: string[]) => {
    const cwd = await temporaryDirectory();
    const result = await run(process.execPath, ['--import', tsx, file, ...args], { cwd }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    return { ...result, files: await readdir(cwd) };
  };

  it('answers --help with its usage, exit 0, writing nothing', async () => {
    const { code, stdout, stderr, files } = await start(['--help']);
    expect({ code, stderr, files }).toEqual({ code: 0, stderr: '', files: [] });
    expect(stdout).toMatch(/^usage: npm run \w+ -- --data PATH/);
  });

  it('without --data, says where the data set is expected and how to pass it', async () => {
    const { code, stderr, files } = await start([]);
    expect({ code, files }).toEqual({ code: 2, files: [] });
    expect(stderr).toContain(`no data set at ${DEFAULT_DATA_PATH}`);
    expect(stderr).toContain('--data PATH');
    expect(stderr).not.toMatch(/^\s+at /m);
  });
});
