/** A private copy of the committed models, for tests that break and restore model files. */
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ModelsCopy {
  dir: string;
  path(file: string): string;
  read(file: string): Buffer;
  write(file: string, data: Uint8Array | string): void;
  /** Sets the card's onnx.sha256 to the digest of the model file as it now is. */
  resealCard(name: string): void;
  /** Puts back the committed bytes of `file`. */
  restore(file: string): void;
  remove(): void;
}

export function copyModels(): ModelsCopy {
  const dir = mkdtempSync(join(tmpdir(), 'models-'));
  cpSync('models', dir, { recursive: true });
  const path = (file: string) => join(dir, file);
  return {
    dir,
    path,
    read: (file) => readFileSync(path(file)),
    write: (file, data) => writeFileSync(path(file), data),
    resealCard(name) {
      const card = JSON.parse(readFileSync(path(`${name}.json`), 'utf8')) as {
        onnx: { sha256: string };
      };
      card.onnx.sha256 = createHash('sha256')
        .update(readFileSync(path(`${name}.onnx`)))
        .digest('hex');
      writeFileSync(path(`${name}.json`), JSON.stringify(card));
    },
    restore: (file) => cpSync(join('models', file), path(file)),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
