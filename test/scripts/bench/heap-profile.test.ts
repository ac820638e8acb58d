import { describe, expect, it } from 'vitest';
import { summarizeHeapProfile, type HeapProfile } from '../../../scripts/bench/heap-profile.js';

const ROOT = '/repo';
const node = (
  functionName: string,
  url: string,
  selfSize: number,
  children: HeapProfile['head'][] = [],
): HeapProfile['head'] => ({
  callFrame: { functionName, url, lineNumber: 0, scriptId: url ? '7' : '0' },
  selfSize,
  children,
});

// (root) → handle (functions/) → JSON.parse (native) and parse (body-parser) → push (native).
const PROFILE: HeapProfile = {
  head: node('(root)', '', 0, [
    node('handle', `file://${ROOT}/functions/handler.ts`, 100, [
      node('parse', '', 400),
      node('read', `file://${ROOT}/node_modules/body-parser/lib/read.js`, 300, [
        node('push', '', 50),
      ]),
    ]),
    node('writeHead', 'node:_http_server', 200),
  ]),
};

describe('summarizeHeapProfile', () => {
  const summary = summarizeHeapProfile(PROFILE, ROOT);

  it('adds every frame’s own bytes', () => {
    expect(summary.bytes).toBe(1050);
  });

  it('charges what native code allocates to the JavaScript that called it', () => {
    expect(summary.byArea).toEqual([
      { name: 'functions/ (this function)', value: 500 },
      { name: 'body-parser', value: 350 },
      { name: 'Node.js core', value: 200 },
    ]);
  });

  it('names the functions that allocated, largest first', () => {
    expect(summary.topSelf.map((c) => [c.name, c.value])).toEqual([
      ['parse', 400],
      ['read body-parser/lib/read.js:1', 300],
      ['writeHead node:_http_server:1', 200],
      ['handle functions/handler.ts', 100],
      ['push', 50],
    ]);
  });
});
