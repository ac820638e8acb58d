/** The servers the bench starts, started for real: how they are named, what they answer. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { coldStart } from '../../../scripts/bench/cold-start.js';
import {
  bundleCommand,
  CEILING_SOURCE,
  pinned,
  serverLine,
  sourceCommand,
} from '../../../scripts/bench/servers.js';
import { withServers } from '../../../scripts/lib/process.js';

describe('server commands', () => {
  it('start a source as npm start does, preloads after tsx, pinned through taskset', () => {
    const command = sourceCommand(CEILING_SOURCE, ['--import=./p.ts'], { A: '1' });
    expect(pinned(command, undefined)).toBe(command);
    expect(serverLine(pinned(command, '1'))).toBe(
      'PORT=… NODE_ENV=production A=1 taskset -c 1 node --import=tsx --import=./p.ts ' +
        'node_modules/@google-cloud/functions-framework/build/src/main.js --target=predict ' +
        `--source=${CEILING_SOURCE}`,
    );
    expect(serverLine({ ...command, stdout: '/tmp/out' })).toMatch(/ --source=\S+ > \/tmp\/out$/);
  });

  it('serve the installed bundle with the models it ships', () => {
    expect(bundleCommand('/tmp/x')).toEqual({
      command: '/tmp/x/node_modules/.bin/functions-framework',
      args: ['--target=predict'],
      cwd: '/tmp/x',
      env: { NODE_ENV: 'production', MODELS_DIR: '/tmp/x/models' },
    });
  });
});

describe('the ceiling, with the server-timing preload', () => {
  it('answers any POST with [0, 1] and times each request from inside', async () => {
    const command = sourceCommand(CEILING_SOURCE, ['--import=./scripts/bench/server-timing.ts']);
    await withServers([command], async ([server]) => {
      const init = { method: 'POST', headers: { 'content-type': 'application/json' } };
      const response = await fetch(`${server!.url}/predict`, { ...init, body: '{"vuelos":[]}' });
      expect(await response.json()).toEqual([0, 1]);
      await expect
        .poll(() => server!.output())
        .toMatch(
          /^\{"serverTiming":\{"method":"POST","url":"\/predict","status":200,"ms":[\d.]+\}\}$/m,
        );
    });
  });

  it('writes its stdout to a file when given one, leaving it out of output()', async () => {
    const stdout = join(mkdtempSync(join(tmpdir(), 'stdout-')), 'out');
    const command = sourceCommand(CEILING_SOURCE, ['--import=./scripts/bench/server-timing.ts']);
    await withServers([{ ...command, stdout }], async ([server]) => {
      await fetch(`${server!.url}/predict`, { method: 'POST' }).then((r) => r.arrayBuffer());
      await expect.poll(() => readFileSync(stdout, 'utf8')).toContain('"serverTiming"');
      expect(server!.output()).not.toContain('"serverTiming"');
    });
  });
});

describe('coldStart', () => {
  it('times a fresh function to its first 200 on POST /predict', async () => {
    expect(await coldStart(sourceCommand())).toBeGreaterThan(0);
  });

  it('fails on a first answer other than 200, naming it', async () => {
    const base = sourceCommand();
    const noModels = {
      ...base,
      env: { ...base.env, MODELS_DIR: mkdtempSync(join(tmpdir(), 'none-')) },
    };
    await expect(coldStart(noModels)).rejects.toThrow(/first answer was 5\d\d/);
  });
});
