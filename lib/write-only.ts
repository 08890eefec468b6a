/**
 * Properties a schema marks `writeOnly` (a `password`: sent, never shown). OpenAPI says they SHOULD
 * NOT be sent in a response: the mock takes them out of its answers, the runner finds them in a
 * server's.
 */

import { isObject, own } from './json.js';
import { appendPointer } from './json-pointer.js';
import type { JsonSchema } from './json-schema.js';
import { flatten } from './schema.js';
import { objectProperties } from './wire.js';

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

/**
 * Whether the schema's property `name` is write-only for every value: marked so where the object
 * itself (its `allOf` parts folded) declares it, else in every `oneOf`/`anyOf` branch declaring it (a
 * `secret` write-only for passwords only is not taken out of a token's answer).
 */
function writeOnlyIn(schema: JsonSchema, name: string): boolean {
  const flat = flatten(schema);
  const own = flat.properties ? Object.hasOwn(flat.properties, name) : false;
  if (own) return flat.properties![name]!.writeOnly === true;
  const branches = [...(flat.oneOf ?? []), ...(flat.anyOf ?? [])].filter(
    (branch): branch is JsonSchema => typeof branch === 'object' && branch !== null,
  );
  const declaring = branches.filter((branch) => declares(branch, name));
  return declaring.length > 0 && declaring.every((branch) => writeOnlyIn(branch, name));
}

/** Whether a branch declares `name` (its own properties or its branches'). */
function declares(schema: JsonSchema, name: string): boolean {
  return objectProperties(schema)?.[name] !== undefined;
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
    const items = flatten(schema).items;
    if (!items || typeof items !== 'object') return value;
    const out = value.map((item, i) =>
      withoutWriteOnly(item, items as JsonSchema, found, appendPointer(at, i), depth + 1),
    );
    return out.some((item, i) => item !== value[i]) ? out : value;
  }
  if (!isObject(value)) return value;
  const properties = objectProperties(schema);
  if (!properties) return value;
  let copy: Record<string, unknown> | undefined;
  for (const [name, member] of Object.entries(value)) {
    const property = own(properties, name);
    if (!property) continue;
    const where = appendPointer(at, name);
    const hidden = property.writeOnly === true && writeOnlyIn(schema, name);
    if (hidden) found?.(where);
    const kept = hidden ? undefined : withoutWriteOnly(member, property, found, where, depth + 1);
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
