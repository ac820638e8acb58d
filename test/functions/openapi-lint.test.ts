/**
 * GET /openapi.json as tools nobody here wrote read it: Redocly's linter with its recommended
 * rules (test/fixtures/redocly/redocly.yaml says what is changed and why) and swagger-parser's
 * validation, references resolved.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import SwaggerParser from '@apidevtools/swagger-parser';
import { afterAll, describe, expect, it } from 'vitest';
import { writeOpenApi } from '../helpers/openapi-file.js';

const run = promisify(execFile);
const dir = writeOpenApi();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('GET /openapi.json read by other tools', () => {
  it('passes `redocly lint` with the recommended rules: no error, no warning', async () => {
    for (const file of ['redocly.yaml', '.redocly.lint-ignore.yaml'])
      copyFileSync(join('test/fixtures/redocly', file), join(dir, file));
    const lint = await run(
      join(process.cwd(), 'node_modules/.bin/redocly'),
      ['lint', 'openapi.json', '--format=stylish'],
      {
        cwd: dir,
        // Offline: no usage report, no look-up of a newer release.
        env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
      },
    ).catch((error: { stdout: string; stderr: string }) => error);
    const output = `${lint.stdout}${lint.stderr}`;
    expect(output, output).toContain('Woohoo! Your API description is valid.');
    // Stylish lists each problem as `line:column  severity  rule  message`.
    expect(output, output).not.toMatch(/\d+:\d+\s+(?:error|warning)\s/);
    expect(output, output).not.toMatch(/You have \d+ warning/);
  });

  it('is valid OpenAPI 3.1 to swagger-parser, every reference resolving', async () => {
    const api = (await SwaggerParser.validate(join(dir, 'openapi.json'))) as {
      paths: Record<string, unknown>;
    };
    expect(Object.keys(api.paths)).toContain('/predict');
  });
});
