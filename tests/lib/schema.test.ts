import { describe, expect, test } from 'vitest';
import type { JsonSchema } from '../../lib/json-schema.js';
import { acyclic, flatten, jsonType, mainType, subschema, writableProperties } from '../../lib/schema.js';
import { ValidatorCache } from '../../lib/validator.js';

describe('lib/schema', () => {
  test('flatten folds allOf: bounds tighten, types intersect, properties and required merge', () => {
    const flat = flatten({
      allOf: [
        { type: ['number', 'null'], minimum: 1, properties: { a: { type: 'string' } }, required: ['a'] },
        { type: 'integer', minimum: 3, maximum: 9, properties: { a: { maxLength: 3 } } },
      ],
    });
    expect(flat).toMatchObject({ type: ['integer'], minimum: 3, maximum: 9, required: ['a'] });
    expect(flat.properties?.a).toEqual({ allOf: [{ type: 'string' }, { maxLength: 3 }] });
    expect(flatten(flat.properties!.a!)).toEqual({ type: ['string'], maxLength: 3 });
  });

  test('members that do not fold stay in allOf', () => {
    const closed = { properties: { a: {} }, additionalProperties: false };
    expect(flatten({ allOf: [closed, { properties: { b: {} } }] }).allOf).toEqual([{ properties: { b: {} } }]);
    expect(flatten({ allOf: [{ pattern: '^a' }, { pattern: 'b$' }] })).toEqual({
      pattern: '^a',
      allOf: [{ pattern: 'b$' }],
    });
  });

  test('flatten is memoized by identity and survives a member that contains itself', () => {
    const schema: JsonSchema = { allOf: [{ type: 'string' }] };
    expect(flatten(schema)).toBe(flatten(schema));
    const self: JsonSchema = { type: 'object' };
    self.allOf = [self];
    expect(() => flatten(self)).not.toThrow();
  });

  test('types', () => {
    expect(mainType({ type: ['null', 'string'] })).toBe('string');
    expect(mainType({ nullable: true, type: 'integer' })).toBe('integer');
    expect(mainType({ prefixItems: [] })).toBe('array');
    expect(mainType({ enum: [null, 2] })).toBe('integer');
    expect(jsonType(2.5)).toBe('number');
  });

  test('boolean subschemas and readOnly properties', () => {
    expect(subschema(false)).toEqual({ not: {} });
    expect(subschema(true)).toEqual({});
    expect(writableProperties({ properties: { id: { readOnly: true }, name: {} } }).map(([n]) => n)).toEqual(['name']);
  });

  test('acyclic turns an object cycle into $refs AJV compiles', () => {
    const node: JsonSchema = { type: 'object', properties: { name: { type: 'string' } } };
    node.properties!.child = node;
    const validate = new ValidatorCache().get(acyclic(node));
    expect(validate({ child: { child: { name: 'x' } } })).toBe(true);
    expect(validate({ child: { child: { name: 1 } } })).toBe(false);
  });

  test('acyclic moves schemas, never the properties map a derived schema shares with its original', () => {
    const original: JsonSchema = { type: 'object', properties: { kind: { enum: ['and', 'or'] } } };
    original.properties!.filters = { type: 'array', items: original };
    // What the generators build from a schema: a copy of it that shares its members.
    const derived: JsonSchema = { ...original, required: ['kind'] };
    const validate = new ValidatorCache().get(acyclic(derived));
    expect(validate({ kind: 'and', filters: [{ kind: 'or', filters: [] }] })).toBe(true);
    expect(validate({ kind: 'and', filters: [{ kind: 'xor' }] })).toBe(false);
    expect(validate({ filters: [] })).toBe(false);
  });
});
