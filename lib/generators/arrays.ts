/**
 * `minItems`, `maxItems`, `uniqueItems`, `items` (also `false`), `prefixItems`, `contains` with
 * `minContains`/`maxContains`: arrays at and past their bounds. Items come from the walker.
 */
import fc from 'fast-check';
import type { JsonSchema } from '../json-schema.js';
import { ANY, conjunction, isNothing, jsonEqual, subschema } from '../schema.js';
import { accepts, plainAccepts } from './check.js';
import {
  type Ctx,
  child,
  firstOf,
  guarded,
  type LocalVariant,
  SHALLOW_DEPTH,
  UnsatisfiableSchemaError,
  type Walker,
} from './schema.js';

/** Larger bounds are not worth a request body of that size. */
const LARGEST_BOUNDARY = 100;
const RANDOM_EXTRA_ITEMS = 3;

export function itemSchemaAt(flat: JsonSchema, index: number): JsonSchema {
  const prefix = flat.prefixItems ?? [];
  if (index < prefix.length) return subschema(prefix[index]);
  return flat.items === undefined ? ANY : subschema(flat.items);
}

/** How many items the array may hold at most (items: false stops it after prefixItems). */
export function maxLength(flat: JsonSchema): number {
  const closed = flat.items !== undefined && isNothing(subschema(flat.items));
  const limit = closed ? (flat.prefixItems ?? []).length : Infinity;
  return Math.min(limit, flat.maxItems ?? Infinity);
}

const minContains = (flat: JsonSchema): number => (flat.contains === undefined ? 0 : (flat.minContains ?? 1));

/**
 * At least `count` valid items, `matching` of them also satisfying `contains` (placed where the item
 * schema allows, so the array grows past `count` if it must); the others do not satisfy it (so the
 * count is exact) unless `loose`. Pairwise different under uniqueItems.
 */
export function fillArray(
  flat: JsonSchema,
  count: number,
  matching: number,
  ctx: Ctx,
  walker: Walker,
  loose = false,
): unknown[] {
  const contains = flat.contains === undefined ? undefined : subschema(flat.contains);
  const limit = Math.min(maxLength(flat), Math.max(count, matching) + (flat.prefixItems?.length ?? 0));
  const items: unknown[] = [];
  let needed = contains === undefined ? 0 : matching;
  for (let i = 0; i < count || needed > 0; i++) {
    const itemCtx = child(ctx, i);
    if (i >= limit)
      throw new UnsatisfiableSchemaError(
        itemCtx.pointer,
        'contains',
        `no room for ${matching} items matching contains`,
      );
    const base = itemSchemaAt(flat, i);
    const tries = flat.uniqueItems || contains ? count + 6 : 1;
    const fresh = (v: unknown): boolean => !flat.uniqueItems || !items.some((other) => jsonEqual(other, v));
    let found: unknown;
    if (needed > 0) found = firstOf(walker.candidates(conjunction(base, contains!), itemCtx, tries), fresh);
    if (found !== undefined) needed--;
    else {
      found = firstOf(
        walker.candidates(base, itemCtx, tries),
        (v) => fresh(v) && (contains === undefined || loose || !accepts(contains, v)),
      );
      if (found !== undefined && contains !== undefined && accepts(contains, found)) needed--;
    }
    if (found === undefined) {
      const keyword = flat.uniqueItems ? 'uniqueItems' : 'items';
      throw new UnsatisfiableSchemaError(itemCtx.pointer, keyword, `no item value could be generated for ${keyword}`);
    }
    items.push(found);
  }
  return items;
}

export function sampleArray(flat: JsonSchema, ctx: Ctx, walker: Walker): unknown[] {
  const min = Math.max(flat.minItems ?? 0, minContains(flat));
  const max = maxLength(flat);
  if (min > max)
    throw new UnsatisfiableSchemaError(
      ctx.pointer,
      'maxItems',
      `at least ${min} items are needed but at most ${max} are allowed`,
    );
  const count = ctx.full && ctx.depth < SHALLOW_DEPTH ? Math.min(Math.max(min, 1), max) : min;
  return fillArray(flat, count, minContains(flat), ctx, walker, flat.maxContains === undefined);
}

/** Runs a family step that may find no value; such a variant is simply not made. */
const attempt = <T>(make: () => T): T | undefined => {
  try {
    return make();
  } catch (error) {
    if (error instanceof UnsatisfiableSchemaError) return undefined;
    throw error;
  }
};

export function arrayBoundaries(flat: JsonSchema, ctx: Ctx, walker: Walker): LocalVariant[] {
  const variants: LocalVariant[] = [];
  const add = (label: string, keyword: string, make: () => unknown[]): void => {
    const value = attempt(make);
    if (value !== undefined) variants.push({ label, value, keyword });
  };
  const min = Math.max(flat.minItems ?? 0, minContains(flat));
  const max = maxLength(flat);
  const loose = flat.maxContains === undefined;
  add(`minItems ${min}`, 'minItems', () => fillArray(flat, min, minContains(flat), ctx, walker, loose));
  if (max <= LARGEST_BOUNDARY && max !== min)
    add(`maxItems ${max}`, flat.maxItems === max ? 'maxItems' : 'items', () =>
      fillArray(flat, max, minContains(flat), ctx, walker, loose),
    );
  if (flat.contains !== undefined && flat.maxContains !== undefined && flat.maxContains > minContains(flat)) {
    const count = Math.max(flat.maxContains, flat.minItems ?? 0);
    if (count <= Math.min(max, LARGEST_BOUNDARY))
      add(`maxContains ${flat.maxContains}`, 'maxContains', () =>
        fillArray(flat, count, flat.maxContains!, ctx, walker),
      );
  }
  return variants;
}

export function arrayViolations(flat: JsonSchema, ctx: Ctx, walker: Walker): LocalVariant[] {
  const variants: LocalVariant[] = [];
  const add = (label: string, keyword: string, make: () => unknown[] | undefined): void => {
    const value = attempt(make);
    if (value !== undefined) variants.push({ label, value, keyword });
  };
  const min = flat.minItems ?? 0;
  const max = maxLength(flat);
  const needed = minContains(flat);
  if (min > 0)
    add(`below minItems ${min}`, 'minItems', () => fillArray(flat, min, needed, ctx, walker, true).slice(0, min - 1));
  if (flat.maxItems !== undefined && flat.maxItems < LARGEST_BOUNDARY) {
    const open = { ...flat, maxItems: undefined, maxContains: undefined, uniqueItems: false };
    add(`above maxItems ${flat.maxItems}`, 'maxItems', () => {
      const made = attempt(() => fillArray(open, flat.maxItems! + 1, needed, ctx, walker, true));
      return made ?? Array.from({ length: flat.maxItems! + 1 }, (_, i) => i);
    });
  }
  if (flat.items !== undefined && isNothing(subschema(flat.items)) && flat.prefixItems && max + 1 < LARGEST_BOUNDARY) {
    add(`item past prefixItems (items: false)`, 'items', () => [
      ...fillArray(flat, flat.prefixItems!.length, needed, ctx, walker, true),
      'extra',
    ]);
  }
  if (flat.uniqueItems && max >= 2) {
    add('duplicate items (uniqueItems)', 'uniqueItems', () => {
      const items = fillArray({ ...flat, uniqueItems: false }, Math.max(min, 2), needed, ctx, walker, true);
      items[1] = structuredClone(items[0]);
      return items;
    });
  }
  if (flat.contains !== undefined && needed > 0) {
    const keyword = needed > 1 ? 'minContains' : 'contains';
    const count = Math.min(Math.max(min, needed), max);
    add(needed > 1 ? `below minContains ${needed}` : 'no item matches contains', keyword, () =>
      fillArray(flat, count, needed - 1, ctx, walker),
    );
  }
  if (
    flat.contains !== undefined &&
    flat.maxContains !== undefined &&
    flat.maxContains + 1 <= Math.min(max, LARGEST_BOUNDARY)
  ) {
    add(`above maxContains ${flat.maxContains}`, 'maxContains', () =>
      fillArray(
        { ...flat, maxContains: undefined },
        Math.max(flat.maxContains! + 1, min),
        flat.maxContains! + 1,
        ctx,
        walker,
        true,
      ),
    );
  }
  return variants;
}

export function arrayArbitrary(
  flat: JsonSchema,
  ctx: Ctx,
  walker: Walker,
  fallback: unknown[],
): fc.Arbitrary<unknown[]> {
  const prefix = (flat.prefixItems ?? []).map((s, i) => walker.arbitrary(subschema(s), child(ctx, i)));
  const max = Math.min(maxLength(flat), Math.max(flat.minItems ?? 0, prefix.length) + RANDOM_EXTRA_ITEMS);
  const kept = prefix.slice(0, Math.min(prefix.length, max));
  const restMin = Math.max(0, (flat.minItems ?? 0) - kept.length);
  const restMax = Math.max(restMin, max - kept.length);
  const rest =
    max > kept.length && restMax > 0
      ? fc.array(walker.arbitrary(itemSchemaAt(flat, kept.length), child(ctx, kept.length)), {
          minLength: restMin,
          maxLength: restMax,
        })
      : fc.constant([] as unknown[]);
  const arbitrary = fc.tuple(fc.tuple(...kept), rest).map(([head, tail]) => [...head, ...tail]);
  const needsCheck = flat.uniqueItems || flat.contains !== undefined || kept.length > 0;
  return needsCheck ? guarded(arbitrary, (v) => plainAccepts(flat, v), fallback) : arbitrary;
}
