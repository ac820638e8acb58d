/**
 * `npm run predict -- --data IN.csv [--out OUT.csv] [--rejects FILE] [--allow-rejects]
 * [--model NAME]`: scores a schedule CSV with the function's validator, encoder and model,
 * streaming it, and writes every input column plus `probability` and `delayed`.
 */
import { open } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Writable } from 'node:stream';
import { MODEL_FOR_FORMAT } from '../functions/request-formats.js';
import { csvFileSize, CsvFileError, MAX_LINE_BYTES } from './predict/csv-batches.js';
import { ModelLoadError, startModelThread, type ModelThread } from './predict/model-thread.js';
import type { predictFile as PredictFile } from './predict/predict-file.js';
import { progressBar } from './predict/progress-bar.js';
import { HeaderError } from './predict/schedule-columns.js';
import { rejectLines, summaryLine } from './predict/summary.js';

const MODELS_DIR = fileURLToPath(new URL('../models', import.meta.url));

const MAX_LINE_KIB = MAX_LINE_BYTES / 1024;

const USAGE = `usage: npm run predict -- --data IN.csv [--out OUT.csv] [--rejects FILE] [--allow-rejects]
                          [--model NAME]

  --data IN.csv     a schedule with the data set's column names: at least OPERA, TIPOVUELO,
                    Fecha-I and SIGLADES (the 18-column dataset_SCL.csv and its 9-column copy
                    work as they are); other columns are carried through
  --out OUT.csv     where to write every input column plus probability and delayed, in input
                    order (default: standard output)
  --rejects FILE    every rejected row as one JSON object a line: {"line", "reasons", "fields"}
  --allow-rejects   exit 0 even when rows were rejected (they are still reported)
  --model NAME      a model of models/ that answers flights (default ${MODEL_FOR_FORMAT.flights})

Each line is one row, in UTF-8. A row the function would refuse, a line that is not UTF-8, one
longer than ${MAX_LINE_KIB} KiB or one whose quotes do not close on it is rejected: left out of OUT.csv and
reported on stderr with its line number; reading goes on at the next line. A cell written that
starts with =, +, -, @, a tab or a carriage return gets a leading ' (a spreadsheet then shows it
as text), unless it is a plain number such as -2.5. Exit status: 0 every row scored (or
--allow-rejects), 1 rows were rejected, 2 the command could not run (usage, an unreadable file,
a header without the columns).`;

/** A failure the user can act on: printed as it is, without a stack. */
class UsageError extends Error {}

function options() {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        data: { type: 'string' },
        out: { type: 'string' },
        rejects: { type: 'string' },
        'allow-rejects': { type: 'boolean', default: false },
        model: { type: 'string', default: MODEL_FOR_FORMAT.flights },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n\n${USAGE}`);
  }
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  if (!values.data) throw new UsageError(`--data IN.csv is required\n\n${USAGE}`);
  return { ...values, data: values.data };
}

async function loadModel(name: string): Promise<ModelThread> {
  let model: ModelThread;
  try {
    model = await startModelThread({ dir: MODELS_DIR, name });
  } catch (error) {
    throw error instanceof ModelLoadError ? new UsageError(error.message) : error;
  }
  if (model.card.requestFormat !== 'flights') {
    await model.close();
    throw new UsageError(
      `model "${name}" answers the "${model.card.requestFormat}" format, not flights`,
    );
  }
  return model;
}

/** A file to write, opened now so that a bad path fails before any work. */
async function output(
  path: string,
  what: string,
): Promise<{ stream: Writable; close(): Promise<void> }> {
  let handle;
  try {
    handle = await open(path, 'w');
  } catch (error) {
    throw new UsageError(`cannot write ${what} ${path}: ${(error as Error).message}`);
  }
  const stream = handle.createWriteStream();
  let failure: Error | undefined;
  stream.on('error', (error) => (failure = error));
  return {
    stream,
    close: () =>
      new Promise((resolve, reject) => {
        stream.end(() => (failure ? reject(failure) : resolve()));
      }),
  };
}

async function main(): Promise<number> {
  const args = options();
  const size = await csvFileSize(args.data);
  // The model loads on its thread while this one loads the code that reads, checks and encodes
  // the file: compiling the request validators on import is most of both threads' start-up.
  const [model, scoring] = await Promise.allSettled([
    loadModel(args.model),
    import('./predict/predict-file.js'),
  ]);
  if (model.status === 'rejected') throw model.reason;
  try {
    if (scoring.status === 'rejected') throw scoring.reason;
    return await scoreFile(args, size, model.value, scoring.value.predictFile);
  } finally {
    await model.value.close();
  }
}

async function scoreFile(
  args: ReturnType<typeof options>,
  size: number,
  model: ModelThread,
  predictFile: typeof PredictFile,
): Promise<number> {
  const out = args.out ? await output(args.out, 'the output') : undefined;
  const rejects = args.rejects ? await output(args.rejects, 'the rejects to') : undefined;
  // Kept by the stream (`errored`) for the writer to throw: a closed pipe is not an uncaught error.
  process.stdout.on('error', () => {});
  const bar = progressBar(size);
  let summary;
  try {
    summary = await predictFile({
      data: args.data,
      model,
      out: out?.stream ?? process.stdout,
      ...(rejects ? { rejects: rejects.stream } : {}),
      onProgress: (progress) => bar.update(progress),
    });
  } finally {
    bar.stop();
  }
  await out?.close();
  await rejects?.close();
  for (const line of rejectLines(summary, args.rejects)) console.error(line);
  console.error(summaryLine(summary, process.resourceUsage().maxRSS * 1024));
  return summary.rejected > 0 && !args['allow-rejects'] ? 1 : 0;
}

main().then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    const known = [UsageError, CsvFileError, HeaderError].some((kind) => error instanceof kind);
    const message = error instanceof Error ? error.message : String(error);
    const closed = (error as NodeJS.ErrnoException).code === 'EPIPE';
    console.error(
      `predict: ${closed ? 'the output was closed before every row was written' : known ? message : `failed: ${message}`}`,
    );
    process.exitCode = 2;
  },
);
