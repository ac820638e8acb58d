/**
 * The command line of an `npm run` script, read the same way by each script that uses it:
 * `--help` (`-h`) prints the usage and exits 0 before the script does anything, and an unknown or
 * malformed option prints one line naming it and the usage on stderr and exits 2, without a stack.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;

const HELP = { help: { type: 'boolean', short: 'h' } } as const;

interface Config<O extends Options, P extends boolean> extends ParseArgsConfig {
  args: string[];
  options: O & typeof HELP;
  allowPositionals: P;
  strict: true;
}

/** What a script accepts besides `--help`. */
export interface CommandLine<O extends Options, P extends boolean> {
  /** The script's name, which starts each error line. */
  name: string;
  /** Printed for `--help` and after a usage error. */
  usage: string;
  options: O;
  allowPositionals?: P;
}

/** Prints `problem` and the usage on stderr and exits 2, the code for a usage error. */
export function usageError(command: { name: string; usage: string }, problem: string): never {
  console.error(`${command.name}: ${problem}\n\n${command.usage}`);
  process.exit(2);
}

/** The options and positionals of `args`, after `--help` and usage errors have been answered. */
export function parseCommandLine<const O extends Options, const P extends boolean = false>(
  command: CommandLine<O, P>,
  args: string[] = process.argv.slice(2),
): ReturnType<typeof parseArgs<Config<O, P>>> {
  const config: Config<O, P> = {
    args,
    options: { ...command.options, ...HELP },
    allowPositionals: command.allowPositionals ?? (false as P),
    strict: true,
  };
  try {
    const parsed = parseArgs(config);
    // The values' type is only known once O is: `help` is there, as HELP declares it.
    if (!(parsed.values as { help?: boolean }).help) return parsed;
  } catch (error) {
    usageError(command, (error as Error).message);
  }
  console.log(command.usage);
  process.exit(0);
}
