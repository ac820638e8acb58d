import { describe, expect, it } from 'vitest';
import { soakGrowth, verdicts } from '../../../scripts/bench/verdicts.js';
import { batch, load, pass, results } from './results-fixture.js';

describe('verdicts', () => {
  it('checks every target of the issue against medians, cold start on the bundle only', () => {
    expect(verdicts(results()).map(({ measured, met }) => ({ measured, met }))).toEqual([
      { measured: '90%', met: true },
      { measured: '70.0 ms', met: false },
      { measured: '500 ms', met: true },
      { measured: '+10.0 ms (IQR 60.0 ms)', met: true },
      { measured: '120 ms', met: true },
      { measured: '500 MiB', met: true },
      { measured: '63% (125,000 of 200,000 rows/s)', met: true },
      { measured: '42% (92,000 of 220,000 rows/s)', met: true },
      { measured: '+7.5%', met: true },
      { measured: '2.00× (2,000 vs 1,000 rows/s)', met: true },
      {
        measured: '1: +0.0% (spread ±2.0%); 100: +0.0% (spread ±2.0%); 1,000: +0.0% (spread ±2.0%)',
        met: true,
      },
    ]);
  });

  it('holds the explainer to at least XGBoost’s own rate, median against median', () => {
    const verdictOf = (ours: number[]) =>
      verdicts(results({ explainerThroughput: { ...results().explainerThroughput, ours } })).find(
        (v) => v.target.startsWith('explainer throughput'),
      );
    expect(verdictOf([990, 5000, 900])).toMatchObject({ measured: '0.99× (990 vs 1,000 rows/s)' });
    expect(verdictOf([990, 5000, 900])?.met).toBe(false);
    expect(verdictOf([1000, 1, 1000])?.met).toBe(true);
  });

  it('misses when unexplained requests slow down beside explained ones beyond the windows’ spread', () => {
    const verdictOf = (slower: number, noise: number) => {
      const latency = results().explanationLatency;
      const sizes = latency.sizes.map((size) => ({
        ...size,
        neverExplains: batch(size.flights, 10, noise),
        besideExplained: batch(size.flights, 10 * (1 + slower), noise),
      }));
      return verdicts(results({ explanationLatency: { ...latency, sizes } })).at(-1)!;
    };
    expect(verdictOf(0.05, 0.02)).toMatchObject({ met: false });
    expect(verdictOf(-0.05, 0.02)).toMatchObject({ met: false });
    expect(verdictOf(0.05, 0.06)).toMatchObject({ met: true });
    expect(verdictOf(0.05, 0.02).measured).toMatch(/^1: \+5\.0% \(spread ±2\.0%\); 100: /);
  });

  it('holds the worst-case peak of the deployed budget, not the lifted one, to half the memory', () => {
    const worst = results().worstCaseMemory;
    const over = (peakMiB: number) => ({
      ...worst,
      cases: worst.cases.map((c, i) => (i === 0 ? { ...c, peakRssBytes: peakMiB * 2 ** 20 } : c)),
    });
    const verdictOf = (peakMiB: number) =>
      verdicts(results({ worstCaseMemory: over(peakMiB) })).find((v) =>
        v.target.startsWith('worst-case'),
      );
    expect(verdictOf(512)).toMatchObject({ measured: '512 MiB', met: true });
    expect(verdictOf(513)).toMatchObject({ measured: '513 MiB', met: false });
    expect(verdictOf(100)?.target).toBe(
      'worst-case peak RSS × 2 ≤ the Terraform default available_memory (1024 MiB), the server alive',
    );
  });

  it('fails the worst case when the deployed budget let the server die, whatever its peak', () => {
    const worst = results().worstCaseMemory;
    const died = {
      ...worst,
      cases: worst.cases.map((c, i) =>
        i === 1 ? { ...c, rssAfterBytes: undefined, death: 'FATAL ERROR: heap limit' } : c,
      ),
    };
    const verdict = verdicts(results({ worstCaseMemory: died })).find((v) =>
      v.target.startsWith('worst-case'),
    );
    expect(verdict).toMatchObject({
      measured: '500 MiB; died (garbage: FATAL ERROR: heap limit)',
      met: false,
    });
  });

  it('fails a cold start with /docs slower than without by more than the noise', () => {
    const { docsColdStarts } = results();
    const slower = {
      ...docsColdStarts,
      withDocs: {
        ...docsColdStarts.withDocs,
        ms: docsColdStarts.withoutDocs.ms.map((v) => v + 61),
      },
    };
    const verdict = verdicts(results({ docsColdStarts: slower })).find((v) =>
      v.target.includes('/docs'),
    );
    expect(verdict).toMatchObject({ measured: '+61.0 ms (IQR 60.0 ms)', met: false });
  });

  it('reports each missed target', () => {
    const missed = verdicts(
      results({
        load: pass([
          load('function', [800, 800, 800]),
          load('framework-constant', [1000, 1000, 1000]),
          load('node-http-constant', [9000, 9000, 9000]),
        ]),
        coldStarts: [
          { label: 'bundle', deployed: true, command: '', ms: [700, 650, 610], modelLoadMs: [] },
        ],
        batch: { serverCommands: {}, results: { function: [batch(10_000, 151)] } },
        soak: { ...results().soak!, rssBytes: new Map([[10_000, 200]]) },
      }),
    );
    expect(missed.filter((v) => !v.met).map((v) => v.measured)).toEqual([
      '80%',
      '650 ms',
      '151 ms',
      'incomplete',
    ]);
  });

  it('holds npm run predict to 60% of the floor, medians against medians', () => {
    const verdictOf = (rates: number[]) =>
      verdicts(
        results({
          throughput: {
            ...results().throughput,
            predict: { ...results().throughput.predict, rowsPerSecond: rates },
          },
        }),
      ).find((v) => v.target.startsWith('`npm run predict`'));
    expect(verdictOf([120_000, 119_000, 500_000])).toMatchObject({
      measured: '60% (120,000 of 200,000 rows/s)',
      met: true,
    });
    expect(verdictOf([119_000])).toMatchObject({ met: false });
  });

  it('holds POST /bigquery to 40% of its own floor, measured on its rows', () => {
    const verdictOf = (rates: number[]) =>
      verdicts(results({ bigquery: { ...results().bigquery, rowsPerSecond: rates } })).find((v) =>
        v.target.startsWith('POST /bigquery'),
      );
    expect(verdictOf([88_000, 1, 95_000])).toMatchObject({
      target:
        "POST /bigquery, 500-row calls of the data set from 8 callers, server on one CPU ≥ 40% of ONNX Runtime's rows/s on the same rows on one CPU (the floor)",
      measured: '40% (88,000 of 220,000 rows/s)',
      met: true,
    });
    // 87,000 would be 43% of the predict phase's floor: the verdict reads its own.
    expect(verdictOf([87_000])).toMatchObject({ met: false });
  });

  it('fails a soak whose load saw errors, however flat its memory', () => {
    const soak = { ...results().soak!, faults: ['1 response(s) with status 500'] };
    const verdict = verdicts(results({ soak })).find((v) => v.target.startsWith('soak'))!;
    expect(verdict).toEqual(
      expect.objectContaining({ measured: '+7.5%; 1 response(s) with status 500', met: false }),
    );
    expect(soakGrowth(soak)).toBeCloseTo(0.075);
  });
});
