/** One `npm run bench`: its results, the targets checked against them, and the report. */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, release, totalmem } from 'node:os';
import { coldStartSection, coldStartVerdicts, type ColdStarts } from './cold-start.js';
import { explainerSection, explainerVerdicts, type ExplainerThroughput } from './explainer.js';
import { floorSection, floorVerdicts, type FloorComparison } from './floors.js';
import { latencySection, latencyVerdicts, type LatencyResult } from './latency.js';
import { loadSection, loadVerdicts, type LoadResult } from './load.js';
import { table } from './markdown.js';
import type { Verdict } from './plan.js';
import { rejectionSection, rejectionVerdicts, type RejectionResult } from './rejection.js';
import { worstCaseSection, worstCaseVerdicts, type WorstCaseMemory } from './worst-case-memory.js';

export interface BenchResults {
  invocation: string;
  startedAt: Date;
  finishedAt: Date;
  /** The machine the run ran on, in a sentence. */
  machine: string;
  /** Servers on CPU 1 and wrk on CPU 0, or every process on every CPU (--no-pin). */
  pinned: boolean;
  load: LoadResult;
  coldStarts: ColdStarts[];
  latency: LatencyResult;
  worstCaseMemory: WorstCaseMemory;
  predict: FloorComparison;
  bigquery: FloorComparison;
  rejection: RejectionResult;
  explainer: ExplainerThroughput;
}

/** Every target, in the order of the report's sections. */
export function verdicts(r: BenchResults): Verdict[] {
  return [
    ...loadVerdicts(r.load),
    ...coldStartVerdicts(r.coldStarts),
    ...latencyVerdicts(r.latency),
    ...worstCaseVerdicts(r.worstCaseMemory),
    ...floorVerdicts([r.predict, r.bigquery]),
    ...rejectionVerdicts(r.rejection),
    ...explainerVerdicts(r.explainer),
  ];
}

/** CPU, memory, system, Node.js and wrk of this machine. */
export function describeMachine(): string {
  const os = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(readFileSync('/etc/os-release', 'utf8'))?.[1];
  // `wrk -v` prints its version line, then its usage.
  const wrk = spawnSync('wrk', ['-v'], { encoding: 'utf8' }).stdout.split('\n')[0]?.trim();
  const memory = `${Math.round(totalmem() / 2 ** 30)} GiB`;
  return `${cpus()[0]?.model} (${cpus().length} CPUs, ${memory}), ${os}, Linux ${release()}, Node.js ${process.version}, ${wrk}`;
}

export function renderReport(r: BenchResults): string {
  const minutes = Math.round((r.finishedAt.getTime() - r.startedAt.getTime()) / 60_000);
  const targets = verdicts(r).map((v) => [v.target, v.measured, v.met ? 'met' : '**missed**']);
  return [
    `Produced by \`${r.invocation}\`, ${r.startedAt.toISOString().slice(0, 16)}Z to ` +
      `${r.finishedAt.toISOString().slice(11, 16)}Z (${minutes} min), on ${r.machine}; ` +
      `${r.pinned ? 'servers on CPU 1, wrk on CPU 0' : 'unpinned'}. ` +
      'PORT is a free port the run picked.',
    `### Targets\n\n${table(['Target', 'Measured', ''], targets)}`,
    loadSection(r.load),
    coldStartSection(r.coldStarts),
    latencySection(r.latency),
    worstCaseSection(r.worstCaseMemory),
    floorSection([r.predict, r.bigquery]),
    rejectionSection(r.rejection),
    explainerSection(r.explainer),
  ].join('\n\n');
}
