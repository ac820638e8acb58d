/**
 * CLI: converts an XGBoost JSON model to ONNX.
 *
 *   npm run xgboost-to-onnx -- IN.json OUT.onnx
 *
 * Prints one summary line (trees, features, bytes, sha256). Bad arguments print a message and the
 * usage on stderr and exit with code 2; an unreadable or unsupported input prints a message on
 * stderr and exits with code 1.
 */
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { readXgboostModel, XgboostModelError } from '../functions/xgboost-json.js';
import { parseCommandLine, usageError } from './command-line.js';
import { encodeOnnx } from './onnx/tree-ensemble.js';

const COMMAND = {
  name: 'xgboost-to-onnx',
  usage: `usage: npm run xgboost-to-onnx -- IN.json OUT.onnx

Converts an XGBoost binary:logistic model saved as JSON (IN.json) to one ONNX
TreeEnsembleClassifier (OUT.onnx) and prints its trees, features, bytes and sha256.`,
  options: {},
  allowPositionals: true,
} as const;

/** An expected failure: reported as its message alone, without a stack trace. */
class CliError extends Error {}

function paths(): [string, string] {
  const { positionals } = parseCommandLine(COMMAND);
  const [input, output] = positionals;
  if (positionals.length !== 2 || input === undefined || output === undefined) {
    usageError(COMMAND, `expected 2 arguments, got ${positionals.length}`);
  }
  return [input, output];
}

async function readJson(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read ${path}: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CliError(`${path} is not valid JSON: ${(error as Error).message}`);
  }
}

async function main(): Promise<void> {
  const [input, output] = paths();
  const json = await readJson(input);
  let bytes: Uint8Array;
  let summary: string;
  try {
    const model = readXgboostModel(json);
    bytes = encodeOnnx(model);
    summary = `${model.trees.length} trees, ${model.numFeature} features`;
  } catch (error) {
    if (error instanceof XgboostModelError) throw new CliError(`${input}: ${error.message}`);
    throw error;
  }
  try {
    await writeFile(output, bytes);
  } catch (error) {
    throw new CliError(`cannot write ${output}: ${(error as Error).message}`);
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  console.log(`${output}: ${summary}, ${bytes.length} bytes, sha256 ${sha256}`);
}

try {
  await main();
} catch (error) {
  if (!(error instanceof CliError)) throw error;
  console.error(`xgboost-to-onnx: ${error.message}`);
  process.exitCode = 1;
}
