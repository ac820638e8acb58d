import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScript } from '../../scripts/lib/process.js';
import { xgboostToOnnx } from '../../scripts/onnx/tree-ensemble.js';
import { MISSING_LEFT_TREE, xgboostJson } from './onnx/tiny-xgboost-model.js';

const CLI = 'scripts/xgboost-to-onnx.ts';
const REFERENCE_MODEL = 'models/baseline/seed-xgb-upsampling.model.json';

describe('scripts/xgboost-to-onnx.ts', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'xgboost-to-onnx-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes the ONNX model and prints trees, features, bytes and sha256', async () => {
    const out = join(dir, 'seed.onnx');
    const run = await runScript(CLI, [REFERENCE_MODEL, out]);
    expect(run).toMatchObject({ code: 0, stderr: '' });

    const written = await readFile(out);
    const sha256 = createHash('sha256').update(written).digest('hex');
    expect(run.stdout).toBe(
      `${out}: 100 trees, 37 features, ${written.length} bytes, sha256 ${sha256}\n`,
    );
    const inProcess = xgboostToOnnx(JSON.parse(await readFile(REFERENCE_MODEL, 'utf8')));
    expect(Buffer.from(inProcess).equals(written)).toBe(true);
  });

  const failures: { name: string; args: () => Promise<string[]>; code: number; stderr: RegExp }[] =
    [
      {
        name: 'no arguments',
        args: () => Promise.resolve([]),
        code: 2,
        stderr: /^xgboost-to-onnx: expected 2 arguments, got 0\n\nusage: /,
      },
      {
        name: 'three arguments',
        args: () => Promise.resolve([REFERENCE_MODEL, join(dir, 'a.onnx'), 'extra']),
        code: 2,
        stderr: /^xgboost-to-onnx: expected 2 arguments, got 3\n\nusage: /,
      },
      {
        name: 'an unknown option',
        args: () => Promise.resolve(['--fast', REFERENCE_MODEL, join(dir, 'a.onnx')]),
        code: 2,
        stderr: /^xgboost-to-onnx: Unknown option '--fast'[^\n]*\n\nusage: /,
      },
      {
        name: 'a missing input file',
        code: 1,
        args: () => Promise.resolve([join(dir, 'absent.json'), join(dir, 'a.onnx')]),
        stderr: /cannot read .*absent\.json: ENOENT/,
      },
      {
        name: 'an input that is not JSON',
        code: 1,
        args: async () => {
          await writeFile(join(dir, 'broken.json'), '{"learner": ');
          return [join(dir, 'broken.json'), join(dir, 'a.onnx')];
        },
        stderr: /broken\.json is not valid JSON/,
      },
      {
        name: 'an unsupported model',
        code: 1,
        args: async () => {
          const model = xgboostJson({ trees: [MISSING_LEFT_TREE] });
          model.learner.objective.name = 'multi:softprob';
          await writeFile(join(dir, 'multi.json'), JSON.stringify(model));
          return [join(dir, 'multi.json'), join(dir, 'a.onnx')];
        },
        stderr:
          /multi\.json: Unsupported objective "multi:softprob": only binary:logistic is supported/,
      },
    ];

  it.each(failures)(
    'exits $code with a message and no stack trace on $name',
    async ({ args, code, stderr }) => {
      const run = await runScript(CLI, await args());
      expect(run.code).toBe(code);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(/^xgboost-to-onnx: /);
      expect(run.stderr).toMatch(stderr);
      expect(run.stderr).not.toMatch(/^\s+at /m);
      expect(existsSync(join(dir, 'a.onnx'))).toBe(false);
    },
  );
});
