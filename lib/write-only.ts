/**
 * Properties a schema marks `writeOnly` (a `password`: sent, never shown). OpenAPI says they SHOULD
 * NOT be sent in a response: the mock takes them out of its answers, the runner finds them in a
 * server's.
 */

import { isObject, own } from './json.js';
import { appendPointer } from './json-pointer.js';
import type { JsonSchema } from './json-schema.js';
import { flatten } from './schema.js';

const marked = new WeakMap<object, boolean>();

/** Whether the document marks any property write-only: values of one that marks none need no walk. */
export function hasWriteOnly(document: object): boolean {
  let known = marked.get(document);
  if (known === undefined) {
    known = false;
    const stack: unknown[] = [document];
    const seen = new Set<unknown>();
    while (stack.length > 0 && !known) {
      const node = stack.pop();
      if (seen.has(node)) continue;
      seen.add(node);
      if (Array.isArray(node)) stack.push(...node);
      else if (isObject(node)) {
        known = node.writeOnly === true;
        stack.push(...Object.values(node));
      }
    }
    marked.set(document, known);
  }
  return known;
}

/** A property's schema and whether it is write-only for every value the object can be. */
interface Member {
  schema: JsonSchema;
  writeOnly: boolean;
}

const branchesOf = (schema: JsonSchema): JsonSchema[] =>
  [...(schema.oneOf ?? []), ...(schema.anyOf ?? [])].filter(
    (branch): branch is JsonSchema => typeof branch === 'object' && branch !== null,
  );

/**
 * What the schema says of its property `name`: where the object itself (its `allOf` parts folded)
 * declares it, that; else what every `oneOf`/`anyOf` branch declaring it says, write-only only if
 * every one marks it so (a `secret` write-only for passwords only is not taken out of a token's
 * answer); else, in a map, its `additionalProperties`.
 */
function memberOf(schema: JsonSchema, name: string): Member | undefined {
  const flat = flatten(schema);
  const declared = flat.properties ? own(flat.properties, name) : undefined;
  if (declared) return { schema: declared, writeOnly: declared.writeOnly === true };
  const declaring = branchesOf(flat).flatMap((branch) => memberOf(branch, name) ?? []);
  if (declaring.length === 1) return declaring[0];
  if (declaring.length > 1)
    return { schema: { anyOf: declaring.map((m) => m.schema) }, writeOnly: declaring.every((m) => m.writeOnly) };
  const additional = flat.additionalProperties;
  if (isObject(additional)) return { schema: additional, writeOnly: additional.writeOnly === true };
  return undefined;
}

/** The schema of an array's items: its own, else those of its branches. */
function itemsOf(schema: JsonSchema): JsonSchema | undefined {
  const flat = flatten(schema);
  if (isObject(flat.items)) return flat.items;
  const branches = branchesOf(flat).flatMap((branch) => itemsOf(branch) ?? []);
  return branches.length === 0 ? undefined : branches.length === 1 ? branches[0] : { anyOf: branches };
}

/** How deep into a value write-only properties are looked for. */
const WRITE_ONLY_DEPTH = 8;

/**
 * The value without the properties its schema marks write-only, copied only where one is taken out;
 * `found` hears the pointer of each one taken.
 */
export function withoutWriteOnly(
  value: unknown,
  schema: JsonSchema,
  found?: (pointer: string) => void,
  at = '',
  depth = 0,
): unknown {
  if (depth > WRITE_ONLY_DEPTH) return value;
  if (Array.isArray(value)) {
    const items = itemsOf(schema);
    if (!items) return value;
    const out = value.map((item, i) => withoutWriteOnly(item, items, found, appendPointer(at, i), depth + 1));
    return out.some((item, i) => item !== value[i]) ? out : value;
  }
  if (!isObject(value)) return value;
  let copy: Record<string, unknown> | undefined;
  for (const [name, member] of Object.entries(value)) {
    const property = memberOf(schema, name);
    if (!property) continue;
    const where = appendPointer(at, name);
    if (property.writeOnly) found?.(where);
    const kept = property.writeOnly ? undefined : withoutWriteOnly(member, property.schema, found, where, depth + 1);
    if (kept === member) continue;
    copy ??= { ...value };
    if (kept === undefined) delete copy[name];
    else copy[name] = kept;
  }
  return copy ?? value;
}

/** The pointers of the write-only properties `value` carries (`/password`, `/users/0/secret`). */
export function writeOnlyPointers(value: unknown, schema: JsonSchema): string[] {
  const pointers: string[] = [];
  withoutWriteOnly(value, schema, (pointer) => pointers.push(pointer));
  return pointers;
}
