// Each constraint the vendor pages (and the facts they omit) impose, named as (field, keyword, value)
// and asserted against the spec. A row fails when a spec edit drops or changes the constraint.
import { beforeAll, describe, expect, it } from 'vitest';
import type { JsonSchema } from '../../lib/json-schema.js';
import type { Operation, Spec } from '../../lib/spec.js';
import { loadAll, operation, type SpecKey } from '../support-specs/specs.js';

let specs: Record<SpecKey, Spec>;
beforeAll(async () => {
  specs = await loadAll();
});

/** Merges allOf members so a field can be found whichever member declares it. */
function flatten(schema: JsonSchema): JsonSchema {
  if (!schema.allOf) return schema;
  let merged: JsonSchema = { ...schema, allOf: undefined };
  for (const part of schema.allOf.map(flatten)) {
    merged = {
      ...merged,
      ...part,
      properties: { ...merged.properties, ...part.properties },
      required: [...(merged.required ?? []), ...(part.required ?? [])],
    };
  }
  return merged;
}

/** `addresses.msisdn`, `groups[].id`, `data.created_at`; '' is the schema itself. */
function field(schema: JsonSchema, path: string): JsonSchema {
  let current = flatten(schema);
  for (const part of path.split('.').filter(Boolean)) {
    const isItems = part.endsWith('[]');
    const name = isItems ? part.slice(0, -2) : part;
    const next = current.properties?.[name];
    if (!next) throw new Error(`no property ${name} in path ${path}`);
    current = flatten(next);
    if (isItems) {
      if (!current.items) throw new Error(`${name} is not an array`);
      current = flatten(current.items);
    }
  }
  return current;
}

function requiredIn(schema: JsonSchema, path: string): string[] {
  const dot = path.lastIndexOf('.');
  const parent = dot < 0 ? flatten(schema) : field(schema, path.slice(0, dot));
  return parent.required ?? [];
}

/** Where a row looks: the request body, a response body, a parameter, or a response header. */
type Where =
  | { op: string; request: string }
  | { op: string; response: string; path: string }
  | { op: string; param: string }
  | { op: string; status: string; header: string };

function schemaAt(spec: Spec, where: Where): JsonSchema {
  const op: Operation = operation(spec, where.op);
  if ('request' in where) return field(op.requestBody?.content[0]?.schema ?? {}, where.request);
  if ('param' in where) {
    const param = op.parameters.find((p) => p.name === where.param);
    if (!param) throw new Error(`${where.op} has no parameter ${where.param}`);
    return { ...param.schema, 'x-required': param.required, 'x-in': param.in };
  }
  const response = op.responses.find((r) => r.status === ('response' in where ? where.response : where.status));
  if (!response) throw new Error(`${where.op} documents no ${'response' in where ? where.response : where.status}`);
  if ('header' in where) {
    const header = response.headers.find((h) => h.name === where.header);
    if (!header) throw new Error(`no header ${where.header}`);
    return { ...header.schema, 'x-required': header.required };
  }
  return field(response.content[0]?.schema ?? {}, where.path);
}

type Row = [SpecKey, string, Where, string, unknown];
const req = (op: string, request: string): Where => ({ op, request });
const res = (op: string, response: string, path = ''): Where => ({ op, response, path });
const param = (op: string, name: string): Where => ({ op, param: name });

/**
 * keyword `required`: the field is (true) or is not (false) in its parent's `required`;
 * `x-item-required` / `x-item-optional`: the array's items require / merely allow the named property.
 */
const rows: Row[] = [
  // BigChange
  ['bigchange', 'Customer-Id header on create', param('createContactGroup', 'Customer-Id'), 'x-required', true],
  ['bigchange', 'Customer-Id is a header', param('createContactGroup', 'Customer-Id'), 'x-in', 'header'],
  ['bigchange', 'Customer-Id type', param('createContactGroup', 'Customer-Id'), 'type', 'integer'],
  ['bigchange', 'Customer-Id format', param('createContactGroup', 'Customer-Id'), 'format', 'int64'],
  ['bigchange', 'Customer-Id header on update', param('updateContactGroup', 'Customer-Id'), 'x-required', true],
  ['bigchange', 'Customer-Id format on update', param('updateContactGroup', 'Customer-Id'), 'format', 'int64'],
  ['bigchange', 'contactGroupId type', param('updateContactGroup', 'contactGroupId'), 'type', 'integer'],
  ['bigchange', 'create name required', req('createContactGroup', 'name'), 'required', true],
  ['bigchange', 'create name minLength', req('createContactGroup', 'name'), 'minLength', 1],
  ['bigchange', 'create name maxLength', req('createContactGroup', 'name'), 'maxLength', 50],
  ['bigchange', 'update name optional', req('updateContactGroup', 'name'), 'required', false],
  ['bigchange', 'update needs at least one property', req('updateContactGroup', ''), 'minProperties', 1],
  ['bigchange', 'create 201 id', res('createContactGroup', '201', 'id'), 'format', 'int64'],
  ['bigchange', 'create 201 id required', res('createContactGroup', '201', 'id'), 'required', true],
  [
    'bigchange',
    '422 errors is a map of string[]',
    res('createContactGroup', '422', 'errors'),
    'additionalProperties',
    { type: 'array', items: { type: 'string' } },
  ],
  ['bigchange', '422 errors required', res('createContactGroup', '422', 'errors'), 'required', true],
  [
    'bigchange',
    'problem details allow extension members',
    res('createContactGroup', '400'),
    'additionalProperties',
    true,
  ],
  ['bigchange', 'problem status is the HTTP status', res('updateContactGroup', '404', 'status'), 'const', 404],
  ['bigchange', 'problem title required', res('createContactGroup', '500', 'title'), 'required', true],
  // 8x8
  ['8x8', 'accountId minLength', param('createContact', 'accountId'), 'minLength', 32],
  ['8x8', 'accountId maxLength', param('createContact', 'accountId'), 'maxLength', 36],
  [
    '8x8',
    'accountId pattern',
    param('createContact', 'accountId'),
    'pattern',
    '^[0-9A-Fa-f]{8}[-]?(?:[0-9A-Fa-f]{4}[-]?){3}[0-9A-Fa-f]{12}$',
  ],
  ['8x8', 'firstName minLength', req('createContact', 'firstName'), 'minLength', 1],
  ['8x8', 'firstName maxLength', req('createContact', 'firstName'), 'maxLength', 200],
  ['8x8', 'lastName minLength', req('createContact', 'lastName'), 'minLength', 1],
  ['8x8', 'lastName maxLength', req('createContact', 'lastName'), 'maxLength', 200],
  ['8x8', 'externalId minLength', req('createContact', 'externalId'), 'minLength', 1],
  ['8x8', 'externalId maxLength', req('createContact', 'externalId'), 'maxLength', 50],
  ['8x8', 'country minLength', req('createContact', 'country'), 'minLength', 2],
  ['8x8', 'country maxLength', req('createContact', 'country'), 'maxLength', 2],
  ['8x8', 'groups minItems', req('createContact', 'groups'), 'minItems', 1],
  ['8x8', 'groups maxItems', req('createContact', 'groups'), 'maxItems', 10],
  ['8x8', 'groups uniqueItems', req('createContact', 'groups'), 'uniqueItems', true],
  ['8x8', 'group id type', req('createContact', 'groups[].id'), 'type', 'integer'],
  ['8x8', 'group id required', req('createContact', 'groups[].id'), 'required', true],
  ['8x8', 'addresses required', req('createContact', 'addresses'), 'required', true],
  ['8x8', 'addresses minProperties', req('createContact', 'addresses'), 'minProperties', 1],
  ['8x8', 'msisdn pattern', req('createContact', 'addresses.msisdn'), 'pattern', '^\\+{0,1}[1-9]{1}[0-9]{6,14}$'],
  ['8x8', 'email format', req('createContact', 'addresses.email'), 'format', 'email'],
  ['8x8', 'email maxLength', req('createContact', 'addresses.email'), 'maxLength', 320],
  ['8x8', 'weChatUserId maxLength', req('createContact', 'addresses.weChatUserId'), 'maxLength', 128],
  ['8x8', 'facebookUserId maxLength', req('createContact', 'addresses.facebookUserId'), 'maxLength', 128],
  ['8x8', 'zaloId maxLength', req('createContact', 'addresses.zaloId'), 'maxLength', 128],
  ['8x8', 'lineId maxLength', req('createContact', 'addresses.lineId'), 'maxLength', 128],
  ['8x8', 'kakaoTalkId maxLength', req('createContact', 'addresses.kakaoTalkId'), 'maxLength', 128],
  ['8x8', 'customAttributes type', req('createContact', 'customAttributes'), 'type', 'object'],
  ['8x8', '201 id required', res('createContact', '201', 'id'), 'required', true],
  ['8x8', '201 addresses required', res('createContact', '201', 'addresses'), 'required', true],
  ['8x8', '200 id required', res('createContact', '200', 'id'), 'required', true],
  ['8x8', '200 addresses required', res('createContact', '200', 'addresses'), 'required', true],
  ...(['400', '401', '409'] as const).flatMap((status): Row[] => [
    ['8x8', `${status} code required`, res('createContact', status, 'code'), 'required', true],
    ['8x8', `${status} message required`, res('createContact', status, 'message'), 'required', true],
    ['8x8', `${status} errorId is a uuid`, res('createContact', status, 'errorId'), 'format', 'uuid'],
    ['8x8', `${status} timestamp is a date-time`, res('createContact', status, 'timestamp'), 'format', 'date-time'],
  ]),
  // Eloqua
  ['eloqua', 'name required on create', req('createContactSegment', 'name'), 'required', true],
  ...(
    [
      'id',
      'currentStatus',
      'permissions',
      'createdAt',
      'createdBy',
      'updatedAt',
      'updatedBy',
      'accessedAt',
      'depth',
      'count',
      'lastCalculatedAt',
      'isStale',
    ] as const
  ).map((name): Row => ['eloqua', `${name} is read-only`, req('createContactSegment', name), 'readOnly', true]),
  ...(['id', 'folderId', 'sourceTemplateId', 'createdAt', 'count', 'isStale', 'scheduledFor'] as const).map(
    (name): Row => [
      'eloqua',
      `${name} is sent as a string`,
      res('createContactSegment', '201', name),
      'type',
      'string',
    ],
  ),
  ['eloqua', 'permissions are strings', res('createContactSegment', '201', 'permissions'), 'items', { type: 'string' }],
  ['eloqua', 'elements add isIncluded', req('createContactSegment', 'elements[].isIncluded'), 'type', 'string'],
  ['eloqua', 'element id is read-only', req('createContactSegment', 'elements[].id'), 'readOnly', true],
  ['eloqua', '400 is an array of validation errors', res('createContactSegment', '400'), 'type', 'array'],
  ...(['type', 'container', 'property', 'requirement'] as const).map(
    (name): Row => [
      'eloqua',
      `validation error ${name} required`,
      res('createContactSegment', '400'),
      'x-item-required',
      name,
    ],
  ),
  ['eloqua', 'validation error value optional', res('createContactSegment', '400'), 'x-item-optional', 'value'],
  // Easify
  ['easify', 'name required', req('createContactGroup', 'name'), 'required', true],
  ['easify', 'name minLength', req('createContactGroup', 'name'), 'minLength', 1],
  ['easify', '200 status is true', res('createContactGroup', '200', 'status'), 'const', true],
  [
    'easify',
    'created_at format dd-mm-YYYY hh:mm:ss AM|PM',
    res('createContactGroup', '200', 'data.created_at'),
    'pattern',
    '^(0[1-9]|[12][0-9]|3[01])-(0[1-9]|1[0-2])-[0-9]{4} (0[1-9]|1[0-2]):[0-5][0-9]:[0-5][0-9] (AM|PM)$',
  ],
  ...(['id', 'name', 'contacts_count', 'shared_group', 'default_group', 'created_at'] as const).map(
    (name): Row => [
      'easify',
      `data.${name} required`,
      res('createContactGroup', '200', `data.${name}`),
      'required',
      true,
    ],
  ),
  ...(['401', '402', '403', '429'] as const).flatMap((status): Row[] => [
    ['easify', `${status} status is false`, res('createContactGroup', status, 'status'), 'const', false],
    ['easify', `${status} errors is an array`, res('createContactGroup', status, 'errors'), 'type', 'array'],
    ['easify', `${status} message required`, res('createContactGroup', status, 'message'), 'required', true],
  ]),
  [
    'easify',
    '422 errors map name to messages',
    res('createContactGroup', '422', 'errors'),
    'additionalProperties',
    { type: 'array', items: { type: 'string' } },
  ],
  [
    'easify',
    '429 Retry-After required',
    { op: 'createContactGroup', status: '429', header: 'Retry-After' },
    'x-required',
    true,
  ],
  [
    'easify',
    '429 Retry-After is seconds',
    { op: 'createContactGroup', status: '429', header: 'Retry-After' },
    'type',
    'integer',
  ],
];

describe('constraints', () => {
  it.each(rows)('%s: %s', (key, _name, where, keyword, value) => {
    const spec = specs[key];
    const schema = schemaAt(spec, where);
    if (keyword === 'required') {
      const path = 'request' in where ? where.request : 'path' in where ? where.path : '';
      const root =
        'request' in where
          ? operation(spec, where.op).requestBody?.content[0]?.schema
          : operation(spec, where.op).responses.find((r) => 'response' in where && r.status === where.response)
              ?.content[0]?.schema;
      expect(requiredIn(root ?? {}, path).includes(path.split('.').pop() ?? '')).toBe(value);
    } else if (keyword === 'x-item-required' || keyword === 'x-item-optional') {
      const items = flatten(schema.items ?? {});
      expect(Object.keys(items.properties ?? {})).toContain(value);
      if (keyword === 'x-item-optional') expect(items.required ?? []).not.toContain(value);
      else expect(items.required ?? []).toContain(value);
    } else {
      expect((schema as Record<string, unknown>)[keyword]).toEqual(value);
    }
  });
});

describe('document-level facts', () => {
  it('BigChange: OAuth 2.0 client credentials with the contacts:write scope on every operation', () => {
    const scheme = (
      specs.bigchange.document.components!.securitySchemes as Record<
        string,
        { type: string; flows: { clientCredentials: { tokenUrl: string; scopes: Record<string, string> } } }
      >
    ).bigChangeOAuth;
    expect(scheme?.type).toBe('oauth2');
    expect(scheme?.flows.clientCredentials.tokenUrl).toBe('https://api.bigchange.com/auth/tokens');
    expect(Object.keys(scheme?.flows.clientCredentials.scopes ?? {})).toEqual(['contacts:write']);
    for (const op of specs.bigchange.operations)
      expect(op.security.map((alt) => alt.map((s) => s.kind))).toEqual([['bearer']]);
  });

  it('BigChange: errors are application/problem+json and 401 is documented on both operations', () => {
    for (const op of specs.bigchange.operations) {
      expect(op.responses.map((r) => r.status)).toContain('401');
      for (const r of op.responses.filter((r) => /^[45]/.test(r.status)))
        expect(r.content.map((m) => m.mediaType)).toEqual(['application/problem+json']);
    }
    expect(operation(specs.bigchange, 'createContactGroup').responses.map((r) => r.status)).toEqual([
      '201',
      '400',
      '401',
      '403',
      '422',
      '500',
    ]);
    expect(operation(specs.bigchange, 'updateContactGroup').responses.map((r) => r.status)).toEqual([
      '204',
      '400',
      '401',
      '403',
      '404',
      '422',
      '500',
    ]);
  });

  it('BigChange: the update takes the id the create returned, through a link', () => {
    const created = operation(specs.bigchange, 'createContactGroup').responses.find((r) => r.status === '201');
    expect(created?.links).toEqual([
      {
        name: 'UpdateContactGroup',
        operationId: 'updateContactGroup',
        parameters: { contactGroupId: '$response.body#/id' },
      },
    ]);
  });

  it('8x8: bearer API key, regional servers, documented statuses', () => {
    const servers = (specs['8x8'].document.servers ?? []).map((s) => s.url);
    expect(servers).toEqual([
      'https://contacts.8x8.com',
      'https://contacts.us.8x8.com',
      'https://contacts.8x8.uk',
      'https://contacts.8x8.id',
    ]);
    const op = operation(specs['8x8'], 'createContact');
    expect(op.path).toBe('/api/v1/accounts/{accountId}/contacts');
    expect(op.security.map((alt) => alt.map((s) => s.kind))).toEqual([['bearer']]);
    expect(op.responses.map((r) => r.status)).toEqual(['200', '201', '400', '401', '409']);
    expect(op.resource?.merge).toEqual({
      on: 'addresses',
      merged: { status: '200', example: 'merged' },
      conflict: { status: '409', example: 'ambiguous-merge' },
    });
  });

  it('Eloqua: per-pod server, Basic or OAuth 2.0 bearer, documented statuses, unique names', () => {
    const server = specs.eloqua.document.servers?.[0];
    expect(server?.url).toBe('https://secure.p{pod}.eloqua.com');
    expect(server?.variables?.pod?.default).toBe('01');
    const op = operation(specs.eloqua, 'createContactSegment');
    expect(op.security.map((alt) => alt.map((s) => s.kind))).toEqual([['basic'], ['bearer']]);
    expect(op.responses.map((r) => r.status)).toEqual(['201', '400', '401', '403', '404', '500']);
    expect(op.resource?.unique).toEqual({ fields: ['name'], status: '400', example: 'duplicate-name' });
    const examples = op.responses.find((r) => r.status === '400')?.content[0]?.examples ?? [];
    expect(examples.map((e) => (e.value as { requirement: { type: string } }[])[0]?.requirement.type)).toEqual([
      'IsRequiredRequirement',
      'NoDuplicatesRequirement',
    ]);
  });

  it('Easify: base URL, bearer token, 15 requests a minute, documented statuses, unique names', () => {
    expect(specs.easify.serverUrl).toBe('https://backend.easify.app/api/v2');
    expect(specs.easify.rateLimit).toEqual({
      limit: 15,
      period: 60,
      scope: 'credential',
      status: '429',
      message: 'Too many requests. Try again in {retryAfter} seconds',
    });
    const op = operation(specs.easify, 'createContactGroup');
    expect(op.security.map((alt) => alt.map((s) => s.kind))).toEqual([['bearer']]);
    expect(op.responses.map((r) => r.status)).toEqual(['200', '401', '402', '403', '422', '429']);
    expect(op.resource?.unique).toEqual({ fields: ['name'], status: '422', example: 'duplicate-name' });
  });
});
