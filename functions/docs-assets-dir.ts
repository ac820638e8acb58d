/**
 * Where the reference's assets are read from: swagger-ui-dist's own folder when the function runs
 * from source. The bundle replaces this module with one naming the folder it ships beside
 * index.js (scripts/build/docs-assets.ts).
 */
import { createRequire } from 'node:module';
import { dirname } from 'node:path';

export function docsAssetsDir(): string {
  return dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
}
