/**
 * `npm run train -- --data PATH [--out DIR] [--check]`: trains every model, exports them to ONNX,
 * writes models/<name>.{onnx,xgboost.json,json} and reports/ (or both into DIR). With --check,
 * retrains and compares with the committed models/ instead of writing, failing on any difference.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compareModels, writeModels } from './train/artifacts.js';
import type { Interval } from './train/bootstrap.js';
import { DATA_OPTION, DATA_USAGE, dataPath, runCommand, UsageError } from './train/command-line.js';
import { readConfig } from './train/config.js';
import { train, type TrainingRun } from './train/pipeline.js';
import { terminalProgress } from './train/progress.js';
import { writeReport } from './train/report.js';

const MODELS_DIR = fileURLToPath(new URL('../models', import.meta.url));
const REPORTS_DIR = fileURLToPath(new URL('../reports', import.meta.url));

const USAGE = `usage: npm run train -- --data PATH [--out DIR | --check]

  ${DATA_USAGE}
  --out DIR    write the models and the report into DIR (DIR/models, DIR/reports) instead of
               the committed models/ and reports/
  --check      retrain, write nothing, and fail if models/ differs (ONNX and XGBoost files byte
               for byte, cards in every field but createdAt)`;

const COMMAND = {
  name: 'train',
  usage: USAGE,
  options: { ...DATA_OPTION, out: { type: 'string' }, check: { type: 'boolean' } },
} as const;

await runCommand(COMMAND, async (values) => {
  if (values.check && values.out !== undefined) {
    throw new UsageError('--check writes nothing: it cannot take --out');
  }
  const data = dataPath(values.data);
  const started = performance.now();
  const config = await readConfig();
  const run = await train({
    dataPath: data,
    config,
    log: (line) => console.log(line),
    progress: terminalProgress,
  });
  printSummary(run);
  if (values.check) await check(run);
  else {
    const out = values.out;
    const written = [
      ...(await writeModels(run.models, out === undefined ? MODELS_DIR : join(out, 'models'))),
      ...(await writeReport(run, config, out === undefined ? REPORTS_DIR : join(out, 'reports'))),
    ];
    console.log(`wrote ${written.length} files:\n  ${written.join('\n  ')}`);
  }
  console.log(`done in ${((performance.now() - started) / 1000).toFixed(0)} s`);
});

/** @throws Error when the retrained models differ from the committed ones. */
async function check(run: TrainingRun): Promise<void> {
  const differences = await compareModels(run.models, MODELS_DIR);
  for (const difference of differences) console.error(difference);
  if (differences.length > 0) {
    throw new Error(
      `${differences.length} difference(s) between the retrained and committed models`,
    );
  }
  console.log(`models/ matches the retrained models`);
}

function printSummary(run: TrainingRun): void {
  const rows = [
    ...run.models.flatMap((m) => [
      { label: m.name, ...m },
      { label: `${m.name} plain baseline`, ...m.plainBaseline },
    ]),
    { label: `seed (${run.baseline.name})`, ...run.baseline },
  ];
  console.log(
    `test rows: ${run.testLabels.length} in ${run.split.testWeeks.length} held-out weeks`,
  );
  const show = (value: number, { low, high }: Interval) =>
    `${value.toFixed(4)} [${low.toFixed(4)}, ${high.toFixed(4)}]`;
  for (const { label, metrics: m, intervals: i } of rows) {
    console.log(
      `  ${label.padEnd(34)} ROC AUC ${show(m.rocAuc, i.rocAuc)}  log loss ${show(m.logLoss, i.logLoss)}  ECE ${show(m.ece, i.ece)}  F1 ${m.f1.toFixed(4)} @ ${m.threshold.toFixed(4)}`,
    );
  }
}
