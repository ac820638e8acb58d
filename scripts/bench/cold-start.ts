/**
 * Cold start of the bundle as Cloud Functions runs it, with the interactive reference (as
 * deployed) and without (`npm run build -- --no-docs`): from spawning a process to its first 200
 * on POST /predict, the lazy model load included. Starts alternate between the two bundles; the
 * reference must cost /predict nothing, its files being read only when /docs is first asked for.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installBundle } from '../build/install-bundle.js';
import { freePort, spawnOnPort, type Command } from '../lib/process.js';
import { ms, section } from './markdown.js';
import type { Plan, Verdict } from './plan.js';
import { bundleCommand, pinned, post, serverLine } from './servers.js';
import { interquartileRange, median } from './stats.js';

export const TARGET_COLD_START_MS = 600;
const SEED_BODY = readFileSync('schemas/examples/seed-request.json', 'utf8');
// Short enough to add little to the measurement, long enough not to starve the starting server.
const POLL_INTERVAL_MS = 2;
const GIVE_UP_MS = 30_000;

export interface ColdStarts {
  label: string;
  command: string;
  /** Each measured start, in ms. */
  ms: number[];
}

/** One uncounted start of each bundle installed in `dirs`, then `plan.starts` of each. */
export async function measureColdStarts(
  plan: Plan,
  dirs: { withDocs: string; withoutDocs: string },
): Promise<ColdStarts[]> {
  const bundles = [
    { label: 'bundle with /docs (as deployed)', dir: dirs.withDocs, ms: [] as number[] },
    { label: 'bundle without /docs', dir: dirs.withoutDocs, ms: [] as number[] },
  ];
  plan.progress(`cold starts: 1 + ${plan.starts} of each bundle, alternating`);
  for (let i = 0; i <= plan.starts; i++) {
    for (const bundle of bundles) {
      const measured = await coldStart(pinned(bundleCommand(bundle.dir), plan.serverCpus));
      // The first start of each fills the file cache: not counted.
      if (i > 0) bundle.ms.push(measured);
    }
  }
  return bundles.map(({ label, dir, ms }) => {
    const command = serverLine(pinned(bundleCommand(dir), plan.serverCpus));
    return { label, command: command.replaceAll(dir, '$INSTALLED'), ms };
  });
}

/** `npm run build -- --out TMP ...args`, its function.zip installed as Cloud Functions would. */
export async function installedBundle(plan: Plan, args: string[]): Promise<string> {
  const out = mkdtempSync(join(tmpdir(), 'bench-dist-'));
  plan.progress(`building and installing the bundle (npm run build -- ${args.join(' ')})`);
  const npm = ['run', 'build', '--silent', '--', '--out', out, ...args];
  const build = spawnSync('npm', npm, { encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`npm run build failed:\n${build.stdout}${build.stderr}`);
  return installBundle(join(out, 'function.zip'));
}

/** Starts `command` afresh and times it, in ms, to its first 200 answer to POST /predict. */
export async function coldStart(command: Command): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const server = spawnOnPort(port, command.command, command.args, command);
  try {
    while (performance.now() - started < GIVE_UP_MS) {
      if (server.child.exitCode !== null) {
        throw new Error(`server exited (${server.child.exitCode}):\n${server.output()}`);
      }
      const { status } = await post(`http://127.0.0.1:${port}/predict`, SEED_BODY);
      if (status === '200') return performance.now() - started;
      // Nothing listens yet while the connection is refused.
      if (status !== 'ECONNREFUSED') {
        throw new Error(`first answer was ${status}:\n${server.output()}`);
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
    }
    throw new Error(`no 200 within ${GIVE_UP_MS} ms:\n${server.output()}`);
  } finally {
    await server.stop();
  }
}

export function coldStartVerdicts([withDocs, withoutDocs]: ColdStarts[]): Verdict[] {
  const deployed = median(withDocs!.ms);
  const difference = deployed - median(withoutDocs!.ms);
  const noise = Math.max(interquartileRange(withDocs!.ms), interquartileRange(withoutDocs!.ms));
  return [
    {
      target: `cold start ≤ ${TARGET_COLD_START_MS} ms, median (the bundle as deployed)`,
      measured: `${ms(deployed)} ms`,
      met: deployed <= TARGET_COLD_START_MS,
    },
    {
      target: 'cold start with /docs within noise of without (|Δ median| ≤ the larger IQR)',
      measured: `${difference >= 0 ? '+' : '−'}${ms(Math.abs(difference))} ms (IQR ${ms(noise)} ms)`,
      met: Math.abs(difference) <= noise,
    },
  ];
}

export function coldStartSection(starts: ColdStarts[]): string {
  const head = ['Bundle', 'Median', 'Min', 'Max', 'Starts (ms)'];
  const rows = starts.map((s) => [
    s.label,
    ...[median(s.ms), Math.min(...s.ms), Math.max(...s.ms)].map((v) => `${ms(v)} ms`),
    s.ms.map((v) => ms(v)).join(', '),
  ]);
  const how = 'Spawn to the first 200 on POST /predict, alternating, one uncounted start first.';
  return section('Cold start', how, [head, ...rows], [starts[0]!.command]);
}
