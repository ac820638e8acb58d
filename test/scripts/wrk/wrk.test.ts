import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCommand, runWrk, wrkCommand } from '../../../scripts/wrk/wrk.js';
import { scriptAt, WRK_SCRIPTS } from '../../../scripts/wrk/load-scripts.js';

describe('wrkCommand', () => {
  it('spells out every option, pinned through taskset, script arguments after --', () => {
    expect(
      wrkCommand({
        url: 'http://127.0.0.1:8080/predict',
        script: WRK_SCRIPTS.batch.file,
        scriptArgs: ['10000'],
        threads: 1,
        connections: 1,
        duration: '5s',
        timeout: '10s',
        headers: ['Authorization: Bearer x'],
        cpus: '0',
      }),
    ).toEqual([
      ...['taskset', '-c', '0', 'wrk', '-t1', '-c1', '-d5s', '--timeout', '10s'],
      ...['-H', 'Authorization: Bearer x', '--latency', '-s', 'scripts/wrk/batch.lua'],
      ...['http://127.0.0.1:8080/predict', '--', '10000'],
    ]);
  });

  it('quotes a load for the docs with the port left open', () => {
    const load = { script: WRK_SCRIPTS.seed.file, threads: 10, connections: 50 };
    expect(loadCommand(load, '45s')).toBe(
      'wrk -t10 -c50 -d45s --latency -s scripts/wrk/seed.lua http://127.0.0.1:PORT/predict',
    );
  });
});

describe('scriptAt', () => {
  it('finds the expectations of a script by its file, and refuses any other file', () => {
    expect(scriptAt('scripts/wrk/mix.lua')).toBe(WRK_SCRIPTS.mix);
    expect(() => scriptAt('test/test.lua')).toThrow(/not a script of scripts\/wrk/);
  });
});

describe('runWrk', () => {
  it('fails when the script does not load, rather than measure plain GET requests', async () => {
    const script = join(mkdtempSync(join(tmpdir(), 'wrk-')), 'broken.lua');
    writeFileSync(script, 'this is not lua');
    const server = createServer((_req, res) => res.end()).listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
      await expect(
        runWrk({ url, script, threads: 1, connections: 1, duration: '1s' }),
      ).rejects.toThrow(/broken\.lua:1:/);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
