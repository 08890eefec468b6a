/**
 * Polymorphism by inheritance, as the rest of the code reads a discriminator: on a `oneOf`.
 *
 * A `discriminator` on a schema of `components/schemas` that others inherit (`Person: allOf: [{$ref:
 * Party}, ...]`, at any depth) says the property's value names the schema a body is: the base itself
 * or one inheriting it (Swagger 2.0: "the name of this schema or any schema that inherits it";
 * OpenAPI 3.x keeps the pattern, with the schema's name as the implicit mapping value). Every
 * reference to such a schema other than its heirs' `allOf` (and other than its own references to
 * itself) is made a reference to a schema added beside it, `<name>.polymorphic`:
 *
 *     oneOf: [{allOf: [{$ref: Party}, {properties: {kind: {const: Party}}}]}, {$ref: Person}, ...]
 *     discriminator: {propertyName: kind, mapping: {Party: '#/components/schemas/Party', ...}}
 *
 * The heirs keep inheriting the plain base (no cycle), which loses its discriminator: the rule lives
 * on the new schema only. The base is an alternative unless a 3.x `mapping` leaves it out (or its
 * property allows none of its values). An heir referenced directly gets the same treatment (it and
 * its own heirs; an heir without heirs is its pinned alternative alone). Rules stay where they are
 * written: the alternatives are references, so what a body breaks is named at its own pointer.
 * Nothing is marked `x-inferred`: the rule is the specification's, not an assumption of ours.
 */
import { isDataKey, memberKey } from './dereference.js';
import { branchValues, type Discriminator } from './discriminator.js';
import { isObject, type JsonObject } from './json.js';
import { appendPointer, escapeToken, unescapeToken } from './json-pointer.js';

const SCHEMAS = '/components/schemas/';
const SUFFIX = '.polymorphic';

/** The component a `$ref` names (`#/components/schemas/Party` -> `Party`), or undefined. */
function componentOf(ref: unknown): string | undefined {
  if (typeof ref !== 'string' || !ref.startsWith(`#${SCHEMAS}`)) return undefined;
  let pointer: string;
  try {
    pointer = decodeURIComponent(ref.slice(1));
  } catch {
    return undefined;
  }
  const token = pointer.slice(SCHEMAS.length);
  return token.includes('/') ? undefined : unescapeToken(token);
}

const refTo = (name: string): string => `#${SCHEMAS}${encodeURIComponent(escapeToken(name))}`;

/** Rewrites `document` (OpenAPI 3.1) in place; a document without an inherited discriminator is left as it is. */
export function polymorphicInheritance(document: JsonObject): void {
  const components = document.components;
  const schemas = isObject(components) && isObject(components.schemas) ? components.schemas : undefined;
  if (!schemas) return;
  const names = Object.keys(schemas);

  // Heirs by parent, in document order: a schema inherits each schema its own `allOf` references.
  const heirs = new Map<string, string[]>();
  /**
   * `/components/schemas/Person/allOf/0`: the references that say inheritance, kept as they are, and
   * (added by the walk below) the branches of another discriminated `oneOf`/`anyOf`.
   */
  const kept = new Set<string>();
  for (const name of names) {
    const schema = schemas[name];
    if (!isObject(schema) || !Array.isArray(schema.allOf)) continue;
    for (const [i, part] of schema.allOf.entries()) {
      const parent = isObject(part) ? componentOf(part.$ref) : undefined;
      if (parent === undefined || parent === name || !Object.hasOwn(schemas, parent)) continue;
      if (!heirs.has(parent)) heirs.set(parent, []);
      if (!heirs.get(parent)!.includes(name)) heirs.get(parent)!.push(name);
      kept.add(appendPointer(appendPointer(appendPointer('/components/schemas', name), 'allOf'), i));
    }
  }
  /** Every schema kept `name`, at any depth, in document order. */
  const descendants = (name: string): string[] => {
    const found = new Set<string>();
    const stack = [...(heirs.get(name) ?? [])];
    while (stack.length > 0) {
      const next = stack.pop()!;
      if (next === name || found.has(next)) continue;
      found.add(next);
      stack.push(...(heirs.get(next) ?? []));
    }
    return names.filter((n) => found.has(n));
  };

  // The bases: a discriminator no `oneOf`/`anyOf` chooses by, on a schema something inherits.
  const hierarchy = new Map<string, { base: string; discriminator: Discriminator }>();
  for (const base of names) {
    const schema = schemas[base];
    if (!isObject(schema) || schema.oneOf !== undefined || schema.anyOf !== undefined) continue;
    const discriminator = schema.discriminator;
    if (!isObject(discriminator) || typeof discriminator.propertyName !== 'string') continue;
    const members = descendants(base);
    if (members.length === 0) continue;
    const mapping = isObject(discriminator.mapping)
      ? (Object.fromEntries(Object.entries(discriminator.mapping).filter(([, v]) => typeof v === 'string')) as Record<
          string,
          string
        >)
      : undefined;
    const read: Discriminator = { propertyName: discriminator.propertyName, ...(mapping ? { mapping } : {}) };
    for (const member of [base, ...members])
      if (!hierarchy.has(member)) hierarchy.set(member, { base, discriminator: read });
  }
  if (hierarchy.size === 0) return;

  const resolve = (node: unknown, seen = new Set<unknown>()): unknown => {
    const name = isObject(node) ? componentOf(node.$ref) : undefined;
    if (name === undefined || seen.has(node)) return node;
    seen.add(node);
    return resolve(schemas[name], seen);
  };
  /** The values naming `name` itself: a mapping's keys for it, what its property allows, else its name. */
  const ownValues = (name: string): string[] => {
    const { base, discriminator } = hierarchy.get(name)!;
    const mapped = Object.values(discriminator.mapping ?? {}).some((ref) => ref.split('/').pop() === name);
    // A 3.x mapping that leaves the base out makes it abstract: no value names it.
    if (name === base && discriminator.mapping !== undefined && !mapped) return [];
    return branchValues(discriminator, { $ref: refTo(name) }, name, resolve).values;
  };

  const added = new Map<string, string>();
  const taken = new Set(names);
  /** The name of the polymorphic schema standing for `name`, added on first use. */
  const polymorphic = (name: string): string => {
    const known = added.get(name);
    if (known !== undefined) return known;
    const { base, discriminator } = hierarchy.get(name)!;
    const values = ownValues(name);
    const members = descendants(name);
    // Nothing can stand for a schema no value names that nothing inherits: it is left as it is.
    if (values.length === 0 && members.length === 0) {
      added.set(name, name);
      return name;
    }
    let candidate = `${name}${SUFFIX}`;
    for (let i = 2; taken.has(candidate); i++) candidate = `${name}${SUFFIX}${i}`;
    taken.add(candidate);
    added.set(name, candidate);
    const { propertyName } = discriminator;
    const mapping: Record<string, string> = {};
    const branches: JsonObject[] = [];
    if (values.length > 0) {
      branches.push({
        allOf: [
          { $ref: refTo(name) },
          { properties: { [propertyName]: values.length === 1 ? { const: values[0] } : { enum: values } } },
        ],
      });
      for (const value of values) mapping[value] ??= refTo(name);
    }
    for (const member of members) {
      branches.push({ $ref: refTo(member) });
      for (const value of branchValues(discriminator, { $ref: refTo(member) }, member, resolve).values)
        mapping[value] ??= refTo(member);
    }
    // What the base's mapping names outside its heirs is an alternative too.
    if (name === base)
      for (const [value, ref] of Object.entries(discriminator.mapping ?? {})) {
        const target = componentOf(ref.startsWith('#') ? ref : refTo(ref));
        if (target === undefined || !Object.hasOwn(schemas, target) || mapping[value] !== undefined) continue;
        if (target !== name && !members.includes(target)) branches.push({ $ref: refTo(target) });
        mapping[value] = refTo(target);
      }
    schemas[candidate] =
      branches.length === 1 && members.length === 0
        ? branches[0]
        : { oneOf: branches, discriminator: { propertyName, mapping } };
    return candidate;
  };

  // Every other reference to a member of a hierarchy, to its polymorphic schema (added after the walk).
  const rewrite: [JsonObject, string][] = [];
  const stack: [unknown, string, string | undefined][] = [[document, '', undefined]];
  while (stack.length > 0) {
    const [node, pointer, parentKey] = stack.pop()!;
    if (Array.isArray(node)) {
      for (const [i, item] of node.entries()) stack.push([item, appendPointer(pointer, i), parentKey]);
      continue;
    }
    if (!isObject(node)) continue;
    // A branch another discriminator chooses by its name stays the schema that name is.
    if (isObject(node.discriminator))
      for (const key of ['oneOf', 'anyOf'] as const)
        if (Array.isArray(node[key]))
          for (const i of (node[key] as unknown[]).keys()) kept.add(appendPointer(appendPointer(pointer, key), i));
    const target = componentOf(node.$ref);
    if (
      target !== undefined &&
      hierarchy.has(target) &&
      !kept.has(pointer) &&
      !`${pointer}/`.startsWith(`${appendPointer('/components/schemas', target)}/`)
    )
      rewrite.push([node, target]);
    for (const [key, value] of Object.entries(node))
      if (!isDataKey(key, value, parentKey))
        stack.push([value, appendPointer(pointer, key), memberKey(parentKey, key)]);
  }
  for (const [node, target] of rewrite) {
    const name = polymorphic(target);
    if (name !== target) node.$ref = refTo(name);
  }
  // The rule is the polymorphic schema's now: the plain base is what its heirs inherit.
  for (const [name, { base }] of hierarchy) if (name === base) delete (schemas[name] as JsonObject).discriminator;
}
