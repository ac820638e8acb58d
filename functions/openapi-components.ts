/**
 * The contract's schema files as OpenAPI components: one component per file, named by its title,
 * and one per definition a file keeps in `$defs` (`ModelCard` + `metrics` → `ModelCardMetrics`),
 * so that no reference points into another schema — code generators resolve only references to
 * whole components. Scheduled times also carry a `pattern` that generic validators can check.
 */
import { SCHEDULED_TIME_PATTERN } from './santiago-time-pattern.js';
import { SCHEMAS, type SchemaFile } from './contract-schemas.js';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A reference to the component of a schema file. */
export function ref(file: SchemaFile): { $ref: string } {
  return { $ref: `#/components/schemas/${SCHEMAS[file].title}` };
}

/** Every component: the schema files', then their hoisted definitions'. */
export function schemaComponents(): Record<string, Json> {
  return Object.fromEntries(
    (Object.keys(SCHEMAS) as SchemaFile[]).flatMap((file) => {
      const {
        $id: _id,
        $schema: _schema,
        $defs,
        ...schema
      } = SCHEMAS[file] as Record<string, Json>;
      const definitions = Object.entries(($defs ?? {}) as Record<string, Json>).map(
        ([name, definition]) => [definitionName(file, name), rewrite(file, definition)] as const,
      );
      return [[SCHEMAS[file].title, rewrite(file, schema)] as const, ...definitions];
    }),
  );
}

function definitionName(file: SchemaFile, name: string): string {
  return `${SCHEMAS[file].title}${name[0]!.toUpperCase()}${name.slice(1)}`;
}

/** `node` with its references made component references and scheduled times given a pattern. */
function rewrite(file: SchemaFile, node: Json): Json {
  if (Array.isArray(node)) return node.map((item) => rewrite(file, item));
  if (node === null || typeof node !== 'object') return node;
  const rewritten = Object.fromEntries(
    Object.entries(node).map(([key, value]) => [
      key,
      key === '$ref' && typeof value === 'string' ? rewriteRef(file, value) : rewrite(file, value),
    ]),
  );
  return node.format === 'santiago-date-time'
    ? { ...rewritten, pattern: SCHEDULED_TIME_PATTERN }
    : rewritten;
}

/** A whole file, or a definition of this file's or another's (`flight.schema.json#/$defs/type`). */
function rewriteRef(file: SchemaFile, target: string): string {
  const definition = /^([^#]*)#\/\$defs\/([^/]+)$/.exec(target);
  const owner = definition?.[1] || file;
  if (definition && owner in SCHEMAS) {
    return `#/components/schemas/${definitionName(owner as SchemaFile, definition[2]!)}`;
  }
  if (target in SCHEMAS) return ref(target as SchemaFile).$ref;
  throw new Error(`${file} refers to ${target}, which is not a schema of the contract`);
}
