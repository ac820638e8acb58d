/**
 * The function's validators as JavaScript source: compiled from schemas/ at build time, with the
 * same Ajv options and formats the function uses at run time (functions/contract-schemas.ts), to
 * stand in for functions/compiled-validators.ts in the bundle.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { _ } from 'ajv/dist/2020.js';
import standaloneCode from 'ajv/dist/standalone/index.js';
import type { Plugin } from 'esbuild';
import { createAjv, VALIDATED_REFS } from '../../functions/contract-schemas.js';

const FUNCTIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../functions');

/** ES module source exporting one validator per entry of VALIDATED_REFS. */
export function standaloneValidators(): string {
  // Generated code reaches the format functions through this import, resolved from functions/.
  const formats = _`require("./string-formats.js").STRING_FORMATS`;
  const ajv = createAjv({ source: true, esm: true, formats });
  // ajv is CommonJS; under NodeNext its default import is the module object.
  return (standaloneCode as unknown as typeof standaloneCode.default)(ajv, VALIDATED_REFS);
}

/** esbuild plugin: loads functions/compiled-validators.ts as the standalone validators. */
export const standaloneValidatorsPlugin: Plugin = {
  name: 'standalone-validators',
  setup(build) {
    build.onLoad({ filter: /[\\/]functions[\\/]compiled-validators\.ts$/ }, () => ({
      contents: standaloneValidators(),
      loader: 'js',
      resolveDir: FUNCTIONS_DIR,
    }));
  },
};
