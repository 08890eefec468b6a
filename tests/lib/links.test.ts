/** lib/links.ts: which parameters of which operation the specs' `links` fill, and from where. */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { linkedParameters, responseBodyPointer } from '../../lib/links.js';
import { buildSpec, loadSpec } from '../../lib/spec.js';

const specFile = (name: string): string => fileURLToPath(new URL(`../../specs/${name}`, import.meta.url));

/** A made-up API: a create (201 and 200) linked to an update, a read and a search, one link on an error response. */
function synthetic(): ReturnType<typeof buildSpec> {
  const op = (
    operationId: string,
    parameters: unknown[] = [],
    responses: Record<string, unknown> = { '204': { description: 'ok' } },
  ) => ({ operationId, parameters, responses });
  const path = (name: string) => ({ name, in: 'path', required: true, schema: { type: 'string' } });
  return buildSpec(
    {
      openapi: '3.1.0',
      info: { title: 'Things', version: '1' },
      paths: {
        '/things': {
          post: op('createThing', [], {
            '201': {
              description: 'created',
              links: {
                Update: { operationId: 'updateThing', parameters: { thingId: '$response.body#/data/id' } },
                Read: {
                  operationId: 'readThing',
                  parameters: {
                    'path.id': '$response.body#/data/id',
                    'header.X-Trace': '$response.header.X-Trace',
                    version: '2',
                  },
                },
              },
            },
            '2XX': {
              description: 'other',
              links: {
                Search: {
                  operationId: 'searchThings',
                  parameters: { owner: '$response.body', 'X-Tenant': '$response.body#/tenant' },
                },
              },
            },
            '400': {
              description: 'bad',
              links: { Nope: { operationId: 'updateThing', parameters: { thingId: '$response.body#/errorId' } } },
            },
          }),
        },
        '/things/{thingId}': { patch: op('updateThing', [path('thingId')]) },
        '/things/{id}/{version}': {
          get: op('readThing', [path('id'), path('version'), { name: 'id', in: 'query', schema: { type: 'string' } }]),
        },
        '/search': {
          get: op('searchThings', [
            { name: 'owner', in: 'query', schema: { type: 'string' } },
            { name: 'x-tenant', in: 'header', schema: { type: 'string' } },
          ]),
        },
      },
    },
    'things.yaml',
  );
}

describe('responseBodyPointer', () => {
  it('reads the JSON pointer of a $response.body expression', () => {
    expect(responseBodyPointer('$response.body#/id')).toBe('/id');
    expect(responseBodyPointer('$response.body#/data/items/0/id')).toBe('/data/items/0/id');
    expect(responseBodyPointer('$response.body')).toBe('');
    expect(responseBodyPointer('$response.body#')).toBe('');
  });

  it('is undefined for other expressions, constants and malformed pointers', () => {
    for (const other of [
      '$response.header.Location',
      '$request.path.id',
      '$url',
      '42',
      '$response.body#id',
      '$response.bodyx',
    ])
      expect(responseBodyPointer(other), other).toBeUndefined();
  });
});

describe('linkedParameters', () => {
  it('maps each target operation to the parameters that 2xx links fill, with source, location and pointer', () => {
    const links = linkedParameters(synthetic());
    expect([...links.keys()]).toEqual(['updateThing', 'readThing', 'searchThings']);
    const source = { sourceOperationId: 'createThing' };
    expect(links.get('updateThing')).toEqual([
      {
        parameter: 'thingId',
        in: 'path',
        ...source,
        sourceStatus: '201',
        link: 'Update',
        expression: '$response.body#/data/id',
        pointer: '/data/id',
      },
    ]);
    expect(links.get('readThing')).toEqual([
      // A qualified name says where the parameter goes, even when another location has the same name.
      {
        parameter: 'id',
        in: 'path',
        ...source,
        sourceStatus: '201',
        link: 'Read',
        expression: '$response.body#/data/id',
        pointer: '/data/id',
      },
      {
        parameter: 'X-Trace',
        in: 'header',
        ...source,
        sourceStatus: '201',
        link: 'Read',
        expression: '$response.header.X-Trace',
      },
      { parameter: 'version', in: 'path', ...source, sourceStatus: '201', link: 'Read', expression: '2' },
    ]);
    expect(links.get('searchThings')).toEqual([
      {
        parameter: 'owner',
        in: 'query',
        ...source,
        sourceStatus: '2XX',
        link: 'Search',
        expression: '$response.body',
        pointer: '',
      },
      // Header names ignore case.
      {
        parameter: 'X-Tenant',
        in: 'header',
        ...source,
        sourceStatus: '2XX',
        link: 'Search',
        expression: '$response.body#/tenant',
        pointer: '/tenant',
      },
    ]);
  });

  it('ignores links on error responses and has no entry for operations no link fills', () => {
    const links = linkedParameters(synthetic());
    expect(links.get('updateThing')!.map((l) => l.link)).toEqual(['Update']);
    expect(links.has('createThing')).toBe(false);
  });

  it('is computed once per loaded spec', () => {
    const spec = synthetic();
    expect(linkedParameters(spec)).toBe(linkedParameters(spec));
  });

  it("reads BigChange's create -> update and create -> list links", async () => {
    const links = linkedParameters(await loadSpec(specFile('bigchange-contact-groups.yaml')));
    expect(links.get('updateContactGroup')).toEqual([
      {
        parameter: 'contactGroupId',
        in: 'path',
        sourceOperationId: 'createContactGroup',
        sourceStatus: '201',
        link: 'UpdateContactGroup',
        expression: '$response.body#/id',
        pointer: '/id',
      },
    ]);
    expect(links.get('listContactGroups')).toEqual([
      {
        parameter: 'id',
        in: 'query',
        sourceOperationId: 'createContactGroup',
        sourceStatus: '201',
        link: 'ListContactGroup',
        expression: '$response.body#/id',
        pointer: '/id',
      },
    ]);
    expect([...links.keys()].sort()).toEqual(['listContactGroups', 'updateContactGroup']);
  });
});

describe('operationRef', () => {
  it('names the target by its place in the document, with or without an operationId; another document is not followed', () => {
    const spec = buildSpec(
      {
        openapi: '3.1.0',
        info: { title: 'Refs', version: '1' },
        paths: {
          '/users': {
            post: {
              operationId: 'createUser',
              responses: {
                '201': {
                  description: 'created',
                  links: {
                    Named: { operationRef: '#/paths/~1users~1{name}/get', parameters: { name: '$request.body#/name' } },
                    Derived: {
                      operationRef: '#/paths/~1users~1%7Bname%7D/delete',
                      parameters: { name: '$request.body#/name' },
                    },
                    Elsewhere: { operationRef: 'https://example.com/api.yaml#/paths/~1users/get', parameters: {} },
                    Nowhere: { operationRef: '#/paths/~1users~1{name}/patch', parameters: {} },
                    Shared: {
                      operationRef: '#/components/pathItems/Team/get',
                      parameters: { name: '$request.body#/team', fields: { name: true }, tags: ['a'], limit: 10 },
                    },
                  },
                },
              },
            },
          },
          '/users/{name}': {
            parameters: [{ name: 'name', in: 'path', required: true, schema: { type: 'string' } }],
            get: { operationId: 'getUser', responses: { '200': { description: 'the user' } } },
            delete: { responses: { '204': { description: 'gone' } } },
          },
          '/teams/{name}': { $ref: '#/components/pathItems/Team' },
        },
        components: {
          pathItems: {
            Team: {
              parameters: [{ name: 'name', in: 'path', required: true, schema: { type: 'string' } }],
              get: { operationId: 'getTeam', responses: { '200': { description: 'the team' } } },
            },
          },
        },
      },
      'refs.yaml',
    );
    const links = spec.operations[0]!.responses[0]!.links;
    expect(links.map((l) => [l.name, l.operationId])).toEqual([
      ['Named', 'getUser'],
      ['Derived', spec.operations.find((op) => op.method === 'delete')!.operationId],
      ['Shared', 'getTeam'],
    ]);
    // A constant object or list has no one text: only the expression and the number are kept.
    expect(links.at(-1)!.parameters).toEqual({ name: '$request.body#/team', limit: '10' });
    expect(linkedParameters(spec).get('getUser')?.[0]).toMatchObject({ parameter: 'name', in: 'path' });
  });
});
