/**
 * Reads a V8 sampling heap profile taken with collected objects kept in it (profile-window.ts):
 * what the sampled code allocated, by package and by function, whether or not it is still alive.
 * Allocation is what drives the young-generation collections that pause the event loop.
 */
import { add, area, isNative, nameOf, ranked, type CallFrame, type Cost } from './call-frames.js';

/** The parts of a .heapprofile file this module reads. */
export interface HeapProfile {
  head: HeapNode;
}

interface HeapNode {
  callFrame: CallFrame;
  /** Bytes allocated by this frame itself, scaled up from the samples. */
  selfSize: number;
  children: HeapNode[];
}

/** Costs in bytes. */
export interface AllocationSummary {
  bytes: number;
  /** Bytes by where the allocating code comes from; a native function's go to its caller. */
  byArea: Cost[];
  /** The functions that allocated most themselves. */
  topSelf: Cost[];
}

/** Summarises `profile`; file names are shown relative to `root` (the repository). */
export function summarizeHeapProfile(
  profile: HeapProfile,
  root: string,
  top = 15,
): AllocationSummary {
  const byArea = new Map<string, number>();
  const self = new Map<string, number>();
  let bytes = 0;
  const visit = (node: HeapNode, caller: CallFrame) => {
    const frame = node.callFrame;
    const javascript = isNative(frame) ? caller : frame;
    if (node.selfSize > 0) {
      bytes += node.selfSize;
      add(byArea, area(javascript), node.selfSize);
      add(self, nameOf(frame, javascript, root), node.selfSize);
    }
    for (const child of node.children) visit(child, javascript);
  };
  visit(profile.head, profile.head.callFrame);
  return { bytes, byArea: ranked(byArea), topSelf: ranked(self).slice(0, top) };
}
