/**
 * The GitHub Actions workflows, parsed and checked against the package they build and the
 * Terraform they apply: they cannot run here, so their structure is what can be tested.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { BUILD_ENVIRONMENT } from '../../scripts/build/install-bundle.js';
import { defaults, readConfiguration, repositoryRoot } from '../../scripts/lib/hcl.js';
import { admits } from '../terraform/version-constraint.js';

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  'working-directory'?: string;
}
interface Job {
  if?: string;
  env?: Record<string, string>;
  permissions?: Record<string, string>;
  strategy?: { matrix?: Record<string, unknown[]> };
  defaults?: { run?: { 'working-directory'?: string } };
  steps: Step[];
}
interface Workflow {
  name: string;
  on: Record<string, Record<string, unknown> | null>;
  permissions?: Record<string, string>;
  jobs: Record<string, Job>;
}

const workflowsDir = join(repositoryRoot, '.github/workflows');
const source = (file: string) => readFileSync(join(workflowsDir, file), 'utf8');
const load = (file: string) => parse(source(file)) as Workflow;
const ci = load('ci.yml');
const deploy = load('deploy.yml');

const packageJson = JSON.parse(readFileSync(join(repositoryRoot, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
  engines: { node: string };
};

/** The simple commands of a `run:` script: one per line, `&&`, `||`, `;` or `|`. */
function commands(script: string): string[] {
  return script
    .replace(/\\\n/g, ' ')
    .split(/\n|&&|\|\||;|\|/)
    .map((command) => command.trim().replace(/\s+/g, ' '))
    .filter((command) => command !== '');
}

/** Why an npm (or npx) command does not go through the package's own scripts, or null. */
function npmProblem(command: string, scripts: Record<string, string>): string | null {
  const words = command.split(' ');
  if (words[0] === 'npx') return `${command}: call a package script instead of npx`;
  if (words[0] !== 'npm') return null;
  if (command === 'npm ci' || command === 'npm test') return null;
  if (words[1] === 'run' && words[2] !== undefined) {
    return words[2] in scripts ? null : `${command}: package.json has no script "${words[2]}"`;
  }
  return `${command}: only npm ci, npm test and npm run <script> are allowed`;
}

/** Every job step, with the job it belongs to. */
function steps(workflow: Workflow): [Job, Step][] {
  return Object.values(workflow.jobs).flatMap((job) =>
    job.steps.map((step): [Job, Step] => [job, step]),
  );
}

/** Every simple command of every step, in order, with its effective working directory. */
function commandsOf(workflow: Workflow): { command: string; directory: string }[] {
  return steps(workflow).flatMap(([job, step]) =>
    commands(step.run ?? '').map((command) => ({
      command,
      directory: step['working-directory'] ?? job.defaults?.run?.['working-directory'] ?? '.',
    })),
  );
}

const npmCommands = (workflow: Workflow) =>
  commandsOf(workflow)
    .map(({ command }) => command)
    .filter((command) => /^np[mx] /.test(command));

describe('the npm command check', () => {
  it.each([
    ['npm ci', null],
    ['npm test', null],
    ['npm run lint', null],
    ['npm run nonexistent', 'npm run nonexistent: package.json has no script "nonexistent"'],
    ['npm install', 'npm install: only npm ci, npm test and npm run <script> are allowed'],
    ['npx eslint .', 'npx eslint .: call a package script instead of npx'],
    ['terraform plan', null],
  ])('judges %j', (command, expected) => {
    expect(npmProblem(command, packageJson.scripts)).toBe(expected);
  });

  it('splits scripts into simple commands', () => {
    expect(commands('apt-get update\nnpm ci && npm run \\\n  build; echo done | tee x')).toEqual([
      'apt-get update',
      'npm ci',
      'npm run build',
      'echo done',
      'tee x',
    ]);
  });
});

describe.each([
  ['ci.yml', ci],
  ['deploy.yml', deploy],
])('%s', (file, workflow) => {
  it('runs npm only through the package scripts', () => {
    const problems = npmCommands(workflow)
      .map((command) => npmProblem(command, packageJson.scripts))
      .filter((problem) => problem !== null);
    expect(problems).toEqual([]);
  });

  it('pins every action to a major version', () => {
    const actions = steps(workflow).flatMap(([, step]) =>
      step.uses === undefined ? [] : [step.uses],
    );
    expect(actions.length).toBeGreaterThan(0);
    for (const action of actions) expect(action).toMatch(/^[\w.-]+\/[\w.-]+@v\d+$/);
  });

  it('installs with the environment Cloud Build gets, for an npm that ignores allowScripts', () => {
    const installing = Object.values(workflow.jobs).filter((job) =>
      job.steps.some((step) => commands(step.run ?? '').includes('npm ci')),
    );
    expect(installing.length).toBeGreaterThan(0);
    for (const job of installing) expect(job.env).toMatchObject(BUILD_ENVIRONMENT);
  });

  it('holds no service account key', () => {
    expect(source(file)).not.toMatch(/credentials_json|service_account_key|GOOGLE_CREDENTIALS/);
  });
});

describe('ci.yml', () => {
  it('runs on every push and every pull request', () => {
    expect(ci.on).toEqual({ push: null, pull_request: null });
  });

  it('checks in the order format, lint, typecheck, test, build, after a clean install', () => {
    expect(npmCommands(ci)).toEqual([
      'npm ci',
      'npm run format',
      'npm run lint',
      'npm run typecheck',
      'npm test',
      'npm run build',
    ]);
  });

  it('installs the Debian packages the tests need before testing', () => {
    const all = commandsOf(ci).map(({ command }) => command);
    const install = all.findIndex((command) =>
      /^(DEBIAN_FRONTEND=\S+ )?apt-get install /.test(command),
    );
    expect(install).toBeGreaterThanOrEqual(0);
    expect(all[install]!.split(' ')).toEqual(
      expect.arrayContaining(['libxgboost0', 'wrk', 'chromium']),
    );
    expect(install).toBeLessThan(all.indexOf('npm test'));
  });

  it('tests on the deployed Node.js major and on the oldest one the package supports', async () => {
    const runtime = String(defaults(await readConfiguration()).runtime);
    const [job] = Object.values(ci.jobs);
    const majors = (job?.strategy?.matrix?.node ?? []).map(Number);
    expect(majors).toContain(Number(runtime.replace('nodejs', '')));
    expect(majors).toContain(Number(/\d+/.exec(packageJson.engines.node)?.[0]));
  });
});

/** The Terraform CLI version every job that sets up Terraform installs. */
function terraformVersions(workflow: Workflow): string[] {
  return steps(workflow)
    .filter(([, step]) => step.uses?.startsWith('hashicorp/setup-terraform@'))
    .map(([, step]) => String(step.with?.terraform_version));
}

describe('the Terraform CLI', () => {
  it("is the same release in every workflow, and one versions.tf's required_version admits", async () => {
    const [settings] = (await readConfiguration()).terraform;
    const versions = [...terraformVersions(ci), ...terraformVersions(deploy)];
    expect(versions.length).toBe(2);
    expect(new Set(versions).size).toBe(1);
    expect(admits(String(settings?.required_version), versions[0]!)).toBe(true);
  });
});

describe('ci.yml, the Terraform job', () => {
  const job = ci.jobs.terraform;

  it('checks formatting, then initialises without a backend and validates, in terraform/', () => {
    expect(job?.defaults?.run?.['working-directory']).toBe('terraform');
    const run = (job?.steps ?? []).flatMap((step) => commands(step.run ?? ''));
    expect(run).toEqual([
      'terraform fmt -check -recursive',
      'terraform init -backend=false -input=false',
      'terraform validate',
    ]);
    expect(job?.steps[0]?.uses).toMatch(/^actions\/checkout@/);
  });
});

describe('deploy.yml', () => {
  const [job] = Object.values(deploy.jobs);

  it('deploys after CI succeeds on a push to main, or when run by hand', () => {
    expect(Object.keys(deploy.on).sort()).toEqual(['workflow_dispatch', 'workflow_run']);
    expect(deploy.on.workflow_run).toEqual({
      workflows: [ci.name],
      types: ['completed'],
      branches: ['main'],
    });
    // workflow_run also fires for failed runs and for pull requests from a fork's "main".
    expect(job?.if).toContain("github.event.workflow_run.conclusion == 'success'");
    expect(job?.if).toContain("github.event.workflow_run.event == 'push'");
    const checkout = job?.steps.find((step) => step.uses?.startsWith('actions/checkout@'));
    expect(String(checkout?.with?.ref)).toContain('github.event.workflow_run.head_sha');
  });

  it('authenticates with Workload Identity Federation', () => {
    expect({ ...deploy.permissions, ...job?.permissions }['id-token']).toBe('write');
    const auth = job?.steps.filter((step) => step.uses?.startsWith('google-github-actions/auth@'));
    expect(auth).toHaveLength(1);
    expect(Object.keys(auth![0]!.with ?? {})).toContain('workload_identity_provider');
    expect(Object.keys(auth![0]!.with ?? {})).not.toContain('credentials_json');
  });

  it('builds, then applies exactly the plan it saved, from terraform/', () => {
    const all = commandsOf(deploy);
    const at = (pattern: RegExp) => all.findIndex(({ command }) => pattern.test(command));
    const build = at(/^npm run build$/);
    const init = at(/^terraform init\b/);
    const plan = at(/^terraform plan\b/);
    const apply = at(/^terraform apply\b/);
    expect(build).toBeGreaterThanOrEqual(0);
    expect([build < init, init < plan, plan < apply]).toEqual([true, true, true]);

    const planFile = /-out=(\S+)/.exec(all[plan]!.command)?.[1];
    expect(planFile).toBeDefined();
    expect(all[apply]!.command.split(' ').at(-1)).toBe(planFile);
    // versions.tf declares a GCS backend without a bucket: init must name it.
    expect(all[init]!.command).toMatch(/-backend-config="?bucket=/);
    for (const step of [init, plan, apply]) expect(all[step]!.directory).toBe('terraform');
    expect(all[build]!.directory).toBe('.');
  });

  it('builds with the Node.js major the function runs on', async () => {
    const runtime = String(defaults(await readConfiguration()).runtime);
    const setup = job?.steps.find((step) => step.uses?.startsWith('actions/setup-node@'));
    expect(`nodejs${String(setup?.with?.['node-version'])}`).toBe(runtime);
  });
});
