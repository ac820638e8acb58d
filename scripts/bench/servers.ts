/**
 * The servers the bench starts — the function as `npm start` runs it, a Functions Framework
 * function answering a constant (the framework's ceiling), the installed bundle — the command
 * lines the report quotes, and what a server's /proc entry says of its memory.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { commandLine, type Command } from '../lib/process.js';

const FRAMEWORK_CLI = 'node_modules/@google-cloud/functions-framework/build/src/main.js';
export const FUNCTION_SOURCE = 'functions/index.ts';
/** Everything the framework does (Express, body parsing) and nothing of ours. */
export const CEILING_SOURCE = 'scripts/bench/servers/framework-constant.ts';

/**
 * `source` served exactly as `npm start` serves the function (production mode, TypeScript
 * through tsx), `nodeFlags` after tsx so that they may name TypeScript preloads.
 */
export function sourceCommand(
  source = FUNCTION_SOURCE,
  nodeFlags: readonly string[] = [],
  env: Record<string, string> = {},
): Command {
  return {
    command: process.execPath,
    args: ['--import=tsx', ...nodeFlags, FRAMEWORK_CLI, '--target=predict', `--source=${source}`],
    env: { NODE_ENV: 'production', ...env },
  };
}

/** The bundle installed in `dir`, started as Cloud Functions starts it. */
export function bundleCommand(dir: string): Command {
  return {
    command: join(dir, 'node_modules/.bin/functions-framework'),
    args: ['--target=predict'],
    cwd: dir,
    // The bundle serves the models it ships.
    env: { NODE_ENV: 'production', MODELS_DIR: join(dir, 'models') },
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
