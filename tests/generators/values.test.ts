import { describe, expect, test } from 'vitest';
import { randomValues, sampleValue, variantsOf } from '../../lib/generators/values.js';
import type { JsonSchema } from '../../lib/json-schema.js';

/** A tree whose children are trees: an object reachable from itself, as dereferencing leaves it. */
function tree(): JsonSchema {
  const node: JsonSchema = { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] };
  node.properties!.children = { type: 'array', items: node };
  node.properties!.parent = node;
  return node;
}

describe('the walker', () => {
  test('recursive schemas terminate, small', () => {
    const schema = tree();
    const value = sampleValue(schema, 1);
    expect(JSON.stringify(value).length).toBeLessThan(2000);
    expect(variantsOf(schema, value, 'violations', 1).length).toBeGreaterThan(3);
    expect([...randomValues(schema, 1, 5)]).toHaveLength(5);
  });

  test('random values asked for fewer are the start of those asked for more, whatever is read of them', () => {
    const schema: JsonSchema = { type: 'object', properties: { name: { type: 'string' }, age: { type: 'integer' } } };
    const seven = [...randomValues(schema, 11, 7)];
    expect(seven).toHaveLength(7);
    expect([...randomValues(schema, 11, 3)]).toEqual(seven.slice(0, 3));
    const first = randomValues(schema, 11, 7).next().value;
    expect(first).toEqual(seven[0]);
  });

  test('a recursion with no way out is unsatisfiable', () => {
    const loop: JsonSchema = { type: 'object', required: ['next'] };
    loop.properties = { next: loop };
    expect(() => sampleValue(loop, 1)).toThrow(/the recursion needs a value deeper than/);
  });

  test('labels, keywords and pointers', () => {
    const schema: JsonSchema = { type: 'object', properties: { name: { type: 'string', maxLength: 50 } } };
    const variant = variantsOf(schema, sampleValue(schema, 1), 'violations', 1).find((v) => v.keyword === 'maxLength');
    expect(variant).toMatchObject({ label: '/name above maxLength 50', pointer: '/name' });
  });

  test('authored examples are used when valid, ignored when not', () => {
    expect(sampleValue({ type: 'string', example: 'Ada' }, 1)).toBe('Ada');
    expect(sampleValue({ type: 'string', maxLength: 2, example: 'Ada' }, 1)).toBe('co');
  });

  test('same seed, same values in the same order', () => {
    const schema = tree();
    const run = (): string =>
      JSON.stringify([variantsOf(schema, sampleValue(schema, 3), 'boundaries', 3), [...randomValues(schema, 3, 4)]]);
    expect(run()).toBe(run());
  });
});
