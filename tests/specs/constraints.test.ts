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
  // Lifecycle operations. BigChange: the "Get a list of contact groups" page
  ['bigchange', 'list Customer-Id header', param('listContactGroups', 'Customer-Id'), 'required', true],
  ['bigchange', 'list sortBy is name', param('listContactGroups', 'sortBy'), 'enum', ['name']],
  ['bigchange', 'list direction', param('listContactGroups', 'direction'), 'enum', ['ascending', 'descending']],
  ['bigchange', 'list id is int64[]', param('listContactGroups', 'id'), 'items', { type: 'integer', format: 'int64' }],
  ['bigchange', 'list pageNumber minimum', param('listContactGroups', 'pageNumber'), 'minimum', 1],
  ['bigchange', 'list pageNumber maximum', param('listContactGroups', 'pageNumber'), 'maximum', 2147483],
  ['bigchange', 'list pageSize minimum', param('listContactGroups', 'pageSize'), 'minimum', 1],
  ['bigchange', 'list pageSize maximum', param('listContactGroups', 'pageSize'), 'maximum', 1000],
  ['bigchange', 'list pageSize int32', param('listContactGroups', 'pageSize'), 'format', 'int32'],
  ['bigchange', 'list pageSize has no stated default', param('listContactGroups', 'pageSize'), 'default', undefined],
  ['bigchange', 'list item id int64', res('listContactGroups', '200', 'items[].id'), 'format', 'int64'],
  ['bigchange', 'list pageItemCount int32', res('listContactGroups', '200', 'pageItemCount'), 'format', 'int32'],
  ['bigchange', 'list items not required', res('listContactGroups', '200', 'items'), 'required', false],
  ...(['200', '400', '403', '500'] as const).map(
    (code): Row => ['bigchange', `list ${code} is documented`, status('listContactGroups', code), 'response', true],
  ),
  ['bigchange', 'list 401 is ours', status('listContactGroups', '401'), 'response', true, INFERRED],
  // 8x8: its definition
  ['8x8', 'search limit minimum', param('searchContacts', 'limit'), 'minimum', 1],
  ['8x8', 'search limit maximum', param('searchContacts', 'limit'), 'maximum', 500],
  ['8x8', 'search limit default', param('searchContacts', 'limit'), 'default', 20],
  ['8x8', 'search offset minimum', param('searchContacts', 'offset'), 'minimum', 0],
  ['8x8', 'search query maxLength', param('searchContacts', 'query'), 'maxLength', 320],
  ['8x8', 'search groupId minimum', param('searchContacts', 'groupId'), 'minimum', 0],
  ['8x8', 'search country minLength', param('searchContacts', 'country'), 'minLength', 2],
  ['8x8', 'search country maxLength', param('searchContacts', 'country'), 'maxLength', 2],
  ['8x8', 'group search limit maximum', param('searchGroups', 'limit'), 'maximum', 500],
  ['8x8', 'contactId is a string', param('getContact', 'contactId'), 'type', 'string'],
  ['8x8', 'groupId is an integer', param('getGroup', 'groupId'), 'type', 'integer'],
  ['8x8', 'list totalFiltered required', res('searchContacts', '200', 'totalFiltered'), 'required', true],
  ['8x8', 'list items unique', res('searchGroups', '200', 'items'), 'uniqueItems', true],
  ['8x8', 'patch body required', body('updateContact'), 'required', true, INFERRED],
  ['8x8', 'group patch body required', body('updateGroup'), 'required', true, INFERRED],
  ['8x8', 'patch is an array', req('updateContact', ''), 'type', 'array'],
  [
    '8x8',
    'patch op is an RFC 6902 operation',
    req('updateContact', '[].op'),
    'enum',
    ['add', 'remove', 'replace', 'copy', 'move', 'test'],
  ],
  ['8x8', 'patch op required', req('updateContact', '[].op'), 'required', true],
  ['8x8', 'patch path required', req('updateContact', '[].path'), 'required', true],
  ['8x8', 'patch path is a JSON pointer', req('updateContact', '[].path'), 'format', 'json-pointer'],
  ['8x8', 'patch value is a string', req('updateGroup', '[].value'), 'type', 'string'],
  ['8x8', 'patch value minLength', req('updateGroup', '[].value'), 'minLength', 1],
  ['8x8', 'patch value optional', req('updateGroup', '[].value'), 'required', false],
  ['8x8', 'group create body required', body('createGroup'), 'required', true, INFERRED],
  ['8x8', 'group name required', req('createGroup', 'name'), 'required', true],
  ['8x8', 'group name minLength', req('createGroup', 'name'), 'minLength', 1],
  ['8x8', 'group name maxLength', req('createGroup', 'name'), 'maxLength', 100],
  ['8x8', 'group description maxLength', req('createGroup', 'description'), 'maxLength', 100],
  ['8x8', 'isBlacklist default', req('createGroup', 'isBlacklist'), 'default', false],
  ['8x8', 'members body optional', body('addContactsToGroup'), 'required', undefined],
  ['8x8', 'member ids are integers', req('removeContactsFromGroup', 'contacts'), 'items', { type: 'integer' }],
  ['8x8', 'members answer the group', res('addContactsToGroup', '201', 'contacts'), 'type', 'number'],
  ['8x8', 'contact read 404 documented', status('getContact', '404'), 'response', true],
  ['8x8', 'contact patch 404 documented', status('updateContact', '404'), 'response', true],
  ['8x8', 'contact delete 404 is ours', status('deleteContact', '404'), 'response', true, INFERRED],
  ['8x8', 'contact delete 404 body is ours', status('deleteContact', '404'), 'content', true, INFERRED],
  ['8x8', 'contact delete 204 has no body', status('deleteContact', '204'), 'content', false],
  ['8x8', 'group delete 204 has no body', status('deleteGroup', '204'), 'content', false],
  ['8x8', 'group delete 404 documented', status('deleteGroup', '404'), 'response', true],
  ['8x8', 'group create 409 documented', status('createGroup', '409'), 'response', true],
  ['8x8', 'group update 409 documented', status('updateGroup', '409'), 'response', true],
  ...(
    ['searchContacts', 'getContact', 'updateContact', 'deleteContact', 'createGroup', 'addContactsToGroup'] as const
  ).map((op): Row => ['8x8', `${op} 401 is ours`, status(op, '401'), 'response', true, INFERRED]),
  ['8x8', 'new 401 body is ours', status('getGroup', '401'), 'content', true, INFERRED],
  // Eloqua: Oracle's definition and URL parameters page
  ['eloqua', 'segment id is an integer', param('getContactSegment', 'id'), 'type', 'integer'],
  ['eloqua', 'copy id is an integer', param('copyContactSegment', 'id'), 'type', 'integer'],
  ['eloqua', 'read depth is any string', param('getContactSegment', 'depth'), 'enum', undefined],
  ['eloqua', 'list count minimum', param('listContactSegments', 'count'), 'minimum', 1],
  ['eloqua', 'list count maximum', param('listContactSegments', 'count'), 'maximum', 1000],
  ['eloqua', 'list page minimum', param('listContactSegments', 'page'), 'minimum', 1],
  ['eloqua', 'list page default', param('listContactSegments', 'page'), 'default', 1],
  ['eloqua', 'list search is a string', param('listContactSegments', 'search'), 'type', 'string'],
  ['eloqua', 'list total is an integer', res('listContactSegments', '200', 'total'), 'type', 'integer'],
  ['eloqua', 'list elements not required', res('listContactSegments', '200', 'elements'), 'required', false],
  ['eloqua', 'PUT body required', body('updateContactSegment'), 'required', true],
  ['eloqua', 'copy body required', body('copyContactSegment'), 'required', true],
  ['eloqua', 'PUT name required', req('updateContactSegment', 'name'), 'required', true, INFERRED],
  ['eloqua', 'PUT id read-only', req('updateContactSegment', 'id'), 'readOnly', true],
  ['eloqua', 'copy 201 id is digits', res('copyContactSegment', '201', 'id'), 'pattern', '^-?[0-9]+$', INFERRED],
  ['eloqua', 'delete 200 has no body', status('deleteContactSegment', '200'), 'content', false],
  ...(
    [
      'getContactSegment',
      'updateContactSegment',
      'deleteContactSegment',
      'copyContactSegment',
      'listContactSegments',
    ] as const
  ).flatMap((op): Row[] =>
    (['400', '401', '403', '404', '500'] as const).flatMap((code): Row[] => [
      ['eloqua', `${op} ${code} is documented`, status(op, code), 'response', true],
      ['eloqua', `${op} ${code} body is ours`, status(op, code), 'content', true, INFERRED],
    ]),
  ),
  ['eloqua', 'read 400 is a JSON string', res('getContactSegment', '400'), 'type', 'string', INFERRED],
  ['eloqua', 'PUT 400 is the validation array', res('updateContactSegment', '400'), 'type', 'array', INFERRED],
  // Easify: its pages (several cut off in our copies)
  ['easify', 'group update name in the query', param('updateContactGroup', 'name'), 'in', 'query'],
  ['easify', 'group update name required', param('updateContactGroup', 'name'), 'required', true],
  ['easify', 'group update name minLength', param('updateContactGroup', 'name'), 'minLength', 1, INFERRED],
  ['easify', 'group update name maxLength', param('updateContactGroup', 'name'), 'maxLength', 255, INFERRED],
  ['easify', 'group update group_id in the query', param('updateContactGroup', 'group_id'), 'in', 'query'],
  ['easify', 'group delete group_id required', param('deleteContactGroup', 'group_id'), 'required', true],
  ['easify', 'group delete group_id type', param('deleteContactGroup', 'group_id'), 'type', 'integer'],
  ['easify', 'group list limit default 10', param('listContactGroups', 'limit'), 'default', 10],
  ['easify', 'group list order', param('listContactGroups', 'order'), 'enum', ['asc', 'desc']],
  ['easify', 'group list order default', param('listContactGroups', 'order'), 'default', 'desc'],
  ['easify', 'contacts list group_id', param('listContacts', 'group_id'), 'type', 'integer'],
  ['easify', 'group delete 400 documented', status('deleteContactGroup', '400'), 'response', true],
  ['easify', 'group delete 422 documented', status('deleteContactGroup', '422'), 'response', true],
  ['easify', 'group delete 200 is ours', status('deleteContactGroup', '200'), 'response', true, INFERRED],
  ['easify', 'group delete data is an array', res('deleteContactGroup', '200', 'data'), 'type', 'array'],
  ['easify', 'group update 401 documented', status('updateContactGroup', '401'), 'response', true],
  ['easify', 'group update 422 documented', status('updateContactGroup', '422'), 'response', true],
  ['easify', 'group update 400 is ours (cut off)', status('updateContactGroup', '400'), 'response', true, INFERRED],
  ['easify', 'group update 402 is ours (cut off)', status('updateContactGroup', '402'), 'response', true, INFERRED],
  ['easify', 'group list 401 is ours (cut off)', status('listContactGroups', '401'), 'response', true, INFERRED],
  ['easify', 'group list 429 is stated', status('listContactGroups', '429'), 'response', true],
  ['easify', 'group list 429 body is ours (cut off)', status('listContactGroups', '429'), 'content', true, INFERRED],
  ['easify', 'group list total', res('listContactGroups', '200', 'meta.total'), 'type', 'integer'],
  [
    'easify',
    'group list from may be null',
    res('listContactGroups', '200', 'meta.from'),
    'type',
    ['integer', 'null'],
    INFERRED,
  ],
  ['easify', 'contacts list prev may be null', res('listContacts', '200', 'links.prev'), 'type', ['string', 'null']],
  ['easify', 'contact create body required', body('createContact'), 'required', true, INFERRED],
  ['easify', 'contact create group_id required', req('createContact', 'group_id'), 'required', true],
  ['easify', 'contact first_name required', req('createContact', 'first_name'), 'required', true],
  ['easify', 'contact first_name maxLength', req('createContact', 'first_name'), 'maxLength', 20],
  ['easify', 'contact first_name minLength', req('createContact', 'first_name'), 'minLength', 1, INFERRED],
  ['easify', 'contact last_name maxLength', req('createContact', 'last_name'), 'maxLength', 20],
  ['easify', 'contact email_address is a string', req('createContact', 'email_address'), 'type', 'string'],
  [
    'easify',
    'contact email or phone',
    req('createContact', ''),
    'anyOf',
    [{ required: ['email_address'] }, { required: ['phone_number'] }],
  ],
  [
    'easify',
    'contact country_code with phone_number',
    req('updateContact', ''),
    'dependentRequired',
    { phone_number: ['country_code'] },
  ],
  ['easify', 'contact update contact_id required', req('updateContact', 'contact_id'), 'required', true],
  ['easify', 'contact delete contact_id required', req('deleteContact', 'contact_id'), 'required', true],
  ['easify', 'contact delete body required', body('deleteContact'), 'required', true, INFERRED],
  ['easify', 'contact create 422 is ours (cut off)', status('createContact', '422'), 'response', true, INFERRED],
  ['easify', 'contact update 200 is ours (cut off)', status('updateContact', '200'), 'response', true, INFERRED],
  ['easify', 'contact update 200 body is ours', status('updateContact', '200'), 'content', true, INFERRED],
  ['easify', 'contact delete 400 documented', status('deleteContact', '400'), 'response', true],
  ['easify', 'contact delete 402 documented', status('deleteContact', '402'), 'response', true],
  ['easify', 'listed contact id', res('listContacts', '200', 'data[].id'), 'type', 'integer'],
  [
    'easify',
    'listed contact last_name may be null',
    res('listContacts', '200', 'data[].last_name'),
    'type',
    ['string', 'null'],
    INFERRED,
  ],
  ['easify', 'listed contact shared_contact', res('listContacts', '200', 'data[].shared_contact'), 'type', 'boolean'],
  ['easify', 'listed contact required', res('listContacts', '200', 'data[].group_name'), 'required', true],
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
    const scopes: Record<string, string> = {
      createContactGroup: 'contacts:write',
      updateContactGroup: 'contacts:write',
      listContactGroups: 'contacts:read',
    };
    expect(specs.bigchange.operations.map((op) => op.operationId).sort()).toEqual(Object.keys(scopes).sort());
    for (const op of specs.bigchange.operations) {
      expect(op.security.map((alt) => alt.map((s) => s.kind))).toEqual([['bearer']]);
      expect(rawOperation(specs.bigchange, op.operationId).description).toContain(
        `required scope ${scopes[op.operationId]}`,
      );
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

  it('BigChange: the update and the list (its id filter) take the id the create returned, through links', () => {
    const created = operation(specs.bigchange, 'createContactGroup').responses.find((r) => r.status === '201');
    expect(created?.links).toEqual([
      {
        name: 'UpdateContactGroup',
        operationId: 'updateContactGroup',
        parameters: { contactGroupId: '$response.body#/id' },
      },
      {
        name: 'ListContactGroup',
        operationId: 'listContactGroups',
        parameters: { id: '$response.body#/id' },
      },
    ]);
    expect(operation(specs.bigchange, 'listContactGroups').responses.map((r) => r.status)).toEqual([
      '200',
      '400',
      '401',
      '403',
      '500',
    ]);
    expect(rawOperation(specs.bigchange, 'listContactGroups')['x-resource']).toMatchObject({
      action: 'list',
      items: '/items',
      paging: { page: 'pageNumber', size: 'pageSize', firstPage: 1 },
      filters: [
        { parameter: 'name', field: 'name', match: 'prefix' },
        { parameter: 'id', field: 'id', match: 'equals' },
      ],
    });
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

  const statuses = (key: SpecKey, operationId: string): string[] =>
    operation(specs[key], operationId).responses.map((r) => r.status);
  const resource = (key: SpecKey, operationId: string): Json =>
    rawOperation(specs[key], operationId)['x-resource'] as Json;

  it("8x8: the lifecycle's paths, statuses and JSON Patch updates as 8x8 defines them", () => {
    const paths = Object.fromEntries(specs['8x8'].operations.map((op) => [op.operationId, `${op.method} ${op.path}`]));
    const base = '/api/v1/accounts/{accountId}';
    expect(paths).toEqual({
      createContact: `post ${base}/contacts`,
      searchContacts: `get ${base}/contacts`,
      getContact: `get ${base}/contacts/{contactId}`,
      updateContact: `patch ${base}/contacts/{contactId}`,
      deleteContact: `delete ${base}/contacts/{contactId}`,
      searchGroups: `get ${base}/groups`,
      createGroup: `post ${base}/groups`,
      getGroup: `get ${base}/groups/{groupId}`,
      updateGroup: `patch ${base}/groups/{groupId}`,
      deleteGroup: `delete ${base}/groups/{groupId}`,
      addContactsToGroup: `post ${base}/groups/{groupId}/contacts`,
      removeContactsFromGroup: `delete ${base}/groups/{groupId}/contacts`,
    });
    expect(statuses('8x8', 'searchContacts')).toEqual(['200', '400', '401']);
    expect(statuses('8x8', 'getContact')).toEqual(['200', '401', '404']);
    expect(statuses('8x8', 'updateContact')).toEqual(['200', '400', '401', '404']);
    expect(statuses('8x8', 'deleteContact')).toEqual(['204', '401', '404']);
    expect(statuses('8x8', 'createGroup')).toEqual(['201', '400', '401', '409']);
    expect(statuses('8x8', 'updateGroup')).toEqual(['200', '400', '401', '404', '409']);
    expect(statuses('8x8', 'deleteGroup')).toEqual(['204', '401', '404']);
    expect(statuses('8x8', 'addContactsToGroup')).toEqual(['201', '401', '404']);
    expect(statuses('8x8', 'removeContactsFromGroup')).toEqual(['200', '401', '404']);
    expect(resource('8x8', 'updateContact')).toMatchObject({ action: 'update', patch: 'json-patch' });
    expect(resource('8x8', 'updateGroup')).toMatchObject({
      patch: 'json-patch',
      unique: { fields: ['name'], status: '409', example: 'duplicate-name' },
    });
    expect(resource('8x8', 'addContactsToGroup')).toMatchObject({
      action: 'add-members',
      idParameter: 'groupId',
      members: { collection: 'contacts', ids: '/contacts', count: '/contacts' },
    });
    expect(resource('8x8', 'searchContacts')).toMatchObject({
      paging: { page: 'offset', size: 'limit', firstPage: 0, defaultSize: 20, total: '/totalFiltered' },
    });
    for (const status of ['200', '201']) {
      const links = operation(specs['8x8'], 'createContact').responses.find((r) => r.status === status)?.links;
      expect(links?.map((l) => [l.operationId, l.parameters])).toEqual(
        ['getContact', 'updateContact', 'deleteContact'].map((id) => [id, { contactId: '$response.body#/id' }]),
      );
    }
  });

  it("Eloqua: Oracle's paths and statuses for every segment operation; the PUT replaces, the copy creates", () => {
    const paths = Object.fromEntries(specs.eloqua.operations.map((op) => [op.operationId, `${op.method} ${op.path}`]));
    const base = '/api/REST/2.0/assets/contact';
    expect(paths).toEqual({
      createContactSegment: `post ${base}/segment`,
      getContactSegment: `get ${base}/segment/{id}`,
      updateContactSegment: `put ${base}/segment/{id}`,
      deleteContactSegment: `delete ${base}/segment/{id}`,
      copyContactSegment: `post ${base}/segment/{id}/copy`,
      listContactSegments: `get ${base}/segments`,
    });
    for (const [operationId, success] of [
      ['getContactSegment', '200'],
      ['updateContactSegment', '200'],
      ['deleteContactSegment', '200'],
      ['copyContactSegment', '201'],
      ['listContactSegments', '200'],
    ] as const)
      expect(statuses('eloqua', operationId)).toEqual([success, '400', '401', '403', '404', '500']);
    expect(resource('eloqua', 'updateContactSegment')).toMatchObject({ action: 'replace', idParameter: 'id' });
    expect(resource('eloqua', 'copyContactSegment')).toMatchObject({ action: 'copy', id: 'id', idParameter: 'id' });
    expect(resource('eloqua', 'listContactSegments')).toMatchObject({
      items: '/elements',
      paging: { page: 'page', size: 'count', firstPage: 1, defaultSize: 1000, total: '/total' },
      filters: [{ parameter: 'search', field: 'name', match: 'wildcard' }],
    });
    for (const source of ['createContactSegment', 'copyContactSegment']) {
      const links = operation(specs.eloqua, source).responses.find((r) => r.status === '201')?.links;
      expect(links?.map((l) => l.operationId)).toEqual([
        'getContactSegment',
        'updateContactSegment',
        'deleteContactSegment',
        'copyContactSegment',
      ]);
    }
  });

  it("Easify: the pages' paths; unknown ids and the default group are 400s; ids in the query or the body", () => {
    const paths = Object.fromEntries(specs.easify.operations.map((op) => [op.operationId, `${op.method} ${op.path}`]));
    expect(paths).toEqual({
      createContactGroup: 'post /contact-groups/create',
      listContactGroups: 'get /contact-groups',
      updateContactGroup: 'patch /contact-groups/update',
      deleteContactGroup: 'delete /contact-groups/delete',
      listContacts: 'get /contacts',
      createContact: 'post /contacts/create',
      updateContact: 'patch /contacts/update',
      deleteContact: 'delete /contacts/delete',
    });
    expect(statuses('easify', 'deleteContactGroup')).toEqual(['200', '400', '401', '402', '403', '422', '429']);
    expect(statuses('easify', 'deleteContact')).toEqual(['200', '400', '401', '402', '403', '422', '429']);
    expect(statuses('easify', 'updateContactGroup')).toEqual(['200', '400', '401', '402', '403', '422', '429']);
    expect(resource('easify', 'deleteContactGroup')).toMatchObject({
      idParameter: 'group_id',
      notFound: { status: '400', example: 'invalid-group-id' },
      protect: { field: 'default_group', status: '400', example: 'default-group' },
    });
    expect(resource('easify', 'updateContactGroup')).toMatchObject({
      patch: 'parameters',
      idParameter: 'group_id',
      unique: { fields: ['name'], status: '422', example: 'duplicate-name' },
    });
    expect(resource('easify', 'updateContact')).toMatchObject({ patch: 'merge', idPointer: '/contact_id' });
    expect(resource('easify', 'deleteContact')).toMatchObject({
      idPointer: '/contact_id',
      notFound: { status: '400', example: 'invalid-contact-id' },
    });
    expect(resource('easify', 'listContacts')).toMatchObject({
      items: '/data',
      paging: { page: 'page', size: 'limit', defaultSize: 10, total: '/meta/total' },
    });
    // Our copy of the contact create page ends inside its success body: the contact in `data` is ours.
    const created = (rawOperation(specs.easify, 'createContact').responses as Json)['200'] as Json;
    const createdSchema = ((created.content as Json)['application/json'] as Json).schema as Json;
    expect(marksOf((createdSchema.properties as Json).data).allOf).toMatch(/cut off/);
    const links = operation(specs.easify, 'createContactGroup').responses.find((r) => r.status === '200')?.links;
    expect(links?.map((l) => [l.operationId, l.parameters])).toEqual([
      ['updateContactGroup', { group_id: '$response.body#/data/id' }],
      ['deleteContactGroup', { group_id: '$response.body#/data/id' }],
    ]);
    // One document-wide limit: the creates' 15 a minute (the other operations allow 60).
    for (const op of specs.easify.operations) {
      const limit = op.method === 'post' ? '15 requests per minute' : '60 requests per minute';
      const description = String(rawOperation(specs.easify, op.operationId).description).replace(/\s+/g, ' ');
      if (op.operationId !== 'createContactGroup') expect(description).toContain(`Rate limit: ${limit}`);
    }
  });
});
