/**
 * lib/provenance.ts: which rules the vendor documents and which we inferred (`x-inferred`), and how a
 * broken rule is graded: a violation of inferred rules only tests an assumption.
 */
import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../lib/json.js';
import {
  assumptionsOf,
  documentedOnly,
  inferredOnly,
  markedPointer,
  marksReachable,
  pointersOf,
  reachedAssumptions,
  sourcePointers,
} from '../../lib/provenance.js';
import { buildSpec } from '../../lib/spec.js';
import { ValidatorCache } from '../../lib/validator.js';

/** A contact: `name` documented as required, its length and the `age` bounds only inferred. */
const source = (): JsonObject => ({
  openapi: '3.1.0',
  info: { title: 'Provenance', version: '1' },
  paths: {
    '/contacts': {
      post: {
        operationId: 'createContact',
        requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Contact' } } } },
        responses: {
          '201': { description: 'created' },
          '401': { $ref: '#/components/responses/Unauthorized' },
          '404': { $ref: '#/components/responses/Unauthorized', 'x-inferred': { response: 'ours at the use' } },
        },
      },
    },
  },
  components: {
    schemas: {
      Contact: {
        type: 'object',
        required: ['name'],
        properties: {
          name: { type: 'string', maxLength: 5, 'x-inferred': { maxLength: 'the UI cuts at 5' } },
          age: { type: 'integer', minimum: 0, maximum: 150, 'x-inferred': { maximum: 'nobody is older' } },
          tags: { type: 'array', items: { $ref: '#/components/schemas/Tag' } },
        },
      },
      Tag: { type: 'string', pattern: '^[a-z]+$', 'x-inferred': { pattern: 'lower case in every example' } },
    },
    responses: {
      Unauthorized: { description: 'no', 'x-inferred': { content: 'the vendor shows no body' } },
    },
  },
});

// First in the file, while the code is cold: a search by recursion would then overflow soonest.
it('reachedAssumptions: a chain of $refs longer than any stack, no stack overflow, no mark past the walk depth', () => {
  const schemas: Record<string, JsonObject> = {};
  for (let i = 0; i < 50_000; i++) schemas[`S${i}`] = { $ref: `#/components/schemas/S${i + 1}` };
  schemas.S50000 = { type: 'string', maxLength: 3, 'x-inferred': { maxLength: 'a guess' } };
  const chain: JsonObject = { components: { schemas } };
  expect(reachedAssumptions(chain, '/components/schemas/S0', 'abc')).toEqual([]);
  expect(reachedAssumptions(chain, '/components/schemas/S49990', 'abc')).toEqual([
    { pointer: '/components/schemas/S50000', keyword: 'maxLength', reason: 'a guess' },
  ]);
});

describe('marksReachable', () => {
  it('finds a mark on the node, below it, behind a $ref and around a cycle; extensions are data', () => {
    const doc = source();
    expect(marksReachable(doc, '/components/schemas/Tag')).toBe(true);
    expect(marksReachable(doc, '/paths/~1contacts/post/requestBody/content/application~1json/schema')).toBe(true);
    const cyclic: JsonObject = {
      components: {
        schemas: {
          A: { type: 'object', properties: { b: { $ref: '#/components/schemas/B' } }, 'x-seed': { 'x-inferred': {} } },
          B: { type: 'array', items: { $ref: '#/components/schemas/A' } },
          C: {
            type: 'object',
            properties: { a: { $ref: '#/components/schemas/A' }, d: { $ref: '#/components/schemas/D' } },
          },
          D: { type: 'string', 'x-inferred': { type: 'a guess' } },
        },
      },
    };
    expect(marksReachable(cyclic, '/components/schemas/A')).toBe(false);
    expect(marksReachable(cyclic, '/components/schemas/C')).toBe(true);
  });

  it('a property named like an extension (`x-tag`) is a property: its marks are reached and listed', () => {
    const doc: JsonObject = {
      components: {
        schemas: {
          Thing: {
            type: 'object',
            properties: { 'x-tag': { type: 'string', maxLength: 3, 'x-inferred': { maxLength: 'a guess' } } },
          },
        },
      },
    };
    expect(marksReachable(doc, '/components/schemas/Thing')).toBe(true);
    expect(assumptionsOf(doc)).toEqual([
      { pointer: '/components/schemas/Thing/properties/x-tag', keyword: 'maxLength', reason: 'a guess' },
    ]);
  });

  it('a reference into another document counts as reaching a mark: it cannot be looked into', () => {
    const doc: JsonObject = { components: { schemas: { A: { $ref: 'other.yaml#/Thing' } } } };
    expect(marksReachable(doc, '/components/schemas/A')).toBe(true);
  });
});

describe('documentedOnly', () => {
  it('removes the inferred keywords, keeps the documented ones and the marks', () => {
    const doc = documentedOnly(source());
    const contact = (doc.components as JsonObject).schemas as Record<string, JsonObject>;
    const properties = contact.Contact!.properties as Record<string, JsonObject>;
    expect(properties.name).toEqual({ type: 'string', 'x-inferred': { maxLength: 'the UI cuts at 5' } });
    expect(properties.age).toEqual({ type: 'integer', minimum: 0, 'x-inferred': { maximum: 'nobody is older' } });
    expect(contact.Contact!.required).toEqual(['name']);
  });

  it('leaves the original alone', () => {
    const original = source();
    documentedOnly(original);
    expect(original).toEqual(source());
  });

  it('marks on response and content say what is ours, they are no keys to remove', () => {
    const response = { description: 'x', content: { 'application/json': {} }, 'x-inferred': { content: 'ours' } };
    expect(documentedOnly(response)).toEqual(response);
  });

  it('copies a recursive schema as a cycle, and a __proto__ key as an own property', () => {
    const node: JsonObject = { type: 'object', maxProperties: 3, 'x-inferred': { maxProperties: 'why' } };
    node.properties = { child: node };
    Object.defineProperty(node, '__proto__', { value: { x: 1 }, enumerable: true, configurable: true });
    const copy = documentedOnly(node);
    expect(copy).not.toBe(node);
    expect((copy.properties as JsonObject).child).toBe(copy);
    expect(copy.maxProperties).toBeUndefined();
    expect(Object.hasOwn(copy, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
  });
});

describe('assumptionsOf', () => {
  it('every mark of a document, in document order, at the node carrying it', () => {
    expect(assumptionsOf(source())).toEqual([
      { pointer: '/paths/~1contacts/post/responses/404', keyword: 'response', reason: 'ours at the use' },
      { pointer: '/components/schemas/Contact/properties/name', keyword: 'maxLength', reason: 'the UI cuts at 5' },
      { pointer: '/components/schemas/Contact/properties/age', keyword: 'maximum', reason: 'nobody is older' },
      { pointer: '/components/schemas/Tag', keyword: 'pattern', reason: 'lower case in every example' },
      { pointer: '/components/responses/Unauthorized', keyword: 'content', reason: 'the vendor shows no body' },
    ]);
  });
});

describe('inferredOnly: grading what AJV reports', () => {
  const spec = buildSpec(source(), 'provenance.yaml');
  const validators = new ValidatorCache();
  validators.register(spec);
  const schema = spec.operations[0]!.requestBody!.content[0]!.schema!;

  const grade = (value: unknown) => {
    const validate = validators.get(schema);
    expect(validate(value)).toBe(false);
    return inferredOnly(spec.source, validate.errors);
  };

  it('a value breaking inferred rules only: the assumptions it refutes, each once', () => {
    expect(grade({ name: 'too long a name', age: 200, tags: ['Upper', 'Case'] })).toEqual([
      { pointer: '/components/schemas/Contact/properties/name', keyword: 'maxLength', reason: 'the UI cuts at 5' },
      { pointer: '/components/schemas/Contact/properties/age', keyword: 'maximum', reason: 'nobody is older' },
      { pointer: '/components/schemas/Tag', keyword: 'pattern', reason: 'lower case in every example' },
    ]);
  });

  it('a value breaking any documented rule as well: a failure, not an assumption', () => {
    expect(grade({ name: 'too long a name', age: -1 })).toBeUndefined();
    expect(grade({ age: 200 })).toBeUndefined();
    expect(grade({ name: 7 })).toBeUndefined();
  });

  it('the documented rule set accepts what only inferred rules refuse', () => {
    const documented = validators.get(schema, 'documented');
    expect(documented({ name: 'too long a name', age: 200, tags: ['Upper'] })).toBe(true);
    expect(documented({ name: 'ok', age: -1 })).toBe(false);
  });
});

describe('reachedAssumptions', () => {
  const doc = source();
  const contact = '/components/schemas/Contact';

  it('the marks a value reaches: present properties, items through $ref', () => {
    const reached = reachedAssumptions(doc, contact, { name: 'x', tags: ['a'] });
    expect(reached.map((a) => `${a.pointer} ${a.keyword}`)).toEqual([
      `${contact}/properties/name maxLength`,
      '/components/schemas/Tag pattern',
    ]);
  });

  it('a property the value does not have reaches nothing', () => {
    expect(reachedAssumptions(doc, contact, { name: 'x' })).toHaveLength(1);
    expect(reachedAssumptions(doc, contact, {})).toEqual([]);
    expect(reachedAssumptions(doc, contact, undefined)).toEqual([]);
  });

  it('through a recursive schema to any depth, each mark once however often it is reached', () => {
    const tree: JsonObject = {
      components: {
        schemas: {
          Node: {
            type: 'object',
            properties: {
              name: { type: 'string', maxLength: 9, 'x-inferred': { maxLength: 'short names' } },
              plain: { type: 'object', properties: { x: { type: 'string' } } },
              children: { type: 'array', items: { $ref: '#/components/schemas/Node' } },
            },
          },
          Pair: { allOf: [{ $ref: '#/components/schemas/Node' }, { $ref: '#/components/schemas/Node' }] },
        },
      },
    };
    const name = { pointer: '/components/schemas/Node/properties/name', keyword: 'maxLength', reason: 'short names' };
    const deep = { children: [{ plain: { x: 'y' } }, { children: [{ children: [{ name: 'deep' }] }] }] };
    for (let i = 0; i < 2; i++) {
      expect(reachedAssumptions(tree, '/components/schemas/Node', deep)).toEqual([name]);
      expect(reachedAssumptions(tree, '/components/schemas/Node', { plain: { x: 'y' }, children: [{}] })).toEqual([]);
      expect(reachedAssumptions(tree, '/components/schemas/Pair', { name: 'a', children: [{ name: 'b' }] })).toEqual([
        name,
      ]);
    }
  });
});

describe('markedPointer and pointers', () => {
  it('a $ref without marks of its own carries them at its target', () => {
    const doc = source();
    expect(markedPointer(doc, '/paths/~1contacts/post/responses/401')).toBe('/components/responses/Unauthorized');
  });

  it('a $ref with marks of its own carries them where it is', () => {
    const doc = source();
    expect(markedPointer(doc, '/paths/~1contacts/post/responses/404')).toBe('/paths/~1contacts/post/responses/404');
    expect(markedPointer(doc, '/components/schemas/Contact')).toBe('/components/schemas/Contact');
  });

  it('pointersOf names every object of the document; sourcePointers computes it once per document', () => {
    const doc = source();
    const pointers = pointersOf(doc);
    const schemas = (doc.components as JsonObject).schemas as Record<string, JsonObject>;
    expect(pointers.get(schemas.Tag!)).toBe('/components/schemas/Tag');
    expect(pointers.get(doc)).toBe('');
    expect(sourcePointers(doc)).toBe(sourcePointers(doc));
    expect(sourcePointers(doc).get(schemas.Contact!)).toBe('/components/schemas/Contact');
  });
});
