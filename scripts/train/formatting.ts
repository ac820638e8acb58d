/**
 * Generated text files (model cards, the config, the report) go through Prettier with the
 * repository's settings, so `npm run format` accepts them as written; files written outside the
 * repository (`--out`) get the same settings, so they compare line for line with the committed ones.
 */
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';

/** A file of the repository, from which its Prettier settings are resolved. */
const REPOSITORY_FILE = fileURLToPath(import.meta.url);

/**
 * `text` formatted as Prettier would format a file at `path` (its name picks the parser).
 * @param reflow rewrap Markdown paragraphs to the print width (the repository keeps existing line
 *   breaks, so a reflowed file still passes `npm run format`).
 */
export async function formatText(text: string, path: string, reflow = false): Promise<string> {
  const options = (await resolveConfig(REPOSITORY_FILE)) ?? {};
  return format(text, {
    ...options,
    filepath: path,
    ...(reflow && { proseWrap: 'always' as const }),
  });
}

/** `value` as JSON, formatted for a file at `path`. */
export async function formatJson(value: unknown, path: string): Promise<string> {
  return formatText(JSON.stringify(value), path);
}
