/**
 * The function's wiring: the built archive → the source object → the function, the function →
 * its image repository and service accounts, and the entry point and runtime the code needs.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { getFunction } from '@google-cloud/functions-framework/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../functions/config.js';
import { BUILD_ENVIRONMENT } from '../../scripts/build/install-bundle.js';
import {
  block,
  defaults,
  evaluate,
  literalStrings,
  nestedBlocks,
  onlyResource,
  readConfiguration,
  referencesOf,
  repositoryRoot,
  terraformDir,
  type Body,
  type Configuration,
  type Scope,
} from '../../scripts/lib/hcl.js';

const dist = join(repositoryRoot, 'dist');
const archive = join(dist, 'function.zip');

let configuration: Configuration;
let scope: Scope;
let fn: Body;
let fnAddress: string;

beforeAll(async () => {
  // The source object and the runtime check read the build's output; function.zip is the last
  // file the build writes, so its presence means a complete build.
  if (!existsSync(archive)) {
    execFileSync('npm', ['run', 'build'], { cwd: repositoryRoot, stdio: 'inherit' });
  }
  configuration = await readConfiguration();
  scope = defaults(configuration);
  const [name, body] = onlyResource(configuration, 'google_cloudfunctions2_function');
  fn = body;
  fnAddress = `google_cloudfunctions2_function.${name}`;
});

const refs = (value: unknown) => referencesOf(configuration, value);

describe('source', () => {
  it('uploads the archive npm run build writes', () => {
    const [, object] = onlyResource(configuration, 'google_storage_bucket_object');
    expect(object.source).toBe('${var.source_archive}');
    expect(resolve(terraformDir, String(scope.source_archive))).toBe(archive);
    expect(existsSync(archive)).toBe(true);
  });

  it('names the object by the archive content, so only a changed build redeploys', async () => {
    const [, object] = onlyResource(configuration, 'google_storage_bucket_object');
    const name = await evaluate(String(object.name), scope);
    const sha256 = createHash('sha256').update(readFileSync(archive)).digest('hex');
    expect(name).toContain(sha256);

    const elsewhere = mkdtempSync(join(tmpdir(), 'archive-'));
    try {
      const sameBytes = join(elsewhere, 'same.zip');
      copyFileSync(archive, sameBytes);
      const otherBytes = join(elsewhere, 'other.zip');
      writeFileSync(otherBytes, Buffer.concat([readFileSync(archive), Buffer.from([0])]));
      const nameOf = (path: string) =>
        evaluate(String(object.name), { ...scope, source_archive: path });
      expect(await nameOf(sameBytes)).toBe(name);
      expect(await nameOf(otherBytes)).not.toBe(name);
    } finally {
      rmSync(elsewhere, { recursive: true });
    }
  });

  it('builds the function from that object, in that bucket', async () => {
    const source = block(block(block(fn, 'build_config'), 'source'), 'storage_source');
    const [bucketName, bucket] = onlyResource(configuration, 'google_storage_bucket');
    const [objectName, object] = onlyResource(configuration, 'google_storage_bucket_object');
    expect(await refs(source.bucket)).toEqual([`google_storage_bucket.${bucketName}.name`]);
    expect(await refs(source.object)).toEqual([`google_storage_bucket_object.${objectName}.name`]);
    expect(await refs(object.bucket)).toEqual([`google_storage_bucket.${bucketName}.name`]);

    expect(bucket).toMatchObject({
      uniform_bucket_level_access: true,
      public_access_prevention: 'enforced',
    });
    const deletions = nestedBlocks(bucket, 'lifecycle_rule').filter(
      (rule) => block(rule, 'action').type === 'Delete',
    );
    expect(deletions).not.toHaveLength(0);
  });
});

describe('build', () => {
  it('builds the entry point that functions/index.ts registers, predict', async () => {
    const entryPoint = block(fn, 'build_config').entry_point;
    expect(entryPoint).toBe('predict');
    await import('../../functions/index.js');
    expect(getFunction(String(entryPoint))).toBeDefined();
  });

  it('runs a Node.js major at least the one the bundle declares in engines', async () => {
    const runtime = await evaluate(String(block(fn, 'build_config').runtime), scope);
    const runtimeMajor = Number(/^nodejs(\d+)$/.exec(runtime)?.[1]);
    const built = JSON.parse(readFileSync(join(dist, 'package.json'), 'utf8')) as {
      engines?: { node?: string };
    };
    const enginesMajor = Number(/\d+/.exec(built.engines?.node ?? '')?.[0]);
    expect(enginesMajor, 'dist/package.json engines.node').toBeGreaterThan(0);
    expect(runtimeMajor).toBeGreaterThanOrEqual(enginesMajor);
  });

  it('gives the build the environment the tests install the bundle with', () => {
    // installBundle (scripts/build/install-bundle.ts) runs npm ci with BUILD_ENVIRONMENT.
    expect(block(fn, 'build_config').environment_variables).toEqual(BUILD_ENVIRONMENT);
  });

  it('pushes images to the Docker repository it creates, in the same region', async () => {
    const [name, repository] = onlyResource(configuration, 'google_artifact_registry_repository');
    const buildConfig = block(fn, 'build_config');
    const address = `google_artifact_registry_repository.${name}`;
    expect(await refs(buildConfig.docker_repository)).toEqual([`${address}.id`]);
    expect(repository.format).toBe('DOCKER');
    // Cloud Functions rejects a repository in another location.
    expect(repository.location).toBe(fn.location);
  });

  it('deletes old images but keeps the most recent versions', async () => {
    const [, repository] = onlyResource(configuration, 'google_artifact_registry_repository');
    const policies = nestedBlocks(repository, 'cleanup_policies');
    const keep = policies.filter((policy) => policy.action === 'KEEP');
    expect(keep).toHaveLength(1);
    const keepCount = block(keep[0]!, 'most_recent_versions').keep_count;
    expect(await refs(keepCount)).toEqual(['var.image_cleanup.keep_count']);
    // A KEEP policy only exempts versions from DELETE policies; alone it deletes nothing.
    expect(policies.filter((policy) => policy.action === 'DELETE')).not.toHaveLength(0);
    expect(repository.cleanup_policy_dry_run).toBe(false);
  });
});

describe('service', () => {
  it('sets an environment the function configuration accepts, in production mode', async () => {
    const variables = block(fn, 'service_config').environment_variables as Record<string, string>;
    // Values other than the function's defaults, so that a variable not passed on shows.
    const set = {
      project_id: 'ops-example',
      max_flights: 2_345,
      max_explained_flights: 123,
      max_departures: 456,
      log_requests: true,
      body_deadline_ms: 12_345,
      prediction_log: { enabled: true, sampling_rate: 0.25 },
    };
    const environment: Record<string, string> = {};
    for (const [name, value] of Object.entries(variables)) {
      environment[name] = await evaluate(value, { ...scope, ...set });
    }
    expect(environment.NODE_ENV).toBe('production');
    const config = loadConfig(environment);
    expect(config.maxFlights).toBe(set.max_flights);
    expect(config.maxExplainedFlights).toBe(set.max_explained_flights);
    expect(config.maxDepartures).toBe(set.max_departures);
    expect(config.logRequests).toBe(set.log_requests);
    expect(config.bodyDeadlineMs).toBe(set.body_deadline_ms);
    expect(config.logPredictions).toBe(set.prediction_log.sampling_rate);
    expect(config.project).toBe('ops-example');
  });

  it.each([
    'available_memory',
    'available_cpu',
    'min_instance_count',
    'max_instance_count',
    'max_instance_request_concurrency',
    'timeout_seconds',
    'ingress_settings',
  ])('takes %s from var.service', async (setting) => {
    expect(await refs(block(fn, 'service_config')[setting])).toEqual([`var.service.${setting}`]);
  });
});

describe('identities', () => {
  interface Grant {
    role: unknown;
    address: string;
    body: Body;
  }

  /** Every IAM member or binding resource that grants a role to `serviceAccount`. */
  async function grantsTo(serviceAccount: string): Promise<Grant[]> {
    const grants: Grant[] = [];
    for (const [address, body] of configuration.resources) {
      if (!/_iam_(member|binding)\./.test(address)) continue;
      const members = await refs(body.member ?? body.members);
      if (members.some((member) => member.startsWith(`${serviceAccount}.`))) {
        grants.push({ role: body.role, address, body });
      }
    }
    return grants;
  }

  /** `google_service_account.x` from a reference to one of its attributes. */
  async function serviceAccountOf(value: unknown, attribute: string): Promise<string> {
    const [reference] = await refs(value);
    expect(reference).toMatch(new RegExp(`^google_service_account\\.\\w+\\.${attribute}$`));
    return reference!.slice(0, -attribute.length - 1);
  }

  it('runs the function as its own service account, which holds no roles', async () => {
    const runtime = await serviceAccountOf(
      block(fn, 'service_config').service_account_email,
      'email',
    );
    expect(await grantsTo(runtime)).toEqual([]);
  });

  it('builds as another service account, which can write logs and push to the repository', async () => {
    const build = await serviceAccountOf(block(fn, 'build_config').service_account, 'id');
    const runtime = await serviceAccountOf(
      block(fn, 'service_config').service_account_email,
      'email',
    );
    expect(build).not.toBe(runtime);

    const grants = await grantsTo(build);
    expect(grants.map(({ role }) => role)).toContain('roles/logging.logWriter');
    const [repository] = onlyResource(configuration, 'google_artifact_registry_repository');
    const onRepository = [];
    for (const { role, body } of grants) {
      const target = await refs(body.repository);
      if (
        target.some((ref) => ref.startsWith(`google_artifact_registry_repository.${repository}.`))
      ) {
        onRepository.push(role);
      }
    }
    expect(onRepository).toEqual(['roles/artifactregistry.writer']);

    // The build starts when the function is created: every grant must exist by then.
    const dependsOn = (fn.depends_on as string[]).map((dependency) => dependency.slice(2, -1));
    for (const { address } of grants) expect(dependsOn, fnAddress).toContain(address);
  });
});

describe('project services', () => {
  it('enables the APIs the function and its build need', async () => {
    const [, services] = onlyResource(configuration, 'google_project_service');
    const forEach = String(services.for_each);
    const local = /^\$\{local\.(\w+)\}$/.exec(forEach)?.[1];
    const listed = await literalStrings(
      local === undefined ? forEach : String(configuration.locals.get(local)),
    );
    expect(listed).toEqual(
      expect.arrayContaining([
        'cloudfunctions.googleapis.com',
        'run.googleapis.com',
        'cloudbuild.googleapis.com',
        'artifactregistry.googleapis.com',
        'storage.googleapis.com',
        'logging.googleapis.com',
      ]),
    );
  });
});
