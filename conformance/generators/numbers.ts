/** `minimum`, `maximum`, the exclusive bounds, `multipleOf` and integer-ness of numbers. */
import type { JsonSchema } from '../../lib/json-schema.js';
import type { Variant } from './schema.js';

interface Bounds {
  low?: number;
  high?: number;
  integer: boolean;
}

function bounds(schema: JsonSchema, integer: boolean): Bounds {
  const step = integer ? 1 : 0.5;
  const low = schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + step : schema.minimum;
  const high = schema.exclusiveMaximum !== undefined ? schema.exclusiveMaximum - step : schema.maximum;
  return { ...(low !== undefined ? { low } : {}), ...(high !== undefined ? { high } : {}), integer };
}

export function sampleNumber(schema: JsonSchema, integer: boolean): number {
  const { low, high } = bounds(schema, integer);
  let value = Math.min(Math.max(1, low ?? 1), high ?? Infinity);
  if (schema.multipleOf) value = Math.ceil(value / schema.multipleOf) * schema.multipleOf;
  return integer ? Math.ceil(value) : value;
}

export function numberBoundaries(schema: JsonSchema, integer: boolean): Variant[] {
  const { low, high } = bounds(schema, integer);
  const variants: Variant[] = [];
  if (low !== undefined) variants.push({ label: `minimum ${low}`, value: low });
  if (high !== undefined) variants.push({ label: `maximum ${high}`, value: high });
  if (low === undefined && high === undefined) variants.push({ label: 'zero', value: 0 });
  return variants;
}

export function numberViolations(schema: JsonSchema, integer: boolean): Variant[] {
  const { low, high } = bounds(schema, integer);
  const step = integer ? 1 : 0.5;
  const variants: Variant[] = [];
  if (low !== undefined) variants.push({ label: `below minimum ${low}`, value: low - step });
  if (high !== undefined) variants.push({ label: `above maximum ${high}`, value: high + step });
  if (integer) variants.push({ label: 'not an integer', value: sampleNumber(schema, true) + 0.5 });
  if (schema.multipleOf)
    variants.push({
      label: `not a multiple of ${schema.multipleOf}`,
      value: sampleNumber(schema, integer) + schema.multipleOf / 2,
    });
  return variants;
}
