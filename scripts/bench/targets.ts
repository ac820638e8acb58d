/**
 * The servers the benchmark loads, and the command lines that start them.
 */
import { join } from 'node:path';
import { startProcess, type FunctionProcess } from '../../test/helpers/process.js';

/** A process to start: the command, its arguments and what it adds to the environment. */
export interface Command {
  command: string;
  args: string[];
  cwd?: string;
  env: Record<string, string>;
}

const FRAMEWORK_CLI = 'node_modules/@google-cloud/functions-framework/build/src/main.js';

/** The servers compared under the same load, by key. */
export const TARGETS = {
  function: {
    label: 'a. this function',
    source: 'functions/index.ts',
  },
  'function-ort-default': {
    label: "a'. this function, ONNX Runtime's default session options",
    source: 'scripts/bench/servers/function-ort-default.ts',
  },
  'framework-constant': {
    label: 'b. Functions Framework, constant answer',
    source: 'scripts/bench/servers/framework-constant.ts',
  },
  'node-http-constant': {
    label: 'c. bare node:http, constant answer',
    script: 'scripts/bench/servers/node-http-constant.ts',
  },
} as const;

export type TargetName = keyof typeof TARGETS;

/**
 * How a target is started: Functions Framework targets exactly as `npm start` starts the function
 * (production mode, TypeScript through tsx), with `nodeFlags` added after tsx so they may name
 * TypeScript modules.
 */
export function targetCommand(name: TargetName, nodeFlags: readonly string[] = []): Command {
  const target: { source?: string; script?: string } = TARGETS[name];
  const entry = target.source
    ? [FRAMEWORK_CLI, '--target=predict', `--source=${target.source}`]
    : [target.script!];
  return {
    command: process.execPath,
    args: ['--import=tsx', ...nodeFlags, ...entry],
    env: { NODE_ENV: 'production' },
  };
}

/** The bundled function unpacked in `dir`, started as Cloud Functions starts it. */
export function bundleCommand(dir: string): Command {
  return {
    command: join(dir, 'node_modules/.bin/functions-framework'),
    args: ['--target=predict'],
    cwd: dir,
    // The bundle serves the models it ships, whatever MODELS_DIR the benchmark was given.
    env: { NODE_ENV: 'production', MODELS_DIR: join(dir, 'models') },
  };
}

/** `command` confined to the CPUs in `cpus` (a taskset list), or unchanged without a list. */
export function pinned(command: Command, cpus: string | undefined): Command {
  if (cpus === undefined) return command;
  return { ...command, command: 'taskset', args: ['-c', cpus, command.command, ...command.args] };
}

/** The command line as a reader would type it from the repository root. */
export function commandLine({ command, args, env }: Command): string {
  const variables = Object.entries(env).map(([name, value]) => `${name}=${value}`);
  const words = [command, ...args].map((word) => (word === process.execPath ? 'node' : word));
  return [...variables, ...words].join(' ');
}

/** A server's command line as the report shows it: PORT is the free port each run picks. */
export function serverLine(command: Command): string {
  return `PORT=… ${commandLine(command)}`;
}

/** Starts `command` on a free port (PORT) and resolves once GET /healthz answers 200. */
export function startCommand(command: Command): Promise<FunctionProcess> {
  return startProcess(command.command, command.args, command);
}

/** Starts every command in turn, hands the servers to `use`, and stops them however it ends. */
export async function withServers<T>(
  commands: readonly Command[],
  use: (servers: FunctionProcess[]) => Promise<T>,
): Promise<T> {
  const servers: FunctionProcess[] = [];
  try {
    for (const command of commands) servers.push(await startCommand(command));
    return await use(servers);
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
  }
}
