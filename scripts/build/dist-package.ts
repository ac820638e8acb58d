/**
 * The deployed function's package.json and package-lock.json, derived from the root ones: the
 * external packages at exactly the versions the root lock (and so every test) uses, with their
 * whole dependency tree pinned the same way, so Cloud Build's `npm ci` installs what was tested.
 */
import rootLock from '../../package-lock.json' with { type: 'json' };
import rootPackage from '../../package.json' with { type: 'json' };
import { EXTERNAL_PACKAGES } from './bundle.js';

/** Node.js major of the deployed runtime (Terraform's default runtime is nodejs<this>). */
export const RUNTIME_NODE_MAJOR = 22;

interface LockEntry {
  version?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  [key: string]: unknown;
}

type LockPackages = Record<string, LockEntry>;

const packages = rootLock.packages as LockPackages;

/** dist/package.json: runs index.js, prunes unused native binaries after Cloud Build installs. */
export function distPackageJson() {
  return {
    name: rootPackage.name,
    version: rootPackage.version,
    private: true,
    description: rootPackage.description,
    main: 'index.js',
    engines: { node: String(RUNTIME_NODE_MAJOR) },
    scripts: {
      // Cloud Functions' Node.js build runs gcp-build after installing dependencies.
      'gcp-build': 'node prune-onnxruntime.cjs',
    },
    dependencies: Object.fromEntries(EXTERNAL_PACKAGES.map((name) => [name, lockedVersion(name)])),
    // npm 11 runs no dependency's install script unless allowed here: onnxruntime-node's
    // downloads CUDA binaries, and the CPU binding the function uses ships inside the package.
    // An npm that predates allowScripts ignores this; Terraform's build_config then sets
    // ONNXRUNTIME_NODE_INSTALL=skip, which the script itself honours.
    allowScripts: { 'onnxruntime-node': false },
  };
}

/** dist/package-lock.json: the root lock's entries reachable from the external packages. */
export function distPackageLock() {
  const manifest = distPackageJson();
  const reached = new Map<string, LockEntry>();
  const visit = (path: string) => {
    if (reached.has(path)) return;
    const entry = packages[path];
    if (!entry) throw new Error(`package-lock.json has no entry ${path}`);
    reached.set(path, entry);
    const names = {
      ...entry.dependencies,
      ...entry.optionalDependencies,
      ...entry.peerDependencies,
    };
    for (const name of Object.keys(names)) {
      const resolved = resolveFrom(path, name);
      // An optional or peer dependency the root never installed is not installed here either.
      if (resolved) visit(resolved);
      else if (entry.dependencies?.[name])
        throw new Error(`${path} needs ${name}, absent from the lock`);
    }
  };
  EXTERNAL_PACKAGES.forEach((name) => visit(`node_modules/${name}`));
  return {
    name: manifest.name,
    version: manifest.version,
    lockfileVersion: 3,
    requires: true,
    packages: {
      '': {
        name: manifest.name,
        version: manifest.version,
        dependencies: manifest.dependencies,
        engines: manifest.engines,
      },
      ...Object.fromEntries([...reached.entries()].sort(([a], [b]) => a.localeCompare(b))),
    },
  };
}

function lockedVersion(name: string): string {
  const version = packages[`node_modules/${name}`]?.version;
  if (!version) throw new Error(`package-lock.json does not pin ${name}`);
  return version;
}

/** Node's lookup: the nearest node_modules/<name> at or above `from`. */
function resolveFrom(from: string, name: string): string | undefined {
  let base = from;
  for (;;) {
    const candidate = `${base}/node_modules/${name}`;
    if (packages[candidate]) return candidate;
    const up = base.lastIndexOf('/node_modules/');
    if (up < 0) return packages[`node_modules/${name}`] ? `node_modules/${name}` : undefined;
    base = base.slice(0, up);
  }
}
