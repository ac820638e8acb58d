/**
 * The string formats (JSON Schema `format`) the schemas use, by name, in one module: the runtime
 * validators register them, and the validators generated at build time
 * (scripts/build/validators.ts) import them from here, so both check exactly the same thing.
 */
import type { FormatDefinition } from 'ajv/dist/2020.js';
import { fullFormats } from 'ajv-formats/dist/formats.js';
import { scheduledTimeProblem } from './santiago-time.js';

export const STRING_FORMATS: Record<string, FormatDefinition<string>> = {
  // RFC 3339, for the model card's createdAt.
  'date-time': fullFormats['date-time'] as FormatDefinition<string>,
  // A flight's scheduled time, in a form and a range the API accepts (santiago-time.ts).
  'santiago-date-time': {
    type: 'string',
    validate: (text: string) => scheduledTimeProblem(text) === undefined,
  },
};
