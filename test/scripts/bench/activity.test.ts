import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { monitorActivity } from '../../../scripts/bench/activity.js';

const BUSY_LOOP = 'const end = Date.now() + 1500; while (Date.now() < end);';

/** Runs a busy loop in a process that is not a child of this one (a grandchild, orphaned). */
async function foreignBusyLoop() {
  const shell = spawn('sh', ['-c', `${process.execPath} -e '${BUSY_LOOP}' & echo $!`]);
  const [pid] = (await once(shell.stdout, 'data')) as [Buffer];
  return Number(pid.toString());
}

describe('monitorActivity', () => {
  it("counts this benchmark's own processes as its own, not as other work", async () => {
    const monitor = monitorActivity(200);
    monitor.phase('own');
    const child = spawn(process.execPath, ['-e', BUSY_LOOP]);
    await once(child, 'exit');
    const report = monitor.stop();
    expect(report.phases.map((p) => p.phase)).toEqual(['own']);
    expect(report.others.some((o) => o.command.includes(BUSY_LOOP))).toBe(false);
  });

  it('names another process that keeps a CPU busy, and charges it to the phase', async () => {
    const monitor = monitorActivity(200);
    monitor.phase('quiet');
    monitor.phase('busy');
    await foreignBusyLoop();
    await new Promise((resolve) => setTimeout(resolve, 1800));
    const report = monitor.stop();
    expect(report.phases.map((p) => p.phase)).toEqual(['quiet', 'busy']);
    const busy = report.phases[1]!;
    expect(busy.seconds).toBeGreaterThan(1.5);
    expect(busy.otherShare).toBeGreaterThan(0);
    expect(report.others.map((o) => o.command)).toContainEqual(
      expect.stringContaining('Date.now() + 1500'),
    );
  });
});
