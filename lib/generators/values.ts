/**
 * Walks a schema and combines the keyword families: a valid value (`sampleValue`), the valid
 * boundaries and the single violations at every location of a value (`variantsOf`), and random
 * valid values (`arbitrary`, `randomValues`).
 *
 * Values are built to be valid or invalid by construction. Where only a validator can tell (which
 * `oneOf` branch a value takes, whether `not`, `if` or `contains` accepts it), the node's compiled
 * validator decides: a variant below such a node is kept only if the node still accepts it
 * (boundaries) or if the highest such node rejects it (violations). Above that node every keyword is
 * a conjunction, so one rejected location rejects the whole value.
 */
import fc from 'fast-check';
import { componentName } from '../dereference.js';
import { discriminatorValues } from '../discriminator.js';
import { isObject } from '../json.js';
import { appendPointer, getPointer, parsePointer } from '../json-pointer.js';
import type { JsonSchema } from '../json-schema.js';
import {
  ANY,
  allowedValues,
  declaredTypes,
  flatten,
  isNothing,
  jsonType,
  mainType,
  type SchemaType,
  subschema,
} from '../schema.js';
import { arrayArbitrary, arrayBoundaries, arrayViolations, itemSchemaAt, sampleArray } from './arrays.js';
import { accepts, plainAccepts } from './check.js';
import {
  composedArbitrary,
  composedBoundaries,
  composedViolations,
  effective,
  isComposed,
  sampleComposed,
} from './composition.js';
import { literalBoundaries, literalSample, literalViolations } from './literals.js';
import { numberArbitrary, numberBoundaries, numberViolations, sampleNumber } from './numbers.js';
import { objectArbitrary, objectBoundaries, objectViolations, propertySchema, sampleObject } from './objects.js';
import {
  type Ctx,
  type LocalVariant,
  MAX_DEPTH,
  type PlacedVariant,
  SHALLOW_DEPTH,
  UnsatisfiableSchemaError,
  valueKey,
  type Walker,
} from './schema.js';
import { sampleString, stringArbitrary, stringBoundaries, stringViolations } from './strings.js';

export { UnsatisfiableSchemaError } from './schema.js';

/** What an untyped schema without keywords gets: any value is valid. */
const UNTYPED = 'x';

const root = (seed: number, full: boolean): Ctx => ({ seed, full, depth: 0, pointer: '' });

const discriminated = new WeakMap<JsonSchema, JsonSchema>();

/**
 * The schema folded, its discriminator's value pinned where no `oneOf` chooses it: a named schema
 * that carries a discriminator itself or from its `allOf` parent (`Dog: allOf: [Pet, ...]`) is the
 * value the mapping gives its name, else its name (OpenAPI's implicit mapping). What the property
 * allows of its own (`const`, `enum`), and an unnamed schema, are left as they are.
 */
function flattened(schema: JsonSchema): JsonSchema {
  const flat = flatten(schema);
  if (!flat.discriminator || flat.oneOf || flat.anyOf) return flat;
  const known = discriminated.get(schema);
  if (known) return known;
  let result = flat;
  const name = componentName(schema);
  const { propertyName } = flat.discriminator;
  const property = flat.properties?.[propertyName];
  if (name !== undefined && property && !allowedValues(flatten(subschema(property)))) {
    const [value] = discriminatorValues(flat.discriminator, name, undefined);
    if (value !== undefined && accepts(subschema(property), value))
      result = {
        ...flat,
        properties: { ...flat.properties, [propertyName]: { ...subschema(property), const: value } },
      };
  }
  discriminated.set(schema, result);
  return result;
}

/** Declared types, non-null first; else the type the keywords imply; [] when no type is allowed. */
function typeOrder(flat: JsonSchema): SchemaType[] | undefined {
  const declared = declaredTypes(flat);
  if (declared) return [...[...declared].filter((t) => t !== 'null'), ...[...declared].filter((t) => t === 'null')];
  const implied = mainType(flat);
  return implied ? [implied] : undefined;
}

function authored(flat: JsonSchema): unknown[] {
  return [flat.example, ...(flat.examples ?? []), flat.default].filter((v) => v !== undefined);
}

function sampleType(flat: JsonSchema, type: SchemaType, ctx: Ctx): unknown {
  switch (type) {
    case 'string':
      return sampleString(flat, ctx);
    case 'integer':
    case 'number':
      return sampleNumber(flat, type === 'integer', ctx);
    case 'boolean':
      return true;
    case 'null':
      return null;
    case 'array':
      return sampleArray(flat, ctx, walker);
    case 'object':
      return sampleObject(flat, ctx, walker);
  }
}

function samplePlain(flat: JsonSchema, ctx: Ctx): unknown {
  const ok = (v: unknown): boolean => plainAccepts(flat, v);
  const literal = literalSample(flat, ok, ctx);
  if (literal) return literal.value;
  // Objects are built, not taken from examples: a full object carries every writable property.
  const example = authored(flat).find((v) => !isObject(v) && ok(v));
  if (example !== undefined) return structuredClone(example);
  const types = typeOrder(flat);
  if (!types) return UNTYPED;
  if (types.length === 0)
    throw new UnsatisfiableSchemaError(ctx.pointer, 'type', 'no type is allowed by every allOf member');
  let first: UnsatisfiableSchemaError | undefined;
  for (const type of types) {
    try {
      return sampleType(flat, type, ctx);
    } catch (error) {
      if (!(error instanceof UnsatisfiableSchemaError)) throw error;
      first ??= error;
    }
  }
  throw first;
}

function sampleAt(raw: JsonSchema, ctx: Ctx): unknown {
  const schema = subschema(raw);
  if (isNothing(schema))
    throw new UnsatisfiableSchemaError(ctx.pointer, 'false', 'the schema is false: no value is allowed');
  if (ctx.depth > MAX_DEPTH)
    throw new UnsatisfiableSchemaError(
      ctx.pointer,
      '$ref',
      `the recursion needs a value deeper than ${MAX_DEPTH} levels`,
    );
  const flat = flattened(schema);
  return isComposed(flat) ? sampleComposed(flat, ctx, walker) : samplePlain(flat, ctx);
}

/** JSON round trip: fast-check may build null-prototype objects and -0. */
const plain = (value: unknown): unknown => (value === undefined ? undefined : JSON.parse(JSON.stringify(value)));

/** Lazy: most callers take the first candidate a test accepts, and the sample usually is it. */
function* candidatesAt(schema: JsonSchema, ctx: Ctx, count: number): Generator<unknown> {
  let first: unknown;
  try {
    first = sampleAt(schema, ctx);
  } catch (error) {
    if (error instanceof UnsatisfiableSchemaError) return;
    throw error;
  }
  yield first;
  if (count <= 1) return;
  const seen = new Set([valueKey(first)]);
  for (const value of fc.sample(arbitraryAt(schema, ctx), { seed: ctx.seed + ctx.depth, numRuns: count * 2 })) {
    const clean = plain(value);
    if (seen.has(valueKey(clean))) continue;
    seen.add(valueKey(clean));
    yield clean;
    if (seen.size >= count) return;
  }
}

const arbitraries = new WeakMap<JsonSchema, Map<number, fc.Arbitrary<unknown>>>();

function typeArbitrary(flat: JsonSchema, type: SchemaType, ctx: Ctx): fc.Arbitrary<unknown> {
  const fallback = sampleType(flat, type, { ...ctx, full: false });
  switch (type) {
    case 'string':
      return stringArbitrary(flat, fallback as string);
    case 'integer':
    case 'number':
      return numberArbitrary(flat, type === 'integer', fallback as number);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return arrayArbitrary(flat, ctx, walker, fallback as unknown[]);
    case 'object':
      return objectArbitrary(flat, ctx, walker, fallback as Record<string, unknown>);
  }
}

function buildArbitrary(schema: JsonSchema, ctx: Ctx): fc.Arbitrary<unknown> {
  const fallback = sampleAt(schema, { ...ctx, full: false });
  if (ctx.depth >= SHALLOW_DEPTH) return fc.constant(fallback);
  const flat = flattened(schema);
  if (isComposed(flat)) return composedArbitrary(flat, ctx, walker, fallback);
  const values = allowedValues(flat);
  if (values) {
    const good = values.filter((v) => plainAccepts(flat, v));
    return fc.constantFrom(...good).map((v) => structuredClone(v));
  }
  const types = typeOrder(flat);
  if (!types) return fc.constant(fallback);
  const options: fc.Arbitrary<unknown>[] = [];
  for (const type of types) {
    try {
      options.push(typeArbitrary(flat, type, ctx));
    } catch (error) {
      if (!(error instanceof UnsatisfiableSchemaError)) throw error;
    }
  }
  return options.length > 0 ? fc.oneof(...options) : fc.constant(fallback);
}

function arbitraryAt(raw: JsonSchema, ctx: Ctx): fc.Arbitrary<unknown> {
  const schema = subschema(raw);
  let byDepth = arbitraries.get(schema);
  if (!byDepth) arbitraries.set(schema, (byDepth = new Map()));
  let arbitrary = byDepth.get(ctx.depth);
  if (!arbitrary) {
    arbitrary = buildArbitrary(schema, ctx);
    byDepth.set(ctx.depth, arbitrary);
  }
  return arbitrary;
}

const walker: Walker = { sample: sampleAt, candidates: candidatesAt, arbitrary: arbitraryAt };

/**
 * A valid value for the schema. `full` objects carry every writable property (the base the
 * boundaries and violations are cut from); otherwise only the required ones. Throws
 * UnsatisfiableSchemaError (pointer, keyword, reason) when the generators cannot make one.
 */
export function sampleValue(schema: JsonSchema, seed: number, full = true): unknown {
  return sampleAt(schema, root(seed, full));
}

/** `count` pairwise different valid items, deterministic for the seed (fewer if there are not as many). */
export function distinctItems(itemSchema: JsonSchema, count: number, seed: number): unknown[] {
  if (count <= 0) return [];
  return [...candidatesAt(itemSchema, root(seed, true), count)];
}

/**
 * Up to `count` random valid values, deterministic for the seed, made as they are asked for (in two
 * batches); none when the schema has no value the generators can make.
 */
export function* randomValues(schema: JsonSchema, seed: number, count: number): Generator<unknown> {
  let generator: fc.Arbitrary<unknown>;
  try {
    generator = arbitraryAt(schema, root(seed, true));
  } catch (error) {
    if (error instanceof UnsatisfiableSchemaError) return;
    throw error;
  }
  // A seed's longer sample starts with its shorter one: the second batch continues the first.
  let made = 0;
  for (const size of [Math.ceil(count / 2), count]) {
    if (size <= made) continue;
    for (const value of fc.sample(generator, { seed, numRuns: size }).slice(made)) yield plain(value);
    made = size;
  }
}

/** A fast-check arbitrary of valid values; throws UnsatisfiableSchemaError like sampleValue. */
export function arbitrary(schema: JsonSchema): fc.Arbitrary<unknown> {
  return arbitraryAt(schema, root(0, true)).map(plain);
}

interface Guard {
  pointer: string;
  schema: JsonSchema;
}

interface Location {
  pointer: string;
  flat: JsonSchema;
  value: unknown;
  guards: Guard[];
  composed: boolean;
  depth: number;
}

/** Every location of the value with the schema that applies there, the composed nodes above it first. */
function locations(
  raw: JsonSchema,
  value: unknown,
  pointer: string,
  guards: Guard[],
  depth: number,
  out: Location[],
): void {
  if (depth > SHALLOW_DEPTH + 2) return;
  const schema = subschema(raw);
  let flat = flattened(schema);
  let inner = guards;
  // A node with several compositions (oneOf and not, ...) unfolds one keyword per step.
  for (let step = 0; isComposed(flat) && step < 6; step++) {
    out.push({ pointer, flat, value, guards: inner, composed: true, depth });
    const next = effective(flat, value);
    if (!next) return;
    inner = [...inner, { pointer, schema: flat }];
    flat = flatten(next);
  }
  if (isComposed(flat)) return;
  out.push({ pointer, flat, value, guards: inner, composed: false, depth });
  // Inside a const or enum value every change is a violation of that keyword alone.
  if (allowedValues(flat)) return;
  if (isObject(value)) {
    for (const name of Object.keys(value)) {
      const sub = propertySchema(flat, name);
      if (sub !== ANY && !isNothing(sub))
        locations(sub, value[name], appendPointer(pointer, name), inner, depth + 1, out);
    }
  } else if (Array.isArray(value)) {
    const itemGuards = flat.uniqueItems || flat.contains !== undefined ? [...inner, { pointer, schema: flat }] : inner;
    const prefix = flat.prefixItems?.length ?? 0;
    for (let i = 0; i < Math.min(value.length, prefix + 1); i++) {
      const sub = itemSchemaAt(flat, i);
      if (sub !== ANY) locations(sub, value[i], `${pointer}/${i}`, itemGuards, depth + 1, out);
    }
  }
}

const integerOnly = (flat: JsonSchema): boolean => {
  const types = declaredTypes(flat);
  return types?.has('integer') === true && !types.has('number');
};

function boundariesAt(location: Location, seed: number): LocalVariant[] {
  const { flat, value } = location;
  const ctx: Ctx = { seed, full: true, depth: location.depth, pointer: location.pointer };
  if (location.composed) return composedBoundaries(flat, ctx, walker);
  const ok = (v: unknown): boolean => plainAccepts(flat, v);
  const variants = literalBoundaries(flat, ok);
  if (allowedValues(flat)) return variants;
  switch (jsonType(value)) {
    case 'string':
      return [...variants, ...stringBoundaries(flat, seed)];
    case 'integer':
    case 'number':
      return [...variants, ...numberBoundaries(flat, integerOnly(flat))];
    case 'boolean':
      return [
        ...variants,
        { label: 'false', value: false, keyword: 'type' },
        { label: 'true', value: true, keyword: 'type' },
      ];
    case 'array':
      return [...variants, ...arrayBoundaries(flat, ctx, walker)];
    case 'object':
      return [...variants, ...objectBoundaries(flat, value as Record<string, unknown>, ctx, walker)];
    default:
      return variants;
  }
}

function violationsAt(location: Location, seed: number): LocalVariant[] {
  const { flat, value } = location;
  const ctx: Ctx = { seed, full: true, depth: location.depth, pointer: location.pointer };
  if (location.composed) return composedViolations(flat, value, ctx, walker);
  const variants = literalViolations(flat);
  if (allowedValues(flat)) return variants;
  switch (jsonType(value)) {
    case 'string':
      return [...variants, ...stringViolations(flat)];
    case 'integer':
    case 'number':
      return [...variants, ...numberViolations(flat, integerOnly(flat))];
    case 'array':
      return [...variants, ...arrayViolations(flat, ctx, walker)];
    case 'object':
      return [...variants, ...objectViolations(flat, value as Record<string, unknown>)];
    default:
      return variants;
  }
}

function guardsAllow(guards: Guard[], value: unknown, mode: 'boundaries' | 'violations'): boolean {
  if (mode === 'boundaries') return guards.every((g) => accepts(g.schema, getPointer(value, g.pointer)));
  const top = guards[0];
  return top === undefined || !accepts(top.schema, getPointer(value, top.pointer));
}

/**
 * `base` with the value at `pointer` replaced: only the objects and arrays on the way are copied,
 * the rest is shared with `base` (a large body has hundreds of variants; none is changed in place).
 */
function replacedAt(base: unknown, pointer: string, value: unknown): unknown {
  const tokens = parsePointer(pointer);
  const copy = (node: unknown, depth: number): unknown => {
    if (depth === tokens.length) return value;
    const token = tokens[depth]!;
    const next = Array.isArray(node)
      ? node[Number(token)]
      : isObject(node) && Object.hasOwn(node, token)
        ? node[token]
        : undefined;
    const out: unknown = Array.isArray(node) ? [...node] : isObject(node) ? { ...node } : {};
    const child = copy(next, depth + 1);
    if (Array.isArray(out) && /^(0|[1-9]\d*)$/.test(token)) out[Number(token)] = child;
    else Object.defineProperty(out, token, { value: child, enumerable: true, writable: true, configurable: true });
    return out;
  };
  return copy(base, 0);
}

/**
 * Copies of `base` with one location replaced by each boundary (valid) or violation (invalid).
 * Variants the generators cannot make for this schema are left out; this never throws for one.
 */
export function variantsOf(
  schema: JsonSchema,
  base: unknown,
  mode: 'boundaries' | 'violations',
  seed: number,
): PlacedVariant[] {
  const found: Location[] = [];
  locations(schema, base, '', [], 0, found);
  const out: PlacedVariant[] = [];
  const seen = new Set<string>();
  for (const location of found) {
    let local: LocalVariant[];
    try {
      local = mode === 'boundaries' ? boundariesAt(location, seed) : violationsAt(location, seed);
    } catch (error) {
      if (error instanceof UnsatisfiableSchemaError) continue;
      throw error;
    }
    for (const variant of local) {
      // Two variants are the same value when they put the same value at the same place.
      const key = `${location.pointer}\u0000${valueKey(variant.value)}`;
      if (seen.has(key)) continue;
      const value =
        location.pointer === ''
          ? structuredClone(variant.value)
          : replacedAt(base, location.pointer, structuredClone(variant.value));
      if (!guardsAllow(location.guards, value, mode)) continue;
      seen.add(key);
      out.push({
        label: `${location.pointer || '/'} ${variant.label}`,
        value,
        keyword: variant.keyword,
        pointer: location.pointer,
      });
    }
  }
  return out;
}

/** The value without the properties the schema marks readOnly (a request never sends them). */
export function withoutReadOnly(raw: JsonSchema, value: unknown, depth = 0): unknown {
  let flat = flatten(subschema(raw));
  for (let step = 0; isComposed(flat) && step < 6; step++) {
    const next = effective(flat, value);
    if (!next) return value;
    flat = flatten(next);
  }
  if (depth > MAX_DEPTH * 4) return value;
  if (Array.isArray(value)) return value.map((item, i) => withoutReadOnly(itemSchemaAt(flat, i), item, depth + 1));
  if (!isObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [name, item] of Object.entries(value)) {
    const sub = propertySchema(flat, name);
    if (flatten(sub).readOnly === true) continue;
    out[name] = withoutReadOnly(sub, item, depth + 1);
  }
  return out;
}
