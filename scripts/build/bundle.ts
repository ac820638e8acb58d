/**
 * The function as one minified CommonJS file. Only what cannot be bundled stays outside:
 * onnxruntime-node (a native binding) and the Functions Framework (the runtime starts it and
 * loads our file through it).
 */
import { statSync } from 'node:fs';
import { build } from 'esbuild';
import { standaloneValidatorsPlugin } from './validators.js';

/** Packages the deployed function installs instead of bundling. */
export const EXTERNAL_PACKAGES = ['onnxruntime-node', '@google-cloud/functions-framework'] as const;

/** Node.js major the bundle's syntax targets: the oldest runtime it runs on (local dev, tests). */
export const SYNTAX_TARGET = 'node20';

/** Bundles functions/index.ts into `outfile` (plus its source map); returns the bundle's size. */
export async function bundleFunction(outfile: string): Promise<number> {
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
    plugins: [standaloneValidatorsPlugin],
    logLevel: 'warning',
  });
  return statSync(outfile).size;
}
