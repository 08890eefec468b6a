/**
 * lib/resources.ts: what each operation does to stored records, from `x-resource` where declared,
 * else from the REST shape and `links`; the record and item schemas, the id field, kind and seed.
 */
import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../lib/json.js';
import type { JsonSchema } from '../../lib/json-schema.js';
import { resourceModel, schemaAt } from '../../lib/resources.js';
import { buildSpec, loadSpec, type Spec } from '../../lib/spec.js';

const body = (schema: JsonObject, example?: unknown) => ({
  content: { 'application/json': { schema, ...(example !== undefined ? { example } : {}) } },
});

function spec(paths: JsonObject, schemas: JsonObject = {}): Spec {
  return buildSpec(
    { openapi: '3.1.0', info: { title: 'Resources', version: '1' }, paths, components: { schemas } },
    'resources.yaml',
  );
}

const PET = { $ref: '#/components/schemas/Pet' };
const PET_SCHEMA = {
  type: 'object',
  properties: { id: { type: 'integer' }, name: { type: 'string' } },
};

describe('read from the REST shape', () => {
  const pets = spec(
    {
      '/pets': {
        post: { operationId: 'createPet', responses: { '201': { description: 'made', ...body(PET, { id: 41 }) } } },
        get: {
          operationId: 'listPets',
          responses: {
            '200': {
              description: 'all',
              ...body({ type: 'object', properties: { items: { type: 'array', items: PET } } }),
            },
          },
        },
      },
      '/pets/{petId}': {
        get: { operationId: 'readPet', responses: { '200': { description: 'one', ...body(PET) } } },
        put: { operationId: 'replacePet', responses: { '200': { description: 'one', ...body(PET) } } },
        patch: {
          operationId: 'updatePet',
          requestBody: body({ type: 'object' }),
          responses: { '200': { description: 'one', ...body(PET) } },
        },
        delete: { operationId: 'deletePet', responses: { '204': { description: 'gone' } } },
      },
      '/pets/{petId}/tags': {
        patch: {
          operationId: 'patchTags',
          requestBody: { content: { 'application/json-patch+json': { schema: { type: 'array' } } } },
          responses: { '204': { description: 'done' } },
        },
      },
      '/health': { get: { operationId: 'health', responses: { '200': { description: 'up' } } } },
    },
    { Pet: PET_SCHEMA },
  );
  const model = resourceModel(pets);

  it('create, list, read, replace, update and delete of one collection', () => {
    const actions = Object.fromEntries([...model].map(([id, b]) => [id, b.resource.action]));
    expect(actions).toEqual({
      createPet: 'create',
      listPets: 'list',
      readPet: 'read',
      replacePet: 'replace',
      updatePet: 'update',
      deletePet: 'delete',
    });
    expect([...model.values()].every((b) => b.inferred && b.resource.collection === '/pets')).toBe(true);
  });

  it('an operation on no collection something creates in touches no record', () => {
    expect(model.has('health')).toBe(false);
    expect(model.has('patchTags')).toBe(false);
  });

  it('ids: the field, its kind, the first id from the documented example, the item parameter', () => {
    const create = model.get('createPet')!;
    expect(create.idField).toBe('id');
    expect(create.idKind).toBe('integer');
    expect(create.idSeed).toBe(41);
    expect(create.successStatus).toBe('201');
    expect(model.get('readPet')!.idParameter).toBe('petId');
    expect(model.get('deletePet')!.idParameter).toBe('petId');
    expect(create.idParameter).toBeUndefined();
  });

  it('the record and item schemas', () => {
    expect(model.get('readPet')!.recordSchema?.properties?.name).toEqual({ type: 'string' });
    expect(model.get('listPets')!.resource.items).toBe('/items');
    expect(model.get('listPets')!.itemSchema).toBe(model.get('readPet')!.recordSchema);
  });

  it('a PATCH merges its body', () => {
    expect(model.get('updatePet')!.resource.patch).toBe('merge');
  });

  it('is read once per spec', () => {
    expect(resourceModel(pets)).toBe(model);
  });
});

describe('a JSON Patch, links, string and UUID ids', () => {
  const linked = spec({
    '/groups': {
      post: {
        operationId: 'createGroup',
        responses: {
          '200': {
            description: 'made',
            ...body({
              type: 'object',
              properties: {
                data: {
                  type: 'object',
                  properties: { key: { type: 'string', format: 'uuid' }, name: { type: 'string' } },
                },
              },
            }),
            links: { update: { operationId: 'patchGroup', parameters: { groupKey: '$response.body#/data/key' } } },
          },
        },
      },
    },
    '/groups/{groupKey}': {
      patch: {
        operationId: 'patchGroup',
        requestBody: { content: { 'application/json-patch+json': { schema: { type: 'array' } } } },
        responses: { '204': { description: 'done' } },
      },
    },
    '/notes': {
      post: {
        operationId: 'createNote',
        responses: {
          '201': { description: 'made', ...body({ type: 'object', properties: { id: { type: 'string' } } }) },
        },
      },
    },
  });
  const model = resourceModel(linked);

  it('a link says where the id is: the record and the id field', () => {
    const create = model.get('createGroup')!;
    expect(create.resource.record).toBe('/data');
    expect(create.idField).toBe('key');
    expect(create.idKind).toBe('uuid');
    expect(create.idSeed).toBe(1);
  });

  it('a json-patch body makes a JSON Patch update; the linked parameter carries the id', () => {
    expect(model.get('patchGroup')!.resource).toMatchObject({ action: 'update', patch: 'json-patch' });
    expect(model.get('patchGroup')!.idParameter).toBe('groupKey');
  });

  it('string ids count up as decimal strings', () => {
    expect(model.get('createNote')!.idKind).toBe('string');
  });
});

describe('a declaration wins over the shape', () => {
  const declared = spec({
    '/contacts': {
      post: {
        operationId: 'createContact',
        'x-resource': { collection: 'contacts', action: 'create', record: '/contact', id: 'contactId' },
        responses: {
          '201': {
            description: 'made',
            ...body(
              {
                type: 'object',
                properties: { contact: { type: 'object', properties: { contactId: { type: 'integer' } } } },
              },
              { contact: { contactId: 1000 } },
            ),
          },
        },
      },
    },
    '/contacts/search': {
      post: {
        operationId: 'findContact',
        'x-resource': { collection: 'contacts', action: 'read', idPointer: '/contactId', record: '/contact' },
        responses: { '200': { description: 'found', ...body({ type: 'object' }) } },
      },
    },
  });
  const model = resourceModel(declared);

  it('declared actions, not inferred; the id field and seed from the declared create', () => {
    expect(model.get('createContact')).toMatchObject({ inferred: false, idField: 'contactId', idSeed: 1000 });
    expect(model.get('findContact')).toMatchObject({ inferred: false, idField: 'contactId' });
    expect(model.get('findContact')!.resource.action).toBe('read');
  });

  it('an id carried in the body names no id parameter', () => {
    expect(model.get('findContact')!.idParameter).toBeUndefined();
  });
});

describe('records a create under a parent makes for a collection at the top', () => {
  it('every operation of the nested collection names the top one as where its records are; the top ones name none', async () => {
    const model = resourceModel(await loadSpec('tests/fixtures/openapi/nested-create-nested-delete.yaml'));
    const named = (id: string) => [model.get(id)!.resource.collection, model.get(id)!.sameRecordsAs];
    for (const id of ['createUserMembership', 'getUserMembership', 'deleteUserMembership'])
      expect(named(id)).toEqual(['/users/{user_id}/organization_memberships', '/organization_memberships']);
    for (const id of ['createMembership', 'getMembership', 'deleteMembership', 'createUser'])
      expect(model.get(id)!.sameRecordsAs).toBeUndefined();
    expect(model.get('createUserMembership')!.parentParameters).toEqual(['user_id']);
  });
});

describe('schemaAt', () => {
  const schema: JsonSchema = {
    allOf: [
      { type: 'object', properties: { data: { type: 'object', properties: { id: { type: 'integer' } } } } },
      { properties: { list: { type: 'array', items: { type: 'object', properties: { n: { type: 'string' } } } } } },
    ],
  };

  it('follows properties through allOf branches, and array items by index', () => {
    expect(schemaAt(schema, '/data/id')).toEqual({ type: 'integer' });
    expect(schemaAt(schema, '/list/0/n')).toEqual({ type: 'string' });
    expect(schemaAt(schema, '')).toBe(schema);
  });

  it('is undefined where the schema says nothing', () => {
    expect(schemaAt(schema, '/nope')).toBeUndefined();
    expect(schemaAt(schema, '/data/id/deeper')).toBeUndefined();
    expect(schemaAt(undefined, '/x')).toBeUndefined();
  });
});
