import { describe, expect, it } from 'vitest';
import {
  createLog,
  MAX_LOG_LINE_BYTES,
  MAX_LOGGED_STRING_LENGTH,
  traceFields,
} from '../../functions/logging.js';

/** A logger and the lines it wrote. */
function capture() {
  const lines: string[] = [];
  return { log: createLog((line) => lines.push(line)), lines };
}

describe('createLog', () => {
  it('writes one JSON line per entry, fields beside severity and message', () => {
    const { log, lines } = capture();
    log('INFO', 'hello', { status: 200, nested: { a: 'b' } });
    expect(lines).toEqual([
      '{"severity":"INFO","message":"hello","status":200,"nested":{"a":"b"}}\n',
    ]);
  });

  it('cuts a string longer than the limit, anywhere in the entry, and says how long it was', () => {
    const { log, lines } = capture();
    const caller = 'é'.repeat(30 * 1024 * 1024);
    log('WARNING', 'x'.repeat(MAX_LOGGED_STRING_LENGTH + 1), { deep: { caller } });
    expect(lines).toHaveLength(1);
    expect(Buffer.byteLength(lines[0]!)).toBeLessThanOrEqual(MAX_LOG_LINE_BYTES);
    const entry = JSON.parse(lines[0]!) as { message: string; deep: { caller: string } };
    expect(entry.message).toBe(
      `${'x'.repeat(MAX_LOGGED_STRING_LENGTH)}...[truncated: ${MAX_LOGGED_STRING_LENGTH + 1} characters]`,
    );
    expect(entry.deep.caller).toBe(
      `${'é'.repeat(MAX_LOGGED_STRING_LENGTH)}...[truncated: ${caller.length} characters]`,
    );
  });

  it('keeps a string of exactly the limit whole', () => {
    const { log, lines } = capture();
    const text = 'y'.repeat(MAX_LOGGED_STRING_LENGTH);
    log('INFO', text);
    expect((JSON.parse(lines[0]!) as { message: string }).message).toBe(text);
  });

  it('keeps only severity and message when many short fields would make the line too long', () => {
    const { log, lines } = capture();
    const many = Object.fromEntries(
      Array.from({ length: 100 }, (_, i) => [`field${i}`, 'z'.repeat(MAX_LOGGED_STRING_LENGTH)]),
    );
    log('ERROR', 'too much', many);
    expect(Buffer.byteLength(lines[0]!)).toBeLessThanOrEqual(MAX_LOG_LINE_BYTES);
    const { truncated, ...kept } = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(kept).toEqual({ severity: 'ERROR', message: 'too much' });
    expect(truncated).toMatch(/^fields left out: \d+ characters$/);
  });

  it('cuts a long string wherever it sits: in an array, or made by toJSON()', () => {
    const { log, lines } = capture();
    const long = 'w'.repeat(MAX_LOGGED_STRING_LENGTH + 1);
    log('INFO', 'nested', { list: [1, { deeper: [long] }], made: { toJSON: () => long } });
    const kept = `${'w'.repeat(MAX_LOGGED_STRING_LENGTH)}...[truncated: ${long.length} characters]`;
    expect(JSON.parse(lines[0]!)).toMatchObject({ list: [1, { deeper: [kept] }], made: kept });
  });
});

describe('createLog(…).all', () => {
  it('writes a line per entry, in order, in one write, each bounded as a single one', () => {
    const one = capture();
    const all = capture();
    const many = Object.fromEntries(
      Array.from({ length: 100 }, (_, i) => [`field${i}`, 'z'.repeat(MAX_LOGGED_STRING_LENGTH)]),
    );
    const entries = [
      { severity: 'INFO' as const, message: 'first', fields: { status: 200 } },
      { severity: 'ERROR' as const, message: 'too much', fields: many },
      { severity: 'WARNING' as const, message: 'x'.repeat(MAX_LOGGED_STRING_LENGTH + 1) },
      { severity: 'INFO' as const, message: 'last' },
    ];
    for (const { severity, message, fields } of entries) one.log(severity, message, fields);
    all.log.all(entries);
    expect(all.lines).toEqual([one.lines.join('')]);
    expect(one.lines).toHaveLength(entries.length);
  });

  it('writes nothing for no entries', () => {
    const { log, lines } = capture();
    log.all([]);
    expect(lines).toEqual([]);
  });
});

describe('traceFields', () => {
  it('links a line to its trace in the project, or keeps the bare id without one', () => {
    const header = '0123456789abcdef0123456789abcdef/42;o=1';
    expect(traceFields(header, 'p')).toEqual({
      'logging.googleapis.com/trace': 'projects/p/traces/0123456789abcdef0123456789abcdef',
      'logging.googleapis.com/spanId': '42',
    });
    expect(traceFields(header, undefined)).toEqual({ traceId: '0123456789abcdef0123456789abcdef' });
    expect(traceFields('nonsense', 'p')).toEqual({});
  });
});
