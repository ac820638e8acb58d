/**
 * The module conventions of GoogleCloudPlatform/terraform-google-cloud-functions, and the
 * documents that describe the module, checked against the parsed configuration.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from '@cdktf/hcl2json';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  optionalAttributes,
  readConfiguration,
  terraformDir,
  type Body,
  type Configuration,
} from '../../scripts/lib/hcl.js';
import { admits } from './version-constraint.js';

let configuration: Configuration;
beforeAll(async () => {
  configuration = await readConfiguration();
});

/** `>= 6.0, < 8.0` style: a lower and an upper bound. */
function isBounded(constraint: unknown): boolean {
  return (
    typeof constraint === 'string' &&
    /(>=|~>)\s*\d/.test(constraint) &&
    /(<|~>)\s*\d/.test(constraint)
  );
}

describe('versions', () => {
  it('bounds Terraform and every provider from below and above', () => {
    const [settings] = configuration.terraform;
    expect(settings).toBeDefined();
    expect(settings!.required_version).toSatisfy(isBounded);
    const providers = (settings!.required_providers as Record<string, { version?: unknown }>[])[0];
    expect(Object.keys(providers ?? {})).toContain('google');
    for (const [name, requirement] of Object.entries(providers ?? {})) {
      expect(requirement.version, name).toSatisfy(isBounded);
    }
  });

  it('admits every Terraform 1.x from 1.9 and refuses 1.8 and 2.0', () => {
    const constraint = String(configuration.terraform[0]?.required_version);
    for (const version of ['1.9.0', '1.9.8', '1.10.5', '1.11.4', '1.14.3', '1.99.0']) {
      expect(admits(constraint, version), version).toBe(true);
    }
    for (const version of ['1.8.5', '2.0.0', '2.1.0']) {
      expect(admits(constraint, version), version).toBe(false);
    }
  });

  // The floor: Terraform 1.9 is the first whose validation blocks may refer to other variables.
  it('has a validation that refers to another variable, so 1.8 would refuse it', () => {
    const crossReferences = [...configuration.variables].flatMap(([name, body]) =>
      ((body.validation ?? []) as Body[])
        .flatMap(({ condition }) => [...String(condition).matchAll(/\bvar\.(\w+)/g)])
        .map(([, referenced]) => referenced)
        .filter((referenced) => referenced !== name),
    );
    expect(crossReferences).not.toEqual([]);
  });

  it.each([
    ['>= 1.9, < 2.0', '1.11.4', true],
    ['>= 1.9, < 2.0', '2.0.0', false],
    ['>= 1.9, < 2.0', '1.8.5', false],
    ['~> 1.9.0', '1.9.8', true],
    ['~> 1.9.0', '1.10.0', false],
    ['~> 1.9', '1.11.4', true],
    ['~> 1.9', '2.0.0', false],
    ['1.9.8', '1.9.8', true],
    ['!= 1.10.0, > 1.9', '1.10.0', false],
    ['<= 1.9', '1.9.0', true],
  ])('admits(%j, %s) is %s', (constraint, version, expected) => {
    expect(admits(constraint, version)).toBe(expected);
  });

  it('pins the google provider to the 6.x line its schema was checked against (6.50.0)', () => {
    const [settings] = configuration.terraform;
    const providers = (settings!.required_providers as Record<string, { version?: unknown }>[])[0];
    expect(providers?.google?.version).toBe('~> 6.50');
  });

  it.each([
    ['>= 6.0, < 8.0', true],
    ['~> 7.0', true],
    ['>= 6.0', false],
    ['< 8.0', false],
    [undefined, false],
  ])('isBounded(%j) is %s', (constraint, expected) => {
    expect(isBounded(constraint)).toBe(expected);
  });
});

describe('variables and outputs', () => {
  it('gives every variable a type and a description', () => {
    for (const [name, body] of configuration.variables) {
      expect(body.type, name).toMatch(/^\$\{.+\}$/s);
      expect(body.description, name).toMatch(/\S{3}/);
    }
  });

  it('describes every output', () => {
    expect(configuration.outputs.size).toBeGreaterThan(0);
    for (const [name, body] of configuration.outputs) {
      expect(body.description, name).toMatch(/\S{3}/);
    }
  });

  it('names variables, outputs, locals and resources in snake_case', () => {
    const names = [
      ...configuration.variables.keys(),
      ...configuration.outputs.keys(),
      ...configuration.locals.keys(),
      ...[...configuration.resources.keys()].map((address) => address.split('.')[1]),
    ];
    for (const name of names) expect(name).toMatch(/^[a-z][a-z0-9]*(_[a-z0-9]+)*$/);
  });
});

/** The rows of the first Markdown table after `heading`, as arrays of cell texts. */
function tableAfter(markdown: string, heading: string, skipTables = 0): string[][] {
  const lines = markdown.split('\n');
  const start = lines.indexOf(heading);
  if (start < 0) throw new Error(`no "${heading}" in the README`);
  const tables: string[][] = [];
  let previousWasRow = false;
  for (const line of lines.slice(start + 1)) {
    const isRow = line.startsWith('|');
    if (isRow && !previousWasRow) tables.push([]);
    if (isRow) tables.at(-1)!.push(line);
    previousWasRow = isRow;
  }
  const table = tables[skipTables];
  if (table === undefined) throw new Error(`no table ${skipTables} after "${heading}"`);
  return table
    .slice(2) // header and delimiter rows
    .map((row) =>
      row
        .slice(1, -1)
        .split('|')
        .map((cell) => cell.trim()),
    );
}

const unquote = (cell: string) => cell.replace(/^`|`$/g, '');

describe('terraform/README.md', () => {
  const readme = readFileSync(join(terraformDir, 'README.md'), 'utf8');

  it('lists every input with its description and whether it is required', () => {
    const rows = tableAfter(readme, '## Inputs');
    const listed = new Map(
      rows.map(([name, description, , , required]) => [unquote(name!), { description, required }]),
    );
    expect([...listed.keys()].sort()).toEqual([...configuration.variables.keys()].sort());
    for (const [name, body] of configuration.variables) {
      expect(listed.get(name), name).toEqual({
        description: body.description,
        required: 'default' in body ? 'no' : 'yes',
      });
    }
  });

  it('lists the attributes of the object inputs with their types and defaults', () => {
    const rows = tableAfter(readme, '## Inputs', 1).map((cells) => cells.map(unquote));
    const declared = [...configuration.variables.keys()].flatMap((name) =>
      optionalAttributes(configuration, name).map((a) => [name, a.name, a.type, a.default]),
    );
    expect(declared.length).toBeGreaterThan(0);
    const byCells = (a: string[], b: string[]) => a.join().localeCompare(b.join());
    expect(rows.sort(byCells)).toEqual(declared.sort(byCells));
  });

  it('lists every output with its description', () => {
    const rows = tableAfter(readme, '## Outputs');
    const listed = new Map(rows.map(([name, description]) => [unquote(name!), description]));
    const declared = new Map(
      [...configuration.outputs].map(([name, body]) => [name, body.description]),
    );
    expect(listed).toEqual(declared);
  });
});

describe('terraform.tfvars.example', () => {
  it('sets every required variable and nothing undeclared', async () => {
    const file = 'terraform.tfvars.example';
    const example = await parse(file, readFileSync(join(terraformDir, file), 'utf8'));
    const set = Object.keys(example as object);
    const required = [...configuration.variables].filter(([, body]) => !('default' in body));
    expect(required.length).toBeGreaterThan(0);
    for (const [name] of required) expect(set).toContain(name);
    for (const name of set) expect(configuration.variables.has(name), name).toBe(true);
  });
});
