import { describe, expect, test } from 'vitest';
import { sampleValue, variantsOf } from '../../lib/generators/values.js';
import type { JsonSchema } from '../../lib/json-schema.js';

const byKeyword = (schema: JsonSchema, mode: 'boundaries' | 'violations') =>
  Object.fromEntries(
    variantsOf(schema, sampleValue(schema, 1), mode, 1)
      .filter((v) => v.pointer === '')
      .map((v) => [v.keyword, v.value]),
  );

describe('arrays', () => {
  test('minItems and maxItems: boundaries at, violations one past', () => {
    const schema = { type: 'array', items: { type: 'integer' }, minItems: 1, maxItems: 3 };
    const boundaries = byKeyword(schema, 'boundaries');
    expect((boundaries.minItems as unknown[]).length).toBe(1);
    expect((boundaries.maxItems as unknown[]).length).toBe(3);
    const violations = byKeyword(schema, 'violations');
    expect(violations.minItems).toEqual([]);
    expect((violations.maxItems as unknown[]).length).toBe(4);
  });

  test('uniqueItems: distinct items, and a duplicate as the violation', () => {
    const schema = { type: 'array', items: { type: 'string' }, minItems: 3, uniqueItems: true };
    const value = sampleValue(schema, 1) as string[];
    expect(new Set(value).size).toBe(3);
    const [a, b] = byKeyword(schema, 'violations').uniqueItems as unknown[];
    expect(a).toEqual(b);
  });

  test('contains with minContains and maxContains', () => {
    const schema = {
      type: 'array',
      items: { type: 'integer' },
      contains: { minimum: 10 },
      minContains: 2,
      maxContains: 3,
    };
    const value = sampleValue(schema, 1) as number[];
    expect(value.filter((v) => v >= 10)).toHaveLength(2);
    expect((byKeyword(schema, 'boundaries').maxContains as number[]).filter((v) => v >= 10)).toHaveLength(3);
    const violations = byKeyword(schema, 'violations');
    expect((violations.minContains as number[]).filter((v) => v >= 10)).toHaveLength(1);
    expect((violations.maxContains as number[]).filter((v) => v >= 10)).toHaveLength(4);
  });

  test('prefixItems with items: false', () => {
    const schema = {
      type: 'array',
      prefixItems: [{ type: 'string' }, { type: 'integer' }],
      items: false,
      minItems: 2,
    } as unknown as JsonSchema;
    const value = sampleValue(schema, 1) as unknown[];
    expect([typeof value[0], typeof value[1], value.length]).toEqual(['string', 'number', 2]);
    expect((byKeyword(schema, 'violations').items as unknown[]).length).toBe(3);
    const itemViolations = variantsOf(schema, value, 'violations', 1).filter((v) => v.pointer === '/1');
    expect(itemViolations.map((v) => v.value)).toContainEqual([value[0], 'not-a-number']);
  });
});
