/**
 * Terraform's version constraint syntax (`>= 1.9, < 2.0`, `~> 1.9.0`), evaluated the way
 * `terraform init` does for `required_version`, so the tests can say which CLI releases the
 * configuration admits. Pre-releases are not handled: no test asks about one.
 */

type Version = number[];

function parseVersion(text: string): Version {
  if (!/^\d+(\.\d+)*$/.test(text)) throw new Error(`not a version: "${text}"`);
  return text.split('.').map(Number);
}

/** Negative, zero or positive as `a` is older than, equal to or newer than `b`; missing parts are 0. */
function compare(a: Version, b: Version): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const difference = (a[i] ?? 0) - (b[i] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

/**
 * `~> 1.9` admits 1.9 up to but not 2.0; `~> 1.9.0` admits 1.9.0 up to but not 1.10: every part
 * but the last is fixed (hashicorp/go-version, whose `~> 1` therefore admits 1 and every later major).
 */
function meetsPessimistic(version: Version, bound: Version): boolean {
  const fixed = bound.slice(0, -1);
  return compare(version, bound) >= 0 && fixed.every((part, i) => (version[i] ?? 0) === part);
}

const OPERATORS: Record<string, (order: number, version: Version, bound: Version) => boolean> = {
  '=': (order) => order === 0,
  '!=': (order) => order !== 0,
  '>': (order) => order > 0,
  '>=': (order) => order >= 0,
  '<': (order) => order < 0,
  '<=': (order) => order <= 0,
  '~>': (_, version, bound) => meetsPessimistic(version, bound),
};

/** Whether the release `version` (`1.11.4`) satisfies every clause of `constraint`. */
export function admits(constraint: string, version: string): boolean {
  const release = parseVersion(version);
  return constraint.split(',').every((clause) => {
    const match = /^\s*(!=|>=|<=|~>|=|>|<)?\s*(\S+)\s*$/.exec(clause);
    if (!match) throw new Error(`not a version constraint: "${constraint}"`);
    const [, operator = '=', bound = ''] = match;
    const parsed = parseVersion(bound);
    return OPERATORS[operator]!(compare(release, parsed), release, parsed);
  });
}
