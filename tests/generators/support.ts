/** Random JSON Schemas for the generators' property tests, and the dereferencing that makes recursion a cycle. */
import fc from 'fast-check';
import type { JsonSchema } from '../../lib/json-schema.js';

type Json = Record<string, unknown>;

/** `$ref: '#/$defs/X'` replaced by the very object it names, as lib/spec.ts's dereferencing does. */
export function cyclic(root: JsonSchema): JsonSchema {
  const defs = (root.$defs ?? {}) as Record<string, unknown>;
  const resolved = new Map<string, Json>();
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (typeof node !== 'object' || node === null) return node;
    const ref = (node as Json).$ref;
    if (typeof ref === 'string') {
      const name = ref.split('/').pop()!;
      let target = resolved.get(name);
      if (!target) {
        target = {};
        resolved.set(name, target);
        Object.assign(target, walk(defs[name]));
      }
      return target;
    }
    const out: Json = {};
    for (const [key, value] of Object.entries(node))
      out[key] = ['enum', 'const', 'example', 'examples', 'default'].includes(key) ? value : walk(value);
    return out;
  };
  const { $defs: _defs, ...rest } = root;
  return walk(rest) as JsonSchema;
}

const SAFE_PATTERNS = ['^[a-z]+$', '^[A-Z][a-z]*$', '^[0-9]{3}-[0-9]{4}$', '^(red|green|blue)$', '^[a-f0-9]{2,8}$'];
const FORMATS = [
  'date',
  'date-time',
  'time',
  'duration',
  'email',
  'uri',
  'uri-reference',
  'uuid',
  'ipv4',
  'ipv6',
  'hostname',
  'byte',
];
const NAMES = ['a', 'b', 'c', 'name', 'id'];

const opt = <T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(arbitrary, { nil: undefined });
const clean = (schema: Json): JsonSchema =>
  Object.fromEntries(Object.entries(schema).filter(([, v]) => v !== undefined)) as JsonSchema;

const stringSchema: fc.Arbitrary<JsonSchema> = fc.oneof(
  fc
    .record({ min: opt(fc.nat(5)), span: opt(fc.nat(20)) })
    .map(({ min, span }) =>
      clean({ type: 'string', minLength: min, maxLength: span === undefined ? undefined : (min ?? 0) + span }),
    ),
  fc
    .record({ pattern: fc.constantFrom(...SAFE_PATTERNS), max: opt(fc.integer({ min: 8, max: 30 })) })
    .map(({ pattern, max }) => clean({ type: 'string', pattern, maxLength: max })),
  fc.constantFrom(...FORMATS).map((format) => ({ type: 'string', format })),
);

const numberSchema: fc.Arbitrary<JsonSchema> = fc
  .record({
    integer: fc.boolean(),
    low: opt(fc.integer({ min: -50, max: 50 })),
    span: opt(fc.integer({ min: 6, max: 100 })),
    exclusiveLow: fc.boolean(),
    exclusiveHigh: fc.boolean(),
    multipleOf: opt(fc.constantFrom(2, 3, 0.5, 0.25, 0.1)),
    format: opt(fc.constantFrom('int32', 'int64')),
  })
  .map(({ integer, low, span, exclusiveLow, exclusiveHigh, multipleOf, format }) => {
    const high = span === undefined ? undefined : (low ?? 0) + span;
    return clean({
      type: integer ? 'integer' : 'number',
      ...(low === undefined ? {} : exclusiveLow ? { exclusiveMinimum: low } : { minimum: low }),
      ...(high === undefined ? {} : exclusiveHigh ? { exclusiveMaximum: high } : { maximum: high }),
      multipleOf,
      format: integer ? format : undefined,
    });
  });

const literalValue = fc.oneof(
  fc.constantFrom('red', 'green', 'x y'),
  fc.integer({ min: -5, max: 5 }),
  fc.constant(null),
  fc.boolean(),
  fc.constant({ k: 1 }),
  fc.constant([1, 'a']),
);

const literalSchema: fc.Arbitrary<JsonSchema> = fc.oneof(
  fc
    .uniqueArray(literalValue, { minLength: 1, maxLength: 4, selector: (v) => JSON.stringify(v) })
    .map((values) => ({ enum: values })),
  literalValue.map((value) => ({ const: value })),
  fc.constantFrom<JsonSchema>(
    { type: 'boolean' },
    { type: 'null' },
    { type: ['string', 'null'], maxLength: 5 },
    { type: 'integer', nullable: true },
  ),
);

const leaf: fc.Arbitrary<JsonSchema> = fc.oneof(stringSchema, numberSchema, literalSchema);

/** A tree of the keywords the generators cover, `depth` levels at most. */
export const schemaArbitrary: fc.Arbitrary<JsonSchema> = fc.letrec<{
  node: JsonSchema;
  object: JsonSchema;
  array: JsonSchema;
  composed: JsonSchema;
}>((tie) => ({
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, tie('object'), tie('array'), tie('composed')),
  object: fc
    .record({
      properties: fc.dictionary(fc.constantFrom(...NAMES), tie('node'), { minKeys: 1, maxKeys: 3 }),
      requiredCount: fc.nat(3),
      additional: fc.constantFrom<'absent' | 'false' | 'schema' | 'unevaluated'>(
        'absent',
        'false',
        'schema',
        'unevaluated',
      ),
      pattern: fc.boolean(),
      names: fc.boolean(),
      dependent: fc.boolean(),
      counts: fc.boolean(),
      readOnly: fc.boolean(),
    })
    .map(({ properties, requiredCount, additional, pattern, names, dependent, counts, readOnly }) => {
      const keys = Object.keys(properties);
      const required = keys.slice(0, Math.min(requiredCount, keys.length));
      const optional = keys.filter((k) => !required.includes(k));
      const props: Record<string, JsonSchema> = { ...properties };
      if (readOnly && optional[0]) props[optional[0]] = { ...props[optional[0]], readOnly: true };
      return clean({
        type: 'object',
        properties: props,
        required: required.length > 0 ? required : undefined,
        additionalProperties:
          additional === 'false' ? false : additional === 'schema' ? { type: 'integer' } : undefined,
        unevaluatedProperties: additional === 'unevaluated' ? false : undefined,
        patternProperties: pattern ? { '^x_': { type: 'string', maxLength: 4 } } : undefined,
        propertyNames: names ? { pattern: '^[a-z_]+$', maxLength: 12 } : undefined,
        dependentRequired: dependent && keys.length >= 2 ? { [keys[0]!]: [keys[1]!] } : undefined,
        minProperties: counts ? Math.min(1, keys.length) : undefined,
        maxProperties: counts ? keys.length + 1 : undefined,
      });
    }),
  array: fc
    .record({
      items: tie('node'),
      prefix: fc.array(tie('node'), { maxLength: 2 }),
      closed: fc.boolean(),
      min: fc.nat(2),
      span: opt(fc.nat(3)),
      unique: fc.boolean(),
      contains: opt(
        fc.constantFrom<JsonSchema>(
          { type: 'string', pattern: '^[a-z]+$' },
          { type: 'integer', minimum: 0, maximum: 100 },
        ),
      ),
      maxContains: fc.boolean(),
    })
    .map(({ items, prefix: drawn, closed, min: drawnMin, span, unique, contains, maxContains }) => {
      // Keep the draws satisfiable: contains beside prefixItems, or uniqueness over few values, may not be.
      const prefix = contains ? [] : drawn;
      const min = Math.min(drawnMin, prefix.length > 0 && closed ? prefix.length : unique ? 1 : drawnMin);
      return clean({
        type: 'array',
        prefixItems: prefix.length > 0 ? prefix : undefined,
        items:
          prefix.length > 0 && closed
            ? false
            : contains
              ? { type: ['string', 'integer'], maxLength: 5, minimum: 0, maximum: 100 }
              : items,
        minItems: contains ? Math.max(min, 1) : min,
        maxItems:
          span === undefined ? undefined : Math.max(min, 1) + span + (prefix.length > 0 && !closed ? prefix.length : 0),
        uniqueItems: unique && !contains ? true : undefined,
        contains,
        maxContains: contains && maxContains ? 2 : undefined,
      }) as JsonSchema;
    }),
  composed: fc.oneof(
    fc.tuple(tie('node'), tie('node')).map(([a, b]): JsonSchema => ({ anyOf: [a, b] })),
    fc.constant<JsonSchema>({
      oneOf: [
        {
          type: 'object',
          title: 'Cat',
          properties: { kind: { const: 'cat' }, lives: { type: 'integer', minimum: 1, maximum: 9 } },
          required: ['kind'],
        },
        {
          type: 'object',
          title: 'Dog',
          properties: { kind: { const: 'dog' }, name: { type: 'string', maxLength: 10 } },
          required: ['kind', 'name'],
        },
      ],
      discriminator: {
        propertyName: 'kind',
        mapping: { cat: '#/components/schemas/Cat', dog: '#/components/schemas/Dog' },
      },
    }),
    fc.tuple(stringSchema, numberSchema).map(([a, b]): JsonSchema => ({ oneOf: [a, b, { type: 'boolean' }] })),
    fc
      .tuple(tie('object'), leaf)
      .map(
        ([a, extra]): JsonSchema => ({ allOf: [a, { properties: { extra, id: { type: ['integer', 'string'] } } }] }),
      ),
    fc.constant<JsonSchema>({ type: ['string', 'integer'], not: { type: 'string' }, minimum: 3 }),
    fc.constant<JsonSchema>({ type: 'string', maxLength: 12, not: { enum: ['conformance', ''] } }),
    fc.constant<JsonSchema>({
      type: 'object',
      properties: { kind: { enum: ['a', 'b'] }, x: { type: 'integer' }, y: { type: 'string' } },
      required: ['kind'],
      if: { properties: { kind: { const: 'a' } } },
      // biome-ignore lint/suspicious/noThenProperty: JSON Schema's `then` keyword
      then: { required: ['x'] },
      else: { required: ['y'] },
    }),
    fc.constant<JsonSchema>({ $ref: '#/$defs/tree' }),
    fc.constant<JsonSchema>({ $ref: '#/$defs/expression' }),
  ),
})).node;

/** Recursive definitions every generated schema carries (AJV resolves them; the generators see cycles). */
export const DEFS: Record<string, JsonSchema> = {
  tree: {
    type: 'object',
    properties: {
      name: { type: 'string', minLength: 1 },
      children: { type: 'array', items: { $ref: '#/$defs/tree' } },
    },
    required: ['name'],
  },
  expression: {
    oneOf: [
      { type: 'integer' },
      {
        type: 'object',
        properties: {
          op: { enum: ['+', '*'] },
          args: { type: 'array', minItems: 2, maxItems: 2, items: { $ref: '#/$defs/expression' } },
        },
        required: ['op', 'args'],
        additionalProperties: false,
      },
    ],
  },
};

export const withDefs = (schema: JsonSchema): JsonSchema => ({ ...schema, $defs: DEFS });
