/**
 * Reading a dereferenced schema, for the mock and the runner alike: its types, its `allOf` folded
 * into one set of keywords, its writable properties. Recursive schemas are object cycles here, so
 * nothing in this module walks deeper than the node it is given, except `acyclic`, which tracks
 * the objects it is inside of. Results are memoized by schema object identity.
 */
import equalModule from 'ajv/dist/runtime/equal.js';
import type { JsonSchema } from './json-schema.js';

type Equal = (a: unknown, b: unknown) => boolean;

/** The deep equality AJV itself uses for `enum`, `const` and `uniqueItems` (CommonJS, default nested or not). */
function unwrap(module: unknown): Equal {
  let current = module;
  while (typeof current !== 'function' && current && typeof current === 'object' && 'default' in current)
    current = (current as { default: unknown }).default;
  return current as Equal;
}
export const jsonEqual: Equal = unwrap(equalModule);

export type SchemaType = 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array' | 'null';

const TYPES: readonly SchemaType[] = ['string', 'number', 'integer', 'boolean', 'object', 'array', 'null'];

/** The schema every value matches, and the one no value matches (2020-12's `true` and `false`). */
export const ANY: JsonSchema = Object.freeze({}) as JsonSchema;
export const NOTHING: JsonSchema = Object.freeze({ not: ANY }) as JsonSchema;

/**
 * A schema's `pattern` as a RegExp: with Unicode semantics, as JSON Schema reads ECMA-262 patterns,
 * where it parses so; else as a plain RegExp, as many documents are written (`\:` or `\-` outside a
 * class: identity escapes a Unicode RegExp refuses). Throws when it is no RegExp at all.
 */
export function patternRegExp(source: string, flags = 'u'): RegExp {
  try {
    return new RegExp(source, flags);
  } catch (error) {
    if (!flags.includes('u')) throw error;
    return new RegExp(source, flags.replace('u', ''));
  }
}

/** A subschema as an object: `true` is {} and `false` is { not: {} }, so readers need one case. */
export function subschema(value: unknown): JsonSchema {
  if (value === false) return NOTHING;
  if (value === true || value === undefined || value === null || typeof value !== 'object') return ANY;
  return value as JsonSchema;
}

export function isNothing(schema: JsonSchema | boolean | undefined): boolean {
  if (schema === false || schema === NOTHING) return true;
  if (typeof schema !== 'object') return false;
  // Types folded to none (`integer` and `array` both required): JSON Schema refuses the empty list.
  if (Array.isArray(schema.type) && schema.type.length === 0) return true;
  return (
    schema.not !== undefined && Object.keys(subschema(schema.not)).length === 0 && Object.keys(schema).length === 1
  );
}

export function jsonType(value: unknown): SchemaType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value as SchemaType;
}

/** Whether a value of JSON type `actual` is allowed by a declared `type` (integers are numbers). */
export function typeAllows(types: ReadonlySet<SchemaType>, actual: SchemaType): boolean {
  return types.has(actual) || (actual === 'integer' && types.has('number'));
}

/** The declared types, `nullable: true` adding null; undefined when the schema declares none. */
export function declaredTypes(schema: JsonSchema): Set<SchemaType> | undefined {
  if (schema.type === undefined) return undefined;
  const list = (Array.isArray(schema.type) ? schema.type : [schema.type]).filter((t): t is SchemaType =>
    TYPES.includes(t as SchemaType),
  );
  const types = new Set(list);
  if (schema.nullable === true) types.add('null');
  return types;
}

/** The schema's main type: the first non-null declared type, else what its keywords imply. */
export function mainType(schema: JsonSchema): SchemaType | undefined {
  const declared = declaredTypes(schema);
  if (declared) return [...declared].find((t) => t !== 'null') ?? [...declared][0];
  if (
    schema.properties ||
    schema.required ||
    schema.additionalProperties !== undefined ||
    schema.patternProperties ||
    schema.propertyNames ||
    schema.dependentRequired ||
    schema.minProperties !== undefined ||
    schema.maxProperties !== undefined
  )
    return 'object';
  if (schema.items || schema.prefixItems || schema.contains || schema.minItems !== undefined) return 'array';
  const values = schema.const !== undefined ? [schema.const] : (schema.enum ?? []);
  const sample = values.find((v) => v !== null) ?? values[0];
  if (values.length > 0) return jsonType(sample);
  if (schema.pattern !== undefined || schema.minLength !== undefined || schema.maxLength !== undefined || schema.format)
    return 'string';
  if (
    schema.minimum !== undefined ||
    schema.maximum !== undefined ||
    schema.exclusiveMinimum !== undefined ||
    schema.exclusiveMaximum !== undefined ||
    schema.multipleOf !== undefined
  )
    return 'number';
  return undefined;
}

/** The values `const`/`enum` allow, or undefined when neither is set. */
/** Whether values of the schema are primitives (strings, numbers, booleans, null): text on the wire. */
export function isPrimitive(schema: JsonSchema): boolean {
  const type = mainType(flatten(schema));
  return type !== 'object' && type !== 'array';
}

export function allowedValues(schema: JsonSchema): unknown[] | undefined {
  if (schema.const !== undefined)
    return schema.enum ? schema.enum.filter((v) => jsonEqual(v, schema.const)) : [schema.const];
  return schema.enum;
}

/** Keywords that two `allOf` members cannot both carry and still be folded into one schema. */
const UNFOLDABLE = [
  'oneOf',
  'anyOf',
  'not',
  'if',
  'then',
  'else',
  'contains',
  'propertyNames',
  'discriminator',
  'prefixItems',
  'unevaluatedProperties',
] as const;

/** Whether the schema limits which property names may appear beyond its own declared ones. */
const restrictsNames = (s: JsonSchema): boolean =>
  (s.additionalProperties !== undefined && s.additionalProperties !== true) ||
  (s.unevaluatedProperties !== undefined && s.unevaluatedProperties !== true);

const declaresNames = (s: JsonSchema): boolean =>
  s.properties !== undefined || s.patternProperties !== undefined || s.additionalProperties !== undefined;

const namesWithin = (inner: JsonSchema, outer: JsonSchema): boolean =>
  !inner.patternProperties &&
  inner.additionalProperties === undefined &&
  Object.keys(inner.properties ?? {}).every((name) => outer.properties?.[name] !== undefined);

function mergeMaps(
  a: Record<string, JsonSchema> | undefined,
  b: Record<string, JsonSchema> | undefined,
): Record<string, JsonSchema> | undefined {
  if (!a || !b) return a ?? b;
  const out: Record<string, JsonSchema> = { ...a };
  for (const [name, schema] of Object.entries(b)) out[name] = out[name] ? { allOf: [out[name], schema] } : schema;
  return out;
}

function foldable(a: JsonSchema, b: JsonSchema): boolean {
  if (UNFOLDABLE.some((key) => a[key] !== undefined && b[key] !== undefined)) return false;
  if (a.pattern !== undefined && b.pattern !== undefined && a.pattern !== b.pattern) return false;
  if (a.format !== undefined && b.format !== undefined && a.format !== b.format) return false;
  if ((a.items && b.prefixItems) || (a.prefixItems && b.items)) return false;
  if (a.multipleOf !== undefined && b.multipleOf !== undefined) {
    const [small, large] = a.multipleOf < b.multipleOf ? [a.multipleOf, b.multipleOf] : [b.multipleOf, a.multipleOf];
    if (!Number.isInteger(large / small)) return false;
  }
  // additionalProperties judges names against its own schema's properties only.
  if (restrictsNames(a) && declaresNames(b) && !namesWithin(b, a)) return false;
  if (restrictsNames(b) && declaresNames(a) && !namesWithin(a, b)) return false;
  return true;
}

const larger = (x: number | undefined, y: number | undefined): number | undefined =>
  x === undefined ? y : y === undefined ? x : Math.max(x, y);
const smaller = (x: number | undefined, y: number | undefined): number | undefined =>
  x === undefined ? y : y === undefined ? x : Math.min(x, y);

/** One schema that accepts exactly what both accept, or undefined when the keywords do not fold. */
function fold(a: JsonSchema, b: JsonSchema): JsonSchema | undefined {
  if (!foldable(a, b)) return undefined;
  const out: JsonSchema = { ...b, ...a };
  const typesA = declaredTypes(a);
  const typesB = declaredTypes(b);
  if (typesA || typesB) {
    out.type = TYPES.filter((t) => (!typesA || typeAllows(typesA, t)) && (!typesB || typeAllows(typesB, t)));
    // A lone `number` side keeps `number`; `integer` alone would be narrower than both.
    if (!typesA || !typesB) out.type = [...(typesA ?? typesB)!];
    delete out.nullable;
  }
  const valuesA = allowedValues(a);
  const valuesB = allowedValues(b);
  if (valuesA && valuesB) {
    delete out.const;
    out.enum = valuesA.filter((v) => valuesB.some((w) => jsonEqual(v, w)));
  }
  const bounds = {
    minimum: larger(a.minimum, b.minimum),
    maximum: smaller(a.maximum, b.maximum),
    exclusiveMinimum: larger(a.exclusiveMinimum, b.exclusiveMinimum),
    exclusiveMaximum: smaller(a.exclusiveMaximum, b.exclusiveMaximum),
    minLength: larger(a.minLength, b.minLength),
    maxLength: smaller(a.maxLength, b.maxLength),
    minItems: larger(a.minItems, b.minItems),
    maxItems: smaller(a.maxItems, b.maxItems),
    minProperties: larger(a.minProperties, b.minProperties),
    maxProperties: smaller(a.maxProperties, b.maxProperties),
    multipleOf: larger(a.multipleOf, b.multipleOf),
  };
  for (const [key, value] of Object.entries(bounds)) if (value !== undefined) out[key as keyof typeof bounds] = value;
  if (a.uniqueItems || b.uniqueItems) out.uniqueItems = true;
  if (a.readOnly || b.readOnly) out.readOnly = true;
  if (a.writeOnly || b.writeOnly) out.writeOnly = true;
  if (a.required || b.required) out.required = [...new Set([...(a.required ?? []), ...(b.required ?? [])])];
  if (a.dependentRequired && b.dependentRequired) {
    out.dependentRequired = { ...a.dependentRequired };
    for (const [name, deps] of Object.entries(b.dependentRequired))
      out.dependentRequired[name] = [...new Set([...(out.dependentRequired[name] ?? []), ...deps])];
  }
  const properties = mergeMaps(a.properties, b.properties);
  if (properties) out.properties = properties;
  const patternProperties = mergeMaps(a.patternProperties, b.patternProperties);
  if (patternProperties) out.patternProperties = patternProperties;
  if (a.items && b.items) out.items = { allOf: [a.items, b.items] };
  if (a.additionalProperties !== undefined && b.additionalProperties !== undefined) {
    out.additionalProperties = { allOf: [subschema(a.additionalProperties), subschema(b.additionalProperties)] };
  }
  return out;
}

const flattened = new WeakMap<JsonSchema, JsonSchema>();
const flattening = new WeakSet<JsonSchema>();

/**
 * Folds `allOf` into one schema so readers see a single set of keywords. Members whose keywords
 * cannot be folded (two `oneOf`s, two different patterns, `additionalProperties` over another
 * member's properties, ...) stay in the result's `allOf`, which then accepts exactly what the
 * original accepts. Only the given node is folded: properties keep their own `allOf`.
 */
export function flatten(schema: JsonSchema): JsonSchema {
  if (!schema.allOf) return schema;
  const known = flattened.get(schema);
  if (known) return known;
  if (flattening.has(schema)) return schema;
  flattening.add(schema);
  // The outer unevaluatedProperties sees what every member evaluates, so it does not limit folding.
  const { allOf, unevaluatedProperties, ...rest } = schema;
  let merged: JsonSchema = rest;
  const unfolded: JsonSchema[] = [];
  for (const member of allOf) {
    const { allOf: left, ...part } = flatten(subschema(member));
    const folded = fold(merged, part);
    if (folded) merged = folded;
    else unfolded.push(part);
    if (left) unfolded.push(...left);
  }
  if (unevaluatedProperties !== undefined) merged = { ...merged, unevaluatedProperties };
  if (unfolded.length > 0) merged = { ...merged, allOf: unfolded };
  if (merged.required?.length === 0) delete merged.required;
  flattening.delete(schema);
  flattened.set(schema, merged);
  return merged;
}

const conjunctions = new WeakMap<JsonSchema, WeakMap<JsonSchema, JsonSchema>>();

/** `{ allOf: [a, b] }`, the same object for the same pair, so memos keyed by schema keep working. */
export function conjunction(a: JsonSchema, b: JsonSchema): JsonSchema {
  let byB = conjunctions.get(a);
  if (!byB) conjunctions.set(a, (byB = new WeakMap()));
  let both = byB.get(b);
  if (!both) byB.set(b, (both = { allOf: [a, b] }));
  return both;
}

const omissions = new WeakMap<JsonSchema, Map<string, JsonSchema>>();

/** The schema without the given keywords (the same object for the same request). */
export function without(schema: JsonSchema, ...keys: (keyof JsonSchema)[]): JsonSchema {
  let byKeys = omissions.get(schema);
  if (!byKeys) omissions.set(schema, (byKeys = new Map()));
  const id = keys.join(' ');
  let out = byKeys.get(id);
  if (!out) {
    out = { ...schema };
    for (const key of keys) delete out[key];
    byKeys.set(id, out);
  }
  return out;
}

/** Writable properties: readOnly ones are never sent in a request. */
export function writableProperties(schema: JsonSchema): [string, JsonSchema][] {
  return Object.entries(schema.properties ?? {})
    .map(([name, s]): [string, JsonSchema] => [name, subschema(s)])
    .filter(([, s]) => s.readOnly !== true);
}

/** Keywords whose values are data, not subschemas: never walked. */
const DATA_KEYWORDS: ReadonlySet<string> = new Set([
  'enum',
  'const',
  'default',
  'example',
  'examples',
  'discriminator',
  'required',
]);

/** Keywords whose values are maps of names to subschemas: a map is not itself a schema. */
export const SCHEMA_MAPS: ReadonlySet<string> = new Set([
  'properties',
  'patternProperties',
  'dependentSchemas',
  '$defs',
  'definitions',
]);

/**
 * The schema as a tree AJV can compile: every schema reached again from inside itself is moved to
 * `$defs` and referred to with `$ref`, and so is every schema with subschemas of its own reached
 * along more than one path (copied for each, a schema sharing `x` and `y` a dozen levels deep grows
 * to thousands of copies AJV compiles one by one, past the call stack). Arrays and maps
 * (`properties`...) are walked through, never moved: a schema built from another shares its
 * `properties` map, and a cycle back through that map is a cycle through the schemas in it.
 */
export function acyclic(root: JsonSchema): JsonSchema {
  const shared = new Set<object>();
  const recursive = new Set<object>();
  const inside = new Set<object>();
  const finished = new Set<object>();
  /** The subschemas directly inside a schema, and whether each is a map of them. */
  const members = (node: object): [unknown, boolean][] =>
    Object.entries(node).flatMap(([key, value]): [unknown, boolean][] =>
      DATA_KEYWORDS.has(key) || typeof value !== 'object' || value === null
        ? []
        : [[value, SCHEMA_MAPS.has(key) && !Array.isArray(value)]],
    );
  const visit = (node: unknown, map = false): void => {
    if (typeof node !== 'object' || node === null) return;
    if (map || Array.isArray(node)) {
      for (const child of Object.values(node)) visit(child);
      return;
    }
    if (inside.has(node)) {
      recursive.add(node);
      return;
    }
    if (finished.has(node)) {
      if (members(node).length > 0) shared.add(node);
      return;
    }
    inside.add(node);
    for (const [child, isMap] of members(node)) visit(child, isMap);
    inside.delete(node);
    finished.add(node);
  };
  visit(root);
  if (recursive.size === 0 && shared.size === 0) return root;
  const names = new Map<object, string>();
  const defs: Record<string, unknown> = {};
  const copy = (node: unknown, top = false, map = false): unknown => {
    if (typeof node !== 'object' || node === null) return node;
    if (Array.isArray(node)) return node.map((item) => copy(item));
    if (map) return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, copy(value)]));
    if (!top && node === root) return { $ref: '#' };
    if (!top && (recursive.has(node) || shared.has(node))) {
      let name = names.get(node);
      if (name === undefined) {
        name = `${recursive.has(node) ? 'cycle' : 'shared'}${names.size}`;
        names.set(node, name);
        defs[name] = copy(node, true);
      }
      return { $ref: `#/$defs/${name}` };
    }
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node))
      out[key] = DATA_KEYWORDS.has(key) ? value : copy(value, false, SCHEMA_MAPS.has(key) && !Array.isArray(value));
    return out;
  };
  const tree = copy(root, true) as JsonSchema;
  return { ...tree, $defs: { ...tree.$defs, ...(defs as Record<string, JsonSchema>) } };
}
