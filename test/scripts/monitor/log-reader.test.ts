/**
 * The three forms the prediction log reaches the monitor in, built from real log lines (the
 * function's prediction log written through its logger): the function's stdout, Cloud Logging's
 * export and the BigQuery sink's rows all read as the same flights.
 */
import { describe, expect, it } from 'vitest';
import { createLog } from '../../../functions/logging.js';
import { predictionLogEntries, type ScoredBatch } from '../../../functions/prediction-log.js';
import { readLogText } from '../../../scripts/monitor/log-reader.js';
import { joinLogFiles } from '../../../scripts/monitor/prediction-log.js';

const REQUEST = '0f8fad5b-d9cb-469f-a165-70867728950e';

const batch = (size: number): ScoredBatch => ({
  shape: 'flights',
  card: { name: 'schedule', version: 'abc123def456', threshold: { value: 0.2 } },
  inputs: Array.from({ length: size }, (_, i) => ({
    OPERA: i % 2 ? 'Sky Airline' : 'Grupo LATAM',
    TIPOVUELO: 'N',
    'Fecha-I': `2017-07-${String(1 + (i % 28)).padStart(2, '0')}T08:30:00-04:00`,
    SIGLADES: 'Antofagasta',
  })),
  probabilities: Float32Array.from({ length: size }, (_, i) => (i % 100) / 100),
});

/** The function's stdout lines for one request of `size` flights. */
function stdoutLines(size: number): string[] {
  const lines: string[] = [];
  const log = createLog((line) => lines.push(line.trimEnd()));
  const entries = predictionLogEntries(batch(size), {}, REQUEST, new Date('2026-12-07T10:00:00Z'));
  for (const { message, fields } of entries) log('INFO', message, fields);
  return lines;
}

/** As Cloud Logging holds a structured line: its fields but severity under jsonPayload. */
function logEntry(line: string) {
  const { severity, ...jsonPayload } = JSON.parse(line) as Record<string, unknown>;
  return { insertId: 'x', severity, jsonPayload, timestamp: '2026-12-07T10:00:00.1Z' };
}

/** BigQuery's renaming, written out here rather than taken from the code under test. */
function bigQueryRow(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(bigQueryRow);
  if (typeof value === 'number') return String(value); // bq --format=json writes numbers as text
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [
      k.toLowerCase().replace(/[^a-z0-9]/g, '_'),
      bigQueryRow(v),
    ]),
  );
}

describe('readLogText', () => {
  const lines = stdoutLines(1500);
  const stdout = [
    '> scl-delay-predictor@1.0.0 start',
    '{"severity":"INFO","message":"ready"}',
    ...lines,
  ].join('\n');
  const fromStdout = readLogText('stdout.log', stdout);

  it('reads the function’s lines and skips the others, counted', () => {
    expect(lines.length).toBeGreaterThan(1); // chunked: the join below is exercised
    expect(fromStdout.flights).toHaveLength(1500);
    expect(fromStdout.skipped).toBe(2);
    expect(fromStdout.entries).toBe(lines.length);
    expect(fromStdout.flights[3]).toMatchObject({
      requestId: REQUEST,
      model: 'schedule',
      shape: 'flights',
      input: { opera: 'Sky Airline', fecha_i: '2017-07-04T08:30:00-04:00' },
      probability: 0.03,
    });
  });

  it('reads Cloud Logging’s export (a JSON array of LogEntry) as the same flights', () => {
    const exported = JSON.stringify(lines.map(logEntry), null, 2);
    expect(readLogText('export.json', exported).flights).toEqual(fromStdout.flights);
  });

  it('reads the BigQuery sink’s rows (renamed keys, numbers as text) as the same flights', () => {
    const rows = lines.map((line) => JSON.stringify(bigQueryRow(logEntry(line))));
    expect(readLogText('rows.json', rows.join('\n')).flights).toEqual(fromStdout.flights);
    expect(readLogText('rows.json', `[${rows.join(',')}]`).flights).toEqual(fromStdout.flights);
  });

  it('reads the flight rows of docs/MONITORING.md’s query', () => {
    const rows = fromStdout.flights.map((f) => ({
      timestamp: f.loggedAt,
      request_id: f.requestId,
      shape: f.shape,
      model: f.model,
      chunk: String(f.chunk),
      position: String(f.position),
      input: JSON.stringify(f.input),
      probability: String(f.probability),
    }));
    const read = readLogText('query.json', JSON.stringify(rows));
    expect(read.flights).toEqual(fromStdout.flights);
  });

  it('names the line of an entry the contract does not allow', () => {
    const broken = lines[0]!.replace(/"probability":0(?=[,}])/, '"probability":"x"');
    expect(() => readLogText('bad.log', `banner\n${broken}`)).toThrow(
      /^bad\.log, line 2: probability "x"/,
    );
  });
});

describe('joinLogFiles', () => {
  const lines = stdoutLines(1500);

  it('counts a flight read twice once', () => {
    const file = readLogText('a.log', lines.join('\n'));
    const log = joinLogFiles([file, readLogText('b.log', lines[0]!)]);
    expect(log.flights).toHaveLength(1500);
    expect(log.duplicates).toBe(file.flights.filter((f) => f.chunk === 0).length);
    expect(log.incompleteRequests).toBe(0);
  });

  it('counts a request some of whose chunks are missing', () => {
    const log = joinLogFiles([readLogText('a.log', lines.slice(1).join('\n'))]);
    expect(log.incompleteRequests).toBe(1);
  });
});
