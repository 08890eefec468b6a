/** lib/rest-shape.ts: what `POST /things` and `/things/{id}` say when no link or x-resource does. */
import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../lib/json.js';
import { bulkIdsParameter, bulkIdsPointer, restCollections, restShape } from '../../lib/rest-shape.js';
import { buildSpec, type Spec } from '../../lib/spec.js';

describe('restShape', () => {
  it('a path that ends in a parameter is an item of the collection above it', () => {
    expect(restShape('/pets/{petId}')).toEqual({ collection: '/pets', idParameter: 'petId' });
    expect(restShape('/v1/groups/{id}/')).toEqual({ collection: '/v1/groups', idParameter: 'id' });
    expect(restShape('/{id}')).toEqual({ collection: '/', idParameter: 'id' });
  });

  it('any other path is a collection', () => {
    expect(restShape('/pets')).toEqual({ collection: '/pets' });
    expect(restShape('/pets/{petId}/photos')).toEqual({ collection: '/pets/{petId}/photos' });
    expect(restShape('/pets/{petId}.json')).toEqual({ collection: '/pets/{petId}.json' });
  });
});

const created = (schema: JsonObject, status = '201') => ({
  [status]: { description: 'created', content: { 'application/json': { schema } } },
});
const ok = { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object' } } } } };

function spec(paths: JsonObject): Spec {
  return buildSpec({ openapi: '3.1.0', info: { title: 'Shape', version: '1' }, paths }, 'shape.yaml');
}

describe('restCollections', () => {
  const pets = spec({
    '/pets': {
      post: {
        operationId: 'createPet',
        responses: created({ type: 'object', properties: { id: { type: 'integer' } } }),
      },
      get: { operationId: 'listPets', responses: ok },
    },
    '/pets/{petId}': {
      get: { operationId: 'readPet', responses: ok },
      put: { operationId: 'replacePet', responses: ok },
      delete: { operationId: 'deletePet', responses: { '204': { description: 'gone' } } },
    },
    '/pets/{petId}/photos': {
      post: {
        operationId: 'addPhoto',
        responses: created(
          { type: 'object', properties: { data: { type: 'object', properties: { photoId: { type: 'string' } } } } },
          '2XX',
        ),
      },
    },
    '/pets/{petId}/photos/{photoId}': { get: { operationId: 'readPhoto', responses: ok } },
    '/reports': { post: { operationId: 'report', responses: { '400': { description: 'no success' } } } },
  });

  it('every POST on a collection path with a success answer, with its items and list', () => {
    const collections = restCollections(pets);
    expect(collections.map((c) => c.path)).toEqual(['/pets', '/pets/{petId}/photos']);
    const [pet] = collections;
    expect(pet!.create.operationId).toBe('createPet');
    expect(pet!.status).toBe('201');
    expect(pet!.list?.operationId).toBe('listPets');
    expect(pet!.items.map((i) => [i.operation.operationId, i.idParameter])).toEqual([
      ['readPet', 'petId'],
      ['replacePet', 'petId'],
      ['deletePet', 'petId'],
    ]);
  });

  it('the id in the answer: `id`, or the item parameter, at the top or in one wrapping object', () => {
    const [pet, photo] = restCollections(pets);
    expect(pet!.idPointer).toBe('/id');
    expect(photo!.status).toBe('2XX');
    expect(photo!.idPointer).toBe('/data/photoId');
    expect(photo!.list).toBeUndefined();
  });

  it('no id pointer when the answer names no id', () => {
    const [thing] = restCollections(
      spec({ '/things': { post: { operationId: 'make', responses: created({ type: 'object', properties: {} }) } } }),
    );
    expect(thing!.idPointer).toBeUndefined();
    expect(thing!.items).toEqual([]);
  });

  it('an item parameter named for another attribute is found by that name, never taken for the `id`', () => {
    const pointer = (parameter: string, properties: JsonObject): string | undefined =>
      restCollections(
        spec({
          '/things': { post: { operationId: 'make', responses: created({ type: 'object', properties }) } },
          [`/things/{${parameter}}`]: { get: { operationId: 'read', responses: ok } },
        }),
      )[0]!.idPointer;
    const scalar = { type: 'integer' };
    expect(pointer('email', { id: scalar })).toBeUndefined();
    expect(pointer('email', { id: scalar, email: { type: 'string' } })).toBe('/email');
    expect(pointer('issue_number', { id: scalar, number: scalar })).toBe('/number');
    expect(pointer('username', { id: scalar, userName: { type: 'string' } })).toBe('/userName');
    expect(pointer('contact', { id: scalar, contact: { type: 'object' } })).toBe('/id');
    expect(pointer('contactId', { id: scalar })).toBe('/id');
    expect(pointer('issueIdOrKey', { id: { type: 'string' }, key: { type: 'string' } })).toBe('/key');
  });

  it('is read once per spec', () => {
    expect(restCollections(pets)).toBe(restCollections(pets));
  });

  it('an item path named for an attribute the create sends, not answers, is named by what was sent; a read-only one is never sent', () => {
    const sentKey = (email: JsonObject) =>
      restCollections(
        spec({
          '/contacts': {
            post: {
              operationId: 'createContact',
              requestBody: {
                content: {
                  'application/json': { schema: { type: 'object', properties: { email, name: { type: 'string' } } } },
                },
              },
              responses: created({ type: 'object', properties: { id: { type: 'integer' } } }),
            },
          },
          '/contacts/{email}': { get: { operationId: 'readContact', responses: ok } },
        }),
      )[0]!.sentKey;
    expect(sentKey({ type: 'string' })).toBe('/email');
    expect(sentKey({ type: 'string', readOnly: true })).toBeUndefined();
  });
});

describe('bulkIdsPointer', () => {
  const deleting = (schema: JsonObject) =>
    spec({
      '/lists': {
        delete: {
          operationId: 'deleteLists',
          requestBody: { content: { 'application/json': { schema } } },
          responses: { '204': { description: 'deleted' } },
        },
      },
    }).operations[0]!;
  const ids = { type: 'array', items: { type: 'integer' } };

  it('is the whole body when it is a list of ids, else its one list named for ids', () => {
    expect(bulkIdsPointer(deleting(ids))).toBe('');
    expect(
      bulkIdsPointer(deleting({ type: 'object', properties: { list_ids: ids, force: { type: 'boolean' } } })),
    ).toBe('/list_ids');
  });

  it('is none for a list of records, two lists of ids, or a list not named for ids', () => {
    expect(bulkIdsPointer(deleting({ type: 'array', items: { type: 'object' } }))).toBeUndefined();
    expect(bulkIdsPointer(deleting({ type: 'object', properties: { ids: ids, group_ids: ids } }))).toBeUndefined();
    expect(bulkIdsPointer(deleting({ type: 'object', properties: { tags: ids } }))).toBeUndefined();
  });
});

describe('bulkIdsParameter', () => {
  const deleting = (parameters: JsonObject[], body?: JsonObject) =>
    spec({
      '/persons': {
        delete: {
          operationId: 'deletePersons',
          parameters,
          ...(body ? { requestBody: { content: { 'application/json': { schema: body } } } } : {}),
          responses: { '200': { description: 'deleted' } },
        },
      },
    }).operations[0]!;
  const query = (name: string, schema: JsonObject) => ({ name, in: 'query', required: true, schema });
  const ids = { type: 'array', items: { type: 'integer' } };

  it('is the one query parameter named for ids: a list of single values, or ids joined by commas', () => {
    expect(bulkIdsParameter(deleting([query('ids', { type: 'string' })]))).toBe('ids');
    // "subscriber id/s to be deleted"
    expect(bulkIdsParameter(deleting([query('id', { type: 'string' })]))).toBe('id');
    expect(bulkIdsParameter(deleting([query('groupIds', ids)]))).toBe('groupIds');
    expect(bulkIdsParameter(deleting([query('person_ids', ids), query('force', { type: 'boolean' })]))).toBe(
      'person_ids',
    );
  });

  it('is none beside a body naming ids, for two such parameters, a list that needs two ids, or another name', () => {
    expect(bulkIdsParameter(deleting([query('ids', { type: 'string' })], ids))).toBeUndefined();
    expect(bulkIdsParameter(deleting([query('ids', ids), query('group_ids', ids)]))).toBeUndefined();
    expect(bulkIdsParameter(deleting([query('ids', { ...ids, minItems: 2 })]))).toBeUndefined();
    expect(bulkIdsParameter(deleting([query('tags', ids)]))).toBeUndefined();
    expect(bulkIdsParameter(deleting([query('paid', { type: 'string' })]))).toBeUndefined();
    // The records of a location, not records by their ids.
    expect(bulkIdsParameter(deleting([query('locationId', { type: 'string' })]))).toBeUndefined();
    expect(bulkIdsParameter(deleting([query('group_id', { type: 'string' })]))).toBeUndefined();
    expect(bulkIdsParameter(deleting([query('ids', { type: 'integer' })]))).toBeUndefined();
  });
});

describe('sameRecordsAs: a create under a parent making the records of a collection at the top', () => {
  const integer = { type: 'integer' };
  const membership = (properties: JsonObject = { id: integer, user_id: integer, role: { type: 'string' } }) => ({
    type: 'object',
    properties: { organization_membership: { type: 'object', properties } },
  });
  const item = { get: { operationId: 'getMembership', responses: ok } };
  /** `POST /organization_memberships` and `/users/{user}/organization_memberships` (named `parent`), as the parts say. */
  const shapes = ({
    top = membership(),
    nested = membership(),
    parent = 'user_id',
    parentSchema = integer,
    nestedItem,
  }: {
    top?: JsonObject;
    nested?: JsonObject;
    parent?: string;
    parentSchema?: JsonObject;
    nestedItem?: string;
  } = {}) =>
    restCollections(
      spec({
        '/users': {
          post: { operationId: 'createUser', responses: created({ type: 'object', properties: { id: integer } }) },
        },
        '/organization_memberships': { post: { operationId: 'createMembership', responses: created(top) } },
        '/organization_memberships/{organization_membership_id}': item,
        [`/users/{${parent}}/organization_memberships`]: {
          parameters: [{ name: parent, in: 'path', required: true, schema: parentSchema }],
          post: { operationId: 'createUserMembership', responses: created(nested) },
        },
        ...(nestedItem === undefined
          ? {}
          : {
              [`/users/{${parent}}/organization_memberships/{${nestedItem}}`]: {
                get: { operationId: 'getUserMembership', responses: ok },
              },
            }),
      }),
    ).find((c) => c.create.operationId === 'createUserMembership')!.sameRecordsAs;

  it('is the top collection where both creates answer one schema, the id in one place, the record naming the parent', () => {
    expect(shapes()).toBe('/organization_memberships');
    // `{userId}` names `user_id`; a bare `{id}` under `/users` names it too.
    expect(shapes({ parent: 'userId' })).toBe('/organization_memberships');
    expect(shapes({ parent: 'id' })).toBe('/organization_memberships');
    // Item paths under the parent naming the record by the same id.
    expect(shapes({ nestedItem: 'organization_membership_id' })).toBe('/organization_memberships');
    expect(shapes({ nestedItem: 'id' })).toBe('/organization_memberships');
  });

  it('is none where anything says otherwise: another schema, no field naming the parent, another id', () => {
    // Answered otherwise (Stripe's customer balance transactions beside the account's).
    expect(shapes({ nested: membership({ id: integer, user_id: integer }) })).toBeUndefined();
    // The record does not say whose it is.
    const unnamed = membership({ id: integer, role: { type: 'string' } });
    expect(shapes({ top: unnamed, nested: unnamed })).toBeUndefined();
    // The path names the user by a text (a login), the record by a number.
    expect(shapes({ parentSchema: { type: 'string' } })).toBeUndefined();
    // A bare `{id}` under another word than the field's.
    const owned = membership({ id: integer, owner_id: integer });
    expect(shapes({ parent: 'id', top: owned, nested: owned })).toBeUndefined();
    // Named under the parent by another id than at the top (GitLab's issue `iid`).
    const issue = membership({ id: integer, iid: integer, user_id: integer });
    expect(shapes({ top: issue, nested: issue, nestedItem: 'iid' })).toBeUndefined();
  });
});
