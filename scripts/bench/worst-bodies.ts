/**
 * The largest bodies Cloud Run lets through (32 MiB), built to cost the function the most memory:
 * a valid batch of MAX_FLIGHTS flights padded with the data set's unused columns, and valid JSON
 * that fails validation while holding as many objects as the bytes allow (`{}` is three bytes).
 */
import { readFileSync } from 'node:fs';
import { MAX_BODY_BYTES } from '../../functions/intake.js';

export interface WorstBody {
  name: string;
  /** What the body holds, for the report. */
  description: string;
  bytes: Buffer;
}

const FLIGHTS = 10_000;
/** The schema's longest value for the data set's unused text columns. */
const MAX_CODE_LENGTH = 100;
const TEXT_COLUMNS = ['Ori-I', 'Des-I', 'Emp-I', 'Ori-O', 'Des-O', 'Emp-O', 'SIGLAORI'];

/** A valid flights batch of FLIGHTS rows of the data set, exactly `size` bytes long. */
export function paddedBatch(size = MAX_BODY_BYTES): WorstBody {
  const example = JSON.parse(readFileSync('schemas/examples/dataset-row-request.json', 'utf8')) as {
    flights: Array<Record<string, unknown>>;
  };
  const row: Record<string, unknown> = { ...example.flights[0], 'Vlo-I': '', 'Vlo-O': '' };
  for (const column of TEXT_COLUMNS) row[column] = 'X'.repeat(MAX_CODE_LENGTH);
  // The flight numbers have no length limit: they take what is left, split between the two.
  const skeleton = `{"flights":[${Array(FLIGHTS).fill(JSON.stringify(row)).join(',')}]}`;
  const room = size - Buffer.byteLength(skeleton);
  if (room < 2 * FLIGHTS) throw new Error(`${size} bytes cannot hold ${FLIGHTS} padded flights`);
  const rows = Array.from({ length: FLIGHTS }, (_, i) => {
    // The first `room % FLIGHTS` flights take one byte more, so the body is exactly `size`.
    const pad = Math.floor(room / FLIGHTS) + (i < room % FLIGHTS ? 1 : 0);
    const half = Math.floor(pad / 2);
    return JSON.stringify({ ...row, 'Vlo-I': '9'.repeat(half), 'Vlo-O': '9'.repeat(pad - half) });
  });
  return {
    name: 'valid',
    description:
      `a valid batch of ${FLIGHTS.toLocaleString('en-US')} data-set rows, every unused text ` +
      `column ${MAX_CODE_LENGTH} characters long and the two flight numbers padding the rest`,
    bytes: Buffer.from(`{"flights":[${rows.join(',')}]}`),
  };
}

/** JSON that fails validation at its first field, holding `{}` after `{}`: `size` bytes. */
export function objectGarbage(size = MAX_BODY_BYTES): WorstBody {
  const head = '{"flights":[{"Vlo-I":[';
  const tail = ']}]}';
  const room = size - head.length - tail.length;
  const objects = Math.floor((room + 1) / 3);
  const spaces = room - (objects * 3 - 1);
  return {
    name: 'garbage',
    description:
      `valid JSON that fails validation: one flight whose \`Vlo-I\` is an array of ` +
      `${objects.toLocaleString('en-US')} empty objects, the most objects its size of JSON holds`,
    bytes: Buffer.from(head + Array(objects).fill('{}').join(',') + ' '.repeat(spaces) + tail),
  };
}
