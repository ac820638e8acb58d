/**
 * Reads a V8 CPU profile (`node --cpu-prof`): where the sampled time went, by package and by
 * function, and how much of it ran inside the function's own code (functions/).
 */

/** The parts of a .cpuprofile file this module reads. */
export interface CpuProfile {
  nodes: Array<{
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number; scriptId?: string };
    children?: number[];
  }>;
  samples: number[];
  /** Microseconds between a sample and the one before it. */
  timeDeltas: number[];
}

export interface Cost {
  name: string;
  ms: number;
}

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

type Frame = CpuProfile['nodes'][number]['callFrame'];

const IDLE = '(idle)';
const OWN_CODE = /\/functions\/[^/]+\.[jt]s$/;

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
    // A nameless native function is known by the JavaScript that called it.
    const name =
      isNative(frame) && !frame.functionName
        ? `native code called by ${describe(caller, root)}`
        : describe(frame, root);
    add(self, name, ms);
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
): Frame {
  let frame = nodes.get(id)!.callFrame;
  for (let at = parents.get(id); isNative(frame) && at !== undefined; at = parents.get(at)) {
    frame = nodes.get(at)!.callFrame;
  }
  return frame;
}

// V8 names its pseudo-frames in parentheses: (garbage collector), (program), (root).
function isNative({ functionName, url, scriptId }: Frame): boolean {
  return url === '' && (scriptId ?? '0') === '0' && !functionName.startsWith('(');
}

/** Where a frame's code comes from. */
export function area({ functionName, url, scriptId }: Frame): string {
  if (functionName === '(garbage collector)') return 'garbage collection';
  if (functionName === '(program)') return 'V8 and native code outside JavaScript';
  if (functionName === '(root)') return 'native code outside JavaScript';
  const dependency = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  if (dependency) return dependency;
  if (OWN_CODE.test(url)) return 'functions/ (this function)';
  if (url.startsWith('node:')) return 'Node.js core';
  // Functions made with `new Function`: in this stack, ajv's compiled validators.
  if (url === '' && (scriptId ?? '0') !== '0') return 'code compiled at run time (ajv validators)';
  if (url === '') return 'native code';
  return url;
}

function describe({ functionName, url, lineNumber }: Frame, root: string): string {
  const name = functionName || '(anonymous)';
  // tsx compiles each TypeScript file to one line: only the name and file of our code mean much.
  if (OWN_CODE.test(url)) return `${name} ${url.replace(`file://${root}/`, '')}`;
  const file = url.replace(`file://${root}/`, '').replace(/^.*node_modules\//, '');
  return file ? `${name} ${file}:${lineNumber + 1}` : name;
}

function add(costs: Map<string, number>, name: string, ms: number) {
  costs.set(name, (costs.get(name) ?? 0) + ms);
}

function ranked(costs: Map<string, number>): Cost[] {
  return [...costs].map(([name, ms]) => ({ name, ms })).sort((a, b) => b.ms - a.ms);
}
