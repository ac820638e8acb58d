/**
 * `npm run build [-- --out DIR] [--no-docs]`: DIR (default dist/) holds the deployable function —
 * bundle, the interactive reference's files, models, package files — and DIR/function.zip, the
 * same files zipped deterministically for Terraform to upload. `--no-docs` leaves the reference
 * out: the benchmark compares cold starts with and without it.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ModelCard } from '../functions/model-registry.js';
import { SERVED_MODELS } from '../functions/model-choice.js';
import { bundleFunction } from './build/bundle.js';
import { parseCommandLine } from './command-line.js';
import { copyDocsAssets } from './build/docs-assets.js';
import { distPackageJson, distPackageLock } from './build/dist-package.js';
import { zipDirectory } from './build/zip.js';

const USAGE = `usage: npm run build -- [--out DIR] [--no-docs]

  --out DIR   where to write the deployable function and DIR/function.zip (default dist)
  --no-docs   leave the interactive reference (/docs) out`;

const ZIP = 'function.zip';
const { out: DIST, 'no-docs': noDocs } = parseCommandLine({
  name: 'build',
  usage: USAGE,
  options: {
    out: { type: 'string', default: 'dist' },
    'no-docs': { type: 'boolean', default: false },
  },
}).values;

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

rmSync(DIST, { recursive: true, force: true });
mkdirSync(join(DIST, 'models'), { recursive: true });
const bundleBytes = await bundleFunction(join(DIST, 'index.js'), { docs: !noDocs });
if (!noDocs) copyDocsAssets(DIST);
writeFileSync(join(DIST, 'package.json'), json(distPackageJson()));
writeFileSync(join(DIST, 'package-lock.json'), json(distPackageLock()));
copyFileSync('scripts/build/prune-onnxruntime.cjs', join(DIST, 'prune-onnxruntime.cjs'));
for (const name of SERVED_MODELS) {
  // The card names the model's files: its ONNX and the trees that explain its predictions.
  const card = JSON.parse(readFileSync(join('models', `${name}.json`), 'utf8')) as ModelCard;
  for (const file of [`${name}.json`, card.onnx.file, card.xgboost.file])
    copyFileSync(join('models', file), join(DIST, 'models', file));
}
const zip = zipDirectory(DIST, [ZIP]);
writeFileSync(join(DIST, ZIP), zip);
const sha256 = createHash('sha256').update(zip).digest('hex');
console.log(
  `${join(DIST, 'index.js')} ${bundleBytes} bytes; ${join(DIST, ZIP)} ${zip.length} bytes, sha256 ${sha256}`,
);
