/**
 * `npm run tune -- --data PATH [--out DIR] [--state-only]`: cross-validated feature study and
 * hyper-parameter grid on the training split, then the state study of `nowcast`; rewrites
 * scripts/train/hyperparameters.json (or writes DIR/hyperparameters.json).
 */
import { join } from 'node:path';
import { DATA_OPTION, DATA_USAGE, dataPath, runCommand } from './train/command-line.js';
import { CONFIG_PATH, readConfig, writeConfig } from './train/config.js';
import { terminalProgress } from './train/progress.js';
import { tune } from './train/tuning.js';

const USAGE = `usage: npm run tune -- --data PATH [--out DIR] [--state-only]

  ${DATA_USAGE}
  --out DIR    write the tuned configuration to DIR/hyperparameters.json instead of
               rewriting scripts/train/hyperparameters.json
  --state-only run only nowcast's state study, on the configured schedule model, keeping
               the other models and their recorded search`;

const COMMAND = {
  name: 'tune',
  usage: USAGE,
  options: { ...DATA_OPTION, out: { type: 'string' }, 'state-only': { type: 'boolean' } },
} as const;

await runCommand(COMMAND, async (values) => {
  const data = dataPath(values.data);
  const started = performance.now();
  const config = await tune({
    dataPath: data,
    config: await readConfig(),
    stateOnly: values['state-only'] ?? false,
    log: (line) => console.log(line),
    progress: terminalProgress,
  });
  const path = values.out === undefined ? CONFIG_PATH : join(values.out, 'hyperparameters.json');
  await writeConfig(config, path);
  for (const [name, model] of Object.entries(config.models)) {
    console.log(
      `${name}: ${model.featureSet}, ${model.rounds} rounds, ${JSON.stringify(model.params)}`,
    );
  }
  console.log(`wrote ${path} in ${((performance.now() - started) / 1000).toFixed(0)} s`);
});
