/** Small readers of a dereferenced schema that every generator family shares. */
import type { JsonSchema } from '../../lib/json-schema.js';

/** One generated value with the reason it exists (`maxLength 50`, `missing required "name"`). */
export interface Variant {
  label: string;
  value: unknown;
}

export type SchemaType = 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array' | 'null';

/** The schema's main type: the first non-null declared type, else what its keywords imply. */
export function mainType(schema: JsonSchema): SchemaType | undefined {
  const declared = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  const first = declared.find((t) => t !== 'null') ?? declared[0];
  if (first) return first as SchemaType;
  if (schema.properties || schema.required || schema.additionalProperties !== undefined) return 'object';
  if (schema.items) return 'array';
  const sample = schema.const ?? schema.enum?.[0];
  if (sample !== undefined) return jsonType(sample);
  if (schema.pattern !== undefined || schema.minLength !== undefined || schema.maxLength !== undefined || schema.format)
    return 'string';
  return undefined;
}

export function jsonType(value: unknown): SchemaType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value as SchemaType;
}

/** Folds `allOf` into one schema so generators see a single set of keywords. */
export function flatten(schema: JsonSchema): JsonSchema {
  if (!schema.allOf) return schema;
  const { allOf, ...rest } = schema;
  let merged: JsonSchema = { ...rest };
  for (const part of allOf.map(flatten)) {
    merged = {
      ...part,
      ...merged,
      properties: { ...part.properties, ...merged.properties },
      required: [...new Set([...(merged.required ?? []), ...(part.required ?? [])])],
    };
  }
  if (merged.required?.length === 0) delete merged.required;
  if (merged.properties && Object.keys(merged.properties).length === 0) delete merged.properties;
  return merged;
}

/** A value the spec author wrote for this schema, if any. */
export function authoredValue(schema: JsonSchema): { value: unknown } | undefined {
  if (schema.const !== undefined) return { value: schema.const };
  if (schema.example !== undefined) return { value: schema.example };
  if (schema.examples?.length) return { value: schema.examples[0] };
  if (schema.default !== undefined) return { value: schema.default };
  if (schema.enum?.length) return { value: schema.enum[0] };
  return undefined;
}

/** Writable properties: readOnly ones are never sent in a request. */
export function writableProperties(schema: JsonSchema): [string, JsonSchema][] {
  return Object.entries(schema.properties ?? {}).filter(([, s]) => s.readOnly !== true);
}
