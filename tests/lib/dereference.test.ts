/**
 * lib/dereference.ts: internal `$ref`s inlined once per target, recursion kept as cycles of objects,
 * each object's origin remembered; `decycle` turns the cycles back into `$ref`s for tools that need a tree.
 */
import { describe, expect, it } from 'vitest';
import { decycle, dereference, isDataKey } from '../../lib/dereference.js';
import { SpecError } from '../../lib/errors.js';
import type { JsonObject } from '../../lib/json.js';

const doc = (schemas: JsonObject, extra: JsonObject = {}): JsonObject => ({
  openapi: '3.1.0',
  paths: {},
  components: { schemas },
  ...extra,
});

const schemasOf = (root: JsonObject): Record<string, JsonObject> =>
  (root.components as JsonObject).schemas as Record<string, JsonObject>;

describe('cycles', () => {
  it('a schema that contains itself is an object that contains itself', () => {
    const { root, origins } = dereference(
      doc({ Node: { type: 'object', properties: { next: { $ref: '#/components/schemas/Node' } } } }),
      'cycle.yaml',
    );
    const node = schemasOf(root).Node!;
    expect((node.properties as JsonObject).next).toBe(node);
    expect(origins.get(node)).toBe('/components/schemas/Node');
  });

  it('mutual recursion: A holds B, B holds the same A', () => {
    const { root } = dereference(
      doc({
        A: { type: 'object', properties: { b: { $ref: '#/components/schemas/B' } } },
        B: { type: 'array', items: { $ref: '#/components/schemas/A' } },
      }),
      'mutual.yaml',
    );
    const { A, B } = schemasOf(root);
    expect((A!.properties as JsonObject).b).toBe(B);
    expect(B!.items).toBe(A);
  });

  it('a recursion through a $ref with sibling keywords keeps the target as an allOf branch', () => {
    const { root, origins } = dereference(
      doc({
        Tree: {
          type: 'object',
          properties: { children: { $ref: '#/components/schemas/Tree', description: 'the subtrees' } },
        },
      }),
      'siblings.yaml',
    );
    const tree = schemasOf(root).Tree!;
    const children = (tree.properties as JsonObject).children as JsonObject;
    expect(children.allOf).toEqual([tree]);
    expect((children.allOf as unknown[])[0]).toBe(tree);
    expect(children.description).toBe('the subtrees');
    expect(origins.get(children)).toBe('/components/schemas/Tree/properties/children');
  });

  it('a $ref that leads only back to itself is an error naming it', () => {
    const loop = doc({ A: { $ref: '#/components/schemas/B' }, B: { $ref: '#/components/schemas/A' } });
    expect(() => dereference(loop, 'loop.yaml')).toThrow(SpecError);
    expect(() => dereference(loop, 'loop.yaml')).toThrow(
      /^loop\.yaml: \$ref "#\/components\/schemas\/[AB]" refers to itself$/,
    );
  });
});

describe('one object per target', () => {
  it('two $refs to one schema yield the same object, and a chain resolves to its end', () => {
    const { root } = dereference(
      doc({
        Pet: { type: 'object' },
        Alias: { $ref: '#/components/schemas/Pet' },
        Holder: { properties: { a: { $ref: '#/components/schemas/Pet' }, b: { $ref: '#/components/schemas/Alias' } } },
      }),
      'shared.yaml',
    );
    const { Pet, Alias, Holder } = schemasOf(root);
    expect(Alias).toBe(Pet);
    expect((Holder!.properties as JsonObject).a).toBe(Pet);
    expect((Holder!.properties as JsonObject).b).toBe(Pet);
  });

  it('sibling keywords of a $ref win over the target, in a new object; the target is untouched', () => {
    const { root, origins } = dereference(
      doc({ Name: { type: 'string', maxLength: 10 }, Short: { $ref: '#/components/schemas/Name', maxLength: 3 } }),
      'override.yaml',
    );
    const { Name, Short } = schemasOf(root);
    expect(Short).toEqual({ type: 'string', maxLength: 3 });
    expect(Name).toEqual({ type: 'string', maxLength: 10 });
    expect(origins.get(Short!)).toBe('/components/schemas/Short');
  });

  it('a pointer with escaped and percent-encoded tokens', () => {
    const { root } = dereference(
      doc({ 'a/b c': { type: 'integer' }, Use: { $ref: '#/components/schemas/a~1b%20c' } }),
      'escaped.yaml',
    );
    expect(schemasOf(root).Use).toEqual({ type: 'integer' });
  });
});

describe('what is not followed', () => {
  it('a $ref inside example data is a value', () => {
    const example = { $ref: '#/components/schemas/Nope' };
    const { root } = dereference(doc({ Pet: { type: 'object', example, default: example } }), 'data.yaml');
    expect(schemasOf(root).Pet!.example).toEqual(example);
    expect(schemasOf(root).Pet!.default).toEqual(example);
  });

  it('a property named like a data keyword is still a schema', () => {
    const { root } = dereference(
      doc({ Int: { type: 'integer' }, Pet: { properties: { default: { $ref: '#/components/schemas/Int' } } } }),
      'named.yaml',
    );
    expect((schemasOf(root).Pet!.properties as JsonObject).default).toEqual({ type: 'integer' });
  });

  it('isDataKey: data keywords hold data unless they are a name in a map', () => {
    expect(isDataKey('example', {}, undefined)).toBe(true);
    expect(isDataKey('enum', [], 'items')).toBe(true);
    expect(isDataKey('examples', [1, 2], undefined)).toBe(true);
    expect(isDataKey('examples', { one: { value: 1 } }, undefined)).toBe(false);
    expect(isDataKey('default', {}, 'properties')).toBe(false);
    expect(isDataKey('properties', {}, undefined)).toBe(false);
  });

  it('a key named __proto__ stays an own property and changes no prototype', () => {
    const source = doc({});
    const properties: JsonObject = {};
    Object.defineProperty(properties, '__proto__', { value: { type: 'string' }, enumerable: true });
    schemasOf(source).Odd = { type: 'object', properties };
    const { root } = dereference(source, 'proto.yaml');
    const odd = schemasOf(root).Odd!.properties as JsonObject;
    expect(Object.hasOwn(odd, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(odd)).toBe(Object.prototype);
  });

  it('a $ref to nothing and an external $ref left over are errors naming the file', () => {
    expect(() => dereference(doc({ A: { $ref: '#/components/schemas/Nope' } }), 'x.yaml')).toThrow(
      'x.yaml: $ref "#/components/schemas/Nope" points at nothing',
    );
    expect(() => dereference(doc({ A: { $ref: 'other.yaml#/A' } }), 'x.yaml')).toThrow(
      'x.yaml: only internal $refs are left at /components/schemas/A, found "other.yaml#/A"',
    );
  });
});

describe('decycle', () => {
  it('a cycle becomes a $ref to where the object came from; the result is JSON', () => {
    const { root, origins } = dereference(
      doc({ 'My Node': { type: 'object', properties: { next: { $ref: '#/components/schemas/My%20Node' } } } }),
      'cycle.yaml',
    );
    const tree = decycle(root, origins);
    const node = schemasOf(tree)['My Node']!;
    expect((node.properties as JsonObject).next).toEqual({ $ref: '#/components/schemas/My%20Node' });
    expect(JSON.parse(JSON.stringify(tree))).toEqual(tree);
  });

  it('an object shared without a cycle is copied where it came from, and a $ref to there elsewhere', () => {
    const { root, origins } = dereference(
      doc({
        Pet: { type: 'object' },
        Pair: { items: [{ $ref: '#/components/schemas/Pet' }] },
        Also: { $ref: '#/components/schemas/Pet' },
      }),
      'shared.yaml',
    );
    const tree = decycle(root, origins);
    expect(schemasOf(tree).Pet).toEqual({ type: 'object' });
    expect(schemasOf(tree).Also).toEqual({ $ref: '#/components/schemas/Pet' });
    expect(schemasOf(tree).Pair).toEqual({ items: [{ $ref: '#/components/schemas/Pet' }] });
  });

  it('grows with the document, not with the ways through it (each schema naming the next twice)', () => {
    const depth = 18;
    const schemas: JsonObject = { [`S${depth}`]: { type: 'string' } };
    for (let i = 0; i < depth; i++) {
      const next = { $ref: `#/components/schemas/S${i + 1}` };
      schemas[`S${i}`] = { type: 'object', properties: { a: next, b: { ...next } } };
    }
    const { root, origins } = dereference(doc(schemas), 'chain.yaml');
    const tree = decycle(root, origins);
    // Copied at each place, S18 would be written 2^18 times (megabytes); each schema once is a few kilobytes.
    expect(JSON.stringify(tree).length).toBeLessThan(10_000);
    expect((schemasOf(tree).S0!.properties as JsonObject).b).toEqual({ $ref: '#/components/schemas/S1' });
  });
});
