/**
 * `required`, `properties`, `additionalProperties`, `min/maxProperties`: which properties are
 * present. Works on an object that already has every writable property (`full`).
 */
import type { JsonSchema } from '../../lib/json-schema.js';
import { type Variant, writableProperties } from './schema.js';

type Json = Record<string, unknown>;

export function objectBoundaries(schema: JsonSchema, full: Json): Variant[] {
  const required = new Set(schema.required ?? []);
  const optional = writableProperties(schema)
    .map(([name]) => name)
    .filter((name) => !required.has(name) && name in full);
  const minimal = Object.fromEntries(Object.entries(full).filter(([name]) => required.has(name)));
  const variants: Variant[] = [{ label: 'every optional property present', value: full }];
  if (optional.length > 0) variants.push({ label: 'only required properties', value: minimal });
  for (const name of optional) {
    const { [name]: _absent, ...without } = full;
    variants.push({ label: `optional "${name}" absent`, value: without });
    variants.push({ label: `only optional "${name}" present`, value: { ...minimal, [name]: full[name] } });
  }
  return variants;
}

export function objectViolations(schema: JsonSchema, full: Json): Variant[] {
  const variants: Variant[] = [];
  for (const name of schema.required ?? []) {
    const { [name]: _missing, ...without } = full;
    variants.push({ label: `missing required "${name}"`, value: without });
  }
  if (schema.additionalProperties === false) {
    variants.push({ label: 'additional property not allowed', value: { ...full, unexpectedProperty: 'x' } });
  }
  if (schema.minProperties !== undefined && schema.minProperties > 0) {
    const kept = Object.entries(full).slice(0, schema.minProperties - 1);
    variants.push({ label: `below minProperties ${schema.minProperties}`, value: Object.fromEntries(kept) });
  }
  if (schema.maxProperties !== undefined) {
    const extra: Json = { ...full };
    for (let i = 0; Object.keys(extra).length <= schema.maxProperties; i++) extra[`extra${i}`] = 'x';
    variants.push({ label: `above maxProperties ${schema.maxProperties}`, value: extra });
  }
  return variants;
}
