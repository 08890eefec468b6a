// Each constraint the vendors state (and the ones we infer), named as (field, keyword, value) and
// asserted against the spec. A row fails when a spec edit drops or changes the constraint, and when
// the constraint's provenance changes: a plain row is a vendor fact, so its keyword must not be marked
// `x-inferred`; a row ending in `inferred` is our inference, so the node must mark it with a reason.
import { beforeAll, describe, expect, it } from 'vitest';
import type { JsonSchema } from '../../lib/json-schema.js';
import type { Spec } from '../../lib/spec.js';
import { loadAll, operation, type SpecKey } from '../support-specs/specs.js';

type Json = Record<string, unknown>;

let specs: Record<SpecKey, Spec>;
beforeAll(async () => {
  specs = await loadAll();
});

const marksOf = (node: unknown): Record<string, unknown> =>
  ((node as Json | undefined)?.['x-inferred'] as Record<string, unknown> | undefined) ?? {};

/**
 * Merges allOf members so a field can be found whichever member declares it. `x-required-inferred`
 * lists the required names whose own node marks its `required` as inferred.
 */
function flatten(schema: JsonSchema): JsonSchema {
  const ownInferred = marksOf(schema).required ? (schema.required ?? []) : [];
  let merged: JsonSchema = { ...schema, allOf: undefined, 'x-required-inferred': ownInferred };
  for (const part of (schema.allOf ?? []).map(flatten)) {
    merged = {
      ...merged,
      ...part,
      properties: { ...merged.properties, ...part.properties },
      required: [...(merged.required ?? []), ...(part.required ?? [])],
      'x-inferred': { ...marksOf(merged), ...marksOf(part) },
      'x-required-inferred': [
        ...(merged['x-required-inferred'] as string[]),
        ...(part['x-required-inferred'] as string[]),
      ],
    };
  }
  return merged;
}

/** `addresses.msisdn`, `groups[].id`, `data.created_at`, `[].type` (in the items of an array body); '' is the schema itself. */
function field(schema: JsonSchema, path: string): JsonSchema {
  let current = flatten(schema);
  for (const part of path.split('.').filter(Boolean)) {
    const isItems = part.endsWith('[]');
    const name = isItems ? part.slice(0, -2) : part;
    const next = name === '' ? current : current.properties?.[name];
    if (!next) throw new Error(`no property ${name} in path ${path}`);
    current = flatten(next);
    if (isItems) {
      if (!current.items) throw new Error(`${name} is not an array`);
      current = flatten(current.items);
    }
  }
  return current;
}

/** Where a row looks: a request or response body field, a parameter, a response header, the request body or a response. */
type Where =
  | { op: string; request: string }
  | { op: string; response: string; path: string }
  | { op: string; param: string }
  | { op: string; status: string; header: string }
  | { op: string; body: true }
  | { op: string; status: string };

/** The operation as written in the (dereferenced) document, for the objects the model does not keep marks of. */
function rawOperation(spec: Spec, operationId: string): Json {
  const op = operation(spec, operationId);
  const paths = spec.document.paths as Record<string, Record<string, Json>>;
  return paths[op.path]?.[op.method] ?? {};
}

function bodySchema(spec: Spec, where: { op: string; request: string } | { op: string; response: string }): JsonSchema {
  const op = operation(spec, where.op);
  if ('request' in where) return op.requestBody?.content[0]?.schema ?? {};
  const response = op.responses.find((r) => r.status === where.response);
  if (!response) throw new Error(`${where.op} documents no ${where.response}`);
  return response.content[0]?.schema ?? {};
}

/** The value a row's keyword has at its place, and the x-inferred reason the spec gives for it (if any). */
function lookup(spec: Spec, where: Where, keyword: string): { actual: unknown; reason: unknown } {
  if ('body' in where) {
    const body = (rawOperation(spec, where.op).requestBody ?? {}) as Json;
    return { actual: body[keyword], reason: marksOf(body)[keyword] };
  }
  if ('status' in where && !('header' in where)) {
    const response = ((rawOperation(spec, where.op).responses as Json)[where.status] ?? {}) as Json;
    const actual =
      keyword === 'response'
        ? where.status in (rawOperation(spec, where.op).responses as Json)
        : keyword === 'content'
          ? Object.keys((response.content as Json) ?? {}).length > 0
          : response[keyword];
    return { actual, reason: marksOf(response)[keyword] };
  }
  if ('header' in where) {
    const response = ((rawOperation(spec, where.op).responses as Json)[where.status] ?? {}) as Json;
    const header = ((response.headers as Json | undefined)?.[where.header] ?? {}) as Json;
    if (keyword === 'required') return { actual: header.required === true, reason: marksOf(header).required };
    return { actual: (header.schema as Json)[keyword], reason: marksOf(header.schema)[keyword] };
  }
  if ('param' in where) {
    const param = operation(spec, where.op).parameters.find((p) => p.name === where.param);
    if (!param) throw new Error(`${where.op} has no parameter ${where.param}`);
    if (keyword === 'required') return { actual: param.required, reason: undefined };
    if (keyword === 'in') return { actual: param.in, reason: undefined };
    return { actual: (param.schema as Json)[keyword], reason: marksOf(param.schema)[keyword] };
  }
  const root = bodySchema(spec, where);
  const path = 'request' in where ? where.request : where.path;
  // A body marked `content` (the vendor documents none) is ours throughout.
  const inherited =
    'response' in where ? marksOf((rawOperation(spec, where.op).responses as Json)[where.response]).content : undefined;
  if (keyword === 'required') {
    const dot = path.lastIndexOf('.');
    const parent = dot < 0 ? flatten(root) : field(root, path.slice(0, dot));
    const name = path.slice(dot + 1);
    const own = (parent['x-required-inferred'] as string[]).includes(name) ? marksOf(parent).required : undefined;
    return { actual: (parent.required ?? []).includes(name), reason: own ?? inherited };
  }
  const schema = field(root, path);
  return { actual: (schema as Json)[keyword], reason: marksOf(schema)[keyword] ?? inherited };
}

const INFERRED = 'inferred';
type Row = [key: SpecKey, name: string, where: Where, keyword: string, value: unknown, provenance?: typeof INFERRED];
const req = (op: string, request: string): Where => ({ op, request });
const res = (op: string, response: string, path = ''): Where => ({ op, response, path });
const param = (op: string, name: string): Where => ({ op, param: name });
const header = (op: string, status: string, name: string): Where => ({ op, status, header: name });
const body = (op: string): Where => ({ op, body: true });
const status = (op: string, code: string): Where => ({ op, status: code });

/**
 * keyword `required`: the field is (true) or is not (false) in its parent's `required` (on a parameter
 * or header: the object's own `required`); on a request body: its `required`; on a response: `response`
 * (the status is documented here) and `content` (it has a body); a value `undefined` says the spec must
 * not carry the keyword there (a guess we removed). Everything in a body whose response is marked
 * `content` is our inference.
 */
const rows: Row[] = [
  // BigChange: the pages (create, update) and the notes taken from its published swagger
  ['bigchange', 'Customer-Id header on create', param('createContactGroup', 'Customer-Id'), 'required', true],
  ['bigchange', 'Customer-Id is a header', param('createContactGroup', 'Customer-Id'), 'in', 'header'],
  ['bigchange', 'Customer-Id type', param('createContactGroup', 'Customer-Id'), 'type', 'integer'],
  ['bigchange', 'Customer-Id format', param('createContactGroup', 'Customer-Id'), 'format', 'int64'],
  ['bigchange', 'Customer-Id header on update', param('updateContactGroup', 'Customer-Id'), 'required', true],
  ['bigchange', 'Customer-Id format on update', param('updateContactGroup', 'Customer-Id'), 'format', 'int64'],
  ['bigchange', 'contactGroupId type', param('updateContactGroup', 'contactGroupId'), 'type', 'integer', INFERRED],
  ['bigchange', 'contactGroupId format', param('updateContactGroup', 'contactGroupId'), 'format', 'int64', INFERRED],
  ['bigchange', 'create body required', body('createContactGroup'), 'required', true],
  ['bigchange', 'create name required', req('createContactGroup', 'name'), 'required', true, INFERRED],
  ['bigchange', 'create name minLength', req('createContactGroup', 'name'), 'minLength', 1, INFERRED],
  [
    'bigchange',
    'create name has no maxLength (50 was a guess)',
    req('createContactGroup', 'name'),
    'maxLength',
    undefined,
  ],
  ['bigchange', 'update body required', body('updateContactGroup'), 'required', true, INFERRED],
  ['bigchange', 'update name optional', req('updateContactGroup', 'name'), 'required', false],
  ['bigchange', 'update name has no bounds', req('updateContactGroup', 'name'), 'minLength', undefined],
  [
    'bigchange',
    'update needs at least one optional value (the page)',
    req('updateContactGroup', ''),
    'anyOf',
    [{ required: ['name'] }],
  ],
  ['bigchange', 'update is not "any property"', req('updateContactGroup', ''), 'minProperties', undefined],
  ['bigchange', 'create 201 id type', res('createContactGroup', '201', 'id'), 'type', 'integer'],
  ['bigchange', 'create 201 id format', res('createContactGroup', '201', 'id'), 'format', 'int64', INFERRED],
  ['bigchange', 'create 201 id required', res('createContactGroup', '201', 'id'), 'required', true, INFERRED],
  [
    'bigchange',
    '422 errors is a map of string[]',
    res('createContactGroup', '422', 'errors'),
    'additionalProperties',
    { type: 'array', items: { type: 'string' } },
  ],
  ['bigchange', '422 errors required', res('createContactGroup', '422', 'errors'), 'required', true, INFERRED],
  [
    'bigchange',
    'problem details allow extension members',
    res('createContactGroup', '400'),
    'additionalProperties',
    true,
  ],
  ['bigchange', 'problem type is a URI reference', res('createContactGroup', '400', 'type'), 'format', 'uri-reference'],
  ['bigchange', 'problem status is the HTTP status', res('updateContactGroup', '404', 'status'), 'const', 404],
  ['bigchange', 'problem status has no int32 format', res('updateContactGroup', '404', 'status'), 'format', undefined],
  ['bigchange', 'problem title required', res('createContactGroup', '500', 'title'), 'required', true, INFERRED],
  ...(['400', '403', '422', '500'] as const).map(
    (code): Row => ['bigchange', `${code} is documented`, status('createContactGroup', code), 'response', true],
  ),
  ['bigchange', '404 is documented', status('updateContactGroup', '404'), 'response', true],
  ['bigchange', '401 is ours (the pages list none)', status('createContactGroup', '401'), 'response', true, INFERRED],
  ['bigchange', '401 is ours on update too', status('updateContactGroup', '401'), 'response', true, INFERRED],
  ['bigchange', '401 body is ours too', status('createContactGroup', '401'), 'content', true, INFERRED],
  ['bigchange', '401 status is 401', res('createContactGroup', '401', 'status'), 'const', 401, INFERRED],
  // 8x8: its OpenAPI definition (contacts_api.json); the page adds the "at least one address" rule
  ['8x8', 'accountId minLength', param('createContact', 'accountId'), 'minLength', 32],
  ['8x8', 'accountId maxLength', param('createContact', 'accountId'), 'maxLength', 36],
  [
    '8x8',
    'accountId pattern',
    param('createContact', 'accountId'),
    'pattern',
    '^[0-9A-Fa-f]{8}[-]?(?:[0-9A-Fa-f]{4}[-]?){3}[0-9A-Fa-f]{12}$',
  ],
  ['8x8', 'the body is required', body('createContact'), 'required', true, INFERRED],
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
  ['8x8', 'group id in a request is an integer', req('createContact', 'groups[].id'), 'type', 'integer'],
  ['8x8', 'group id in a request has no format', req('createContact', 'groups[].id'), 'format', undefined],
  ['8x8', 'group id required', req('createContact', 'groups[].id'), 'required', true],
  ['8x8', 'addresses required', req('createContact', 'addresses'), 'required', true],
  [
    '8x8',
    'at least one address (the page), as anyOf of required members',
    req('createContact', 'addresses'),
    'anyOf',
    ['msisdn', 'weChatUserId', 'facebookUserId', 'email', 'zaloId', 'lineId', 'kakaoTalkId'].map((name) => ({
      required: [name],
    })),
  ],
  [
    '8x8',
    'addresses is open (8x8 does not close it)',
    req('createContact', 'addresses'),
    'additionalProperties',
    undefined,
  ],
  ['8x8', 'addresses has no minProperties', req('createContact', 'addresses'), 'minProperties', undefined],
  ['8x8', 'msisdn minLength', req('createContact', 'addresses.msisdn'), 'minLength', 1],
  ['8x8', 'msisdn pattern', req('createContact', 'addresses.msisdn'), 'pattern', '^\\+{0,1}[1-9]{1}[0-9]{6,14}$'],
  ['8x8', 'email format', req('createContact', 'addresses.email'), 'format', 'email'],
  ['8x8', 'email maxLength', req('createContact', 'addresses.email'), 'maxLength', 320],
  ['8x8', 'weChatUserId maxLength', req('createContact', 'addresses.weChatUserId'), 'maxLength', 128],
  ['8x8', 'facebookUserId maxLength', req('createContact', 'addresses.facebookUserId'), 'maxLength', 128],
  ['8x8', 'zaloId maxLength', req('createContact', 'addresses.zaloId'), 'maxLength', 128],
  ['8x8', 'lineId maxLength', req('createContact', 'addresses.lineId'), 'maxLength', 128],
  ['8x8', 'kakaoTalkId maxLength', req('createContact', 'addresses.kakaoTalkId'), 'maxLength', 128],
  ['8x8', 'customAttributes type', req('createContact', 'customAttributes'), 'type', 'object'],
  ['8x8', 'customAttributes maxProperties', req('createContact', 'customAttributes'), 'maxProperties', 50],
  ...(['200', '201'] as const).flatMap((code): Row[] => [
    ['8x8', `${code} id required`, res('createContact', code, 'id'), 'required', true],
    ['8x8', `${code} id is a number`, res('createContact', code, 'id'), 'type', 'number'],
    ['8x8', `${code} addresses required`, res('createContact', code, 'addresses'), 'required', true],
    ['8x8', `${code} createdAt is a plain string`, res('createContact', code, 'createdAt'), 'format', undefined],
    ['8x8', `${code} groups uniqueItems`, res('createContact', code, 'groups'), 'uniqueItems', true],
    ['8x8', `${code} group id is a number`, res('createContact', code, 'groups[].id'), 'type', 'number'],
    ['8x8', `${code} group contacts is a number`, res('createContact', code, 'groups[].contacts'), 'type', 'number'],
    ['8x8', `${code} group createdAt minLength`, res('createContact', code, 'groups[].createdAt'), 'minLength', 1],
    [
      '8x8',
      `${code} group description may be empty`,
      res('createContact', code, 'groups[].description'),
      'minLength',
      undefined,
    ],
    ['8x8', `${code} group id required`, res('createContact', code, 'groups[].id'), 'required', true, INFERRED],
  ]),
  ...(['400', '409', '401'] as const).flatMap((code): Row[] => {
    // 8x8 documents no 401: its body is ours, in the error format 8x8 documents for 400 and 409.
    const ours = code === '401' ? [INFERRED] : [];
    return [
      ['8x8', `${code} code required`, res('createContact', code, 'code'), 'required', true, ...ours],
      ['8x8', `${code} message optional`, res('createContact', code, 'message'), 'required', false, ...ours],
      ['8x8', `${code} errorId required`, res('createContact', code, 'errorId'), 'required', true, ...ours],
      ['8x8', `${code} errorId is a uuid`, res('createContact', code, 'errorId'), 'format', 'uuid', ...ours],
      ['8x8', `${code} timestamp required`, res('createContact', code, 'timestamp'), 'required', true, ...ours],
      [
        '8x8',
        `${code} timestamp is a date-time`,
        res('createContact', code, 'timestamp'),
        'format',
        'date-time',
        ...ours,
      ],
    ] as Row[];
  }),
  ['8x8', '401 is ours (8x8 documents no 401)', status('createContact', '401'), 'response', true, INFERRED],
  ['8x8', '401 body is ours too', status('createContact', '401'), 'content', true, INFERRED],
  ['8x8', '400 is documented', status('createContact', '400'), 'response', true],
  ['8x8', '409 is documented with a body', status('createContact', '409'), 'content', true],
  // Eloqua: Oracle's definition (ballerina's conversion of its Swagger); prose read-only marks count
  ['eloqua', 'the body is required', body('createContactSegment'), 'required', true],
  ['eloqua', 'name required on create', req('createContactSegment', 'name'), 'required', true, INFERRED],
  ['eloqua', 'name minLength', req('createContactSegment', 'name'), 'minLength', 1, INFERRED],
  ['eloqua', 'name has no maxLength (100 was a guess)', req('createContactSegment', 'name'), 'maxLength', undefined],
  ...(
    [
      'type',
      'id',
      'permissions',
      'folderId',
      'createdAt',
      'createdBy',
      'updatedAt',
      'updatedBy',
      'accessedAt',
      'scheduledFor',
      'depth',
      'count',
      'lastCalculatedAt',
    ] as const
  ).map((name): Row => ['eloqua', `${name} is read-only`, req('createContactSegment', name), 'readOnly', true]),
  ['eloqua', 'isStale is read-only', req('createContactSegment', 'isStale'), 'readOnly', true, INFERRED],
  [
    'eloqua',
    'currentStatus is not read-only (unused)',
    req('createContactSegment', 'currentStatus'),
    'readOnly',
    undefined,
  ],
  ['eloqua', 'description is writable (unused)', req('createContactSegment', 'description'), 'readOnly', undefined],
  ...(['type', 'id', 'folderId', 'scheduledFor', 'currentStatus', 'count'] as const).map(
    (name): Row => [
      'eloqua',
      `element ${name} is read-only`,
      req('createContactSegment', `elements[].${name}`),
      'readOnly',
      true,
    ],
  ),
  ...(['id', 'folderId', 'sourceTemplateId', 'createdAt', 'count', 'isStale', 'scheduledFor'] as const).map(
    (name): Row => [
      'eloqua',
      `${name} is sent as a string`,
      res('createContactSegment', '201', name),
      'type',
      'string',
    ],
  ),
  ['eloqua', 'ids are digits', res('createContactSegment', '201', 'id'), 'pattern', '^-?[0-9]+$', INFERRED],
  [
    'eloqua',
    'dates are Unix seconds',
    res('createContactSegment', '201', 'createdAt'),
    'pattern',
    '^[0-9]+$',
    INFERRED,
  ],
  ['eloqua', 'counts are digits', res('createContactSegment', '201', 'count'), 'pattern', '^[0-9]+$', INFERRED],
  [
    'eloqua',
    'unused sourceTemplateId is any string',
    res('createContactSegment', '201', 'sourceTemplateId'),
    'pattern',
    undefined,
  ],
  [
    'eloqua',
    'unused scheduledFor is any string',
    res('createContactSegment', '201', 'scheduledFor'),
    'pattern',
    undefined,
  ],
  [
    'eloqua',
    'depth has the three levels the definition names',
    res('createContactSegment', '201', 'depth'),
    'enum',
    ['minimal', 'partial', 'complete'],
  ],
  [
    'eloqua',
    'isStale is "true" or "false"',
    res('createContactSegment', '201', 'isStale'),
    'enum',
    ['true', 'false'],
    INFERRED,
  ],
  [
    'eloqua',
    'isIncluded is "true" or "false"',
    req('createContactSegment', 'elements[].isIncluded'),
    'enum',
    ['true', 'false'],
    INFERRED,
  ],
  ['eloqua', 'permissions are strings', res('createContactSegment', '201', 'permissions'), 'items', { type: 'string' }],
  ...(['400', '401', '403', '404', '500'] as const).flatMap((code): Row[] => [
    ['eloqua', `${code} is documented`, status('createContactSegment', code), 'response', true],
    [
      'eloqua',
      `${code} has a body only by our inference`,
      status('createContactSegment', code),
      'content',
      true,
      INFERRED,
    ],
  ]),
  ['eloqua', '400 is an array of validation errors', res('createContactSegment', '400'), 'type', 'array', INFERRED],
  ...(['type', 'container', 'property', 'requirement'] as const).map(
    (name): Row => [
      'eloqua',
      `validation error ${name} required`,
      res('createContactSegment', '400', `[].${name}`),
      'required',
      true,
      INFERRED,
    ],
  ),
  [
    'eloqua',
    'validation error value optional',
    res('createContactSegment', '400', '[].value'),
    'required',
    false,
    INFERRED,
  ],
  ['eloqua', '401 is a JSON string', res('createContactSegment', '401'), 'type', 'string', INFERRED],
  // Easify: its page only (no machine-readable definition); the bodies it shows state their shape
  ['easify', 'body required', body('createContactGroup'), 'required', true, INFERRED],
  ['easify', 'name required', req('createContactGroup', 'name'), 'required', true],
  ['easify', 'name minLength', req('createContactGroup', 'name'), 'minLength', 1, INFERRED],
  ['easify', 'name maxLength 255', req('createContactGroup', 'name'), 'maxLength', 255, INFERRED],
  ['easify', 'success is 200', status('createContactGroup', '200'), 'response', true, INFERRED],
  ['easify', "the success body is the page's", status('createContactGroup', '200'), 'content', true],
  ['easify', '200 status is true', res('createContactGroup', '200', 'status'), 'const', true],
  [
    'easify',
    "created_at has the shape of the page's sample",
    res('createContactGroup', '200', 'data.created_at'),
    'pattern',
    '^[0-9]{2}-[0-9]{2}-[0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2} (AM|PM)$',
    INFERRED,
  ],
  ['easify', 'contacts_count is a count', res('createContactGroup', '200', 'data.contacts_count'), 'minimum', 0],
  ...(['id', 'name', 'contacts_count', 'shared_group', 'default_group', 'created_at'] as const).map(
    (name): Row => [
      'easify',
      `data.${name} required`,
      res('createContactGroup', '200', `data.${name}`),
      'required',
      true,
    ],
  ),
  ...(['401', '402', '403', '429'] as const).flatMap((code): Row[] => [
    ['easify', `${code} status is false`, res('createContactGroup', code, 'status'), 'const', false],
    ['easify', `${code} errors is an array`, res('createContactGroup', code, 'errors'), 'type', 'array'],
    ['easify', `${code} errors items are not typed`, res('createContactGroup', code, 'errors'), 'items', {}],
    ['easify', `${code} message required`, res('createContactGroup', code, 'message'), 'required', true],
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
    header('createContactGroup', '429', 'Retry-After'),
    'required',
    true,
    INFERRED,
  ],
  [
    'easify',
    '429 Retry-After is seconds',
    header('createContactGroup', '429', 'Retry-After'),
    'type',
    'integer',
    INFERRED,
  ],
  [
    'easify',
    '429 Retry-After not negative',
    header('createContactGroup', '429', 'Retry-After'),
    'minimum',
    0,
    INFERRED,
  ],
  [
    'easify',
    'X-RateLimit-Remaining is an integer',
    header('createContactGroup', '200', 'X-RateLimit-Remaining'),
    'type',
    'integer',
    INFERRED,
  ],
  [
    'easify',
    'X-RateLimit-Limit is optional',
    header('createContactGroup', '429', 'X-RateLimit-Limit'),
    'required',
    false,
  ],
];

describe('constraints', () => {
  it.each(rows)('%s: %s', (key, _name, where, keyword, value, provenance) => {
    const spec = specs[key];
    const { actual, reason } = lookup(spec, where, keyword);
    expect(actual).toEqual(value);
    if (provenance === INFERRED) expect(reason, `${keyword} should be marked x-inferred with a reason`).toMatch(/\S/);
    else expect(reason, `${keyword} is marked x-inferred, but this row says the vendor states it`).toBeUndefined();
  });
});

describe('document-level facts', () => {
  it('BigChange: a bearer JWT on every operation (not an OAuth flow with a token URL nobody states)', () => {
    const schemes = specs.bigchange.document.components!.securitySchemes as Record<string, Json>;
    expect(schemes).toEqual({
      bearerAuth: expect.objectContaining({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }),
    });
    for (const op of specs.bigchange.operations) {
      expect(op.security.map((alt) => alt.map((s) => s.kind))).toEqual([['bearer']]);
      expect(rawOperation(specs.bigchange, op.operationId).description).toContain('required scope contacts:write');
    }
  });

  it('BigChange: errors are application/problem+json, and both operations carry our 401', () => {
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
      'NotNullRequirement',
      'UniquenessRequirement',
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
