/**
 * lib/validator.ts: one AJV (2020-12 with OpenAPI's formats), validators compiled once per schema and
 * rule set, a spec's schemas compiled by reference into its document.
 */
import { describe, expect, it, vi } from 'vitest';
import { SpecError } from '../../lib/errors.js';
import type { JsonSchema } from '../../lib/json-schema.js';
import { buildSpec, loadSpec } from '../../lib/spec.js';
import { ABOVE_INT64, createAjv, ValidatorCache } from '../../lib/validator.js';

describe('createAjv: the formats OpenAPI names', () => {
  const ajv = createAjv();
  const valid = (format: string, value: unknown, type = 'string') => ajv.validate({ type, format }, value);

  it('int32 and int64 bound their range', () => {
    expect(valid('int32', 2 ** 31 - 1, 'integer')).toBe(true);
    expect(valid('int32', 2 ** 31, 'integer')).toBe(false);
    expect(valid('int64', -(2 ** 63), 'integer')).toBe(true);
    expect(valid('int64', 2 ** 53, 'integer')).toBe(true);
    // 9223372036854775807 (Java's Long.MAX_VALUE) parses to 2^63: in range; the next double is not.
    expect(valid('int64', JSON.parse('9223372036854775807'), 'integer')).toBe(true);
    expect(valid('int64', JSON.parse(JSON.stringify(ABOVE_INT64)), 'integer')).toBe(false);
    expect(valid('int64', -(2 ** 63) - 2048, 'integer')).toBe(false);
  });

  it('multipleOf a decimal holds for its multiples, whose doubles divide inexactly (0.07 / 0.01)', () => {
    for (const value of [0.07, 4.35, 0.29, 1.1, 19.99]) expect(ajv.validate({ multipleOf: 0.01 }, value)).toBe(true);
    for (const value of [0.075, 0.001]) expect(ajv.validate({ multipleOf: 0.01 }, value)).toBe(false);
  });

  it('byte is base64; binary and password take any string', () => {
    expect(valid('byte', 'aGVsbG8=')).toBe(true);
    expect(valid('byte', 'not base64!')).toBe(false);
    expect(valid('binary', '\u0000\u00ff')).toBe(true);
    expect(valid('password', '')).toBe(true);
  });

  it("ajv-formats' own formats are checked", () => {
    expect(valid('email', 'ada@example.com')).toBe(true);
    expect(valid('email', 'not an email')).toBe(false);
    expect(valid('date-time', '2024-02-12T03:13:35Z')).toBe(true);
    expect(valid('uuid', 'nope')).toBe(false);
  });

  it('an unknown format is an annotation: accepted, and nothing is printed', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      expect(createAjv().validate({ type: 'string', format: 'uint8' }, 'anything')).toBe(true);
      expect(warn).not.toHaveBeenCalled();
      expect(log).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
      log.mockRestore();
    }
  });

  it('annotations AJV does not know are allowed (strict off)', () => {
    expect(ajv.validate({ type: 'string', example: 'x', 'x-anything': 1, nullable: true }, 'x')).toBe(true);
  });
});

describe('ValidatorCache', () => {
  it('one compiled validator per schema and rule set: an equal schema built again shares it', () => {
    const cache = new ValidatorCache();
    const schema: JsonSchema = { type: 'string' };
    expect(cache.get(schema)).toBe(cache.get(schema));
    expect(cache.get(schema, 'documented')).toBe(cache.get(schema, 'documented'));
    expect(cache.get(schema, 'documented')).not.toBe(cache.get(schema));
    expect(cache.get({ type: 'string' })).toBe(cache.get(schema));
    expect(cache.get({ type: 'string', minLength: 1 })).not.toBe(cache.get(schema));
    expect(cache.get({ type: 'string', minLength: 1 })('')).toBe(false);
  });

  it('errors are those of the last value, all of them', () => {
    const validate = new ValidatorCache().get({
      type: 'object',
      required: ['a', 'b'],
      properties: { c: { type: 'integer' } },
    });
    expect(validate({ c: 'x' })).toBe(false);
    expect(validate.errors.map((e) => e.keyword).sort()).toEqual(['required', 'required', 'type']);
    expect(validate({ a: 1, b: 2 })).toBe(true);
    expect(validate.errors).toEqual([]);
  });

  it('documented rules leave out what x-inferred marks, on a schema of its own', () => {
    const cache = new ValidatorCache();
    const schema: JsonSchema = { type: 'string', maxLength: 3, 'x-inferred': { maxLength: 'a guess' } };
    expect(cache.get(schema)('toolong')).toBe(false);
    expect(cache.get(schema, 'documented')('toolong')).toBe(true);
    expect(cache.get(schema, 'documented')(7)).toBe(false);
  });

  it('a recursive schema outside a spec is compiled through references', () => {
    const node: JsonSchema = { type: 'object', properties: { name: { type: 'string' } } };
    node.properties!.next = node;
    const validate = new ValidatorCache().get(node);
    expect(validate({ name: 'a', next: { name: 'b', next: { name: 'c' } } })).toBe(true);
    expect(validate({ name: 'a', next: { name: 'b', next: { name: 3 } } })).toBe(false);
  });

  describe('readOnly and writeOnly properties a schema requires', () => {
    const user = {
      type: 'object',
      required: ['id', 'email', 'password'],
      properties: {
        id: { type: 'integer', readOnly: true },
        email: { type: 'string' },
        password: { $ref: '#/components/schemas/Password' },
      },
    };
    const spec = buildSpec(
      {
        openapi: '3.0.3',
        info: { title: 'Directions', version: '1' },
        paths: {
          '/users': {
            post: {
              operationId: 'createUser',
              requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/User' } } } },
              responses: {
                '201': {
                  description: 'created',
                  content: { 'application/json': { schema: { $ref: '#/components/schemas/Admin' } } },
                },
              },
            },
          },
        },
        components: {
          schemas: {
            User: user,
            Password: { type: 'string', writeOnly: true },
            Admin: { allOf: [{ $ref: '#/components/schemas/User' }], required: ['id'] },
          },
        },
      },
      'directions.yaml',
    );
    const [operation] = spec.operations;
    const request = operation!.requestBody!.content[0]!.schema!;
    const response = operation!.responses[0]!.content[0]!.schema!;
    const registered = new ValidatorCache();
    registered.register(spec);

    it('are required only in the direction they travel: readOnly in responses, writeOnly in requests', () => {
      expect(registered.get(request, 'all', 'request')({ email: 'a@b.co', password: 'pw' })).toBe(true);
      expect(registered.get(request, 'all', 'request')({ id: 1, email: 'a@b.co' })).toBe(false);
      expect(registered.get(response, 'all', 'response')({ id: 1, email: 'a@b.co' })).toBe(true);
      expect(registered.get(response, 'all', 'response')({ email: 'a@b.co', password: 'pw' })).toBe(false);
      expect(registered.get(request)({ email: 'a@b.co', password: 'pw' })).toBe(false);
    });

    it('as well in a schema outside any spec, and in a cache that only answers yes or no', () => {
      const outside = { ...user, properties: { ...user.properties, password: { type: 'string', writeOnly: true } } };
      for (const cache of [new ValidatorCache(), new ValidatorCache({ yesOrNo: true })]) {
        expect(cache.get(outside, 'all', 'request')({ email: 'a@b.co', password: 'pw' })).toBe(true);
        expect(cache.get(outside, 'all', 'response')({ id: 1, email: 'a@b.co' })).toBe(true);
        expect(cache.get(outside, 'all', 'response')({ email: 'a@b.co' })).toBe(false);
      }
    });
  });

  describe('a discriminator over overlapping oneOf branches', () => {
    it('picks the branch its value names: in a registered spec, outside one, under either rule set', async () => {
      const spec = await loadSpec('tests/fixtures/openapi/discriminator-overlap.yaml');
      const schema = spec.operations[0]!.requestBody!.content[0]!.schema!;
      const registered = new ValidatorCache();
      registered.register(spec);
      for (const cache of [registered, new ValidatorCache(), new ValidatorCache({ yesOrNo: true })]) {
        for (const rules of ['all', 'documented'] as const) {
          const validate = cache.get(schema, rules, 'request');
          expect(validate({ petType: 'Dog', bark: 'woof' }), rules).toBe(true);
          expect(validate({ petType: 'Lizard', lovesRocks: 'yes' }), rules).toBe(false);
          expect(validate({ petType: 'Snake' }), rules).toBe(false);
        }
      }
    });
  });

  describe('a registered spec', () => {
    const spec = buildSpec(
      {
        openapi: '3.1.0',
        info: { title: 'Validator', version: '1' },
        paths: {
          '/tree': {
            post: {
              operationId: 'plant',
              requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Tree' } } } },
              responses: {
                '204': { description: 'planted' },
                '400': {
                  description: 'refused',
                  content: { 'application/json': { schema: { $ref: '#/components/schemas/Problem' } } },
                },
              },
            },
          },
        },
        components: {
          schemas: {
            Tree: {
              type: 'object',
              required: ['name'],
              properties: {
                name: { type: 'string', maxLength: 4, 'x-inferred': { maxLength: 'short names in the docs' } },
                children: { type: 'array', items: { $ref: '#/components/schemas/Tree' } },
              },
            },
            Problem: { type: 'object', required: ['title'], properties: { title: { type: 'string', maxLength: 4 } } },
          },
        },
      },
      'tree.yaml',
    );
    const schema = spec.operations[0]!.requestBody!.content[0]!.schema!;
    const cache = new ValidatorCache();
    cache.register(spec);
    cache.register(spec);

    it('its schemas compile by reference into the document: recursion is followed to any depth', () => {
      const validate = cache.get(schema);
      const deep = { name: 'a', children: [{ name: 'b', children: [{ name: 'c', children: [{ name: 4 }] }] }] };
      expect(validate(deep)).toBe(false);
      expect(validate.errors[0]?.instancePath).toBe('/children/0/children/0/children/0/name');
      expect(validate({ name: 'a', children: [{ name: 'b' }] })).toBe(true);
    });

    it("its documented twin drops the inferred rules at every depth and keeps the vendor's", () => {
      const documented = cache.get(schema, 'documented');
      expect(documented({ name: 'a long name', children: [{ name: 'another long name' }] })).toBe(true);
      expect(cache.get(schema)({ name: 'a long name' })).toBe(false);
      expect(documented({ children: [] })).toBe(false);
    });

    it('a schema no inferred rule can be reached from has one validator for both rule sets', () => {
      const problem = spec.operations[0]!.responses.find((r) => r.status === '400')!.content[0]!.schema!;
      expect(cache.get(problem, 'documented')).toBe(cache.get(problem));
      expect(cache.get(problem, 'documented')({ title: 'too long' })).toBe(false);
      // The mark is two references away, behind the recursion.
      expect(cache.get(schema, 'documented')).not.toBe(cache.get(schema));
    });
  });

  it("a schema AJV cannot compile is the spec's error, naming the file and the schema", () => {
    const broken = buildSpec(
      {
        openapi: '3.1.0',
        info: { title: 'Broken', version: '1' },
        paths: {
          '/names': {
            get: {
              operationId: 'find',
              parameters: [
                { name: 'q', in: 'query', schema: { type: 'string', minLength: '1' } },
                { name: 'n', in: 'query', schema: { $ref: '#/components/schemas/Name' } },
              ],
              responses: { '204': { description: 'found' } },
            },
          },
        },
        components: {
          schemas: { Name: { type: 'object', properties: { first: { type: 'string', maxLength: 'x' } } } },
        },
      },
      'broken.yaml',
    );
    const cache = new ValidatorCache();
    cache.register(broken);
    const [own, referenced] = broken.operations[0]!.parameters;
    expect(() => cache.get(own!.schema!)).toThrow(SpecError);
    expect(() => cache.get(own!.schema!)).toThrow(
      /^broken\.yaml: the schema at #\/paths\/~1names\/get\/parameters\/0\/schema cannot be used: schema is invalid: schema\/minLength must be integer$/,
    );
    // The bad keyword is in a component the parameter only `$ref`s: the message names the component.
    expect(() => cache.get(referenced!.schema!)).toThrow(
      /^broken\.yaml: the schema at #\/components\/schemas\/Name cannot be used: schema is invalid: schema\/properties\/first\/maxLength must be integer$/,
    );
    // A schema compiled as it is meets the draft's meta-schema first: a malformed one is no "anything".
    expect(() => cache.get({ type: 'object', properties: { name: 'string' as unknown as JsonSchema } })).toThrow(
      /^a schema cannot be used: schema is invalid: schema\/properties\/name must be object,boolean$/,
    );
    expect(() => cache.get({ type: 'number', multipleOf: 0 })).toThrow(/schema\/multipleOf must be > 0/);
    expect(() => cache.get({ type: 'string', pattern: '(' })).toThrow(
      /^a schema cannot be used: .*regular expression/i,
    );
  });

  it('an empty enum accepts nothing, in a spec and in a schema of its own', () => {
    const spec = buildSpec(
      {
        openapi: '3.1.0',
        info: { title: 'Empty enum', version: '1' },
        paths: {
          '/requests': {
            patch: {
              operationId: 'act',
              requestBody: {
                content: {
                  'application/json': {
                    schema: {
                      type: 'object',
                      properties: { action: { type: 'string', enum: [], allOf: [{ enum: ['APPROVED'] }] } },
                    },
                  },
                },
              },
              responses: { '204': { description: 'done' } },
            },
          },
        },
      },
      'empty-enum.yaml',
    );
    const cache = new ValidatorCache();
    cache.register(spec);
    const schema = spec.operations[0]!.requestBody!.content[0]!.schema!;
    for (const rules of ['all', 'documented'] as const) {
      const validate = cache.get(schema, rules);
      expect(validate({})).toBe(true);
      expect(validate({ action: 'APPROVED' })).toBe(false);
      expect(validate({ action: 'anything' })).toBe(false);
    }
    const own = cache.get({ type: 'object', properties: { kind: { enum: [] } } });
    expect(own({ other: 1 })).toBe(true);
    expect(own({ kind: null })).toBe(false);
  });

  it('a schema compiled as it is and refused is named by the spec file and pointer it came from', () => {
    const spec = buildSpec(
      {
        openapi: '3.1.0',
        info: { title: 'Anchored', version: '1' },
        paths: {
          '/nodes': {
            post: {
              operationId: 'create',
              requestBody: {
                content: { 'application/json': { schema: { $ref: '#/components/schemas/Node' } } },
              },
              responses: { '204': { description: 'made' } },
            },
          },
        },
        components: {
          schemas: { Node: { $recursiveAnchor: true, type: 'object', properties: { name: { type: 'string' } } } },
        },
      },
      'anchored.yaml',
    );
    new ValidatorCache().register(spec);
    const node = spec.operations[0]!.requestBody!.content[0]!.schema!;
    // A cache that registered no spec (the generators' own) compiles the spec's schema as it is.
    const unregistered = new ValidatorCache();
    expect(() => unregistered.get(node)).toThrow(
      /^anchored\.yaml: the schema at #\/components\/schemas\/Node cannot be used: schema is invalid: schema\/\$recursiveAnchor must be string$/,
    );
    // Built at run time around it: the innermost member that came from the spec is named.
    const built = { oneOf: [{ type: 'string' }, { type: 'number' }, node] } as JsonSchema;
    expect(() => unregistered.get(built)).toThrow(
      /^anchored\.yaml: the schema at #\/components\/schemas\/Node cannot be used: schema is invalid: schema\/\$recursiveAnchor must be string$/,
    );
  });
});

describe("ValidatorCache for yes-or-no callers (the generators' own)", () => {
  const tree = new ValidatorCache();
  const shared = new ValidatorCache({ yesOrNo: true });
  const same = (schema: JsonSchema, values: unknown[], rules: 'all' | 'documented' = 'all') => {
    for (const value of values)
      expect(shared.get(schema, rules)(value), JSON.stringify(value)).toBe(tree.get(schema, rules)(value));
  };

  it('judges as the schema copied into one tree does: recursion, shared members, unevaluated properties, empty enums', () => {
    const name: JsonSchema = { type: 'string', minLength: 1, maxLength: 3, 'x-inferred': { maxLength: 'a guess' } };
    const node: JsonSchema = { type: 'object', required: ['name'], properties: { name } };
    node.properties!.next = { anyOf: [{ type: 'null' }, node] };
    const pair: JsonSchema = {
      allOf: [{ properties: { first: name } }, { properties: { second: node } }],
      unevaluatedProperties: false,
    };
    const values = [
      {},
      { name: 'ab' },
      { name: 'abcd' },
      { name: '' },
      { name: 'a', next: null },
      { name: 'a', next: { name: 'b', next: { name: 7 } } },
      { first: 'a', second: { name: 'b' } },
      { first: 'a', second: { name: 'b' }, third: 1 },
      { first: 'abcdef' },
      'text',
    ];
    for (const rules of ['all', 'documented'] as const) {
      same(node, values, rules);
      same(pair, values, rules);
      same(
        { type: 'object', properties: { kind: { enum: [] }, child: node } },
        [{ kind: null }, { child: {} }, {}],
        rules,
      );
    }
    expect(shared.get(pair)({ first: 'a', second: { name: 'b' }, third: 1 })).toBe(false);
    expect(shared.get(node, 'documented')({ name: 'abcd' })).toBe(true);
    expect(shared.get(node)({ name: 'abcd' })).toBe(false);
  });

  it('only subschemas are shared: maps of names, unknown keywords and their x- or example keys stay data', () => {
    const withDependencies = { type: 'object', dependencies: { a: { required: ['b'] }, c: ['d'] } } as JsonSchema;
    same(withDependencies, [{ a: 1 }, { a: 1, b: 2 }, { c: 1 }, { c: 1, d: 1 }]);
    expect(shared.get(withDependencies)({ a: 1 })).toBe(false);
    const required = { type: 'object', dependentRequired: { 'x-tenant': ['b'], example: ['c'] } } as JsonSchema;
    same(required, [{ 'x-tenant': 't' }, { 'x-tenant': 't', b: 1 }, { example: 1 }]);
    expect(shared.get(required)({ 'x-tenant': 't' })).toBe(false);
    const unknown = { type: 'object', vendorMeta: { type: 'map', properties: {} } } as JsonSchema;
    expect(shared.get(unknown)({})).toBe(true);
    // A member the draft refuses, in a schema no spec names, is named by where it stands, as in one tree.
    const refused = { properties: { a: { minLength: '1', properties: {} } } } as unknown as JsonSchema;
    const message = 'a schema cannot be used: schema is invalid: schema/properties/a/minLength must be integer';
    expect(() => shared.get(refused)).toThrow(message);
    expect(() => tree.get(refused)).toThrow(message);
  });

  it('stops at the first error: a yes-or-no caller reads none past it', () => {
    const schema: JsonSchema = { type: 'object', required: ['a', 'b'] };
    const validate = shared.get(schema);
    expect(validate({})).toBe(false);
    expect(validate.errors).toHaveLength(1);
    expect(tree.get(schema)({})).toBe(false);
    expect(tree.get(schema).errors).toHaveLength(2);
  });

  it('compiles each member once for every schema reaching it: a chain naming the next link twice at each of 40 links', () => {
    // As one tree this is 2^40 schemas; shared, 41.
    let link: JsonSchema = { type: 'integer', maximum: 9 };
    for (let i = 0; i < 40; i++) link = { type: 'object', properties: { left: link, right: link } };
    const validate = shared.get(link);
    // Values down one side only: validating them is linear however wide the schema is.
    let ok: unknown = 9;
    let bad: unknown = 10;
    for (let i = 0; i < 40; i++) {
      ok = { left: ok };
      bad = i === 20 ? { right: bad } : { left: bad };
    }
    expect(validate(ok)).toBe(true);
    expect(validate(bad)).toBe(false);
    expect(shared.get({ anyOf: [{ type: 'string' }, link] })(ok)).toBe(true);
  });

  it('a schema naming URIs or anchors is compiled as one tree, where they mean what they say', () => {
    const schema = {
      $defs: { short: { type: 'string', maxLength: 2 } },
      properties: { code: { $ref: '#/$defs/short' } },
    };
    same(schema as JsonSchema, [{ code: 'ab' }, { code: 'abc' }, { code: 1 }]);
    expect(shared.get(schema as JsonSchema)({ code: 'abc' })).toBe(false);
  });

  it('a member the draft refuses is still named by the spec file and pointer it came from', () => {
    const spec = buildSpec(
      {
        openapi: '3.1.0',
        info: { title: 'Named', version: '1' },
        paths: {
          '/nodes': {
            post: {
              operationId: 'create',
              requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Node' } } } },
              responses: { '204': { description: 'made' } },
            },
          },
        },
        components: {
          schemas: { Node: { type: 'object', properties: { name: { type: 'string', minLength: 'x' } } } },
        },
      },
      'named.yaml',
    );
    new ValidatorCache().register(spec);
    const node = spec.operations[0]!.requestBody!.content[0]!.schema!;
    const built = { oneOf: [{ type: 'string' }, node] } as JsonSchema;
    expect(() => new ValidatorCache({ yesOrNo: true }).get(built)).toThrow(
      /^named\.yaml: the schema at #\/components\/schemas\/Node\/properties\/name cannot be used: schema is invalid: schema\/minLength must be integer$/,
    );
  });
});

describe('patterns as documents write them', () => {
  it('an identity escape a Unicode RegExp refuses (`\\:`) is read as a plain RegExp; Unicode escapes keep working', () => {
    const cache = new ValidatorCache();
    const tag = cache.get({ type: 'string', pattern: '^[a-zA-Z0-9_\\-\\:]+$' });
    expect(tag('env:prod')).toBe(true);
    expect(tag('env prod')).toBe(false);
    const letters = cache.get({ type: 'string', pattern: '^\\p{L}+$' });
    expect(letters('Zoë')).toBe(true);
    expect(letters('Zoë1')).toBe(false);
  });

  it('the generators draw values that very pattern accepts', async () => {
    const { sampleValue } = await import('../../lib/generators/values.js');
    const schema: JsonSchema = { type: 'string', pattern: '^[a-z]+\\:[0-9]+$' };
    const value = sampleValue(schema, 7);
    expect(value).toMatch(/^[a-z]+:[0-9]+$/);
    expect(new ValidatorCache().get(schema)(value)).toBe(true);
  });
});
