/** `minItems`, `maxItems`, `uniqueItems`: array lengths at and past their bounds. */
import type { JsonSchema } from '../../lib/json-schema.js';
import type { Variant } from './schema.js';

/** `distinctItems(n)` must return n items that are pairwise different (for uniqueItems). */
export type ItemSource = (count: number) => unknown[];

const LARGEST_BOUNDARY = 100;

export function arrayBoundaries(schema: JsonSchema, items: ItemSource): Variant[] {
  const variants: Variant[] = [];
  const min = schema.minItems ?? 0;
  variants.push({ label: `minItems ${min}`, value: items(min) });
  if (schema.maxItems !== undefined && schema.maxItems <= LARGEST_BOUNDARY && schema.maxItems !== min) {
    variants.push({ label: `maxItems ${schema.maxItems}`, value: items(schema.maxItems) });
  }
  return variants;
}

export function arrayViolations(schema: JsonSchema, items: ItemSource): Variant[] {
  const variants: Variant[] = [];
  const min = schema.minItems ?? 0;
  if (min > 0) variants.push({ label: `below minItems ${min}`, value: items(min - 1) });
  if (schema.maxItems !== undefined && schema.maxItems < LARGEST_BOUNDARY) {
    variants.push({ label: `above maxItems ${schema.maxItems}`, value: items(schema.maxItems + 1) });
  }
  if (schema.uniqueItems) {
    const [first] = items(1);
    if (first !== undefined)
      variants.push({ label: 'duplicate items (uniqueItems)', value: [first, structuredClone(first)] });
  }
  return variants;
}
