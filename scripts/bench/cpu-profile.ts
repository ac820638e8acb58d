/**
 * Reads a V8 CPU profile (`node --cpu-prof`): where the sampled time went, by package and by
 * function, and how much of it ran inside the function's own code (functions/).
 */
import {
  add,
  area,
  describe,
  isNative,
  nameOf,
  OWN_CODE,
  ranked,
  type CallFrame,
  type Cost,
} from './call-frames.js';

/** The parts of a .cpuprofile file this module reads. */
export interface CpuProfile {
  nodes: Array<{ id: number; callFrame: CallFrame; children?: number[] }>;
  samples: number[];
  /** Microseconds between a sample and the one before it. */
  timeDeltas: number[];
}

/** Costs in milliseconds. */
export interface ProfileSummary {
  /** Sampled time the process was not idle. */
  busyMs: number;
  /**
   * Self time by where the code comes from: a package, functions/, Node.js, GC. Native code
   * (V8 built-ins such as JSON.parse, add-ons such as ONNX Runtime's run) is charged to the
   * JavaScript that called it.
   */
  byArea: Cost[];
  /** The functions with the most self time. */
  topSelf: Cost[];
  /** The functions of functions/ with the most inclusive time (their callees included). */
  ownInclusive: Cost[];
}

const IDLE = '(idle)';

/** Summarises `profile`; file names are shown relative to `root` (the repository). */
export function summarizeProfile(profile: CpuProfile, root: string, top = 15): ProfileSummary {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parents = new Map<number, number>();
  for (const node of profile.nodes) {
    for (const child of node.children ?? []) parents.set(child, node.id);
  }
  const byArea = new Map<string, number>();
  const self = new Map<string, number>();
  const ownInclusive = new Map<string, number>();
  let busyMs = 0;
  profile.samples.forEach((id, i) => {
    // A sample stands for the time until the next one, as Chrome DevTools counts it.
    const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    const frame = nodes.get(id)!.callFrame;
    if (frame.functionName === IDLE) return;
    busyMs += ms;
    const caller = callerOfNative(id, nodes, parents);
    add(byArea, area(caller), ms);
    add(self, nameOf(frame, caller, root), ms);
    // Each function once per sample, however often it recurses.
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parents.get(at)) {
      const caller = nodes.get(at)!.callFrame;
      if (OWN_CODE.test(caller.url)) seen.add(describe(caller, root));
    }
    for (const name of seen) add(ownInclusive, name, ms);
  });
  return {
    busyMs,
    byArea: ranked(byArea),
    topSelf: ranked(self).slice(0, top),
    ownInclusive: ranked(ownInclusive).slice(0, top),
  };
}

/** The frame itself, or for native code the nearest JavaScript frame that called it. */
function callerOfNative(
  id: number,
  nodes: ReadonlyMap<number, CpuProfile['nodes'][number]>,
  parents: ReadonlyMap<number, number>,
): CallFrame {
  let frame = nodes.get(id)!.callFrame;
  for (let at = parents.get(id); isNative(frame) && at !== undefined; at = parents.get(at)) {
    frame = nodes.get(at)!.callFrame;
  }
  return frame;
}
