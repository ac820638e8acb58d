import { describe, expect, it } from 'vitest';
import { parseStat, processCpuMs, processMemory } from '../../../scripts/bench/process-usage.js';

describe('process usage', () => {
  it('reads the parent and CPU ticks after a command name holding spaces and parentheses', () => {
    const stat = '42 (node (a) b) S 7 42 42 0 -1 4194560 100 0 0 0 250 30 5 6 20 0 11 0';
    expect(parseStat(stat)).toEqual({ ppid: 7, ticks: 280, childTicks: 11 });
  });

  it("reads this process's memory and CPU time", () => {
    const memory = processMemory(process.pid);
    expect(memory.rssBytes).toBeGreaterThan(0);
    expect(memory.peakRssBytes).toBeGreaterThanOrEqual(memory.rssBytes);
    // Spin until the kernel has counted a tick more (10 ms), however busy the machine is.
    const before = processCpuMs(process.pid);
    const deadline = performance.now() + 10_000;
    while (processCpuMs(process.pid) === before && performance.now() < deadline);
    expect(processCpuMs(process.pid) - before).toBeGreaterThanOrEqual(10);
  });
});
