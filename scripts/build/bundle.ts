/**
 * The function as one minified CommonJS file. Only what cannot be bundled stays outside:
 * onnxruntime-node (a native binding) and the Functions Framework (the runtime starts it and
 * loads our file through it).
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { build } from 'esbuild';
import { docsPlugin } from './docs-assets.js';
import { standaloneValidatorsPlugin } from './validators.js';

/** Packages the deployed function installs instead of bundling. */
export const EXTERNAL_PACKAGES = ['onnxruntime-node', '@google-cloud/functions-framework'] as const;

/** Node.js major the bundle's syntax targets: the oldest runtime it runs on (local dev, tests). */
export const SYNTAX_TARGET = 'node20';

/**
 * Bundles functions/index.ts into `outfile` (plus its source map); returns the bundle's size.
 * `docs: false` leaves the interactive reference out (scripts/build/docs-assets.ts).
 */
export async function bundleFunction(outfile: string, { docs = true } = {}): Promise<number> {
  await build({
    entryPoints: ['functions/index.ts'],
    outfile,
    bundle: true,
    platform: 'node',
    target: SYNTAX_TARGET,
    format: 'cjs',
    minify: true,
    // Stack traces in Cloud Logging point at functions/*.ts when the runtime enables source maps.
    sourcemap: 'linked',
    // Licence headers of bundled packages go to a file beside the bundle instead of being dropped.
    legalComments: 'linked',
    external: [...EXTERNAL_PACKAGES],
    // Schemas compiled here rather than in every cold start.
    plugins: [standaloneValidatorsPlugin, docsPlugin({ docs })],
    logLevel: 'warning',
  });
  rootRelativeSources(`${outfile}.map`);
  return statSync(outfile).size;
}

/**
 * esbuild names a map's sources relative to where the bundle is written (`../../home/…/functions`
 * for a bundle written outside the repository), so the zip would change with `--out` and carry
 * the builder's directories. Relative to the repository instead, they read `functions/handler.ts`,
 * which is also where they resolve beside the deployed bundle.
 */
function rootRelativeSources(mapFile: string): void {
  const map = JSON.parse(readFileSync(mapFile, 'utf8')) as { sources: string[] };
  map.sources = map.sources.map((source) => relative('.', resolve(dirname(mapFile), source)));
  writeFileSync(mapFile, JSON.stringify(map));
}
