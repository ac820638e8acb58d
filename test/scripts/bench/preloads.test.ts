/**
 * The preloads a benchmarked server runs with, each in a real server process: the bare node:http
 * baseline, started as the benchmark starts it.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { summarizeProfile, type CpuProfile } from '../../../scripts/bench/cpu-profile.js';
import { summarizeHeapProfile, type HeapProfile } from '../../../scripts/bench/heap-profile.js';
import { jsonLines, rssCheckpoints } from '../../../scripts/bench/server-output.js';
import { startCommand, targetCommand } from '../../../scripts/bench/targets.js';
import type { FunctionProcess } from '../../helpers/process.js';

let server: FunctionProcess | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

async function startWith(preload: string, env: Record<string, string> = {}) {
  const base = targetCommand('node-http-constant', [`--import=./scripts/bench/${preload}`]);
  server = await startCommand({ ...base, env: { ...base.env, ...env } });
  return server;
}

const post = (url: string) => fetch(`${url}/predict`, { method: 'POST', body: '{"vuelos":[]}' });

async function waitFor(
  server: FunctionProcess,
  found: (lines: Array<Record<string, unknown>>) => boolean,
) {
  for (let i = 0; i < 200 && !found(jsonLines(server.output())); i++) {
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return jsonLines(server.output());
}

describe('server-timing.ts', () => {
  it('writes one timing line per request, with its method, URL and status', async () => {
    const { url } = await startWith('server-timing.ts');
    expect((await post(url)).status).toBe(200);
    const timingsIn = (lines: Array<Record<string, unknown>>) =>
      lines.flatMap((l) => (l.serverTiming ? [l.serverTiming as { method: string }] : []));
    const lines = await waitFor(server!, (lines) =>
      timingsIn(lines).some((t) => t.method === 'POST'),
    );
    const timings = timingsIn(lines);
    expect(timings).toContainEqual({
      method: 'POST',
      url: '/predict',
      status: 200,
      ms: expect.any(Number) as number,
    });
    // The start-up health checks are timed too, and told apart by their URL.
    expect(timings).toContainEqual(expect.objectContaining({ method: 'GET', url: '/healthz' }));
  });
});

describe('rss-checkpoints.ts', () => {
  it('reports RSS when the listed numbers of /predict requests have been answered', async () => {
    const { url } = await startWith('rss-checkpoints.ts', { RSS_CHECKPOINTS: '2,4' });
    for (let i = 0; i < 5; i++) await post(url);
    await fetch(`${url}/healthz`);
    const checkpoints = rssCheckpoints(
      await waitFor(server!, (lines) => rssCheckpoints(lines).size === 2),
    );
    expect([...checkpoints.keys()]).toEqual([2, 4]);
    for (const bytes of checkpoints.values()) expect(bytes).toBeGreaterThan(1_000_000);
  });
});

describe('profile-window.ts', () => {
  async function profileBetweenSignals(profiler: 'cpu' | 'heap'): Promise<unknown> {
    const file = join(mkdtempSync(join(tmpdir(), 'profile-test-')), `server.${profiler}`);
    const { url, child } = await startWith('profile-window.ts', {
      PROFILE: profiler,
      PROFILE_FILE: file,
    });
    process.kill(child.pid!, 'SIGUSR2');
    await waitFor(server!, (lines) => lines.some((l) => l.profile === 'started'));
    expect(existsSync(file)).toBe(false);
    for (let i = 0; i < 200; i++) await post(url);
    process.kill(child.pid!, 'SIGUSR2');
    await waitFor(server!, (lines) => lines.some((l) => l.profile === 'written'));
    return JSON.parse(readFileSync(file, 'utf8'));
  }

  it('runs the CPU profiler between two SIGUSR2 signals, writing a profile the summary reads', async () => {
    const profile = (await profileBetweenSignals('cpu')) as CpuProfile;
    expect(profile.samples.length).toBeGreaterThan(0);
    const summary = summarizeProfile(profile, process.cwd());
    expect(summary.byArea.map((a) => a.name)).toContain('Node.js core');
  });

  it('samples allocations between two SIGUSR2 signals, collected objects included', async () => {
    const summary = summarizeHeapProfile(
      (await profileBetweenSignals('heap')) as HeapProfile,
      process.cwd(),
    );
    // 200 requests and their responses, nearly all of it garbage by the time the profile stops:
    // a profile of live objects only would hold a small part of this.
    expect(summary.bytes).toBeGreaterThan(200 * 5_000);
    expect(summary.byArea.map((a) => a.name)).toContain('Node.js core');
  });

  it('refuses to start without a profiler it knows', async () => {
    await expect(
      startWith('profile-window.ts', { PROFILE: 'gpu', PROFILE_FILE: '/tmp/x' }),
    ).rejects.toThrow(/PROFILE must be cpu or heap, not "gpu"/);
  });
});
