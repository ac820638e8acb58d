/**
 * The benchmark's side of the window preloads (profile-window.ts, async-resources-window.ts):
 * each SIGUSR2 opens or closes the window, and the preload acknowledges with a JSON line.
 */
import type { FunctionProcess } from '../../test/helpers/process.js';
import { jsonLines } from './server-output.js';

/** Sends SIGUSR2 and resolves with the value of the next `{"<key>": …}` line the server writes. */
export async function toggleWindow(server: FunctionProcess, key: string): Promise<unknown> {
  const seen = () => jsonLines(server.output()).filter((line) => key in line);
  const before = seen().length;
  process.kill(server.child.pid!, 'SIGUSR2');
  for (let waited = 0; waited < 10_000; waited += 20) {
    const lines = seen();
    if (lines.length > before) return lines[before]![key];
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`the server never answered SIGUSR2 with a "${key}" line:\n${server.output()}`);
}
