import { describe, expect, it } from 'vitest';
import { area } from '../../../scripts/bench/call-frames.js';
import { summarizeProfile, type CpuProfile } from '../../../scripts/bench/cpu-profile.js';

const ROOT = '/repo';
const frame = (functionName: string, url = '', lineNumber = 0, scriptId = '0') => ({
  functionName,
  url,
  lineNumber,
  scriptId,
});

// (root) → handle (functions/) → validate (ajv), and ORT's run → its native code and handle again.
const PROFILE: CpuProfile = {
  nodes: [
    { id: 1, callFrame: frame('(root)'), children: [2, 6, 7] },
    { id: 2, callFrame: frame('handle', `file://${ROOT}/functions/handler.ts`), children: [3, 4] },
    { id: 3, callFrame: frame('validate', `file://${ROOT}/node_modules/ajv/dist/core.js`, 9) },
    {
      id: 4,
      callFrame: frame('run', `file://${ROOT}/node_modules/onnxruntime-node/dist/backend.js`, 114),
      children: [5, 8],
    },
    { id: 5, callFrame: frame('handle', `file://${ROOT}/functions/handler.ts`) },
    { id: 6, callFrame: frame('(idle)') },
    { id: 7, callFrame: frame('(garbage collector)') },
    { id: 8, callFrame: frame('') },
  ],
  // Each sample stands for the time until the next one.
  samples: [2, 3, 5, 6, 7, 8, 2],
  timeDeltas: [0, 1000, 2000, 3000, 4000, 5000, 6000],
};

describe('summarizeProfile', () => {
  const summary = summarizeProfile(PROFILE, ROOT);

  it('leaves idle time out of the busy time', () => {
    // handle 1 ms, validate 2, handle (under run) 3, idle 4, GC 5, native 6, last sample 0.
    expect(summary.busyMs).toBe(17);
  });

  it('adds self time by origin, native code charged to its JavaScript caller', () => {
    expect(summary.byArea).toEqual([
      { name: 'onnxruntime-node', value: 6 },
      { name: 'garbage collection', value: 5 },
      { name: 'functions/ (this function)', value: 4 },
      { name: 'ajv', value: 2 },
    ]);
  });

  it('names functions by file and line, our own by file only', () => {
    expect(summary.topSelf).toEqual([
      { name: 'native code called by run onnxruntime-node/dist/backend.js:115', value: 6 },
      { name: '(garbage collector)', value: 5 },
      { name: 'handle functions/handler.ts', value: 4 },
      { name: 'validate ajv/dist/core.js:10', value: 2 },
    ]);
  });

  it('counts our own functions inclusively, once per sample however deep they recurse', () => {
    // Every sample but idle and GC: handle is on each stack, twice under ORT's run.
    expect(summary.ownInclusive).toEqual([{ name: 'handle functions/handler.ts', value: 12 }]);
  });
});

describe('area', () => {
  it.each([
    [frame('parse', 'file:///r/node_modules/body-parser/lib/types/json.js'), 'body-parser'],
    [
      frame('http', 'file:///r/node_modules/@google-cloud/functions-framework/build/src/x.js'),
      '@google-cloud/functions-framework',
    ],
    [frame('writeHead', 'node:_http_server'), 'Node.js core'],
    [frame('', ''), 'native code'],
    [frame('validate21', '', 0, '541'), 'code compiled at run time (ajv validators)'],
    [frame('(program)', ''), 'V8 and native code outside JavaScript'],
  ])('%o comes from %s', (callFrame, expected) => {
    expect(area(callFrame)).toBe(expected);
  });
});
