/** What every generator family shares: the Variant, the walk context and the unsatisfiable error. */
import type fc from 'fast-check';
import { appendPointer } from '../json-pointer.js';
import type { JsonSchema } from '../json-schema.js';

/**
 * One value with the reason it exists: `label` for people (`maxLength 50`, `missing required
 * "name"`), `keyword` the JSON Schema keyword exercised and `pointer` where in the instance the value
 * changed ('' for the root). Callers also label values of their own (examples), without the two.
 */
export interface Variant {
  label: string;
  value: unknown;
  keyword?: string;
  pointer?: string;
}

/** What `variantsOf` returns: every field set. */
export type PlacedVariant = Required<Variant>;

/** A family's variant before the walker places it: relative to the location it was made for. */
export interface LocalVariant {
  label: string;
  value: unknown;
  keyword: string;
}

/** Where the walk is: the seed, whether objects carry every writable property, depth and pointer. */
export interface Ctx {
  seed: number;
  full: boolean;
  depth: number;
  pointer: string;
}

/** Beyond this depth objects carry only required properties and arrays only their minimum items. */
export const SHALLOW_DEPTH = 4;
/** A recursion that still needs a value this deep has no finite value the generators can find. */
export const MAX_DEPTH = 10;

/** The generators cannot produce a valid value: `pointer` and `keyword` say where and why. */
export class UnsatisfiableSchemaError extends Error {
  constructor(
    readonly pointer: string,
    readonly keyword: string,
    readonly reason: string,
  ) {
    super(`${pointer || '/'}: ${reason}`);
    this.name = 'UnsatisfiableSchemaError';
  }
}

/** What the families call back into: the walker's sampling of a subschema. */
export interface Walker {
  /** A valid value, or UnsatisfiableSchemaError. */
  sample(schema: JsonSchema, ctx: Ctx): unknown;
  /** Up to `count` distinct valid values, the sample first, made as they are asked for; none when there is none. */
  candidates(schema: JsonSchema, ctx: Ctx, count: number): Iterable<unknown>;
  /** Random valid values at the context's depth. */
  arbitrary(schema: JsonSchema, ctx: Ctx): fc.Arbitrary<unknown>;
}

export const child = (ctx: Ctx, token: string | number): Ctx => ({
  ...ctx,
  depth: ctx.depth + 1,
  full: ctx.full && ctx.depth + 1 < SHALLOW_DEPTH,
  pointer: appendPointer(ctx.pointer, token),
});

/** A short, stable key for de-duplicating generated values (never used on schemas). */
/** The first value the test accepts; later values are never made. */
export function firstOf(values: Iterable<unknown>, test: (value: unknown) => boolean): unknown {
  for (const value of values) if (test(value)) return value;
  return undefined;
}

export const valueKey = (value: unknown): string => JSON.stringify(value) ?? 'undefined';

/** The arbitrary's values where `ok`, the known-good fallback where not: never filters, never loops. */
export const guarded = <T>(arbitrary: fc.Arbitrary<T>, ok: (value: T) => boolean, fallback: T): fc.Arbitrary<T> =>
  arbitrary.map((value) => (ok(value) ? value : fallback));
