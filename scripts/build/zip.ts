/**
 * A zip archive that depends only on the files' paths and bytes: entries sorted, one fixed
 * timestamp, fixed compression — so the same dist/ always zips to the same bytes, and Terraform
 * (which names the uploaded object by the zip's hash) redeploys only when something changed.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { zipSync, type Zippable } from 'fflate';

// Built from local-time parts because zip stores local (DOS) time: this way the stored fields
// are the same whatever time zone the build runs in.
const FIXED_MTIME = new Date(2017, 0, 1, 0, 0, 0);

/** Zips every file under `dir` except `exclude` (paths relative to `dir`, `/`-separated). */
export function zipDirectory(dir: string, exclude: readonly string[] = []): Uint8Array {
  const files: Zippable = {};
  for (const path of listFiles(dir).filter((p) => !exclude.includes(p))) {
    files[path] = [readFileSync(join(dir, path)), { mtime: FIXED_MTIME, level: 9 }];
  }
  return zipSync(files);
}

/** Every file below `dir`, relative and `/`-separated, sorted. */
function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .sort();
}
