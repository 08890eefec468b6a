import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { numberArbitrary, numberBoundaries, numberViolations, sampleNumber } from '../../lib/generators/numbers.js';
import { inInt64Range } from '../../lib/validator.js';

const values = (variants: { value: unknown }[]): unknown[] => variants.map((v) => v.value);

describe('numbers', () => {
  test('exclusiveMaximum 10 on an integer: 9 is the boundary, 10 the violation', () => {
    const schema = { type: 'integer', exclusiveMaximum: 10 };
    expect(numberBoundaries(schema, true)).toContainEqual({
      label: 'exclusiveMaximum 10: 9',
      value: 9,
      keyword: 'exclusiveMaximum',
    });
    expect(numberViolations(schema, true)).toContainEqual({
      label: 'above exclusiveMaximum 10',
      value: 10,
      keyword: 'exclusiveMaximum',
    });
  });

  test('minimum and maximum are boundaries; one step past each is a violation', () => {
    const schema = { type: 'integer', minimum: 1, maximum: 5 };
    expect(values(numberBoundaries(schema, true))).toEqual([1, 5]);
    expect(values(numberViolations(schema, true))).toEqual([0, 6, 1.5]);
  });

  test('multipleOf: the bounds move onto the grid and a value off it is a violation', () => {
    const schema = { type: 'number', minimum: 1, maximum: 10, multipleOf: 3 };
    expect(values(numberBoundaries(schema, false))).toEqual([3, 9, 6]);
    expect(numberViolations(schema, false).find((v) => v.keyword === 'multipleOf')?.value).toBe(4.5);
    expect(sampleNumber({ type: 'number', multipleOf: 0.1, minimum: 0.25 }, false)).toBeCloseTo(1);
  });

  test('every int64 violation is out of the range as JSON reads it back, and says which side', () => {
    const violations = numberViolations({ type: 'integer', format: 'int64' }, true);
    const integers = violations.filter((v) => Number.isInteger(v.value));
    // The doubles just past the limits the format sets print as in-range text (9223372036854775000).
    for (const { value, label } of integers)
      expect(inInt64Range(JSON.parse(JSON.stringify(value)) as number), label).toBe(false);
    expect(integers.map((v) => v.label)).toEqual(['below the int64 range', 'above the int64 range']);
    // A bound of the schema's own inside the range is violated one past it, as any bound is.
    expect(values(numberViolations({ type: 'integer', format: 'int64', minimum: 1 }, true))).toContain(0);
  });

  test('int32 and int64 are integer ranges', () => {
    expect(
      numberViolations({ type: 'integer', format: 'int32' }, true).map((v) => [v.value, v.keyword]),
    ).toContainEqual([2 ** 31, 'format']);
    expect(numberViolations({ type: 'integer', format: 'int64' }, true).map((v) => v.value)).toContain(2 ** 63 + 2048);
    expect(values(numberBoundaries({ type: 'integer', format: 'int32' }, true))).toEqual([-(2 ** 31), 2 ** 31 - 1]);
  });

  test("int64 values are written within a 64-bit server's range: 2^63 would print above Long.MAX_VALUE", () => {
    const printed = values(numberBoundaries({ type: 'integer', format: 'int64' }, true)).map((v) =>
      BigInt(JSON.stringify(v)),
    );
    expect(printed.length).toBeGreaterThan(1);
    for (const value of printed) expect(value >= -(2n ** 63n) && value <= 2n ** 63n - 1n, String(value)).toBe(true);
    const capped = values(numberBoundaries({ type: 'integer', format: 'int64', maximum: 2 ** 63 }, true));
    expect(capped.every((v) => BigInt(JSON.stringify(v)) <= 2n ** 63n - 1n)).toBe(true);
  });

  test('an empty range is unsatisfiable', () => {
    expect(() => sampleNumber({ type: 'integer', exclusiveMinimum: 1, exclusiveMaximum: 2 }, true)).toThrow(
      /no integer/,
    );
  });

  test('random numbers stay in range', () => {
    const schema = { type: 'number', exclusiveMinimum: 0, maximum: 1 };
    for (const v of fc.sample(numberArbitrary(schema, false, 0.5), { seed: 1, numRuns: 50 })) {
      expect(v).toBeGreaterThan(0);
      expect(v).toBeLessThanOrEqual(1);
    }
  });
});
