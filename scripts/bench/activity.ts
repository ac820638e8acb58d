/**
 * What else used the machine's CPUs while the benchmark ran, phase by phase. The CPU time of the
 * benchmark's own processes — itself, its servers, wrk, alive or ended — is subtracted from the
 * machine's busy time (/proc/stat); what remains is other work. The processes behind it are
 * named from samples taken every few seconds: a process that starts and ends between two samples
 * goes unnamed, though its CPU time still counts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { parseStat, TICKS_PER_SECOND, type ProcessStat } from './process-usage.js';

export interface PhaseActivity {
  phase: string;
  seconds: number;
  /** Other work's share of all CPUs' time (steal by the hypervisor included). */
  otherShare: number;
}

export interface ActivityReport {
  phases: PhaseActivity[];
  /** Other processes seen using CPU, busiest first. */
  others: Array<{ command: string; cpuSeconds: number }>;
}

export interface ActivityMonitor {
  /** Ends the current phase and starts one named `name`. */
  phase(name: string): void;
  stop(): ActivityReport;
}

interface Snapshot {
  at: number;
  /** Ticks of the machine, and of this benchmark's processes. */
  busy: number;
  own: number;
  /** Ticks of every other process, by pid. */
  others: Map<number, { command: string; ticks: number }>;
}

export function monitorActivity(sampleMs = 2000): ActivityMonitor {
  const phases: PhaseActivity[] = [];
  const others = new Map<string, number>();
  let current: { phase: string; from: Snapshot } | undefined;
  let last = snapshot();
  const sample = () => {
    const now = snapshot();
    for (const [pid, { command, ticks }] of now.others) {
      const before = last.others.get(pid)?.ticks ?? ticks;
      if (ticks > before) others.set(command, (others.get(command) ?? 0) + ticks - before);
    }
    last = now;
    return now;
  };
  const close = (now: Snapshot) => {
    if (!current) return;
    const seconds = (now.at - current.from.at) / 1000;
    const otherTicks = now.busy - now.own - (current.from.busy - current.from.own);
    phases.push({
      phase: current.phase,
      seconds,
      otherShare: Math.max(0, otherTicks / TICKS_PER_SECOND / (seconds * cpus().length)),
    });
  };
  const timer = setInterval(sample, sampleMs).unref();
  return {
    phase(name) {
      const now = sample();
      close(now);
      current = { phase: name, from: now };
    },
    stop() {
      clearInterval(timer);
      close(sample());
      current = undefined;
      return {
        phases,
        others: [...others]
          .map(([command, ticks]) => ({ command, cpuSeconds: ticks / TICKS_PER_SECOND }))
          .sort((a, b) => b.cpuSeconds - a.cpuSeconds),
      };
    },
  };
}

function snapshot(): Snapshot {
  const at = performance.now();
  const stats = new Map<number, ProcessStat>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      stats.set(Number(entry), parseStat(readFileSync(`/proc/${entry}/stat`, 'utf8')));
    } catch {
      // The process ended between listing and reading.
    }
  }
  const own = descendants(process.pid, stats);
  let ownTicks = 0;
  const others = new Map<number, { command: string; ticks: number }>();
  for (const [pid, stat] of stats) {
    if (own.has(pid)) ownTicks += stat.ticks + stat.childTicks;
    else if (stat.ticks > 0) others.set(pid, { command: commandOf(pid), ticks: stat.ticks });
  }
  return { at, busy: machineBusyTicks(), own: ownTicks, others };
}

/** `root` and every process below it. */
function descendants(root: number, stats: ReadonlyMap<number, ProcessStat>): Set<number> {
  const tree = new Set([root]);
  for (let grew = true; grew;) {
    grew = false;
    for (const [pid, { ppid }] of stats) {
      if (tree.has(ppid) && !tree.has(pid)) grew = tree.add(pid) !== undefined;
    }
  }
  return tree;
}

/** Ticks all CPUs spent on anything but idling and waiting for I/O, steal included. */
function machineBusyTicks(): number {
  const [user, nice, system, , , irq, softirq, steal] = readFileSync('/proc/stat', 'utf8')
    .split('\n')[0]!
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  return user! + nice! + system! + irq! + softirq! + steal!;
}

function commandOf(pid: number): string {
  try {
    const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
    return args.length > 100 ? `${args.slice(0, 97)}...` : args || `(pid ${pid})`;
  } catch {
    return '(ended)';
  }
}
