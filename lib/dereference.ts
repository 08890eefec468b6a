/**
 * Internal `$ref`s inlined, once per target: every reference to `#/components/schemas/Pet` yields
 * the same object, and a recursive schema becomes a cycle of objects (walkers bound their depth).
 * A `$ref` with sibling keywords (3.1 allows them) is the target with the siblings applied on top.
 * Each object of the result remembers where in the document it came from (`origins`): validators
 * compile by that pointer, and reports name the spec location of a rule.
 */
import { SpecError } from './errors.js';
import { isObject, type JsonObject } from './json.js';
import { appendPointer, getPointer } from './json-pointer.js';

export interface Dereferenced {
  root: JsonObject;
  /** Object of the result -> JSON pointer of the node it came from in the source document. */
  origins: WeakMap<object, string>;
}

/** Keywords whose values are data, not schemas or OpenAPI objects: a `$ref` key in them is a value. */
const DATA_KEYS = new Set(['example', 'value', 'const', 'enum', 'default']);
/** Maps whose keys are names chosen by the author (a property may well be called `default`). */
const NAMED_MAPS = new Set([
  'properties',
  'patternProperties',
  '$defs',
  'definitions',
  'dependentSchemas',
  'schemas',
  'responses',
  'parameters',
  'examples',
  'requestBodies',
  'headers',
  'securitySchemes',
  'links',
  'callbacks',
  'pathItems',
  'paths',
  'webhooks',
  'content',
  'encoding',
  'variables',
  'mapping',
]);

/** What a walk reached an entry of a named map through: a property called `properties` is no map. */
const NAMED_ENTRY = '\u0000entry';

/**
 * The `parentKey` of a member found under `key` of an object reached through `parentKey`: an entry
 * of a named map (a property, a schema of `components`) is named for no keyword, whatever its name.
 */
export function memberKey(parentKey: string | undefined, key: string): string {
  return parentKey !== undefined && NAMED_MAPS.has(parentKey) ? NAMED_ENTRY : key;
}

/** Whether `key`, found in an object reached through `parentKey`, holds plain data. */
export function isDataKey(key: string, value: unknown, parentKey: string | undefined): boolean {
  if (parentKey !== undefined && NAMED_MAPS.has(parentKey)) return false;
  // Schema `examples` is a list of values; media `examples` is a map of Example Objects (walked).
  return DATA_KEYS.has(key) || (key === 'examples' && Array.isArray(value));
}

/** Schema objects of `components/schemas`, by the name they have there (a dereferenced `$ref` keeps no name). */
const componentNames = new WeakMap<object, string>();

/** The name a schema has under `components/schemas`, which a discriminator's mapping and values use. */
export function componentName(schema: object): string | undefined {
  return componentNames.get(schema);
}

const COMPONENT_SCHEMA = /^\/components\/schemas\/([^/]+)$/;

export function dereference(document: JsonObject, file: string): Dereferenced {
  const origins = new WeakMap<object, string>();
  const built = new Map<string, unknown>();
  const complete = new WeakSet<object>();
  const following: string[] = [];

  const target = (ref: string, at: string): string => {
    if (!ref.startsWith('#')) throw new SpecError(`${file}: only internal $refs are left at ${at}, found "${ref}"`);
    try {
      return decodeURIComponent(ref.slice(1));
    } catch {
      throw new SpecError(`${file}: $ref "${ref}" is not a valid JSON pointer`);
    }
  };

  const visit = (value: unknown, pointer: string, parentKey: string | undefined): unknown => {
    if (Array.isArray(value)) return value.map((item, index) => visit(item, appendPointer(pointer, index), parentKey));
    if (!isObject(value)) return value;
    if (built.has(pointer)) return built.get(pointer);
    if (typeof value.$ref === 'string') {
      const to = target(value.$ref, pointer);
      const { $ref: _ref, ...siblings } = value;
      let inlined: unknown;
      if (built.has(to)) inlined = built.get(to);
      else {
        if (following.includes(to)) throw new SpecError(`${file}: $ref "${value.$ref}" refers to itself`);
        const resolved = getPointer(document, to);
        if (resolved === undefined) throw new SpecError(`${file}: $ref "${value.$ref}" points at nothing`);
        following.push(to);
        inlined = visit(resolved, to, parentKey);
        following.pop();
      }
      if (Object.keys(siblings).length === 0 || !isObject(inlined)) {
        built.set(pointer, inlined);
        return inlined;
      }
      const extra = visitObject(siblings, pointer, undefined);
      // A target still being built (recursion through a $ref with siblings) cannot be copied yet.
      const merged = complete.has(inlined) ? { ...inlined, ...extra } : { allOf: [inlined], ...extra };
      origins.set(merged, pointer);
      // Still the named schema, described further: a discriminator names it as it does the schema.
      const name = componentNames.get(inlined);
      if (name !== undefined) componentNames.set(merged, name);
      built.set(pointer, merged);
      return merged;
    }
    const out: JsonObject = {};
    built.set(pointer, out);
    origins.set(out, pointer);
    const name = COMPONENT_SCHEMA.exec(pointer)?.[1];
    if (name !== undefined) componentNames.set(out, name.replaceAll('~1', '/').replaceAll('~0', '~'));
    visitObject(value, pointer, parentKey, out);
    complete.add(out);
    return out;
  };

  const visitObject = (value: JsonObject, pointer: string, parentKey: string | undefined, out: JsonObject = {}) => {
    for (const [key, child] of Object.entries(value)) {
      // Own data properties only: a key named `__proto__` must not change the object's prototype.
      const walked = isDataKey(key, child, parentKey)
        ? child
        : visit(child, appendPointer(pointer, key), memberKey(parentKey, key));
      Object.defineProperty(out, key, { value: walked, enumerable: true, writable: true, configurable: true });
    }
    return out;
  };

  try {
    return { root: visit(document, '', undefined) as JsonObject, origins };
  } catch (error) {
    // Each file is shallow enough (lib/document), but a chain of $refs nests one target in the next.
    if (error instanceof RangeError && /call stack/i.test(error.message)) {
      throw new SpecError(`${file}: cannot load: nested too deeply through its $refs`);
    }
    throw error;
  }
}

const SCHEMAS = '/components/schemas/';

/**
 * The dereferenced document as JSON can hold it: a named schema is copied in full where it came from
 * (`#/components/schemas/Pet`), and is a `$ref` there wherever else it is met, on its own path (a
 * recursive schema) or not (a schema many others share); any other object met again on its own path
 * is a `$ref` to where it came from, and is copied wherever else it is met. Tools that resolve references themselves
 * (Prism) get this: the copy grows with the document, not with the number of ways through it (a
 * chain of schemas each naming the next twice doubles per link).
 */
export function decycle(root: JsonObject, origins: WeakMap<object, string>): JsonObject {
  const onPath = new Set<object>();
  const homes = new WeakMap<object, boolean>();
  /** Whether the object sits at its origin in the dereferenced document: only then can a `$ref` reach it. */
  const hasHome = (value: object, origin: string): boolean => {
    let known = homes.get(value);
    if (known === undefined) homes.set(value, (known = getPointer(root, origin) === value));
    return known;
  };
  const ref = (origin: string): JsonObject => ({ $ref: `#${origin.split('/').map(encodeURIComponent).join('/')}` });
  /** `map`: the value is a named map (a schema's `properties`), which a `$ref` cannot stand for. */
  const copy = (value: unknown, at: string, map = false): unknown => {
    if (Array.isArray(value)) {
      if (onPath.has(value)) return [];
      onPath.add(value);
      const out = value.map((item, i) => copy(item, `${at}/${i}`));
      onPath.delete(value);
      return out;
    }
    if (!isObject(value)) return value;
    const origin = origins.get(value);
    if (onPath.has(value)) return origin === undefined || map ? {} : ref(origin);
    if (!map && origin?.startsWith(SCHEMAS) && origin !== at && hasHome(value, origin)) return ref(origin);
    onPath.add(value);
    const out: JsonObject = {};
    for (const [key, child] of Object.entries(value)) {
      const inner = copy(child, appendPointer(at, key), !map && NAMED_MAPS.has(key));
      Object.defineProperty(out, key, { value: inner, enumerable: true, writable: true, configurable: true });
    }
    onPath.delete(value);
    return out;
  };
  return copy(root, '') as JsonObject;
}
