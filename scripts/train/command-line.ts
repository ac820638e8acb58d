/**
 * The command line the training commands (`train`, `tune`, `features`) share: `--help`, usage
 * errors that name the problem without a stack, and where the data set is looked for.
 */
import { existsSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { DEFAULT_DATA_PATH } from './dataset.js';

type Options = NonNullable<ParseArgsConfig['options']>;
type Values<O extends Options> = ReturnType<typeof parseArgs<{ options: O }>>['values'];

/** A mistake on the command line: printed with the usage, exit code 2. */
export class UsageError extends Error {}

export interface Command<O extends Options> {
  /** The npm script's name, which prefixes a failure. */
  name: string;
  /** What `--help` prints. */
  usage: string;
  options: O;
}

/** The `--data PATH` option and its line of the usage. */
export const DATA_OPTION = { data: { type: 'string' } } as const;
export const DATA_USAGE = `--data PATH  the flights CSV, e.g. ../shared/data/dataset_SCL_2017.csv
               (default ${DEFAULT_DATA_PATH}, git-ignored)`;

/**
 * Parses the arguments and runs `main` with them; `--help` prints the usage and runs nothing.
 * A {@link UsageError} or a malformed option exits with code 2, any other failure with code 1,
 * each as one line naming the command.
 */
export async function runCommand<O extends Options>(
  command: Command<O>,
  main: (values: Values<O>) => Promise<void>,
  args = process.argv.slice(2),
): Promise<void> {
  try {
    const { values } = parseArgs({
      args,
      options: { ...command.options, help: { type: 'boolean', short: 'h' } },
    });
    if ('help' in values && values.help) return console.log(command.usage);
    await main(values);
  } catch (error) {
    const usage = error instanceof UsageError || isParseError(error);
    console.error(
      `${command.name} failed: ${error instanceof Error ? error.message : String(error)}`,
    );
    if (usage) console.error(`\n${command.usage}`);
    process.exitCode = usage ? 2 : 1;
  }
}

/** node:util's errors for unknown options, missing values and stray arguments. */
function isParseError(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_');
}

/**
 * The data set's path: `--data` if given, else {@link DEFAULT_DATA_PATH}.
 * @throws UsageError saying where the data set is expected and how to pass it, when the file
 *   does not exist.
 */
export function dataPath(given: string | undefined): string {
  const path = given ?? DEFAULT_DATA_PATH;
  if (existsSync(path)) return path;
  throw new UsageError(
    given === undefined
      ? `no data set at ${DEFAULT_DATA_PATH}, where it is looked for by default: pass the flights CSV with --data PATH (e.g. --data ../shared/data/dataset_SCL_2017.csv)`
      : `--data ${given}: no such file`,
  );
}
