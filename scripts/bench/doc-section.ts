/**
 * Rewrites the generated part of a Markdown document — the lines between two marker comments —
 * and leaves the rest, written by hand, as it is.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { format, resolveConfig } from 'prettier';

export const BEGIN = '<!-- begin: written by npm run bench; edits here are overwritten -->';
export const END = '<!-- end: written by npm run bench -->';

/** `document` with `section` between the markers; appended, with markers, when they are absent. */
export function replaceSection(document: string, section: string): string {
  const begin = document.indexOf(BEGIN);
  const end = document.indexOf(END);
  const block = `${BEGIN}\n\n${section.trim()}\n\n${END}`;
  if (begin < 0 || end < begin) return `${document.trimEnd()}\n\n${block}\n`.trimStart();
  return document.slice(0, begin) + block + document.slice(end + END.length);
}

/**
 * Writes `section` into the file at `path`, creating it when needed, formatted as `npm run
 * format` checks it (tables aligned).
 */
export async function writeSection(path: string, section: string): Promise<void> {
  const document = replaceSection(existsSync(path) ? readFileSync(path, 'utf8') : '', section);
  const options = await resolveConfig(path);
  writeFileSync(path, await format(document, { ...options, filepath: path }));
}
