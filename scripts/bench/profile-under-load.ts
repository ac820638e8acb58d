/**
 * Profiles of servers under a wrk load, over exactly one measured wrk run: each server runs with
 * the profile-window.ts preload, is warmed up, then profiled while wrk runs. The files are kept
 * for a closer look (Chrome DevTools' Performance and Memory panels open them).
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { summarizeProfile, type CpuProfile } from './cpu-profile.js';
import { summarizeHeapProfile, type HeapProfile } from './heap-profile.js';
import { toggleWindow } from './signal-window.js';
import { serverLine, pinned, startCommand, targetCommand, type TargetName } from './targets.js';
import { loadCommand, predictRun, runWrk, type WrkLoad } from './wrk.js';

/** The profilers of profile-window.ts, and how each one's file is read. */
const PROFILERS = {
  cpu: {
    extension: 'cpuprofile',
    summarize: (json: unknown) => summarizeProfile(json as CpuProfile, process.cwd()),
  },
  heap: {
    extension: 'heapprofile',
    summarize: (json: unknown) => summarizeHeapProfile(json as HeapProfile, process.cwd()),
  },
};

export type Profiler = keyof typeof PROFILERS;

export type Summary<P extends Profiler> = ReturnType<(typeof PROFILERS)[P]['summarize']>;

export interface ProfiledRun<P extends Profiler = 'cpu'> {
  target: TargetName;
  serverCommand: string;
  wrkCommand: string;
  /** Responses wrk received while the profiler ran. */
  requests: number;
  file: string;
  summary: Summary<P>;
}

export async function profileUnderLoad<P extends Profiler>(
  profiler: P,
  target: TargetName,
  options: { load: WrkLoad; serverCpus?: string; duration: string; warmup: string },
): Promise<ProfiledRun<P>> {
  const { extension, summarize } = PROFILERS[profiler];
  const file = join(mkdtempSync(join(tmpdir(), 'bench-profile-')), `${target}.${extension}`);
  const base = targetCommand(target, ['--import=./scripts/bench/profile-window.ts']);
  const command = pinned(
    { ...base, env: { ...base.env, PROFILE: profiler, PROFILE_FILE: file } },
    options.serverCpus,
  );
  const run = (url: string, duration: string) => predictRun(options.load, url, duration);
  const server = await startCommand(command);
  try {
    await runWrk(run(server.url, options.warmup));
    await toggleWindow(server, 'profile');
    const { result } = await runWrk(run(server.url, options.duration));
    await toggleWindow(server, 'profile');
    return {
      target,
      serverCommand: serverLine(command).replace(file, '$FILE'),
      wrkCommand: loadCommand(options.load, options.duration),
      requests: result.requests,
      file,
      summary: summarize(JSON.parse(readFileSync(file, 'utf8'))) as Summary<P>,
    };
  } finally {
    await server.stop();
  }
}
