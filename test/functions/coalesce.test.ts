import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { coalesceRuns, type Run, type Submit } from '../../functions/coalesce.js';
import type { EncodedRows } from '../../functions/features.js';

/** Rows of width 2 whose first value is the given number. */
const rows = (...firsts: number[]): EncodedRows => ({
  data: Float32Array.from(firsts.flatMap((value) => [value, -1])),
  rows: firsts.length,
  width: 2,
});

/** A run recording each call's rows, answering each row's first value times ten. */
function recordingRun(fail = false) {
  const calls: EncodedRows[] = [];
  const run: Run = (input) => {
    calls.push(input);
    if (fail) return Promise.reject(new Error('session failed'));
    const out = Float32Array.from(
      { length: input.rows },
      (_, r) => input.data[r * input.width]! * 10,
    );
    return Promise.resolve(out);
  };
  return { calls, run };
}

/** The values `submit` delivers for `input`, as a promise. */
const submitted = (submit: Submit, input: EncodedRows) =>
  new Promise<Float32Array>((resolve, reject) => submit(input, { resolve, reject }));

describe('coalesceRuns', () => {
  it('runs the submissions of one turn together and gives each its own rows back', async () => {
    const { calls, run } = recordingRun();
    const coalesced = coalesceRuns(run);
    const answers = await Promise.all([
      submitted(coalesced, rows(1, 2)),
      submitted(coalesced, rows(3)),
      submitted(coalesced, rows(4, 5, 6)),
    ]);
    expect(answers.map((a) => Array.from(a))).toEqual([[10, 20], [30], [40, 50, 60]]);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ rows: 6, width: 2 });
  });

  it('runs submissions of different turns separately', async () => {
    const { calls, run } = recordingRun();
    const coalesced = coalesceRuns(run);
    const first = submitted(coalesced, rows(1));
    await nextTurn();
    await nextTurn();
    const second = submitted(coalesced, rows(2));
    expect(Array.from(await first)).toEqual([10]);
    expect(Array.from(await second)).toEqual([20]);
    expect(calls).toHaveLength(2);
  });

  it('passes a lone submission through without copying its rows', async () => {
    const { calls, run } = recordingRun();
    const input = rows(7, 8);
    await submitted(coalesceRuns(run), input);
    expect(calls[0]).toBe(input);
  });

  it('rejects every submission of a failed run, and runs the next turn anew', async () => {
    const failing = recordingRun(true);
    const coalesced = coalesceRuns(failing.run);
    const results = await Promise.allSettled([
      submitted(coalesced, rows(1)),
      submitted(coalesced, rows(2)),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    await expect(submitted(coalesced, rows(3))).rejects.toThrow('session failed');
    expect(failing.calls).toHaveLength(2);
  });
});
