/** GET /openapi.json as the function builds it, written to a new folder for tools that read files. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import servicePackage from '../../package.json' with { type: 'json' };
import { openApiDocument } from '../../functions/openapi.js';

/** The folder; the document is `openapi.json` in it. */
export function writeOpenApi(): string {
  const dir = mkdtempSync(join(tmpdir(), 'openapi-'));
  writeFileSync(
    join(dir, 'openapi.json'),
    JSON.stringify(openApiDocument(servicePackage.version), null, 2),
  );
  return dir;
}
