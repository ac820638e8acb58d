/**
 * Child processes for scripts and tests: servers started on a free port and awaited until healthy
 * (the function as the Cloud Functions Node.js runtime starts it: a separate process running the
 * Functions Framework CLI), and scripts run to their end.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, openSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';

export interface FunctionProcess {
  url: string;
  child: ChildProcess;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** Resolves with the exit code once the process has ended. */
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

/** A process to start: the command, its arguments, where, and what it adds to the environment. */
export interface Command {
  command: string;
  args: string[];
  cwd?: string;
  env: Record<string, string>;
  /** A file its stdout goes to (`> FILE` on its command line). */
  stdout?: string;
}

/** The command line as a reader would type it from the repository root. */
export function commandLine({ command, args, env, stdout }: Command): string {
  const variables = Object.entries(env).map(([name, value]) => `${name}=${value}`);
  const words = [command, ...args].map((word) => (word === process.execPath ? 'node' : word));
  return [...variables, ...words, ...(stdout === undefined ? [] : ['>', stdout])].join(' ');
}

export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface SpawnOptions {
  env?: Record<string, string>;
  cwd?: string;
  /** A file for its stdout, which output() then leaves out: a pipe costs this process CPU. */
  stdout?: string;
}

/**
 * Spawns `command args` with PORT set, in its own process group, and waits until GET /healthz
 * answers 200.
 */
export async function startProcess(
  command: string,
  args: string[],
  options: SpawnOptions = {},
): Promise<FunctionProcess> {
  const server = spawnOnPort(await freePort(), command, args, options);
  await waitForHealth(server).catch(async (error: unknown) => {
    await server.stop();
    throw error;
  });
  return server;
}

/** Starts every command in turn, hands the servers to `use`, and stops them however it ends. */
export async function withServers<T>(
  commands: readonly Command[],
  use: (servers: FunctionProcess[]) => Promise<T>,
): Promise<T> {
  const servers: FunctionProcess[] = [];
  try {
    for (const { command, args, ...options } of commands) {
      servers.push(await startProcess(command, args, options));
    }
    return await use(servers);
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
  }
}

/** Spawns `command args` with PORT=`port`, in its own process group, and returns at once. */
export function spawnOnPort(
  port: number,
  command: string,
  args: string[],
  options: SpawnOptions = {},
): FunctionProcess {
  const stdout = options.stdout === undefined ? 'pipe' : openSync(options.stdout, 'w');
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env, PORT: String(port) },
    detached: true,
    stdio: ['ignore', stdout, 'pipe'],
  });
  if (typeof stdout === 'number') closeSync(stdout);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    process.kill(-child.pid!, 'SIGKILL');
    await exited;
  };
  return { url: `http://127.0.0.1:${port}`, child, output: () => output, exited, stop };
}

async function waitForHealth(server: FunctionProcess) {
  let ended = false;
  void server.exited.then(() => (ended = true));
  for (let attempt = 0; attempt < 600; attempt++) {
    if (ended) throw new Error(`process exited before serving:\n${server.output()}`);
    const status = await fetch(`${server.url}/healthz`).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no answer from ${server.url}/healthz within 60 s:\n${server.output()}`);
}

/** Runs the source entry point exactly as `npm start` does, but as a direct child process. */
export function startSource(env: Record<string, string> = {}): Promise<FunctionProcess> {
  return startProcess(
    process.execPath,
    [
      '--import=tsx',
      'node_modules/@google-cloud/functions-framework/build/src/main.js',
      '--target=predict',
      '--source=functions/index.ts',
    ],
    { env: { NODE_ENV: 'production', ...env } },
  );
}

/** What a script run to its end printed, and how it exited. */
export interface ScriptRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `command args` to its end, collecting what it prints. */
export function runProcess(
  command: string,
  args: readonly string[],
  options: SpawnOptions = {},
): Promise<ScriptRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Runs a TypeScript script the way its `npm run` entry does (tsx), in a child process. */
export function runScript(script: string, args: readonly string[]): Promise<ScriptRun> {
  return runProcess(process.execPath, ['--import', 'tsx', script, ...args]);
}
