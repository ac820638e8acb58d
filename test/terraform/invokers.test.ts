/**
 * Who may call the function: private by default, named invokers from a list, and the public
 * (allUsers) only when `allow_unauthenticated` is set.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  configurationOf,
  expressionOf,
  onlyResource,
  readConfiguration,
  referencesOf,
  resourcesOfType,
  strings,
  walk,
  type Configuration,
} from '../../scripts/lib/hcl.js';

const flag = 'var.allow_unauthenticated';
const publicMembers = ['allUsers', 'allAuthenticatedUsers'];

/** `count = var.allow_unauthenticated ? 1 : 0`: the whole resource exists only when allowed. */
async function countedByFlag(count: unknown): Promise<boolean> {
  if (typeof count !== 'string') return false;
  const tree = await expressionOf(count);
  const conditional = tree.children[0];
  return (
    conditional?.type === 'conditional' &&
    'conditionExpression' in conditional.meta &&
    conditional.meta.conditionExpression === flag &&
    conditional.meta.trueExpression !== '0'
  );
}

/** Whether `text` names a public member outside the true branch of `flag ? … : …`. */
async function hasUnguardedPublicMember(text: string): Promise<boolean> {
  if (!publicMembers.some((member) => text.includes(member))) return false;
  if (!text.includes('${')) return true;
  let unguarded = false;
  walk(await expressionOf(text), (node, ancestors) => {
    if (node.type !== 'literalValue' || !publicMembers.includes(String(node.meta.value))) return;
    const path = [...ancestors, node];
    const guarded = ancestors.some(
      (ancestor, index) =>
        ancestor.type === 'conditional' &&
        'conditionExpression' in ancestor.meta &&
        ancestor.meta.conditionExpression === flag &&
        path[index + 1] === ancestor.children[1],
    );
    if (!guarded) unguarded = true;
  });
  return unguarded;
}

async function anyUnguardedPublicMember(value: unknown): Promise<boolean> {
  for (const text of strings(value)) if (await hasUnguardedPublicMember(text)) return true;
  return false;
}

/** Addresses (`local.name` or `type.name`) that grant a public member unconditionally. */
async function unguardedPublicGrants(configuration: Configuration): Promise<string[]> {
  const found: string[] = [];
  for (const [name, value] of configuration.locals) {
    if (await anyUnguardedPublicMember(value)) found.push(`local.${name}`);
  }
  for (const [address, body] of configuration.resources) {
    if ((await countedByFlag(body.count)) || !(await anyUnguardedPublicMember(body))) continue;
    found.push(address);
  }
  return found;
}

let configuration: Configuration;
beforeAll(async () => {
  configuration = await readConfiguration();
});

describe('invoker IAM', () => {
  it('is private by default', () => {
    expect(configuration.variables.get('invokers')).toMatchObject({
      type: '${list(string)}',
      default: [],
    });
    expect(configuration.variables.get('allow_unauthenticated')).toMatchObject({
      type: '${bool}',
      default: false,
    });
  });

  it('grants roles/run.invoker on the Cloud Run service of the function to the listed members', async () => {
    const [functionName] = onlyResource(configuration, 'google_cloudfunctions2_function');
    const bindings = [...resourcesOfType(configuration, 'google_cloud_run_service_iam_member')];
    expect(bindings.length).toBeGreaterThan(0);
    const membersFrom: string[] = [];
    for (const [, binding] of bindings) {
      expect(binding.role).toBe('roles/run.invoker');
      const fn = `google_cloudfunctions2_function.${functionName}`;
      expect(await referencesOf(configuration, binding.service)).toEqual([`${fn}.name`]);
      expect(await referencesOf(configuration, binding.location)).toEqual([`${fn}.location`]);
      membersFrom.push(...(await referencesOf(configuration, binding.for_each ?? binding.count)));
    }
    expect(membersFrom).toContain('var.invokers');
  });

  it('grants nothing to allUsers or allAuthenticatedUsers unless allow_unauthenticated is set', async () => {
    expect(await unguardedPublicGrants(configuration)).toEqual([]);
  });
});

describe('the public-grant check itself', () => {
  const binding = (attributes: string) =>
    `resource "google_cloud_run_service_iam_member" "x" {\n  role = "roles/run.invoker"\n${attributes}\n}`;

  it.each([
    [
      'an unconditional allUsers member',
      binding('member = "allUsers"'),
      ['google_cloud_run_service_iam_member.x'],
    ],
    [
      'an unconditional allAuthenticatedUsers member',
      binding('member = "allAuthenticatedUsers"'),
      ['google_cloud_run_service_iam_member.x'],
    ],
    [
      'a resource counted by the flag',
      binding('count = var.allow_unauthenticated ? 1 : 0\nmember = "allUsers"'),
      [],
    ],
    [
      'a resource counted by another variable',
      binding('count = var.public ? 1 : 0\nmember = "allUsers"'),
      ['google_cloud_run_service_iam_member.x'],
    ],
    [
      'allUsers in the true branch of the flag',
      binding(
        'for_each = toset(concat(var.invokers, var.allow_unauthenticated ? ["allUsers"] : []))\nmember = each.value',
      ),
      [],
    ],
    [
      'allUsers in the false branch of the flag',
      binding(
        'for_each = toset(concat(var.invokers, var.allow_unauthenticated ? [] : ["allUsers"]))\nmember = each.value',
      ),
      ['google_cloud_run_service_iam_member.x'],
    ],
    [
      'allUsers behind another variable',
      binding('for_each = toset(var.open ? ["allUsers"] : [])\nmember = each.value'),
      ['google_cloud_run_service_iam_member.x'],
    ],
    [
      'an unconditional local',
      'locals {\n  members = concat(var.invokers, ["allUsers"])\n}',
      ['local.members'],
    ],
  ])('flags %s correctly', async (_case, hcl, expected) => {
    expect(await unguardedPublicGrants(await configurationOf([['case.tf', hcl]]))).toEqual(
      expected,
    );
  });
});
