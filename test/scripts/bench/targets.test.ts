import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { coldStart } from '../../../scripts/bench/cold-start.js';
import {
  bundleCommand,
  commandLine,
  pinned,
  startCommand,
  targetCommand,
  TARGETS,
  type TargetName,
} from '../../../scripts/bench/targets.js';
import type { FunctionProcess } from '../../helpers/process.js';

let server: FunctionProcess | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

describe('target commands', () => {
  it('start the function exactly as npm start does, extra Node flags after tsx', () => {
    expect(commandLine(targetCommand('function', ['--cpu-prof']))).toBe(
      'NODE_ENV=production node --import=tsx --cpu-prof ' +
        'node_modules/@google-cloud/functions-framework/build/src/main.js --target=predict ' +
        '--source=functions/index.ts',
    );
  });

  it('pin to CPUs through taskset, or not at all', () => {
    const command = targetCommand('node-http-constant');
    expect(pinned(command, undefined)).toBe(command);
    expect(commandLine(pinned(command, '1'))).toBe(
      'NODE_ENV=production taskset -c 1 node --import=tsx scripts/bench/servers/node-http-constant.ts',
    );
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

describe('baselines', () => {
  it.each(['framework-constant', 'node-http-constant'] as const)(
    '%s answers any POST with the constant [0, 1]',
    async (target: TargetName) => {
      server = await startCommand(pinned(targetCommand(target), '0'));
      const response = await fetch(`${server.url}/predict`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"vuelos": []}',
      });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual([0, 1]);
    },
  );

  it('all have a label naming them', () => {
    expect(Object.values(TARGETS).map((t) => t.label[0])).toEqual(['a', 'a', 'b', 'c']);
  });
});

describe('coldStart', () => {
  it("times the function's first 200 on POST /predict, and reads its model load from the log", async () => {
    const body = readFileSync('schemas/examples/seed-request.json', 'utf8');
    const start = await coldStart(targetCommand('function'), body);
    expect(start.ms).toBeGreaterThan(0);
    expect(start.modelLoadMs).toBeGreaterThan(0);
    expect(start.modelLoadMs).toBeLessThan(start.ms);
  });

  it('fails when the process exits instead of serving', async () => {
    const broken = { command: process.execPath, args: ['-e', 'process.exit(3)'], env: {} };
    await expect(coldStart(broken, '{}')).rejects.toThrow(/exited \(3\)/);
  });
});
