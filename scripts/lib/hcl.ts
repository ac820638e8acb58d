/**
 * Reads the Terraform configuration in terraform/ the way the tests need it: every `.tf` file
 * parsed by @cdktf/hcl2json (HashiCorp's own HCL parser compiled to WebAssembly) and merged, plus
 * helpers to follow references and evaluate the few expressions the tests check by value.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  getExpressionAst,
  getReferencesInExpression,
  parse,
  type TFExpressionSyntaxTree,
} from '@cdktf/hcl2json';

export const repositoryRoot = resolve(import.meta.dirname, '../..');
export const terraformDir = join(repositoryRoot, 'terraform');

/** A block body as hcl2json returns it: nested blocks are arrays of bodies. */
export type Body = Record<string, unknown>;
export type Expression = TFExpressionSyntaxTree.ExpressionType;

/** The merged configuration of a directory, keyed the way Terraform addresses things. */
export interface Configuration {
  terraform: Body[];
  providers: Map<string, Body>;
  variables: Map<string, Body>;
  outputs: Map<string, Body>;
  locals: Map<string, unknown>;
  /** Keyed by address, `type.name`. */
  resources: Map<string, Body>;
}

function isBody(value: unknown): value is Body {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asBody(value: unknown, what: string): Body {
  if (!isBody(value)) throw new Error(`${what} is not a block`);
  return value;
}

/** hcl2json gives each labelled block as `{label: [body]}`; a label used twice is an error. */
function addLabelled(target: Map<string, Body>, section: unknown, prefix: string, file: string) {
  for (const [label, bodies] of Object.entries(asBody(section ?? {}, `${file}: ${prefix}`))) {
    const key = prefix + label;
    if (!Array.isArray(bodies)) throw new Error(`${file}: ${key} is not a block`);
    if (target.has(key) || bodies.length !== 1) {
      throw new Error(`${file}: ${key} is declared more than once`);
    }
    target.set(key, asBody(bodies[0], key));
  }
}

/** Parses and merges every `.tf` file of `dir`. */
export async function readConfiguration(dir = terraformDir): Promise<Configuration> {
  const files = readdirSync(dir).filter((name) => name.endsWith('.tf'));
  return configurationOf(files.map((file) => [file, readFileSync(join(dir, file), 'utf8')]));
}

/** Parses and merges `[file name, HCL text]` pairs. */
export async function configurationOf(files: [string, string][]): Promise<Configuration> {
  const configuration: Configuration = {
    terraform: [],
    providers: new Map(),
    variables: new Map(),
    outputs: new Map(),
    locals: new Map(),
    resources: new Map(),
  };
  for (const [file, text] of files) {
    const parsed = asBody(await parse(file, text), file);
    const known = ['terraform', 'provider', 'variable', 'output', 'locals', 'resource'];
    const unknown = Object.keys(parsed).filter((key) => !known.includes(key));
    if (unknown.length > 0) throw new Error(`${file}: unexpected top-level ${unknown.join(', ')}`);

    configuration.terraform.push(...((parsed.terraform as Body[] | undefined) ?? []));
    addLabelled(configuration.providers, parsed.provider, '', file);
    addLabelled(configuration.variables, parsed.variable, '', file);
    addLabelled(configuration.outputs, parsed.output, '', file);
    for (const locals of (parsed.locals as Body[] | undefined) ?? []) {
      for (const [name, value] of Object.entries(locals)) configuration.locals.set(name, value);
    }
    for (const [type, named] of Object.entries(asBody(parsed.resource ?? {}, file))) {
      addLabelled(configuration.resources, named, `${type}.`, file);
    }
  }
  return configuration;
}

/** Resources of one type, by name. */
export function resourcesOfType(configuration: Configuration, type: string): Map<string, Body> {
  const found = new Map<string, Body>();
  for (const [address, body] of configuration.resources) {
    if (address.startsWith(`${type}.`)) found.set(address.slice(type.length + 1), body);
  }
  return found;
}

/** The one resource of `type`; the tests fail if there is none or several. */
export function onlyResource(configuration: Configuration, type: string): [string, Body] {
  const found = [...resourcesOfType(configuration, type)];
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return found[0]!;
}

/** The single nested block `name` of `body`. */
export function block(body: Body, name: string): Body {
  const blocks = nestedBlocks(body, name);
  if (blocks.length !== 1) throw new Error(`expected one ${name} block, found ${blocks.length}`);
  return blocks[0]!;
}

/** Every nested block `name` of `body` (none when absent). */
export function nestedBlocks(body: Body, name: string): Body[] {
  const value = body[name];
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new Error(`${name} is an attribute, not a block`);
  return value.map((item) => asBody(item, name));
}

/** Every string held anywhere in `value`, depth first. */
export function* strings(value: unknown): Generator<string> {
  if (typeof value === 'string') yield value;
  else if (Array.isArray(value)) for (const item of value) yield* strings(item);
  else if (isBody(value)) for (const item of Object.values(value)) yield* strings(item);
}

/** HCL source of an hcl2json string value: a template like `a-${b}` or a bare `${expr}`. */
function asHcl(value: string): string {
  return `"${value}"`;
}

/** The syntax tree of an attribute value. */
export async function expressionOf(value: string): Promise<Expression> {
  const tree = await getExpressionAst('main.tf', asHcl(value));
  if (tree === null) throw new Error(`cannot parse ${value}`);
  return tree;
}

/** Calls `visit` on every node of `tree` with the chain of its ancestors, root first. */
export function walk(
  tree: Expression,
  visit: (node: Expression, ancestors: Expression[]) => void,
  ancestors: Expression[] = [],
): void {
  visit(tree, ancestors);
  for (const child of tree.children) walk(child, visit, [...ancestors, tree]);
}

/**
 * The addresses an attribute value refers to (`var.x`, `google_x.y.id`, …), with every `local.*`
 * replaced by what that local refers to, so a reference through a local still counts.
 */
export async function referencesOf(
  configuration: Configuration,
  value: unknown,
): Promise<string[]> {
  const found: string[] = [];
  for (const text of strings(value)) {
    if (!text.includes('${')) continue;
    for (const { value: reference } of await getReferencesInExpression('main.tf', asHcl(text))) {
      const local = /^local\.(\w+)/.exec(reference)?.[1];
      if (local === undefined) found.push(reference);
      else found.push(...(await referencesOf(configuration, configuration.locals.get(local))));
    }
  }
  return found;
}

/** The literal strings inside an expression, such as the items of `toset(["a", "b"])`. */
export async function literalStrings(value: string): Promise<string[]> {
  const found: string[] = [];
  walk(await expressionOf(value), (node) => {
    if (node.type === 'literalValue' && 'type' in node.meta && node.meta.type === 'string') {
      found.push(node.meta.value);
    }
  });
  return found;
}

/** Values of the input variables an evaluation uses. */
export type Scope = Record<string, unknown>;

/** Each variable's default, for evaluating expressions as a plan with no tfvars would. */
export function defaults(configuration: Configuration): Scope {
  const scope: Scope = {};
  for (const [name, body] of configuration.variables) {
    if ('default' in body) scope[name] = body.default;
  }
  return scope;
}

/** An attribute of an object-typed variable declared `name = optional(type, default)`. */
export interface OptionalAttribute {
  name: string;
  type: string;
  /** The default as written in HCL: `"1Gi"`, `8`. */
  default: string;
}

/** The optional() attributes of the object-typed variable `variable`, in declaration order. */
export function optionalAttributes(
  configuration: Configuration,
  variable: string,
): OptionalAttribute[] {
  // hcl2json gives a type constraint as its source text, `${object({…})}`.
  const type = configuration.variables.get(variable)?.type;
  if (typeof type !== 'string' || !type.startsWith('${object(')) return [];
  return [...type.matchAll(/(\w+)\s*=\s*optional\((\w+(?:\(\w+\))?),\s*(.+?)\)\s*$/gm)].map(
    (match) => ({ name: match[1]!, type: match[2]!, default: match[3]! }),
  );
}

/** The default of one optional() attribute of `variable`, as a number. */
export function optionalNumber(
  configuration: Configuration,
  variable: string,
  name: string,
): number {
  const found = optionalAttributes(configuration, variable).find((a) => a.name === name);
  const value = Number(found?.default.replace(/^"|"$/g, ''));
  if (!found || Number.isNaN(value))
    throw new Error(`var.${variable}.${name} has no numeric default`);
  return value;
}

const fileHashes: Record<string, string> = { filesha256: 'sha256', filemd5: 'md5' };

/** The value of `var.name` or `var.name.attribute…` in `scope`; throws when it has none. */
function variableValue(reference: string, scope: Scope): unknown {
  const [root, ...path] = reference.split('.');
  if (root !== 'var' || path.length === 0) throw new Error(`no value for ${reference}`);
  let value: unknown = scope;
  for (const name of path) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, name)) {
      throw new Error(`no value for ${reference}`);
    }
    value = (value as Record<string, unknown>)[name];
  }
  return value;
}

/**
 * Evaluates a string-valued expression built from literals, `var.*` (attributes of object
 * variables included), `condition ? a : b` and the functions `tostring`, `filesha256` and
 * `filemd5` — the forms the tested attributes use. Relative paths resolve against terraform/,
 * where Terraform runs. Any other form throws rather than guesses.
 */
export async function evaluate(value: string, scope: Scope): Promise<string> {
  return render(await expressionOf(value), scope);
}

function render(node: Expression, scope: Scope): string {
  switch (node.type) {
    case 'template':
    case 'templateWrap':
      return node.children.map((child) => render(child, scope)).join('');
    case 'literalValue':
      return String(node.meta.value);
    case 'scopeTraversal': {
      const variable = variableValue(node.meta.value, scope);
      if (typeof variable === 'string') return variable;
      if (typeof variable === 'number' || typeof variable === 'boolean') return String(variable);
      throw new Error(`${node.meta.value} is not a string, number or bool`);
    }
    case 'conditional': {
      const [condition, whenTrue, whenFalse] = node.children;
      const holds = condition && render(condition, scope);
      if (holds !== 'true' && holds !== 'false') {
        throw new Error(`${node.meta.value}: the condition is not a bool`);
      }
      const chosen = holds === 'true' ? whenTrue : whenFalse;
      if (chosen === undefined) throw new Error(`cannot parse ${node.meta.value}`);
      return render(chosen, scope);
    }
    case 'function': {
      const [argument, ...rest] = node.children;
      if (argument === undefined || rest.length > 0) {
        throw new Error(`${node.meta.value}: expected one argument`);
      }
      const text = render(argument, scope);
      if (node.meta.name === 'tostring') return text;
      const algorithm = fileHashes[node.meta.name];
      if (algorithm === undefined) throw new Error(`unsupported function ${node.meta.name}`);
      const contents = readFileSync(resolve(terraformDir, text));
      return createHash(algorithm).update(contents).digest('hex');
    }
    default:
      throw new Error(`unsupported expression ${node.type}: ${node.meta.value}`);
  }
}
