/** A process's memory and CPU time, as Linux accounts them in /proc. */
import { readFileSync } from 'node:fs';

export interface ProcessMemory {
  /** Resident set size now. */
  rssBytes: number;
  /** The largest resident set size the process has had (VmHWM). */
  peakRssBytes: number;
}

export function processMemory(pid: number): ProcessMemory {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kibibytes = (field: string) => {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(status);
    if (!match?.[1]) throw new Error(`/proc/${pid}/status has no ${field}`);
    return Number(match[1]) * 1024;
  };
  return { rssBytes: kibibytes('VmRSS'), peakRssBytes: kibibytes('VmHWM') };
}

/** Kernel clock ticks per second (USER_HZ): 100 on Linux. */
export const TICKS_PER_SECOND = 100;

/** CPU time the process has used so far, user and system, in milliseconds (10 ms resolution). */
export function processCpuMs(pid: number): number {
  return parseStat(readFileSync(`/proc/${pid}/stat`, 'utf8')).ticks * (1000 / TICKS_PER_SECOND);
}

export interface ProcessStat {
  ppid: number;
  /** User plus system ticks of the process itself. */
  ticks: number;
  /** User plus system ticks of its children that have ended and been waited for. */
  childTicks: number;
}

/** The fields of /proc/PID/stat this module reads. */
export function parseStat(stat: string): ProcessStat {
  // The command name may hold spaces and parentheses: fields are counted after its last ')'.
  // From there, ppid is field 4 of the line, utime to cstime fields 14 to 17.
  const fields = stat
    .slice(stat.lastIndexOf(')') + 2)
    .split(' ')
    .map(Number);
  return {
    ppid: fields[1]!,
    ticks: fields[11]! + fields[12]!,
    childTicks: fields[13]! + fields[14]!,
  };
}
