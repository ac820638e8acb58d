/**
 * Progress of the long loops (boosting rounds). The CLIs draw cli-progress bars on stderr; library
 * code only sees the {@link Progress} interface, and tests pass {@link silentProgress}.
 */
import { Presets, SingleBar } from 'cli-progress';

/** One running bar. */
export interface ProgressBar {
  tick(): void;
  stop(): void;
}

/** Starts a bar for `total` steps. */
export type Progress = (label: string, total: number) => ProgressBar;

/** A progress bar on stderr per loop (cli-progress stays silent when stderr is not a terminal). */
export const terminalProgress: Progress = (label, total) => {
  const bar = new SingleBar(
    {
      format: `${label.padEnd(34)} {bar} {value}/{total} rounds | {duration_formatted}`,
      stream: process.stderr,
      hideCursor: true,
    },
    Presets.shades_classic,
  );
  bar.start(total, 0);
  return { tick: () => bar.increment(), stop: () => bar.stop() };
};

/** Reports nothing. */
export const silentProgress: Progress = () => ({ tick() {}, stop() {} });

/** Runs `work` with a bar of `total` steps that it ticks; stops the bar however `work` ends. */
export function withProgress<T>(
  progress: Progress,
  label: string,
  total: number,
  work: (tick: () => void) => T,
): T {
  const bar = progress(label, total);
  try {
    return work(() => bar.tick());
  } finally {
    bar.stop();
  }
}
