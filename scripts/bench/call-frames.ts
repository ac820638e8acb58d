/**
 * The call frames of V8's profiles (CPU and heap alike): where a frame's code comes from, and how
 * the reports name it.
 */

export interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  scriptId?: string;
}

/** A profile's total for one name: time (CPU profiles) or bytes (heap profiles). */
export interface Cost {
  name: string;
  value: number;
}

/** Our own code: a frame of functions/ is shown by file only. */
export const OWN_CODE = /\/functions\/[^/]+\.[jt]s$/;

/**
 * A native function (a V8 built-in such as JSON.parse, an add-on such as ONNX Runtime's run),
 * which the reports charge to the JavaScript that called it. V8 names its pseudo-frames in
 * parentheses: (garbage collector), (program), (root).
 */
export function isNative({ functionName, url, scriptId }: CallFrame): boolean {
  return url === '' && (scriptId ?? '0') === '0' && !functionName.startsWith('(');
}

/** Where a frame's code comes from. */
export function area({ functionName, url, scriptId }: CallFrame): string {
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

/** A frame's name in the reports; file names relative to `root` (the repository). */
export function describe({ functionName, url, lineNumber }: CallFrame, root: string): string {
  const name = functionName || '(anonymous)';
  // tsx compiles each TypeScript file to one line: only the name and file of our code mean much.
  if (OWN_CODE.test(url)) return `${name} ${url.replace(`file://${root}/`, '')}`;
  const file = url.replace(`file://${root}/`, '').replace(/^.*node_modules\//, '');
  return file ? `${name} ${file}:${lineNumber + 1}` : name;
}

/** The name of a frame, a nameless native one known by the JavaScript that called it. */
export function nameOf(frame: CallFrame, caller: CallFrame, root: string): string {
  return isNative(frame) && !frame.functionName
    ? `native code called by ${describe(caller, root)}`
    : describe(frame, root);
}

export function add(costs: Map<string, number>, name: string, value: number) {
  costs.set(name, (costs.get(name) ?? 0) + value);
}

export function ranked(costs: Map<string, number>): Cost[] {
  return [...costs].map(([name, value]) => ({ name, value })).sort((a, b) => b.value - a.value);
}
