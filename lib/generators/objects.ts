/**
 * `properties`, `required`, `additionalProperties` (false or a schema), `unevaluatedProperties`
 * (as far as the folded schema tells), `patternProperties`, `propertyNames`, `dependentRequired`,
 * `minProperties`/`maxProperties`: which properties an object holds. readOnly properties are never
 * generated, required or not: request bodies never carry them.
 */
import fc from 'fast-check';
import { isObject } from '../json.js';
import type { JsonSchema } from '../json-schema.js';
import { ANY, conjunction, isNothing, NOTHING, subschema, writableProperties } from '../schema.js';
import { accepts, plainAccepts, regex } from './check.js';
import { type Ctx, child, guarded, type LocalVariant, UnsatisfiableSchemaError, type Walker } from './schema.js';
import { matchingStrings } from './strings.js';

type Json = Record<string, unknown>;

const count = (value: Json): number => Object.keys(value).length;

/** The schema for names no `properties`/`patternProperties` entry covers. */
function additionalSchema(flat: JsonSchema): JsonSchema {
  if (flat.additionalProperties !== undefined) return subschema(flat.additionalProperties);
  if (flat.unevaluatedProperties !== undefined) return subschema(flat.unevaluatedProperties);
  return ANY;
}

const matchingPatterns = (flat: JsonSchema, name: string): JsonSchema[] =>
  Object.entries(flat.patternProperties ?? {})
    .filter(([pattern]) => regex(pattern)?.test(name) ?? false)
    .map(([, schema]) => subschema(schema));

/** Every schema the value of property `name` must satisfy, as one schema. */
export function propertySchema(flat: JsonSchema, name: string): JsonSchema {
  const declared = flat.properties?.[name];
  const parts = [...(declared !== undefined ? [subschema(declared)] : []), ...matchingPatterns(flat, name)];
  if (parts.length === 0) return additionalSchema(flat);
  return parts.slice(1).reduce((all, part) => conjunction(all, part), parts[0]!);
}

const isDeclared = (flat: JsonSchema, name: string): boolean =>
  flat.properties?.[name] !== undefined || matchingPatterns(flat, name).length > 0;

export function nameAllowed(flat: JsonSchema, name: string): boolean {
  if (flat.propertyNames !== undefined && !accepts(subschema(flat.propertyNames), name)) return false;
  return !isNothing(propertySchema(flat, name));
}

/** `names` plus every property they need through dependentRequired. */
function withDependents(flat: JsonSchema, names: string[]): string[] {
  const out = [...names];
  for (let i = 0; i < out.length; i++)
    for (const dependent of flat.dependentRequired?.[out[i]!] ?? []) if (!out.includes(dependent)) out.push(dependent);
  return out;
}

/** Names for properties beyond the declared ones: pattern matches first, then plain extras. */
function extraNames(flat: JsonSchema, taken: Set<string>, seed: number, count: number): string[] {
  const names: string[] = [];
  for (const pattern of Object.keys(flat.patternProperties ?? {}))
    for (const name of matchingStrings({ pattern, maxLength: 20 }, seed, count + 2))
      if (!taken.has(name) && !names.includes(name) && flat.properties?.[name] === undefined && nameAllowed(flat, name))
        names.push(name);
  for (let i = 0; names.length < count + 2 && i < count + 10; i++) {
    const name = `extra${i}`;
    if (!taken.has(name) && !isDeclared(flat, name) && nameAllowed(flat, name)) names.push(name);
  }
  return names;
}

/** The names an object holds: required ones, then (when `full`) each writable optional one that fits. */
function chooseNames(flat: JsonSchema, full: boolean, ctx: Ctx): string[] {
  const readOnly = new Set(
    Object.keys(flat.properties ?? {}).filter((n) => !writableProperties(flat).some(([w]) => w === n)),
  );
  const required = withDependents(
    flat,
    (flat.required ?? []).filter((n) => !readOnly.has(n)),
  );
  for (const name of required)
    if (!nameAllowed(flat, name))
      throw new UnsatisfiableSchemaError(
        `${ctx.pointer}/${name}`,
        flat.propertyNames !== undefined ? 'propertyNames' : 'additionalProperties',
        `required property "${name}" is not allowed`,
      );
  const max = flat.maxProperties ?? Infinity;
  if (required.length > max)
    throw new UnsatisfiableSchemaError(
      ctx.pointer,
      'maxProperties',
      `${required.length} required properties exceed maxProperties ${max}`,
    );
  const names = [...required];
  const optional = writableProperties(flat)
    .map(([n]) => n)
    .filter((n) => !names.includes(n) && nameAllowed(flat, n));
  const min = flat.minProperties ?? 0;
  for (const name of optional) {
    if (!full && names.length >= min) break;
    const adding = withDependents(flat, [name]).filter((n) => !names.includes(n));
    if (names.length + adding.length <= max && adding.every((n) => !readOnly.has(n) && nameAllowed(flat, n)))
      names.push(...adding);
  }
  if (names.length < min)
    names.push(...extraNames(flat, new Set(names), ctx.seed, min - names.length).slice(0, min - names.length));
  if (names.length < min)
    throw new UnsatisfiableSchemaError(
      ctx.pointer,
      'minProperties',
      `fewer than minProperties ${min} properties are allowed`,
    );
  return names;
}

/** An object with the chosen names; optional properties whose value cannot be made are left out. */
export function sampleObject(flat: JsonSchema, ctx: Ctx, walker: Walker): Json {
  const names = chooseNames(flat, ctx.full, ctx);
  const required = new Set(withDependents(flat, flat.required ?? []));
  const min = flat.minProperties ?? 0;
  const out: Json = {};
  for (const name of names) {
    try {
      out[name] = walker.sample(propertySchema(flat, name), child(ctx, name));
    } catch (error) {
      if (!(error instanceof UnsatisfiableSchemaError) || required.has(name) || names.length - 1 < min) throw error;
    }
  }
  // A dropped optional property may leave a dependent behind that now needs nothing; a dependency
  // that was dropped leaves its dependents unmet.
  for (const [name, dependents] of Object.entries(flat.dependentRequired ?? {}))
    if (name in out && dependents.some((d) => !(d in out))) delete out[name];
  if (count(out) < min)
    throw new UnsatisfiableSchemaError(
      ctx.pointer,
      'minProperties',
      `fewer than minProperties ${min} properties have values`,
    );
  return out;
}

export function objectBoundaries(flat: JsonSchema, full: Json, ctx: Ctx, walker: Walker): LocalVariant[] {
  const required = new Set(withDependents(flat, flat.required ?? []));
  const min = flat.minProperties ?? 0;
  const max = flat.maxProperties ?? Infinity;
  const fits = (value: Json): boolean => count(value) >= min && count(value) <= max;
  const optional = Object.keys(full).filter((name) => !required.has(name));
  const pick = (names: string[]): Json => Object.fromEntries(Object.entries(full).filter(([n]) => names.includes(n)));
  const minimal = pick([...required]);
  const variants: LocalVariant[] = [{ label: 'every optional property present', value: full, keyword: 'properties' }];
  if (optional.length > 0 && fits(minimal))
    variants.push({ label: 'only required properties', value: minimal, keyword: 'required' });
  for (const name of optional) {
    const needing = Object.keys(full).filter((n) => withDependents(flat, [n]).includes(name));
    if (!needing.some((n) => required.has(n))) {
      const without = pick(Object.keys(full).filter((n) => !needing.includes(n)));
      if (fits(without)) variants.push({ label: `optional "${name}" absent`, value: without, keyword: 'properties' });
    }
    const only = pick([...required, ...withDependents(flat, [name])]);
    if (fits(only) && count(only) < count(full))
      variants.push({ label: `only optional "${name}" present`, value: only, keyword: 'properties' });
  }
  if (count(full) < max) {
    const taken = new Set(Object.keys(full));
    for (const name of extraNames(flat, taken, ctx.seed, 1).slice(0, 1)) {
      const keyword = matchingPatterns(flat, name).length > 0 ? 'patternProperties' : 'additionalProperties';
      if (keyword === 'additionalProperties' && flat.additionalProperties === undefined) continue;
      try {
        const value = walker.sample(propertySchema(flat, name), child({ ...ctx, full: false }, name));
        variants.push({ label: `${keyword} "${name}"`, value: { ...full, [name]: value }, keyword });
      } catch (error) {
        if (!(error instanceof UnsatisfiableSchemaError)) throw error;
      }
    }
  }
  return variants;
}

const BAD_VALUES: unknown[] = [12345, 'not-allowed', null, true, { key: 'value' }, ['item'], 0.5];
const BAD_NAMES = ['', 'Invalid Name!', 'x'.repeat(300), '0', 'UPPER', 'ünïcødé'];

export function objectViolations(flat: JsonSchema, full: Json): LocalVariant[] {
  const variants: LocalVariant[] = [];
  for (const name of flat.required ?? []) {
    if (!(name in full)) continue;
    const { [name]: _missing, ...without } = full;
    variants.push({ label: `missing required "${name}"`, value: without, keyword: 'required' });
  }
  const additional = additionalSchema(flat);
  const extra = ['unexpectedProperty', 'unexpected_property2'].find((n) => !isDeclared(flat, n) && !(n in full));
  if (extra !== undefined && isNothing(additional)) {
    const keyword = flat.additionalProperties !== undefined ? 'additionalProperties' : 'unevaluatedProperties';
    variants.push({ label: `additional property not allowed (${keyword})`, value: { ...full, [extra]: 'x' }, keyword });
  } else if (extra !== undefined && additional !== ANY && additional !== NOTHING) {
    const bad = BAD_VALUES.find((v) => !accepts(additional, v));
    if (bad !== undefined)
      variants.push({
        label: `additional property "${extra}" of a wrong value`,
        value: { ...full, [extra]: bad },
        keyword: 'additionalProperties',
      });
  }
  for (const [pattern, schema] of Object.entries(flat.patternProperties ?? {})) {
    const name = matchingStrings({ pattern, maxLength: 20 }, 1, 3).find(
      (n) => flat.properties?.[n] === undefined && !(n in full),
    );
    const bad = BAD_VALUES.find((v) => !accepts(subschema(schema), v));
    if (name !== undefined && bad !== undefined)
      variants.push({
        label: `"${name}" (patternProperties ${pattern}) of a wrong value`,
        value: { ...full, [name]: bad },
        keyword: 'patternProperties',
      });
  }
  if (flat.propertyNames !== undefined) {
    const names = subschema(flat.propertyNames);
    const name = BAD_NAMES.find((n) => !(n in full) && !accepts(names, n));
    if (name !== undefined)
      variants.push({
        label: `property name ${JSON.stringify(name.slice(0, 20))} (propertyNames)`,
        value: { ...full, [name]: 'x' },
        keyword: 'propertyNames',
      });
  }
  for (const [name, dependents] of Object.entries(flat.dependentRequired ?? {})) {
    const dependent = dependents.find((d) => d in full);
    if (!(name in full) || dependent === undefined) continue;
    const { [dependent]: _gone, ...without } = full;
    variants.push({
      label: `"${name}" without its dependent "${dependent}"`,
      value: without,
      keyword: 'dependentRequired',
    });
  }
  if (flat.minProperties !== undefined && flat.minProperties > 0) {
    const kept = Object.entries(full).slice(0, flat.minProperties - 1);
    variants.push({
      label: `below minProperties ${flat.minProperties}`,
      value: Object.fromEntries(kept),
      keyword: 'minProperties',
    });
  }
  if (flat.maxProperties !== undefined) {
    const more: Json = { ...full };
    for (let i = 0; count(more) <= flat.maxProperties; i++) if (!(`extra${i}` in more)) more[`extra${i}`] = 'x';
    variants.push({ label: `above maxProperties ${flat.maxProperties}`, value: more, keyword: 'maxProperties' });
  }
  return variants;
}

export function objectArbitrary(flat: JsonSchema, ctx: Ctx, walker: Walker, fallback: Json): fc.Arbitrary<Json> {
  const required = new Set(withDependents(flat, flat.required ?? []));
  const entries: [string, fc.Arbitrary<unknown>][] = [];
  for (const [name] of writableProperties(flat)) {
    if (!nameAllowed(flat, name)) continue;
    try {
      entries.push([name, walker.arbitrary(propertySchema(flat, name), child(ctx, name))]);
    } catch (error) {
      if (!(error instanceof UnsatisfiableSchemaError) || required.has(name)) throw error;
    }
  }
  const present = new Set(entries.map(([n]) => n));
  const record = fc.record(Object.fromEntries(entries), {
    requiredKeys: [...required].filter((n) => present.has(n)),
  }) as fc.Arbitrary<Json>;
  const checked =
    flat.minProperties !== undefined ||
    flat.maxProperties !== undefined ||
    flat.dependentRequired !== undefined ||
    flat.propertyNames !== undefined ||
    [...required].some((n) => !present.has(n));
  // fast-check may build null-prototype objects; callers expect plain ones.
  const plain = record.map((value) => ({ ...value }));
  return checked ? guarded(plain, (v) => isObject(v) && plainAccepts(flat, v), fallback) : plain;
}
