/**
 * lib/inheritance.ts: a discriminator on a base that others inherit through `allOf` becomes a
 * discriminated `oneOf` wherever the base is used; documents without one are left as they are.
 */
import { describe, expect, it } from 'vitest';
import { polymorphicInheritance } from '../../lib/inheritance.js';
import type { JsonObject } from '../../lib/json.js';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/** A document whose one operation takes and answers `body`, with these component schemas. */
function documentOf(schemas: JsonObject, body: JsonObject = ref('Party')): JsonObject {
  const content = { 'application/json': { schema: body } };
  return {
    openapi: '3.1.0',
    info: { title: 't', version: '1' },
    paths: { '/parties': { post: { requestBody: { content }, responses: { '201': { description: 'ok', content } } } } },
    components: { schemas },
  };
}

const party = (discriminator: JsonObject = { propertyName: 'kind' }): JsonObject => ({
  type: 'object',
  discriminator,
  required: ['kind'],
  properties: { kind: { type: 'string' }, parent: ref('Party') },
});
const heir = (parent: string, property: string): JsonObject => ({
  allOf: [ref(parent), { required: [property], properties: { [property]: { type: 'string' } } }],
});

const schemasOf = (document: JsonObject) => (document.components as { schemas: Record<string, JsonObject> }).schemas;
const bodyOf = (document: JsonObject) =>
  (document.paths as Record<string, Record<string, { requestBody: { content: Record<string, { schema: unknown }> } }>>)[
    '/parties'
  ]!.post!.requestBody.content['application/json']!.schema;

describe('documents left as they are', () => {
  it.each([
    ['a discriminator nothing inherits', { Party: party() }],
    ['inheritance without a discriminator', { Party: { type: 'object' }, Person: heir('Party', 'firstName') }],
    [
      'a discriminator that chooses among a oneOf already',
      { Party: { ...party(), oneOf: [ref('Person')] }, Person: heir('Party', 'firstName') },
    ],
  ])('%s', (_name, schemas) => {
    const document = documentOf(structuredClone(schemas) as JsonObject);
    const before = structuredClone(document);
    polymorphicInheritance(document);
    expect(document).toEqual(before);
  });
});

describe('a discriminator on an inherited base', () => {
  it('every use of the base but its heirs’ allOf and its own references names a oneOf of the base and its heirs at any depth', () => {
    const document = documentOf({
      Party: party(),
      Person: heir('Party', 'firstName'),
      Employee: heir('Person', 'employer'),
      Company: heir('Party', 'legalName'),
    });
    polymorphicInheritance(document);
    const schemas = schemasOf(document);
    expect(bodyOf(document)).toEqual(ref('Party.polymorphic'));
    expect(schemas['Party.polymorphic']).toEqual({
      oneOf: [
        { allOf: [ref('Party'), { properties: { kind: { const: 'Party' } } }] },
        ref('Person'),
        ref('Employee'),
        ref('Company'),
      ],
      discriminator: {
        propertyName: 'kind',
        mapping: {
          Party: '#/components/schemas/Party',
          Person: '#/components/schemas/Person',
          Employee: '#/components/schemas/Employee',
          Company: '#/components/schemas/Company',
        },
      },
    });
    // The plain base is what the heirs inherit: no discriminator of its own, its references to itself kept.
    expect(schemas.Party!.discriminator).toBeUndefined();
    expect((schemas.Party!.properties as JsonObject).parent).toEqual(ref('Party'));
    expect((schemas.Person!.allOf as unknown[])[0]).toEqual(ref('Party'));
    expect((schemas.Employee!.allOf as unknown[])[0]).toEqual(ref('Person'));
  });

  it('an heir used directly is itself or one of its own heirs; one without heirs is itself with its value', () => {
    const document = documentOf(
      {
        Party: party(),
        Person: heir('Party', 'firstName'),
        Employee: heir('Person', 'employer'),
        Company: heir('Party', 'legalName'),
        Pair: { type: 'object', properties: { person: ref('Person'), company: ref('Company') } },
      },
      ref('Pair'),
    );
    polymorphicInheritance(document);
    const schemas = schemasOf(document);
    expect(schemas.Pair!.properties).toEqual({
      person: ref('Person.polymorphic'),
      company: ref('Company.polymorphic'),
    });
    expect(schemas['Person.polymorphic']!.oneOf).toEqual([
      { allOf: [ref('Person'), { properties: { kind: { const: 'Person' } } }] },
      ref('Employee'),
    ]);
    expect(schemas['Company.polymorphic']).toEqual({
      allOf: [ref('Company'), { properties: { kind: { const: 'Company' } } }],
    });
    expect(schemas['Party.polymorphic']).toBeUndefined();
  });

  it('a mapping names the values, and leaving the base out makes it abstract', () => {
    const document = documentOf({
      Party: party({ propertyName: 'kind', mapping: { person: '#/components/schemas/Person', company: 'Company' } }),
      Person: heir('Party', 'firstName'),
      Company: heir('Party', 'legalName'),
    });
    polymorphicInheritance(document);
    expect(schemasOf(document)['Party.polymorphic']).toEqual({
      oneOf: [ref('Person'), ref('Company')],
      discriminator: {
        propertyName: 'kind',
        mapping: { person: '#/components/schemas/Person', company: '#/components/schemas/Company' },
      },
    });
  });

  it('a mapping naming the base keeps it, with the mapped value', () => {
    const document = documentOf({
      Party: party({ propertyName: 'kind', mapping: { party: '#/components/schemas/Party' } }),
      Person: heir('Party', 'firstName'),
    });
    polymorphicInheritance(document);
    expect(schemasOf(document)['Party.polymorphic']!.oneOf).toEqual([
      { allOf: [ref('Party'), { properties: { kind: { const: 'party' } } }] },
      ref('Person'),
    ]);
  });

  it('a branch another discriminator chooses by the base’s name stays the base', () => {
    const choice = { oneOf: [ref('Party'), ref('Other')], discriminator: { propertyName: 'kind' } };
    const document = documentOf(
      { Party: party(), Person: heir('Party', 'firstName'), Other: { type: 'object' } },
      structuredClone(choice),
    );
    polymorphicInheritance(document);
    expect(bodyOf(document)).toEqual(choice);
  });

  it('the added schema’s name does not replace one the document has', () => {
    const taken = { type: 'string' };
    const document = documentOf({ Party: party(), Person: heir('Party', 'firstName'), 'Party.polymorphic': taken });
    polymorphicInheritance(document);
    expect(schemasOf(document)['Party.polymorphic']).toEqual(taken);
    expect(bodyOf(document)).toEqual(ref('Party.polymorphic2'));
  });
});
