/**
 * The progress of `npm run predict` on a terminal: a cli-progress bar on stderr over the file's
 * bytes, with the rows scored and rejected so far and the rate. Off a terminal, nothing: the
 * summary line says it all at the end.
 */
import { Presets, SingleBar } from 'cli-progress';
import type { Progress } from './predict-file.js';

export interface ProgressBar {
  update(progress: Progress): void;
  stop(): void;
}

/** A bar over `totalBytes` when stderr is a terminal, else one that shows nothing. */
export function progressBar(totalBytes: number): ProgressBar {
  if (!process.stderr.isTTY) return { update() {}, stop() {} };
  const started = performance.now();
  const bar = new SingleBar(
    {
      format:
        '{bar} {percentage}% | {scored} scored, {rejected} rejected | {rate} rows/s | ' +
        'ETA {eta_formatted}',
      stream: process.stderr,
      hideCursor: true,
    },
    Presets.shades_classic,
  );
  bar.start(totalBytes, 0, { scored: 0, rejected: 0, rate: 0 });
  return {
    update({ bytes, scored, rejected }) {
      const seconds = (performance.now() - started) / 1000;
      const rate = Math.round((scored + rejected) / Math.max(seconds, 1e-3));
      bar.update(bytes, { scored, rejected, rate });
    },
    stop: () => bar.stop(),
  };
}
