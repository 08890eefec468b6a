/**
 * Walks a schema and combines the keyword families: a representative valid value, the valid
 * boundaries and the single violations at every location of it, and a fast-check arbitrary for the
 * random phase. Callers re-validate every result with AJV; generators may be approximate, reports not.
 */
import fc from 'fast-check';
import { setPointer } from '../../lib/json-pointer.js';
import type { JsonSchema } from '../../lib/json-schema.js';
import { arrayBoundaries, arrayViolations } from './arrays.js';
import { formatViolations, sampleFormat } from './formats.js';
import { numberBoundaries, numberViolations, sampleNumber } from './numbers.js';
import { objectBoundaries, objectViolations } from './objects.js';
import { authoredValue, flatten, jsonType, mainType, type Variant, writableProperties } from './schema.js';
import { patternArbitrary, sampleString, stringBoundaries, stringViolations } from './strings.js';

type Json = Record<string, unknown>;

const WRONG_TYPE: Record<string, unknown> = {
  string: 12345,
  integer: 'not-a-number',
  number: 'not-a-number',
  boolean: 'not-a-boolean',
  object: 'not-an-object',
  array: 'not-an-array',
};

/**
 * A valid value for the schema. `full` objects carry every writable property (the base the
 * boundaries and violations are cut from); otherwise only the required ones.
 */
export function sampleValue(raw: JsonSchema, seed: number, full = true): unknown {
  const schema = flatten(raw);
  const type = mainType(schema);
  const authored = authoredValue(schema);
  if (authored && type !== 'object' && type !== 'array') return structuredClone(authored.value);
  switch (type) {
    case 'string':
      return (schema.format && sampleFormat(schema.format)) ?? sampleString(schema, seed);
    case 'integer':
      return sampleNumber(schema, true);
    case 'number':
      return sampleNumber(schema, false);
    case 'boolean':
      return true;
    case 'null':
      return null;
    case 'array': {
      if (authored) return structuredClone(authored.value);
      const count = Math.min(Math.max(schema.minItems ?? 0, 1), schema.maxItems ?? 1);
      return distinctItems(schema.items ?? {}, count, seed);
    }
    case 'object': {
      const required = new Set(schema.required ?? []);
      const out: Json = {};
      for (const [name, sub] of writableProperties(schema)) {
        if (full || required.has(name)) out[name] = sampleValue(sub, seed, full);
      }
      return out;
    }
    default:
      return authored ? structuredClone(authored.value) : 'x';
  }
}

/** `count` pairwise different valid items, deterministic for the seed. */
export function distinctItems(itemSchema: JsonSchema, count: number, seed: number): unknown[] {
  if (count <= 0) return [];
  const items = [sampleValue(itemSchema, seed)];
  const seen = new Set(items.map((item) => JSON.stringify(item)));
  for (const candidate of randomValues(itemSchema, seed, count * 20)) {
    if (items.length >= count) break;
    const key = JSON.stringify(candidate);
    if (!seen.has(key)) {
      seen.add(key);
      items.push(candidate);
    }
  }
  return items;
}

/** Every sub-value the base value holds, with its pointer and schema (array: the first item). */
function locations(
  raw: JsonSchema,
  value: unknown,
  pointer = '',
): { pointer: string; schema: JsonSchema; value: unknown }[] {
  const schema = flatten(raw);
  const here = [{ pointer, schema, value }];
  const type = mainType(schema);
  if (type === 'object' && value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [name, sub] of writableProperties(schema)) {
      if (name in (value as Json))
        here.push(
          ...locations(sub, (value as Json)[name], `${pointer}/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`),
        );
    }
  } else if (type === 'array' && Array.isArray(value) && value.length > 0 && schema.items) {
    here.push(...locations(schema.items, value[0], `${pointer}/0`));
  }
  return here;
}

function boundariesAt(schema: JsonSchema, value: unknown, seed: number): Variant[] {
  if (schema.enum) return schema.enum.map((v) => ({ label: `enum value ${JSON.stringify(v)}`, value: v }));
  if (schema.const !== undefined) return [];
  switch (mainType(schema)) {
    case 'string':
      return schema.format ? [] : stringBoundaries(schema, seed);
    case 'integer':
      return numberBoundaries(schema, true);
    case 'number':
      return numberBoundaries(schema, false);
    case 'boolean':
      return [
        { label: 'false', value: false },
        { label: 'true', value: true },
      ];
    case 'array':
      return arrayBoundaries(schema, (n) => distinctItems(schema.items ?? {}, n, seed));
    case 'object':
      return value && typeof value === 'object' ? objectBoundaries(schema, value as Json) : [];
    default:
      return [];
  }
}

function violationsAt(schema: JsonSchema, value: unknown, seed: number): Variant[] {
  const type = mainType(schema);
  const variants: Variant[] = [];
  if (type && WRONG_TYPE[type] !== undefined)
    variants.push({ label: `wrong type (${jsonType(WRONG_TYPE[type])} instead of ${type})`, value: WRONG_TYPE[type] });
  if (schema.enum) {
    const outside = type === 'string' ? 'not-in-enum' : 987654321;
    variants.push({ label: 'value outside enum', value: outside });
  }
  switch (type) {
    case 'string':
      variants.push(...stringViolations(schema));
      if (schema.format) variants.push(...formatViolations(schema.format));
      break;
    case 'integer':
    case 'number':
      variants.push(...numberViolations(schema, type === 'integer'));
      break;
    case 'array':
      variants.push(...arrayViolations(schema, (n) => distinctItems(schema.items ?? {}, n, seed)));
      break;
    case 'object':
      if (value && typeof value === 'object') variants.push(...objectViolations(schema, value as Json));
      break;
  }
  return variants;
}

/** Copies of `base` with one location replaced by each boundary (valid) or violation (invalid). */
export function variantsOf(
  schema: JsonSchema,
  base: unknown,
  mode: 'boundaries' | 'violations',
  seed: number,
): Variant[] {
  const out: Variant[] = [];
  const seen = new Set<string>();
  for (const location of locations(schema, base)) {
    const found =
      mode === 'boundaries'
        ? boundariesAt(location.schema, location.value, seed)
        : violationsAt(location.schema, location.value, seed);
    for (const variant of found) {
      let value: unknown;
      if (location.pointer === '') value = structuredClone(variant.value);
      else {
        value = structuredClone(base);
        setPointer(value, location.pointer, structuredClone(variant.value));
      }
      const key = JSON.stringify(value);
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ label: `${location.pointer || '/'} ${variant.label}`, value });
    }
  }
  return out;
}

const RANDOM_STRING_CAP = 60;

/** Seeded samples of the arbitrary as plain JSON (fast-check may build null-prototype objects). */
export function randomValues(schema: JsonSchema, seed: number, count: number): unknown[] {
  return fc
    .sample(arbitrary(schema), { seed, numRuns: count })
    .map((value) => JSON.parse(JSON.stringify(value)) as unknown);
}

/** A fast-check arbitrary of (mostly) valid values, for the seeded random phase. */
export function arbitrary(raw: JsonSchema): fc.Arbitrary<unknown> {
  const schema = flatten(raw);
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum?.length) return fc.constantFrom(...schema.enum);
  switch (mainType(schema)) {
    case 'string': {
      if (schema.format) {
        if (schema.format === 'email') return fc.emailAddress();
        if (schema.format === 'uuid') return fc.uuid();
        const sample = sampleFormat(schema.format);
        if (sample !== undefined) return fc.constant(sample);
      }
      const min = schema.minLength ?? 0;
      const max = schema.maxLength ?? Math.max(min, RANDOM_STRING_CAP);
      if (schema.pattern !== undefined) {
        const matching = patternArbitrary(schema.pattern);
        return matching
          ? matching.filter((s) => [...s].length >= min && [...s].length <= max)
          : fc.constant(sampleString(schema, 0));
      }
      // Servers commonly trim input, so edge whitespace would turn a valid value into an empty one.
      return fc
        .string({
          minLength: min,
          maxLength: Math.min(max, Math.max(min, RANDOM_STRING_CAP)),
          unit: 'grapheme-composite',
        })
        .filter((s) => s.trim() === s && [...s].length >= min && [...s].length <= max);
    }
    case 'integer': {
      const low = schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : schema.minimum;
      const high = schema.exclusiveMaximum !== undefined ? schema.exclusiveMaximum - 1 : schema.maximum;
      return fc.integer({ min: low ?? -1_000_000, max: high ?? 1_000_000 });
    }
    case 'number':
      return fc.double({
        min: schema.minimum ?? -1e6,
        max: schema.maximum ?? 1e6,
        noNaN: true,
        noDefaultInfinity: true,
      });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      const min = schema.minItems ?? 0;
      const max = Math.min(schema.maxItems ?? min + 3, min + 3);
      const item = arbitrary(schema.items ?? {});
      return schema.uniqueItems
        ? fc.uniqueArray(item, { minLength: min, maxLength: max, selector: (v) => JSON.stringify(v) })
        : fc.array(item, { minLength: min, maxLength: max });
    }
    case 'object': {
      const properties = writableProperties(schema);
      if (properties.length === 0) {
        return fc.dictionary(
          fc.stringMatching(/^[a-z]{1,8}$/),
          fc.oneof(fc.string({ maxLength: 10 }), fc.integer(), fc.boolean()),
          {
            minKeys: schema.minProperties ?? 0,
            maxKeys: Math.max(schema.minProperties ?? 0, 3),
          },
        );
      }
      const required = (schema.required ?? []).filter((name) => properties.some(([p]) => p === name));
      return fc.record(Object.fromEntries(properties.map(([name, sub]) => [name, arbitrary(sub)])), {
        requiredKeys: required,
      });
    }
    default:
      return fc.constant('x');
  }
}

/** The value without the properties the schema marks readOnly (a request never sends them). */
export function withoutReadOnly(raw: JsonSchema, value: unknown): unknown {
  const schema = flatten(raw);
  if (Array.isArray(value)) return schema.items ? value.map((item) => withoutReadOnly(schema.items!, item)) : value;
  if (!value || typeof value !== 'object') return value;
  const out: Json = {};
  for (const [name, item] of Object.entries(value as Json)) {
    const sub = schema.properties?.[name];
    if (sub?.readOnly === true) continue;
    out[name] = sub ? withoutReadOnly(sub, item) : item;
  }
  return out;
}
