/**
 * CPU profiles of servers under a wrk load, over exactly one measured wrk run: each server
 * runs with the cpu-profile-window.ts preload, is warmed up, then profiled while wrk runs. The
 * files are kept for a closer look (Chrome DevTools' Performance panel opens them).
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { summarizeProfile, type CpuProfile, type ProfileSummary } from './cpu-profile.js';
import { toggleWindow } from './signal-window.js';
import { serverLine, pinned, startCommand, targetCommand, type TargetName } from './targets.js';
import { loadCommand, predictRun, runWrk, type WrkLoad } from './wrk.js';

export interface ProfiledRun {
  target: TargetName;
  serverCommand: string;
  wrkCommand: string;
  /** Responses wrk received while the profiler ran. */
  requests: number;
  file: string;
  summary: ProfileSummary;
}

export async function profileUnderLoad(
  target: TargetName,
  options: { load: WrkLoad; serverCpus?: string; duration: string; warmup: string },
): Promise<ProfiledRun> {
  const file = join(mkdtempSync(join(tmpdir(), 'bench-profile-')), `${target}.cpuprofile`);
  const base = targetCommand(target, ['--import=./scripts/bench/cpu-profile-window.ts']);
  const command = pinned(
    { ...base, env: { ...base.env, CPU_PROFILE_FILE: file } },
    options.serverCpus,
  );
  const run = (url: string, duration: string) => predictRun(options.load, url, duration);
  const server = await startCommand(command);
  try {
    await runWrk(run(server.url, options.warmup));
    await toggleWindow(server, 'cpuProfile');
    const { result } = await runWrk(run(server.url, options.duration));
    await toggleWindow(server, 'cpuProfile');
    return {
      target,
      serverCommand: serverLine(command).replace(file, '$FILE'),
      wrkCommand: loadCommand(options.load, options.duration),
      requests: result.requests,
      file,
      summary: summarizeProfile(
        JSON.parse(readFileSync(file, 'utf8')) as CpuProfile,
        process.cwd(),
      ),
    };
  } finally {
    await server.stop();
  }
}
