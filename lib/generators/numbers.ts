/**
 * `minimum`, `maximum`, the exclusive bounds, `multipleOf`, integer-ness and OpenAPI's int32/int64
 * formats (integer ranges; int64 generated within the doubles whose JSON text is in range).
 */
import fc from 'fast-check';
import type { JsonSchema } from '../json-schema.js';
import { ABOVE_INT64 } from '../validator.js';
import { isMultiple } from './check.js';
import { type Ctx, guarded, type LocalVariant, UnsatisfiableSchemaError } from './schema.js';

const INT32 = { min: -(2 ** 31), max: 2 ** 31 - 1 };
/**
 * The doubles nearest the int64 limits whose JSON text a 64-bit server reads in range: 2^63 is
 * written `9223372036854776000`, above Long.MAX_VALUE, though a validator reading it back cannot tell.
 */
const INT64 = { min: -(2 ** 63) + 1024, max: 2 ** 63 - 1024 };
/** Without bounds, random numbers stay in a range people read easily. */
const RANDOM_SPAN = 1_000_000;
/** Grid steps tried before a range is declared empty. */
const STEPS = 64;

export interface NumberRange {
  low?: number;
  lowOpen: boolean;
  high?: number;
  highOpen: boolean;
  integer: boolean;
  multipleOf?: number;
}

export function numberRange(flat: JsonSchema, integer: boolean): NumberRange {
  const range: NumberRange = {
    lowOpen: false,
    highOpen: false,
    integer: integer || flat.format === 'int32' || flat.format === 'int64',
  };
  const lower = (value: number, open: boolean): void => {
    if (range.low === undefined || value > range.low || (value === range.low && open))
      Object.assign(range, { low: value, lowOpen: open });
  };
  const upper = (value: number, open: boolean): void => {
    if (range.high === undefined || value < range.high || (value === range.high && open))
      Object.assign(range, { high: value, highOpen: open });
  };
  if (flat.minimum !== undefined) lower(flat.minimum, false);
  if (flat.exclusiveMinimum !== undefined) lower(flat.exclusiveMinimum, true);
  if (flat.maximum !== undefined) upper(flat.maximum, false);
  if (flat.exclusiveMaximum !== undefined) upper(flat.exclusiveMaximum, true);
  if (flat.format === 'int32' || flat.format === 'int64') {
    const limits = flat.format === 'int32' ? INT32 : INT64;
    lower(limits.min, false);
    upper(limits.max, false);
  }
  if (flat.multipleOf !== undefined) range.multipleOf = flat.multipleOf;
  return range;
}

const above = (r: NumberRange, v: number): boolean => r.low === undefined || (r.lowOpen ? v > r.low : v >= r.low);
const below = (r: NumberRange, v: number): boolean => r.high === undefined || (r.highOpen ? v < r.high : v <= r.high);

export const inRange = (r: NumberRange, v: number): boolean =>
  Number.isFinite(v) &&
  above(r, v) &&
  below(r, v) &&
  (!r.integer || Number.isInteger(v)) &&
  (r.multipleOf === undefined || isMultiple(v, r.multipleOf));

/** Valid values from `from` going `direction`, on the grid the range allows (nearest first). */
function walkFrom(r: NumberRange, from: number, direction: 1 | -1): number | undefined {
  if (r.multipleOf !== undefined) {
    const m = r.multipleOf;
    const k0 = direction === 1 ? Math.ceil(from / m) : Math.floor(from / m);
    for (let i = 0; i < STEPS; i++) {
      const k = k0 + direction * i;
      // k * m can land just off the grid in binary; the decimal rounding of it often does not.
      for (const v of [k * m, Number((k * m).toPrecision(12))]) if (inRange(r, v)) return v;
    }
    return undefined;
  }
  let v = r.integer ? (direction === 1 ? Math.ceil(from) : Math.floor(from)) : from;
  if (!inRange(r, v)) v += direction;
  if (inRange(r, v)) return v;
  if (!r.integer && r.low !== undefined && r.high !== undefined) {
    const middle = (r.low + r.high) / 2;
    if (inRange(r, middle)) return middle;
  }
  return undefined;
}

/** The smallest and largest valid values (undefined when unbounded that way). */
export function extremes(r: NumberRange): { lowest?: number; highest?: number } {
  return {
    ...(r.low !== undefined ? { lowest: walkFrom(r, r.low, 1) } : {}),
    ...(r.high !== undefined ? { highest: walkFrom(r, r.high, -1) } : {}),
  };
}

export function sampleNumber(flat: JsonSchema, integer: boolean, ctx?: Ctx): number {
  const r = numberRange(flat, integer);
  const start = Math.min(Math.max(1, r.low ?? 1), r.high ?? Infinity);
  const found =
    walkFrom(r, start, 1) ?? walkFrom(r, start, -1) ?? (r.low !== undefined ? walkFrom(r, r.low, 1) : undefined);
  if (found === undefined) {
    const keyword = r.multipleOf !== undefined ? 'multipleOf' : 'maximum';
    throw new UnsatisfiableSchemaError(
      ctx?.pointer ?? '',
      keyword,
      `no ${r.integer ? 'integer' : 'number'} satisfies the bounds${r.multipleOf !== undefined ? ` and multipleOf ${r.multipleOf}` : ''}`,
    );
  }
  return Object.is(found, -0) ? 0 : found;
}

const boundName = (open: boolean, side: 'min' | 'max'): string =>
  open ? `exclusive${side === 'min' ? 'Minimum' : 'Maximum'}` : side === 'min' ? 'minimum' : 'maximum';

export function numberBoundaries(flat: JsonSchema, integer: boolean): LocalVariant[] {
  const r = numberRange(flat, integer);
  const { lowest, highest } = extremes(r);
  const variants: LocalVariant[] = [];
  const keyword = (side: 'min' | 'max'): string =>
    flat.format === 'int32' &&
    (side === 'min' ? (flat.minimum ?? flat.exclusiveMinimum) : (flat.maximum ?? flat.exclusiveMaximum)) === undefined
      ? 'format'
      : boundName(side === 'min' ? r.lowOpen : r.highOpen, side);
  const label = (side: 'min' | 'max', bound: number, value: number): string =>
    value === bound ? `${keyword(side)} ${bound}` : `${keyword(side)} ${bound}: ${value}`;
  if (lowest !== undefined)
    variants.push({ label: label('min', r.low!, lowest), value: lowest, keyword: keyword('min') });
  if (highest !== undefined)
    variants.push({ label: label('max', r.high!, highest), value: highest, keyword: keyword('max') });
  if (r.low === undefined && r.high === undefined && inRange(r, 0))
    variants.push({ label: 'zero', value: 0, keyword: 'type' });
  if (r.multipleOf !== undefined && lowest !== undefined) {
    const next = walkFrom(r, lowest + r.multipleOf, 1);
    if (next !== undefined && next !== highest)
      variants.push({ label: `multipleOf ${r.multipleOf}`, value: next, keyword: 'multipleOf' });
  }
  return variants;
}

export function numberViolations(flat: JsonSchema, integer: boolean): LocalVariant[] {
  const r = numberRange(flat, integer);
  const step = r.multipleOf ?? 1;
  const variants: LocalVariant[] = [];
  const outside = (bound: number, open: boolean, direction: 1 | -1): number => {
    if (open)
      return r.integer && !Number.isInteger(bound) ? (direction === 1 ? Math.ceil(bound) : Math.floor(bound)) : bound;
    const grid =
      r.multipleOf !== undefined
        ? (direction === 1 ? Math.ceil(bound / step) + 1 : Math.floor(bound / step) - 1) * step
        : undefined;
    if (grid !== undefined && (direction === 1 ? grid > bound : grid < bound)) return grid;
    return r.integer ? (direction === 1 ? Math.floor(bound) + 1 : Math.ceil(bound) - 1) : bound + direction * 0.5;
  };
  // The int64 limits as doubles have no double just beyond them that JSON reads outside the range:
  // the format's own out-of-range values stand for them (below).
  const int64 = flat.format === 'int64';
  if (r.low !== undefined && !(int64 && r.low === INT64.min)) {
    const value = outside(r.low, r.lowOpen, -1);
    const keyword = flat.format === 'int32' && value < INT32.min ? 'format' : boundName(r.lowOpen, 'min');
    variants.push({
      label: keyword === 'format' ? 'below the int32 range' : `below ${keyword} ${r.low}`,
      value,
      keyword,
    });
  }
  if (r.high !== undefined && !(int64 && r.high === INT64.max)) {
    const value = outside(r.high, r.highOpen, 1);
    const keyword = flat.format === 'int32' && value > INT32.max ? 'format' : boundName(r.highOpen, 'max');
    variants.push({
      label: keyword === 'format' ? 'above the int32 range' : `above ${keyword} ${r.high}`,
      value,
      keyword,
    });
  }
  if (int64) {
    variants.push({ label: 'below the int64 range', value: -ABOVE_INT64, keyword: 'format' });
    variants.push({ label: 'above the int64 range', value: ABOVE_INT64, keyword: 'format' });
  }
  let sample: number | undefined;
  try {
    sample = sampleNumber(flat, integer);
  } catch {
    sample = undefined;
  }
  if (r.integer && sample !== undefined) {
    const keyword = integer ? 'type' : 'format';
    variants.push({ label: 'not an integer', value: sample + 0.5, keyword });
  }
  if (r.multipleOf !== undefined && sample !== undefined) {
    const offsets = [r.multipleOf / 2, 1, -1, 0.5];
    const value = offsets
      .map((o) => sample + o)
      .find((v) => !isMultiple(v, r.multipleOf!) && (!r.integer || Number.isInteger(v)));
    if (value !== undefined)
      variants.push({ label: `not a multiple of ${r.multipleOf}`, value, keyword: 'multipleOf' });
  }
  return variants;
}

export function numberArbitrary(flat: JsonSchema, integer: boolean, fallback: number): fc.Arbitrary<number> {
  const r = numberRange(flat, integer);
  const { lowest, highest } = extremes(r);
  const low = lowest ?? Math.min(-RANDOM_SPAN, highest ?? 0);
  const high = highest ?? Math.max(RANDOM_SPAN, lowest ?? 0);
  const ok = (v: number): boolean => inRange(r, v);
  if (r.multipleOf !== undefined) {
    const m = r.multipleOf;
    const kLow = Math.max(Math.ceil(low / m), -RANDOM_SPAN);
    const kHigh = Math.min(Math.floor(high / m), RANDOM_SPAN);
    if (kLow > kHigh) return fc.constant(fallback);
    return guarded(
      fc.integer({ min: kLow, max: kHigh }).map((k) => k * m),
      ok,
      fallback,
    );
  }
  if (r.integer) {
    const min = Math.max(Math.ceil(low), Number.MIN_SAFE_INTEGER);
    const max = Math.min(Math.floor(high), Number.MAX_SAFE_INTEGER);
    return min > max ? fc.constant(fallback) : guarded(fc.integer({ min, max }), ok, fallback);
  }
  return guarded(
    fc.double({ min: low, max: high, noNaN: true, noDefaultInfinity: true }),
    (v) => ok(v) && !Object.is(v, -0),
    fallback,
  );
}
