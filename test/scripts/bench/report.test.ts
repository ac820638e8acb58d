import { describe, expect, it } from 'vitest';
import { renderReport } from '../../../scripts/bench/report.js';
import { results } from './results-fixture.js';

describe('renderReport', () => {
  const text = renderReport(results());

  it('says which run produced it and on what machine, disturbed phases in bold', () => {
    expect(text).toContain('`npm run bench`, 2026-01-01T10:00Z to 10:07Z (7 min)');
    expect(text).toContain('servers on CPU 1, wrk on CPU 0');
    expect(text).toContain('| load comparison | 200 s | 1.0% |');
    expect(text).toContain('| soak | 600 s | **20%** |');
    expect(text).toContain('`node train.ts` (240.0 s)');
  });

  it('keeps a target whose text holds | in its own cell', () => {
    expect(text).toContain(
      '| cold start with /docs in the bundle within noise of without (\\|Δ median\\| ≤ the larger IQR) | +10.0 ms (IQR 60.0 ms) | met |',
    );
  });

  it('shows the ratios, and missed targets in bold', () => {
    expect(text).toContain('a/b = 90%, a/c = 9.9%.');
    expect(text).toContain('| p99 ≤ 50 ms at 50 connections (a) | 70.0 ms | **missed** |');
  });

  it('quotes every command it ran', () => {
    for (const command of [
      'wrk -t10 -c50',
      'start function',
      'profile framework-constant',
      'heap profile function',
      'count function',
      '`bundle`',
      '`bundle --no-docs`',
      'wrk -t2 -c8 bigquery.lua',
      'start bigquery function',
    ]) {
      expect(text).toContain(command);
    }
  });

  it('shows the cold starts with and without /docs side by side', () => {
    expect(text).toContain('### Cold start with and without /docs');
    expect(text).toContain('| with docs | 500 ms | 460 ms | 700 ms | not logged |');
    expect(text).toContain('| without docs | 490 ms | 450 ms | 690 ms | not logged |');
  });

  it('shows the worst-case memory of each body and budget, with the memory setting', () => {
    expect(text).toContain('8 clients — the Terraform default of');
    expect(text).toContain('| garbage | 1024 | 40 × 400 | 150 MiB | 3000 MiB | 250 MiB |');
    expect(text).toContain('| valid | default (32) | 30 × 200, 100 × 503 |');
    expect(text).toContain('The Terraform default `available_memory` is 1024 MiB.');
  });

  it("shows /bigquery's rows/s per instance beside its own floor, its rounds and CPU per row", () => {
    expect(text).toContain('8 callers each sending BigQuery call batches of 500 rows');
    expect(text).toContain(
      '| ONNX Runtime alone (floor) | 220,000 | 100% |  |  |  | 220,000, 210,000, 230,000 |  |',
    );
    expect(text).toContain(
      '| POST /bigquery | 92,000 | 42% | 55.0 ms | 160 ms | 11.00 µs | 90,000, 95,000, 92,000 | none |',
    );
    expect(text).toContain('- floor: `bigquery floor`');
  });

  it('says how many windows each batch-size row pools', () => {
    expect(text).toContain('in 3 windows per size and server');
  });

  it('shows each explained batch beside the same batch unexplained, and the explainer beside XGBoost', () => {
    // 1,000 flights: 2 + 1000/100 = 12 ms unexplained, 2 + 1000/2 = 502 ms explained.
    expect(text).toContain(
      '| 1,000 | 12.0 ms | 12.0 ms (+0.0%) | ±2.0% | 502 ms | 602 ms | 0.49 ms |',
    );
    expect(text).toContain('| **median** | 2,000 | 1,000 | 2.00× |');
    expect(text).toContain('every thread pinned to CPU 1');
  });

  it('compares what a request allocates, by origin and in all', () => {
    expect(text).toContain('| Node.js core | 60.0 | 55.0 | 5.0 |');
    expect(text).toContain('| **total** | 60.0 | 55.0 | 5.0 |');
  });

  it("shows npm run predict's rows/s, on the machine's CPUs and on one, beside the floor's", () => {
    expect(text).toContain(
      '| ONNX Runtime alone (floor) | 200,000 | 100% | 200,000, 190,000, 210,000 |  |',
    );
    expect(text).toContain(
      '| `npm run predict` | 125,000 | 63% | 130,000, 125,000, 120,000 | 2.50 s |',
    );
    expect(text).toContain(
      "| `npm run predict`, pinned to the floor's CPU | 80,000 | 40% | 80,000, 85,000, 75,000 | 3.00 s |",
    );
    expect(text).toContain('3,204 rows a run');
    expect(text).toContain('- floor: `floor`');
    expect(text).toContain('- predict on one CPU: `taskset -c 1 predict`');
  });

  it('compares async resources per request', () => {
    expect(text).toContain('| PROMISE | 15.0 | 2.0 |');
  });
});
