/** lib/json.ts: plain objects, own properties only, and JSON nesting told before parsing. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isObject, nestedDeeperThan, own } from '../../lib/json.js';

describe('isObject', () => {
  it('plain objects only', () => {
    expect(isObject({})).toBe(true);
    expect(isObject(Object.create(null))).toBe(true);
    expect([null, [], 'x', 1, undefined, true].map(isObject)).toEqual([false, false, false, false, false, false]);
  });
});

describe('own', () => {
  it('reads own properties, never inherited members', () => {
    const record: Record<string, number> = { a: 1 };
    expect(own(record, 'a')).toBe(1);
    expect(own(record, 'constructor')).toBeUndefined();
    expect(own(record, 'toString')).toBeUndefined();
    expect(own(undefined, 'a')).toBeUndefined();
  });
});

describe('nestedDeeperThan', () => {
  const nested = (depth: number, inner = '1'): string => `${'['.repeat(depth)}${inner}${']'.repeat(depth)}`;

  it('counts arrays and objects', () => {
    expect(nestedDeeperThan(nested(3), 3)).toBe(false);
    expect(nestedDeeperThan(nested(4), 3)).toBe(true);
    expect(nestedDeeperThan('{"a":{"b":{"c":{}}}}', 3)).toBe(true);
    expect(nestedDeeperThan('{"a":{"b":{"c":1}}}', 3)).toBe(false);
  });

  it('brackets inside strings, escaped quotes included, do not count', () => {
    expect(nestedDeeperThan(`["${'['.repeat(50)}"]`, 2)).toBe(false);
    expect(nestedDeeperThan(`["\\"${'{'.repeat(50)}"]`, 2)).toBe(false);
    expect(nestedDeeperThan(`["\\\\", ${nested(3)}]`, 3)).toBe(true);
  });

  it('siblings do not add up; text that is not JSON is still measured', () => {
    expect(nestedDeeperThan('[[1],[2],[3],[4]]', 2)).toBe(false);
    expect(nestedDeeperThan('[[[[ not json', 3)).toBe(true);
  });

  it('agrees with the depth of any JSON value', () => {
    const depthOf = (value: unknown): number =>
      value !== null && typeof value === 'object' ? 1 + Math.max(0, ...Object.values(value as object).map(depthOf)) : 0;
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), fc.integer({ min: 0, max: 6 }), (value, limit) => {
        expect(nestedDeeperThan(JSON.stringify(value), limit)).toBe(depthOf(value) > limit);
      }),
    );
  });
});
