/**
 * `npm run tune -- --data PATH`: cross-validated feature study and hyper-parameter grid on the
 * training split; rewrites scripts/train/hyperparameters.json.
 */
import { parseArgs } from 'node:util';
import { CONFIG_PATH, readConfig, writeConfig } from './train/config.js';
import { DEFAULT_DATA_PATH } from './train/dataset.js';
import { terminalProgress } from './train/progress.js';
import { tune } from './train/tuning.js';

const USAGE = `usage: npm run tune -- [--data PATH]

  --data PATH  flights CSV (default ${DEFAULT_DATA_PATH})`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      data: { type: 'string', default: DEFAULT_DATA_PATH },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return console.log(USAGE);
  const started = performance.now();
  const config = await tune({
    dataPath: values.data,
    config: await readConfig(),
    log: (line) => console.log(line),
    progress: terminalProgress,
  });
  await writeConfig(config);
  for (const [name, model] of Object.entries(config.models)) {
    console.log(
      `${name}: ${model.featureSet}, ${model.rounds} rounds, ${JSON.stringify(model.params)}`,
    );
  }
  console.log(`wrote ${CONFIG_PATH} in ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

main().catch((error: unknown) => {
  console.error(`tune failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
