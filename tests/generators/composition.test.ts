import { describe, expect, test } from 'vitest';
import { sampleValue, UnsatisfiableSchemaError, variantsOf } from '../../lib/generators/values.js';
import type { JsonSchema } from '../../lib/json-schema.js';
import { ValidatorCache } from '../../lib/validator.js';

const validators = new ValidatorCache();

describe('composition', () => {
  const pet: JsonSchema = {
    oneOf: [
      {
        title: 'Cat',
        type: 'object',
        properties: { kind: { const: 'cat' }, lives: { type: 'integer' } },
        required: ['kind'],
      },
      {
        title: 'Dog',
        type: 'object',
        properties: { kind: { type: 'string' }, bark: { type: 'boolean' } },
        required: ['kind', 'bark'],
      },
    ],
    discriminator: {
      propertyName: 'kind',
      mapping: { cat: '#/components/schemas/Cat', dog: '#/components/schemas/Dog' },
    },
  };

  test('discriminator: each branch once, tagged by its mapping key; an unknown tag is a violation', () => {
    const boundaries = variantsOf(pet, sampleValue(pet, 1), 'boundaries', 1).filter(
      (v) => v.keyword === 'discriminator',
    );
    expect(boundaries.map((v) => [v.label, (v.value as { kind: string }).kind])).toEqual([
      ['/ oneOf branch 1 (kind "cat")', 'cat'],
      ['/ oneOf branch 2 (kind "dog")', 'dog'],
    ]);
    const violation = variantsOf(pet, sampleValue(pet, 1), 'violations', 1).find((v) => v.keyword === 'discriminator');
    expect(violation?.value).toMatchObject({ kind: 'not-a-known-type' });
    expect(validators.get(pet)(violation?.value)).toBe(false);
  });

  test('oneOf: a value of exactly one branch, a value of none and one of two', () => {
    const schema: JsonSchema = {
      oneOf: [
        { type: 'integer', maximum: 5 },
        { type: 'integer', minimum: 3 },
      ],
    };
    const value = sampleValue(schema, 1) as number;
    expect(value < 3 || value > 5).toBe(true);
    const labels = variantsOf(schema, value, 'violations', 1).map((v) => [v.label, v.value]);
    expect(labels).toContainEqual(['/ a value no oneOf branch accepts', 'x']);
    expect(labels).toContainEqual(['/ a value oneOf branches 1 and 2 both accept', 3]);
  });

  test('exactly one of two properties (anyOf of each required, not both): a value with one of them', () => {
    // OpenAI's ImageRefParam: every writable property at once is what `not` forbids.
    const reference: JsonSchema = {
      type: 'object',
      properties: { image_url: { type: 'string', format: 'uri' }, file_id: { type: 'string' } },
      anyOf: [{ required: ['image_url'] }, { required: ['file_id'] }],
      not: { required: ['image_url', 'file_id'] },
      additionalProperties: false,
    };
    const validate = validators.get(reference);
    for (const full of [true, false]) {
      const value = sampleValue(reference, 1, full);
      expect(validate(value), JSON.stringify(value)).toBe(true);
    }
    const body: JsonSchema = {
      type: 'object',
      properties: { images: { type: 'array', minItems: 1, items: reference } },
    };
    const value = sampleValue(body, 1) as { images: unknown[] };
    expect(value.images.length).toBeGreaterThan(0);
    expect(validators.get(body)(value)).toBe(true);
  });

  test('not, if/then/else and anyOf', () => {
    expect(sampleValue({ type: 'string', not: { const: 'conformance' } }, 1)).not.toBe('conformance');
    const conditional: JsonSchema = {
      type: 'object',
      properties: { kind: { enum: ['a', 'b'] }, x: { type: 'integer' } },
      required: ['kind'],
      if: { properties: { kind: { const: 'a' } } },
      // biome-ignore lint/suspicious/noThenProperty: JSON Schema's `then` keyword
      then: { required: ['x'] },
    };
    const keywords = variantsOf(conditional, sampleValue(conditional, 1), 'violations', 1).map((v) => v.keyword);
    expect(keywords).toContain('then');
    const anyOf = variantsOf({ anyOf: [{ type: 'string' }, { type: 'null' }] }, 'x', 'boundaries', 1);
    expect(anyOf.filter((v) => v.keyword === 'anyOf').map((v) => v.value)).toEqual(['conformance', null]);
  });

  test('a "not" that excludes every value is reported, never a crash', () => {
    const schema: JsonSchema = {
      type: 'object',
      properties: { filter: { type: 'boolean', not: { type: 'boolean' } } },
      required: ['filter'],
    };
    expect(() => sampleValue(schema, 1)).toThrow(UnsatisfiableSchemaError);
    expect(() => sampleValue(schema, 1)).toThrow('/filter: "not" excludes every value the generators can make');
    expect(variantsOf(schema, {}, 'violations', 1).length).toBeGreaterThan(0);
  });
});
