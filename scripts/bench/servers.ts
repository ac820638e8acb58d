/**
 * The servers the bench starts — the function as `npm start` runs it, a Functions Framework
 * function answering a constant (the framework's ceiling), the installed bundle — the command
 * lines the report quotes, what a server's /proc entry says of its memory, and a POST to one.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { commandLine, type Command } from '../lib/process.js';

const FRAMEWORK_CLI = 'node_modules/@google-cloud/functions-framework/build/src/main.js';
/** Everything the framework does (Express, body parsing) and nothing of ours. */
export const CEILING_SOURCE = 'scripts/bench/servers/framework-constant.ts';

/**
 * `source` served exactly as `npm start` serves the function (production mode, TypeScript
 * through tsx), `nodeFlags` after tsx so that they may name TypeScript preloads.
 */
export function sourceCommand(
  source = 'functions/index.ts',
  nodeFlags: readonly string[] = [],
  env: Record<string, string> = {},
): Command {
  return {
    command: process.execPath,
    args: ['--import=tsx', ...nodeFlags, FRAMEWORK_CLI, '--target=predict', `--source=${source}`],
    env: { NODE_ENV: 'production', ...env },
  };
}

/** The bundle installed in `dir`, started as Cloud Functions starts it, `env` added. */
export function bundleCommand(dir: string, env: Record<string, string> = {}): Command {
  return {
    command: join(dir, 'node_modules/.bin/functions-framework'),
    args: ['--target=predict'],
    cwd: dir,
    // The bundle serves the models it ships.
    env: { NODE_ENV: 'production', MODELS_DIR: join(dir, 'models'), ...env },
  };
}

/** `command` confined to the CPUs in `cpus` (a taskset list), or unchanged without a list. */
export function pinned(command: Command, cpus: string | undefined): Command {
  if (cpus === undefined) return command;
  return { ...command, command: 'taskset', args: ['-c', cpus, command.command, ...command.args] };
}

/** A server's command line: PORT is the free port each run picks. */
export const serverLine = (command: Command) => `PORT=… ${commandLine(command)}`;

/** A /proc/PID/status memory field (VmRSS, VmHWM) in bytes; undefined once the process is gone. */
export function memoryField(pid: number, field: 'VmRSS' | 'VmHWM'): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(status);
    // A zombie's status has no memory fields.
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** The status of one POST of a JSON `body`, or the code of the socket error that ended it. */
export async function post(url: string, body: Blob | string) {
  try {
    const headers = { 'content-type': 'application/json' };
    const response = await fetch(url, { method: 'POST', headers, body });
    await response.arrayBuffer();
    const retryAfterS = Number(response.headers.get('retry-after') ?? 0);
    return { status: String(response.status), retryAfterS };
  } catch (error) {
    // A connection the server closes mid-upload is counted, not fatal.
    const code = (error as { cause?: { code?: string } }).cause?.code;
    return { status: code ?? 'error', retryAfterS: 0 };
  }
}
