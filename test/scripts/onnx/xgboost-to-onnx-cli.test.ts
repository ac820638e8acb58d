import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScript } from '../../../scripts/lib/process.js';
import { xgboostToOnnx } from '../../../scripts/onnx/xgboost-to-onnx.js';
import { MISSING_LEFT_TREE, xgboostJson } from './tiny-xgboost-model.js';

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

  const failures: { name: string; args: () => Promise<string[]>; stderr: RegExp }[] = [
    {
      name: 'no arguments',
      args: () => Promise.resolve([]),
      stderr: /expected 2 arguments, got 0\nusage: /,
    },
    {
      name: 'three arguments',
      args: () => Promise.resolve([REFERENCE_MODEL, join(dir, 'a.onnx'), 'extra']),
      stderr: /expected 2 arguments, got 3\nusage: /,
    },
    {
      name: 'an unknown option',
      args: () => Promise.resolve(['--fast', REFERENCE_MODEL, join(dir, 'a.onnx')]),
      stderr: /Unknown option '--fast'.*\nusage: /s,
    },
    {
      name: 'a missing input file',
      args: () => Promise.resolve([join(dir, 'absent.json'), join(dir, 'a.onnx')]),
      stderr: /cannot read .*absent\.json: ENOENT/,
    },
    {
      name: 'an input that is not JSON',
      args: async () => {
        await writeFile(join(dir, 'broken.json'), '{"learner": ');
        return [join(dir, 'broken.json'), join(dir, 'a.onnx')];
      },
      stderr: /broken\.json is not valid JSON/,
    },
    {
      name: 'an unsupported model',
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
    'exits 1 with a message and no stack trace on $name',
    async ({ args, stderr }) => {
      const run = await runScript(CLI, await args());
      expect(run.code).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(/^xgboost-to-onnx: /);
      expect(run.stderr).toMatch(stderr);
      expect(run.stderr).not.toMatch(/^\s+at /m);
      expect(existsSync(join(dir, 'a.onnx'))).toBe(false);
    },
  );
});
