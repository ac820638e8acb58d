/**
 * Reads the flights CSV (dataset_SCL_2017.csv's 9 columns, or the original 18-column
 * dataset_SCL.csv whose extra columns are ignored) into validated flights. Every row that cannot
 * be used is counted under the reason it was rejected; a file lacking a required column is refused.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parse, type InfoRecord } from 'csv-parse/sync';
import { delayMinutes, isLate } from '../../functions/delay.js';
import { parseScheduledTime, type LocalDateTime } from '../../functions/santiago-time.js';

/** Where the CLIs look for the data when no --data is given (git-ignored). */
export const DEFAULT_DATA_PATH = 'data/raw/dataset_SCL.csv';

/** The columns both layouts share, all of which the pipeline reads or writes back. */
export const REQUIRED_COLUMNS = [
  'Fecha-I',
  'Fecha-O',
  'DIA',
  'MES',
  'AÑO',
  'DIANOM',
  'TIPOVUELO',
  'OPERA',
  'SIGLADES',
] as const;

export type Column = (typeof REQUIRED_COLUMNS)[number];

/** A row's required fields, as written in the file (a superset of a ScheduledFlight). */
export type FlightRecord = Record<Column, string>;

/** Why a row was left out, in the order the checks run. */
export const REJECTION_REASONS = [
  'wrong field count',
  'missing field',
  'unparseable Fecha-I',
  'unparseable Fecha-O',
  'unknown TIPOVUELO',
] as const;

export type RejectionReason = (typeof REJECTION_REASONS)[number];

const FLIGHT_TYPES = new Set(['I', 'N']);

/** A usable row: its fields, both times parsed, and the delay label. */
export interface Flight {
  /** Every field of the row, in the file's column order (`Dataset.header`). */
  fields: readonly string[];
  record: FlightRecord;
  scheduled: LocalDateTime;
  operated: LocalDateTime;
  /** 1 when the flight left more than 15 minutes late (the seed's `atraso_15`), else 0. */
  delayed: 0 | 1;
}

/** A data file read and validated. */
export interface Dataset {
  /** Base name of the file. */
  file: string;
  /** The file's column names, in order. */
  header: readonly string[];
  /** SHA-256 of the file's bytes, hex. */
  sha256: string;
  flights: Flight[];
  /** Data rows in the file (header excluded). */
  read: number;
  /** Rejected rows by reason, every reason listed (0 when none). */
  rejected: Record<RejectionReason, number>;
  /** The first few 1-based file line numbers rejected for each reason, to help fix the file. */
  rejectedLines: Record<RejectionReason, number[]>;
}

/** How many rejected line numbers to keep per reason. */
const LINE_EXAMPLES = 5;

/**
 * Reads and validates a flights CSV.
 * @throws Error naming every required column the header lacks, or when the CSV cannot be parsed.
 */
export async function readDataset(path: string): Promise<Dataset> {
  const bytes = await readFile(path);
  const file = basename(path);
  // csv-parse's types do not model `info: true`, which wraps each record with its line number.
  const records = parse(bytes, {
    bom: true,
    relax_column_count: true,
    skip_empty_lines: true,
    info: true,
  }) as unknown as Array<{ record: string[]; info: InfoRecord }>;
  const header = records.shift()?.record ?? [];
  const columns = columnIndexes(file, header);
  const dataset: Dataset = {
    file,
    header,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    flights: [],
    read: records.length,
    rejected: perReason(() => 0),
    rejectedLines: perReason((): number[] => []),
  };
  for (const { record, info } of records) {
    const result = toFlight(record, header.length, columns);
    if ('reason' in result) {
      dataset.rejected[result.reason]++;
      const lines = dataset.rejectedLines[result.reason];
      if (lines.length < LINE_EXAMPLES) lines.push(info.lines);
    } else {
      dataset.flights.push(result);
    }
  }
  return dataset;
}

function perReason<T>(initial: () => T): Record<RejectionReason, T> {
  return Object.fromEntries(REJECTION_REASONS.map((r) => [r, initial()])) as Record<
    RejectionReason,
    T
  >;
}

function columnIndexes(file: string, header: readonly string[]): Record<Column, number> {
  const missing = REQUIRED_COLUMNS.filter((column) => !header.includes(column));
  if (missing.length > 0) {
    throw new Error(
      `${file}: missing required column${missing.length > 1 ? 's' : ''} ${missing.map((c) => `"${c}"`).join(', ')} (header: ${header.join(',')})`,
    );
  }
  return Object.fromEntries(REQUIRED_COLUMNS.map((c) => [c, header.indexOf(c)])) as Record<
    Column,
    number
  >;
}

function toFlight(
  fields: readonly string[],
  width: number,
  columns: Record<Column, number>,
): Flight | { reason: RejectionReason } {
  if (fields.length !== width) return { reason: 'wrong field count' };
  const record = Object.fromEntries(
    REQUIRED_COLUMNS.map((c) => [c, fields[columns[c]] ?? '']),
  ) as FlightRecord;
  if (REQUIRED_COLUMNS.some((c) => record[c].trim() === '')) return { reason: 'missing field' };
  const scheduled = parseScheduledTime(record['Fecha-I']);
  if (!scheduled) return { reason: 'unparseable Fecha-I' };
  const operated = parseScheduledTime(record['Fecha-O']);
  if (!operated) return { reason: 'unparseable Fecha-O' };
  if (!FLIGHT_TYPES.has(record.TIPOVUELO)) return { reason: 'unknown TIPOVUELO' };
  const delayed = isLate(delayMinutes(scheduled, operated)) ? 1 : 0;
  return { fields, record, scheduled, operated, delayed };
}

/** Console lines describing what was read and rejected (with the first rejected lines). */
export function describeDataset(dataset: Dataset): string[] {
  const rejected = Object.values(dataset.rejected).reduce((a, b) => a + b, 0);
  const lines = [
    `${dataset.file}: ${dataset.read} rows read, ${dataset.flights.length} used, ${rejected} rejected`,
  ];
  for (const reason of REJECTION_REASONS) {
    const count = dataset.rejected[reason];
    if (count === 0) continue;
    const at = dataset.rejectedLines[reason].join(', ');
    lines.push(`  rejected, ${reason}: ${count} (first at line ${at})`);
  }
  return lines;
}
