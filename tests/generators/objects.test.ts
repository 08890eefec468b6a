import { describe, expect, test } from 'vitest';
import { sampleValue, variantsOf, withoutReadOnly } from '../../lib/generators/values.js';
import type { JsonSchema } from '../../lib/json-schema.js';

const labels = (schema: JsonSchema, mode: 'boundaries' | 'violations'): Record<string, unknown> =>
  Object.fromEntries(variantsOf(schema, sampleValue(schema, 1), mode, 1).map((v) => [v.label, v.value]));

describe('objects', () => {
  const person: JsonSchema = {
    type: 'object',
    properties: {
      id: { type: 'integer', readOnly: true },
      name: { type: 'string', maxLength: 5 },
      nick: { type: 'string' },
    },
    required: ['id', 'name'],
    additionalProperties: false,
  };

  test('readOnly properties are never generated, required or not', () => {
    expect(sampleValue(person, 1)).toEqual({ name: 'confo', nick: 'conformance' });
    expect(withoutReadOnly(person, { id: 1, name: 'a' })).toEqual({ name: 'a' });
  });

  test('optional properties present and absent; required missing and an additional property as violations', () => {
    expect(labels(person, 'boundaries')).toMatchObject({
      '/ every optional property present': { name: 'confo', nick: 'conformance' },
      '/ only required properties': { name: 'confo' },
    });
    const violations = variantsOf(person, sampleValue(person, 1), 'violations', 1);
    expect(violations.find((v) => v.keyword === 'required')).toMatchObject({
      pointer: '',
      value: { nick: 'conformance' },
    });
    expect(violations.find((v) => v.keyword === 'additionalProperties')?.value).toHaveProperty('unexpectedProperty');
    expect(violations.find((v) => v.keyword === 'maxLength')).toMatchObject({
      label: '/name above maxLength 5',
      pointer: '/name',
    });
  });

  test('patternProperties, propertyNames and dependentRequired', () => {
    const schema: JsonSchema = {
      type: 'object',
      properties: { card: { type: 'string' }, billing: { type: 'string' } },
      patternProperties: { '^x_': { type: 'integer' } },
      propertyNames: { pattern: '^[a-z_]+$' },
      dependentRequired: { card: ['billing'] },
    };
    const violations = variantsOf(schema, sampleValue(schema, 1), 'violations', 1);
    expect(violations.map((v) => v.keyword)).toEqual(
      expect.arrayContaining(['patternProperties', 'propertyNames', 'dependentRequired']),
    );
    expect(violations.find((v) => v.keyword === 'dependentRequired')?.value).toEqual({ card: 'conformance' });
    const boundaries = variantsOf(schema, sampleValue(schema, 1), 'boundaries', 1);
    // "billing" cannot go while "card" needs it.
    expect(boundaries.map((v) => v.label)).not.toContain('/ optional "billing" absent');
    expect(boundaries.find((v) => v.keyword === 'patternProperties')?.label).toMatch(/^\/ patternProperties "x_/);
  });

  test('minProperties and maxProperties', () => {
    const schema: JsonSchema = {
      type: 'object',
      properties: { a: { type: 'string' }, b: { type: 'string' } },
      minProperties: 1,
      maxProperties: 1,
    };
    expect(Object.keys(sampleValue(schema, 1) as object)).toHaveLength(1);
    expect(Object.keys(sampleValue(schema, 1, false) as object)).toHaveLength(1);
  });
});
