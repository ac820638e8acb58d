/**
 * Installs a built function.zip the way Cloud Functions' Node.js build does — unpack, `npm ci`
 * of the production dependencies, `npm run gcp-build` — into a fresh folder, where
 * `node_modules/.bin/functions-framework --target=predict` then serves it as the runtime would.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { unzipSync } from 'fflate';

const run = promisify(execFile);

/** What terraform/main.tf's build_config.environment_variables gives Cloud Build's install. */
export const BUILD_ENVIRONMENT = { ONNXRUNTIME_NODE_INSTALL: 'skip' } as const;

/** Unpacks `zipPath` into a new temporary folder, installs it there, and returns the folder. */
export async function installBundle(zipPath: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'function-'));
  for (const [path, data] of Object.entries(unzipSync(readFileSync(zipPath)))) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), data);
  }
  // From the npm cache when it holds the packages: the root install already downloaded them.
  // The environment is Cloud Build's as terraform/main.tf sets it (build_config).
  await run('npm', ['ci', '--omit=dev', '--prefer-offline', '--no-audit', '--no-fund'], {
    cwd: dir,
    env: { ...process.env, ...BUILD_ENVIRONMENT },
  });
  await run('npm', ['run', 'gcp-build', '--silent'], { cwd: dir });
  return dir;
}
