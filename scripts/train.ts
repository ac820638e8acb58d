/**
 * `npm run train -- --data PATH [--check]`: trains both models, exports them to ONNX, writes
 * models/<name>.{onnx,json} and reports/model-report.md. With --check, retrains and compares with
 * the committed models/ instead of writing, failing on any difference.
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { compareModels, writeModels } from './train/artifacts.js';
import { readConfig } from './train/config.js';
import { DEFAULT_DATA_PATH } from './train/dataset.js';
import type { Interval } from './train/bootstrap.js';
import { train, type TrainingRun } from './train/pipeline.js';
import { terminalProgress } from './train/progress.js';
import { writeReport } from './train/report.js';

const MODELS_DIR = fileURLToPath(new URL('../models', import.meta.url));
const REPORTS_DIR = fileURLToPath(new URL('../reports', import.meta.url));

const USAGE = `usage: npm run train -- [--data PATH] [--check]

  --data PATH  flights CSV (default ${DEFAULT_DATA_PATH})
  --check      retrain and fail if models/ differs (ONNX bytes, cards except createdAt)`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      data: { type: 'string', default: DEFAULT_DATA_PATH },
      check: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return console.log(USAGE);
  const started = performance.now();
  const config = await readConfig();
  const run = await train({
    dataPath: values.data,
    config,
    log: (line) => console.log(line),
    progress: terminalProgress,
  });
  printSummary(run);
  if (values.check) {
    const differences = await compareModels(run.models, MODELS_DIR);
    for (const difference of differences) console.error(difference);
    if (differences.length > 0) {
      throw new Error(
        `${differences.length} difference(s) between the retrained and committed models`,
      );
    }
    console.log(`models/ matches the retrained models`);
  } else {
    const written = [
      ...(await writeModels(run.models, MODELS_DIR)),
      ...(await writeReport(run, config, REPORTS_DIR)),
    ];
    console.log(`wrote ${written.length} files:\n  ${written.join('\n  ')}`);
  }
  console.log(`done in ${((performance.now() - started) / 1000).toFixed(0)} s`);
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

main().catch((error: unknown) => {
  console.error(`train failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
