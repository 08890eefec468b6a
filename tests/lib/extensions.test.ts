/**
 * lib/extensions.ts: the only reader of the project's `x-` extensions (specs/README.md). A well-formed
 * extension reads into its typed shape with its defaults; a malformed one is a SpecError naming where.
 */
import { describe, expect, it } from 'vitest';
import { SpecError } from '../../lib/errors.js';
import { readErrorBody, readInferred, readRateLimit, readResource } from '../../lib/extensions.js';

const WHERE = 'specs/x.yaml POST /things';

function error(read: () => unknown): string {
  try {
    read();
  } catch (caught) {
    expect(caught).toBeInstanceOf(SpecError);
    return (caught as SpecError).message;
  }
  throw new Error('expected a SpecError');
}

describe('absent extensions read as undefined', () => {
  it('every reader', () => {
    expect(readResource(undefined, WHERE)).toBeUndefined();
    expect(readRateLimit(undefined, WHERE)).toBeUndefined();
    expect(readErrorBody(undefined, WHERE)).toBeUndefined();
    expect(readInferred(undefined, WHERE)).toBeUndefined();
  });
});

describe('x-resource', () => {
  it('the smallest declaration: the whole body is the record', () => {
    expect(readResource({ collection: 'groups', action: 'read', idParameter: 'id' }, WHERE)).toEqual({
      collection: 'groups',
      action: 'read',
      record: '',
      idParameter: 'id',
    });
  });

  it('a bulk delete names its records by a list in the body or in a query parameter, one of the two', () => {
    const bulk = { collection: 'persons', action: 'delete', idsParameter: 'ids' };
    expect(readResource(bulk, WHERE)).toEqual({ ...bulk, record: '' });
    expect(error(() => readResource({ ...bulk, action: 'update' }, WHERE))).toBe(
      `${WHERE} x-resource: "idsParameter" needs "action": "delete"`,
    );
    expect(error(() => readResource({ ...bulk, idsPointer: '/ids' }, WHERE))).toBe(
      `${WHERE} x-resource: "idsPointer" and "idsParameter" both name the records deleted: give one`,
    );
  });

  it('every part of a full declaration', () => {
    const raw = {
      collection: 'groups',
      action: 'list',
      record: '/data',
      items: '/data',
      id: 'id',
      patch: 'json-patch',
      patchNames: 'ignore-case',
      patchValues: 'convert',
      seed: [{ id: 1, name: 'All contacts' }],
      paging: { page: 'page', size: 'per_page', firstPage: 0, defaultSize: 25, total: '/meta/total' },
      filters: [
        { parameter: 'q', field: 'name', match: 'contains' },
        { parameter: 'name', field: 'name' },
      ],
      protect: { field: 'default', status: 403, example: 'default-group' },
      members: { collection: 'contacts', ids: '/contact_ids', count: 'contacts_count' },
      notFound: { example: 'missing' },
      unique: { fields: ['name'], status: '422', example: 'taken' },
      merge: {
        on: 'email',
        merged: { status: '200', example: 'merged' },
        conflict: { status: '409', example: 'conflict' },
      },
    };
    expect(readResource(raw, WHERE)).toEqual({
      ...raw,
      paging: { page: 'page', size: 'per_page', firstPage: 0, defaultSize: 25, total: '/meta/total' },
      filters: [
        { parameter: 'q', field: 'name', match: 'contains' },
        { parameter: 'name', field: 'name', match: 'equals' },
      ],
      protect: { field: 'default', status: '403', example: 'default-group' },
      notFound: { status: '404', example: 'missing' },
    });
  });

  it('paging numbers from page 1 unless it says otherwise', () => {
    expect(readResource({ collection: 'c', action: 'list', paging: { page: 'p' } }, WHERE)?.paging).toEqual({
      page: 'p',
      firstPage: 1,
    });
  });

  it('page URLs: pointers alone, or a page list with its labels and window', () => {
    const read = (pageUrls: unknown) =>
      readResource({ collection: 'c', action: 'list', paging: { page: 'p' }, pageUrls }, WHERE)?.pageUrls;
    expect(read({ next: '/n' })).toEqual({ next: '/n' });
    expect(read({ pages: '/l', previousLabel: '<', nextLabel: '>', onEachSide: 2 })).toEqual({
      pages: '/l',
      list: { previousLabel: '<', nextLabel: '>', onEachSide: 2 },
    });
  });

  const malformed: [string, unknown, string][] = [
    ['not an object', 'groups', 'must be an object'],
    ['no action', { collection: 'c' }, '"action" must be a string'],
    ['an unknown action', { collection: 'c', action: 'archive' }, '"action" must be one of create, read, list'],
    ['no collection', { action: 'read' }, '"collection" must be a string'],
    ['an unknown patch', { collection: 'c', action: 'update', patch: 'replace' }, '"patch" must be "merge"'],
    [
      'a time format with a typo',
      { collection: 'c', action: 'create', timestamps: { created: 'at', format: 'DATE-TIME' } },
      '"timestamps.format" must be date-time, unix, unix-text or a pattern',
    ],
    [
      'patch names read some other way',
      { collection: 'c', action: 'update', patch: 'json-patch', patchNames: 'exact' },
      '"patchNames" must be "ignore-case"',
    ],
    [
      'patch values converted without a JSON Patch',
      { collection: 'c', action: 'update', patchValues: 'convert' },
      '"patchValues" needs "patch": "json-patch"',
    ],
    [
      'a seed that is not records',
      { collection: 'c', action: 'create', seed: [1] },
      '"seed" must be a list of records',
    ],
    ['paging not an object', { collection: 'c', action: 'list', paging: 'p' }, '"paging" must be an object'],
    [
      'a first page that is not an integer',
      { collection: 'c', action: 'list', paging: { firstPage: 1.5 } },
      '"paging.firstPage" must be an integer',
    ],
    [
      'a default size below 1',
      { collection: 'c', action: 'list', paging: { defaultSize: 0 } },
      '"paging.defaultSize" must be a positive integer',
    ],
    [
      'a page-field base that is not an integer',
      { collection: 'c', action: 'list', paging: { pageFieldFirst: '1' } },
      '"paging.pageFieldFirst" must be an integer',
    ],
    [
      'a paging pointer that is not a string',
      { collection: 'c', action: 'list', paging: { countField: 3 } },
      'paging: "countField" must be a string',
    ],
    [
      'page URLs without a page parameter',
      { collection: 'c', action: 'list', paging: { offset: 'o' }, pageUrls: { next: '/next' } },
      'pageUrls: needs "paging.page" and no "paging.offset"',
    ],
    [
      'page URLs with offset paging',
      { collection: 'c', action: 'list', paging: { page: 'p', offset: 'o' }, pageUrls: { next: '/next' } },
      'pageUrls: needs "paging.page" and no "paging.offset"',
    ],
    [
      'page URLs keeping a size no parameter sets',
      { collection: 'c', action: 'list', paging: { page: 'p' }, pageUrls: { next: '/next', keepSize: true } },
      'pageUrls: "keepSize" needs "paging.size"',
    ],
    [
      'page URLs keeping a size that is no flag',
      { collection: 'c', action: 'list', paging: { page: 'p', size: 's' }, pageUrls: { next: '/next', keepSize: 1 } },
      'pageUrls: "keepSize" must be true or false',
    ],
    [
      'a page list with a negative window',
      {
        collection: 'c',
        action: 'list',
        paging: { page: 'p' },
        pageUrls: { pages: '/links', previousLabel: '<', nextLabel: '>', onEachSide: -1 },
      },
      'pageUrls: "pages" needs "onEachSide", a whole number, 0 or more',
    ],
    [
      'a page list without its labels',
      { collection: 'c', action: 'list', paging: { page: 'p' }, pageUrls: { pages: '/links', onEachSide: 3 } },
      'pageUrls: "previousLabel" must be a string',
    ],
    [
      'a related count with a missing answer',
      {
        collection: 'c',
        action: 'list',
        related: [{ field: 'n', by: 'g', count: 'x', missing: { status: '422', example: 'e' } }],
      },
      'related[0]: "missing" goes with "from"',
    ],
    [
      'a page-URL pointer that is not a string',
      { collection: 'c', action: 'list', paging: { page: 'p' }, pageUrls: { next: true } },
      'pageUrls: "next" must be a string',
    ],
    ['related not a list', { collection: 'c', action: 'list', related: {} }, '"related" must be a list'],
    [
      'a related field both counted and looked up',
      { collection: 'c', action: 'list', related: [{ field: 'n', by: 'g', count: 'x', from: 'y', value: 'v' }] },
      'related[0]: needs one of "count", "from" and "memberOf"',
    ],
    [
      'a membership without the key its items name a record by',
      { collection: 'c', action: 'create', related: [{ field: 'groups', memberOf: 'groups' }] },
      'related[0]: "key" must be a string',
    ],
    [
      'a related lookup without the value it takes',
      { collection: 'c', action: 'list', related: [{ field: 'n', by: 'g', from: 'groups' }] },
      'related[0]: "value" must be a string',
    ],
    ['sort not an object', { collection: 'c', action: 'list', sort: 'name' }, 'sort: must be an object'],
    [
      'a sort default that is no direction',
      { collection: 'c', action: 'list', sort: { field: 'id', default: 'desc' } },
      'sort: "default" must be ascending or descending',
    ],
    ['filters not a list', { collection: 'c', action: 'list', filters: {} }, '"filters" must be a list'],
    [
      'a membership filter with a field',
      { collection: 'c', action: 'list', filters: [{ parameter: 'g', memberOf: 'groups', field: 'x' }] },
      'filters[0]: "memberOf" takes no "field" or "match"',
    ],
    [
      'a filter with an unknown match',
      { collection: 'c', action: 'list', filters: [{ parameter: 'q', field: 'n', match: 'regex' }] },
      'filters[0]: "match" must be equals, contains, prefix or wildcard',
    ],
    [
      'members without ids or a parameter',
      { collection: 'c', action: 'add-members', members: { collection: 'contacts' } },
      'members: needs "ids" or "parameter"',
    ],
    [
      'unique fields that are not names',
      { collection: 'c', action: 'create', unique: { fields: 'name', status: '422', example: 'x' } },
      '"unique.fields" must be a list of property names',
    ],
    [
      'a status example without its example',
      { collection: 'c', action: 'create', unique: { fields: ['name'], status: '422' } },
      '"example" must be a string',
    ],
    [
      'a merge without its conflict',
      { collection: 'c', action: 'create', merge: { on: 'email', merged: { status: '200', example: 'm' } } },
      'merge.conflict: must be an object with "status" and "example"',
    ],
  ];

  for (const [title, raw, message] of malformed) {
    it(`refuses ${title}`, () => {
      const text = error(() => readResource(raw, WHERE));
      expect(text.startsWith(`${WHERE} x-resource`)).toBe(true);
      expect(text).toContain(message);
    });
  }
});

describe('x-rate-limit', () => {
  it('limit and period as given; a credential scope, 429 and no message by default', () => {
    expect(readRateLimit({ limit: 15, period: 60 }, 'specs/x.yaml')).toEqual({
      limit: 15,
      period: 60,
      scope: 'credential',
      status: '429',
    });
  });

  it('every part given', () => {
    expect(
      readRateLimit({ limit: 1, period: 0.5, scope: 'global', status: 503, message: 'wait {retryAfter}s' }, 'f'),
    ).toEqual({ limit: 1, period: 0.5, scope: 'global', status: '503', message: 'wait {retryAfter}s' });
  });

  const malformed: [string, unknown, string][] = [
    ['not an object', 15, 'f x-rate-limit: must be an object'],
    ['a limit of 0', { limit: 0, period: 1 }, 'f x-rate-limit: "limit" must be a positive integer'],
    ['a fractional limit', { limit: 1.5, period: 1 }, 'f x-rate-limit: "limit" must be a positive integer'],
    ['no period', { limit: 1 }, 'f x-rate-limit: "period" must be a positive number of seconds'],
    ['a period of 0', { limit: 1, period: 0 }, 'f x-rate-limit: "period" must be a positive number of seconds'],
    [
      'an unknown scope',
      { limit: 1, period: 1, scope: 'ip' },
      'f x-rate-limit: "scope" must be "credential" or "global"',
    ],
  ];
  for (const [title, raw, message] of malformed) {
    it(`refuses ${title}`, () => {
      expect(error(() => readRateLimit(raw, 'f'))).toBe(message);
    });
  }
});

describe('x-error-body', () => {
  it('roles, item roles, requirement texts and example names', () => {
    expect(
      readErrorBody(
        {
          message: '/message',
          fieldErrors: '/errors',
          items: { field: 'field', requirements: { maxLength: 'max {maxLength}', minimum: 0 } },
          examples: { required: 'missing-name', 'invalid:addresses.msisdn': 'bad-msisdn', default: 7 },
        },
        'f 422',
      ),
    ).toEqual({
      message: '/message',
      fieldErrors: '/errors',
      items: { field: 'field', requirements: { maxLength: 'max {maxLength}', minimum: '0' } },
      examples: { required: 'missing-name', 'invalid:addresses.msisdn': 'bad-msisdn', default: '7' },
    });
  });

  it('refuses a role that is not a pointer string, items or examples that are not objects', () => {
    expect(error(() => readErrorBody({ message: 1 }, 'f'))).toBe('f x-error-body: "message" must be a string');
    expect(error(() => readErrorBody({ items: [] }, 'f'))).toBe('f x-error-body: "items" must be an object');
    expect(error(() => readErrorBody({ examples: ['a'] }, 'f'))).toBe(
      'f x-error-body: "examples" must map what went wrong to an example name',
    );
  });
});

describe('x-inferred', () => {
  it('keyword -> reason', () => {
    expect(readInferred({ maxLength: 'the UI cuts at 255' }, 'f')).toEqual({ maxLength: 'the UI cuts at 255' });
  });

  it('refuses a mark without a reason, or that is not a map', () => {
    expect(error(() => readInferred({ maxLength: ' ' }, 'f'))).toBe(
      'f x-inferred: "maxLength" needs a one-line reason',
    );
    expect(error(() => readInferred({ maxLength: true }, 'f'))).toBe(
      'f x-inferred: "maxLength" needs a one-line reason',
    );
    expect(error(() => readInferred(['maxLength'], 'f'))).toBe('f x-inferred: must be a map from keyword to reason');
  });
});
