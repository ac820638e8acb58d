import { describe, expect, it } from 'vitest';
import { describeMachine } from '../../../scripts/bench/machine.js';

describe('describeMachine', () => {
  it('describes the CPUs, memory, system, Node.js and wrk', () => {
    const machine = describeMachine();
    expect(machine.cpuCount).toBeGreaterThan(0);
    expect(machine.memoryGiB).toBeGreaterThan(0);
    expect(machine.node).toBe(process.version);
    expect(machine.wrk).toMatch(/^wrk /);
    expect(machine.cpu).not.toBe('unknown');
    expect(machine.os).not.toBe('unknown');
  });
});
