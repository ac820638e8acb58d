/**
 * The interactive reference in the bundle: Swagger UI's files copied beside index.js, and
 * functions/docs-assets-dir.ts replaced by a module naming that folder — the deployed function
 * installs no swagger-ui-dist. With `docs: false` (the benchmark's comparison bundle) the route
 * module is replaced by one serving nothing, and no file is copied.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Plugin } from 'esbuild';
import { docsAssetsDir } from '../../functions/docs-assets-dir.js';
import { BUNDLED_DOCS_DIR, SWAGGER_UI_ASSETS } from '../../functions/docs-assets.js';

/** Swagger UI's licence (Apache-2.0) and notice travel with the copies of its files. */
const LICENCE_FILES = ['LICENSE', 'NOTICE'];

/** Copies the served files and the licence into `dist`/docs. */
export function copyDocsAssets(dist: string): void {
  mkdirSync(join(dist, BUNDLED_DOCS_DIR));
  for (const file of [...Object.keys(SWAGGER_UI_ASSETS), ...LICENCE_FILES])
    copyFileSync(join(docsAssetsDir(), file), join(dist, BUNDLED_DOCS_DIR, file));
}

/** esbuild plugin: where the bundle reads the reference's files, or no reference at all. */
export function docsPlugin({ docs }: { docs: boolean }): Plugin {
  return {
    name: 'docs-assets',
    setup(build) {
      build.onLoad({ filter: /[\\/]functions[\\/]docs-assets-dir\.ts$/ }, () => ({
        contents: `const { join } = require('node:path');
export function docsAssetsDir() { return join(__dirname, ${JSON.stringify(BUNDLED_DOCS_DIR)}); }`,
        loader: 'js',
      }));
      if (!docs) {
        build.onLoad({ filter: /[\\/]functions[\\/]docs\.ts$/ }, () => ({
          contents: `export const DOCS_PATH = '/docs';
export function docsRoutes() { return []; }`,
          loader: 'js',
        }));
      }
    },
  };
}
