/**
 * Running wrk: installing it when missing, building its command line, and reading its report.
 */
import { spawn, spawnSync } from 'node:child_process';
import { parseWrkOutput, type WrkResult } from './wrk-output.js';

/** One wrk run. */
export interface WrkRun {
  /** The full URL, path included (`http://127.0.0.1:8080/predict`). */
  url: string;
  /** A script of scripts/wrk/. */
  script: string;
  threads: number;
  connections: number;
  /** A wrk duration: `45s`, `2m`. */
  duration: string;
  /** wrk's per-request timeout (its default is 2s). */
  timeout?: string;
  /** Extra request headers, `Name: value` (an identity token for a deployed function). */
  headers?: readonly string[];
  /** Arguments for the script's init(), after `--`. */
  scriptArgs?: readonly string[];
  /** CPUs to pin wrk to (a taskset list such as `0`), so it does not share the server's. */
  cpus?: string;
  /** Copy wrk's output to ours as it arrives. */
  echo?: boolean;
  /** Ends the run early: wrk is interrupted and reports what it measured so far. */
  signal?: AbortSignal;
}

/** A load, whatever server it is aimed at: a run without its URL and duration. */
export type WrkLoad = Pick<WrkRun, 'script' | 'scriptArgs' | 'threads' | 'connections' | 'cpus'>;

/** `load` against the /predict endpoint of the server at `baseUrl`, for `duration`. */
export function predictRun(load: WrkLoad, baseUrl: string, duration: string): WrkRun {
  return { ...load, url: `${baseUrl}/predict`, duration };
}

/** The command of `load` for the docs, the server's port left open. */
export function loadCommand(load: WrkLoad, duration: string): string {
  return wrkCommand(predictRun(load, 'http://127.0.0.1:PORT', duration)).join(' ');
}

/** The exact command of a run, as the docs quote it. */
export function wrkCommand(run: WrkRun): string[] {
  return [
    ...(run.cpus === undefined ? [] : ['taskset', '-c', run.cpus]),
    'wrk',
    `-t${run.threads}`,
    `-c${run.connections}`,
    `-d${run.duration}`,
    ...(run.timeout === undefined ? [] : ['--timeout', run.timeout]),
    ...(run.headers ?? []).flatMap((header) => ['-H', header]),
    '--latency',
    '-s',
    run.script,
    run.url,
    ...(run.scriptArgs?.length ? ['--', ...run.scriptArgs] : []),
  ];
}

/**
 * Runs wrk and parses its report.
 * @throws Error when wrk fails or writes to stderr: a script that does not load is only reported
 * there, and wrk would go on to send plain GET requests.
 */
export async function runWrk(run: WrkRun): Promise<{ output: string; result: WrkResult }> {
  const [command, ...args] = wrkCommand(run);
  const child = spawn(command!, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let errors = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    if (run.echo) process.stdout.write(chunk);
  });
  child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  const interrupt = () => child.kill('SIGINT');
  run.signal?.addEventListener('abort', interrupt, { once: true });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  }).finally(() => run.signal?.removeEventListener('abort', interrupt));
  if (code !== 0 || errors !== '') {
    throw new Error(`${wrkCommand(run).join(' ')} failed (exit ${code}):\n${errors}${output}`);
  }
  return { output, result: parseWrkOutput(output) };
}

/** Installs wrk from Debian's package when it is not on the PATH. */
export function ensureWrk(): void {
  if (spawnSync('wrk', ['-v']).error === undefined) return;
  console.log('wrk is missing: installing Debian package "wrk" with apt-get');
  const install = () =>
    spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'wrk'], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    }).status;
  // A fresh machine may have no package lists yet.
  if (
    install() !== 0 &&
    (spawnSync('apt-get', ['update'], { stdio: 'inherit' }).status !== 0 || install() !== 0)
  ) {
    throw new Error('could not install wrk with apt-get (it needs root); install it and retry');
  }
}
