import { describe, expect, it } from 'vitest';
import { renderReport, verdicts } from '../../../scripts/bench/report.js';
import * as fixture from './fixtures.js';

describe('renderReport', () => {
  const results = fixture.results();
  const text = renderReport(results);

  it('says which run produced it, when, how long and on what machine', () => {
    expect(text).toMatch(
      /^Produced by `npm run bench`, 2026-01-01T10:00Z to 10:17Z \(17 min\), on a test machine; servers on CPU 1/,
    );
  });

  it('lists every target with what was measured, missed ones in bold', () => {
    for (const v of verdicts(results))
      expect(text).toContain(`| ${v.measured.replaceAll('|', '\\|')} | met |`);
    const missed = renderReport({ ...results, load: fixture.load({ p99Ms: 70 }) });
    expect(missed).toContain('| p99 ≤ 50 ms at 50 connections | 70.0 ms | **missed** |');
  });

  it("states what the airport's state costs per batch size, from the two cases' medians", () => {
    expect(text).toContain('1 flight(s) 1.50 ms against 1.00 ms (1.50×)');
    expect(text).toContain('100 flight(s) 150 ms against 100 ms (1.50×)');
  });

  it('keeps a target whose text holds | in its own cell', () => {
    expect(text).toContain('(\\|Δ median\\| ≤ the larger IQR)');
  });

  it('quotes every command it ran', () => {
    for (const command of [
      'wrk -t10 -c50',
      'flight.lua',
      'start fn',
      'start ceiling',
      'start fn, LOG_PREDICTIONS=1',
      'start bundle',
      'start timed fn',
      'batch.lua',
      'onnx-floor.ts',
      'predict.ts',
      'bigquery.lua',
    ]) {
      expect(text).toContain(command);
    }
  });
});
