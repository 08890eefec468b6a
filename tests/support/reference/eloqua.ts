/**
 * Oracle Eloqua's contact segments, as Oracle's definition and pages describe them: ids, dates,
 * counts and booleans are strings; a segment is created, read at a depth, replaced (PUT), copied
 * into a new segment and deleted; the list pages by `count` and `page` and searches names with `*`
 * wildcards. A failed validation is Oracle's array of validation errors (a taken name is a
 * UniquenessRequirement, an id that is not an integer an IdRequirement); other errors are a JSON
 * string with Oracle's status message.
 */
import type { components, operations } from '../../../generated/eloqua-contact-segments.js';
import {
  credentials,
  type Exchange,
  fieldOf,
  integerId,
  isObject,
  pageOf,
  type Reply,
  type ServerState,
  type Vendor,
} from './core.js';

type Segment = components['schemas']['ContactSegment'];
type Element = components['schemas']['SegmentElement'];
type Depth = NonNullable<Segment['depth']>;

export interface EloquaStore {
  segments: Map<number, Segment>;
  nextId: number;
}

export const newEloquaStore = (): EloquaStore => ({ segments: new Map(), nextId: 1784 });

/** The list's page size when `count` is not given (Oracle's "1000 will be used by default"). */
const DEFAULT_COUNT = 1000;

/** The operations whose 400 is the array of validation errors (they carry a segment to validate). */
const VALIDATING = new Set(['createContactSegment', 'updateContactSegment', 'copyContactSegment']);

export function eloquaValidation(items: { property: string; requirement: string; value?: unknown }[]): Reply {
  const body: components['schemas']['ValidationErrors'] = items.map((item) => {
    const error: components['schemas']['ValidationError'] = {
      type: 'ObjectValidationError',
      container: { type: 'ObjectKey', objectType: 'ContactSegment' },
      property: item.property,
      requirement: { type: item.requirement },
    };
    if (item.value !== undefined && item.value !== null)
      error.value = typeof item.value === 'string' ? item.value : JSON.stringify(item.value);
    return error;
  });
  return { status: 400, body };
}

export function eloquaMessage(status: 400 | 401 | 404 | 500, message: components['schemas']['ErrorMessage']): Reply {
  return { status, body: message };
}

const notFound = (): Reply => eloquaMessage(404, 'The requested resource was not found.');

function storedSegment(ex: Exchange, server: ServerState): Segment | undefined {
  const id = integerId(ex.pathParams.id);
  return id === undefined ? undefined : server.eloqua.segments.get(id);
}

/** A name another segment already has: Oracle's UniquenessRequirement. */
function duplicateName(ex: Exchange, server: ServerState, name: unknown, self?: string): Reply | undefined {
  // A missing or empty name is no name another segment can have taken.
  if (!server.rules.uniqueNames || typeof name !== 'string' || name === '') return undefined;
  if (![...server.eloqua.segments.values()].some((s) => s.id !== self && s.name === name)) return undefined;
  server.events.push({ kind: 'duplicate', index: ex.index });
  return eloquaValidation([{ property: 'name', requirement: 'UniquenessRequirement', value: name }]);
}

const unixNow = (server: ServerState): string => String(Math.floor(server.clock() / 1000));

/** The properties a client writes (the read-only ones were dropped from the request already). */
function written(request: Segment, segmentId: string): Partial<Segment> {
  const out: Partial<Segment> = {};
  for (const name of ['name', 'description', 'currentStatus', 'sourceTemplateId', 'isStale'] as const) {
    if (request[name] !== undefined) (out as Record<string, unknown>)[name] = request[name];
  }
  if (request.elements !== undefined) out.elements = elementsOf(request.elements, segmentId);
  return out;
}

/** Elements get ids of their own, made from the segment's. */
const elementsOf = (elements: Element[], segmentId: string): Element[] =>
  elements.map((element, i) => ({ ...element, id: `${segmentId}${i}` }));

function newSegment(server: ServerState, fields: Partial<Segment>): Segment {
  const id = String(server.eloqua.nextId++);
  const now = unixNow(server);
  const segment = {
    type: 'ContactSegment',
    id,
    permissions: ['Retrieve', 'Update', 'Delete', 'SetSecurity'],
    folderId: '1204',
    createdAt: now,
    createdBy: '11',
    updatedAt: now,
    updatedBy: '11',
    depth: 'complete',
    count: '0',
    isStale: 'false',
    ...fields,
    elements: elementsOf(fields.elements ?? [], id),
  } as Segment;
  server.eloqua.segments.set(Number(id), segment);
  return segment;
}

/** The segment at a depth: minimal is its name and history, partial adds what it holds, complete everything. */
function atDepth(segment: Segment, depth: Depth): Segment {
  if (depth === 'complete') return { ...structuredClone(segment), depth };
  const { type, id, name, createdAt, createdBy, updatedAt, updatedBy } = segment;
  const minimal = { type, id, ...(name !== undefined ? { name } : {}), createdAt, createdBy, updatedAt, updatedBy };
  if (depth === 'minimal') return { ...minimal, depth } as Segment;
  const { permissions, folderId, count, isStale } = segment;
  return { ...minimal, permissions, folderId, count, isStale, depth } as Segment;
}

/** Oracle resets a depth it does not know to its default. */
const depthOf = (value: unknown, fallback: Depth): Depth =>
  value === 'minimal' || value === 'partial' || value === 'complete' ? value : fallback;

function createContactSegment(ex: Exchange, server: ServerState): Reply {
  const request = ex.body as operations['createContactSegment']['requestBody']['content']['application/json'];
  const duplicate = duplicateName(ex, server, request.name);
  if (duplicate) return duplicate;
  const segment = newSegment(server, written(request, ''));
  const body: operations['createContactSegment']['responses'][201]['content']['application/json'] =
    structuredClone(segment);
  return { status: 201, body };
}

function getContactSegment(ex: Exchange, server: ServerState): Reply {
  const segment = storedSegment(ex, server);
  if (!segment) return notFound();
  const body: operations['getContactSegment']['responses'][200]['content']['application/json'] = atDepth(
    segment,
    depthOf(ex.query.depth, 'complete'),
  );
  return { status: 200, body };
}

function updateContactSegment(ex: Exchange, server: ServerState): Reply {
  const segment = storedSegment(ex, server);
  if (!segment) return notFound();
  const request = ex.body as operations['updateContactSegment']['requestBody']['content']['application/json'];
  const duplicate = duplicateName(ex, server, request.name, segment.id);
  if (duplicate) return duplicate;
  const id = segment.id as string;
  // A PUT replaces what the client writes; what Eloqua keeps (id, folder, history) stays.
  const { name: _name, description: _d, currentStatus: _c, sourceTemplateId: _s, elements: _e, ...kept } = segment;
  const replaced = {
    ...kept,
    ...written(request, id),
    elements: elementsOf(request.elements ?? [], id),
    updatedAt: unixNow(server),
    updatedBy: '11',
  } as Segment;
  server.eloqua.segments.set(Number(segment.id), replaced);
  const body: operations['updateContactSegment']['responses'][200]['content']['application/json'] =
    structuredClone(replaced);
  return { status: 200, body };
}

function deleteContactSegment(ex: Exchange, server: ServerState): Reply {
  const segment = storedSegment(ex, server);
  if (!segment) return notFound();
  server.eloqua.segments.delete(Number(segment.id));
  return { status: 200 };
}

function copyContactSegment(ex: Exchange, server: ServerState): Reply {
  const source = storedSegment(ex, server);
  if (!source) return notFound();
  const request = ex.body as operations['copyContactSegment']['requestBody']['content']['application/json'];
  const { name, description, currentStatus, sourceTemplateId, elements, isStale } = source;
  // The copy is the source with the request's values over it: without a name it would take the source's.
  const fields: Partial<Segment> = {
    ...(name !== undefined ? { name } : {}),
    ...(description !== undefined ? { description } : {}),
    ...(currentStatus !== undefined ? { currentStatus } : {}),
    ...(sourceTemplateId !== undefined ? { sourceTemplateId } : {}),
    ...(isStale !== undefined ? { isStale } : {}),
    elements: (elements ?? []).map(({ id: _id, ...element }) => element),
    ...written(request, ''),
  };
  const duplicate = duplicateName(ex, server, fields.name);
  if (duplicate) return duplicate;
  const body: operations['copyContactSegment']['responses'][201]['content']['application/json'] = structuredClone(
    newSegment(server, fields),
  );
  return { status: 201, body };
}

/** Oracle's search on a bare value: the whole name, `*` standing for any run of characters. */
function searched(name: string | undefined, search: string): boolean {
  const pattern = search
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${pattern}$`, 'is').test(name ?? '');
}

function listContactSegments(ex: Exchange, server: ServerState): Reply {
  const query = ex.query as NonNullable<operations['listContactSegments']['parameters']['query']>;
  let segments = [...server.eloqua.segments.values()];
  if (query.search !== undefined && query.search !== '')
    segments = segments.filter((s) => searched(s.name, query.search!));
  const order = query.orderBy;
  if (order !== undefined && segments.some((s) => typeof (s as Record<string, unknown>)[order] === 'string')) {
    const key = (s: Segment) => String((s as Record<string, unknown>)[order] ?? '');
    segments.sort((a, b) => key(a).localeCompare(key(b), 'en', { numeric: true }));
  }
  const count = query.count ?? DEFAULT_COUNT;
  const page = query.page ?? 1;
  const depth = depthOf(query.depth, 'minimal');
  const body: operations['listContactSegments']['responses'][200]['content']['application/json'] = {
    elements: pageOf(segments, page, count, 1).map((s) => atDepth(s, depth)),
    page,
    pageSize: count,
    total: segments.length,
  };
  return { status: 200, body };
}

export const eloqua: Vendor = {
  authenticate(ex) {
    const given = credentials(ex);
    if (given && (given.scheme === 'bearer' || given.scheme === 'basic')) return undefined;
    return eloquaMessage(401, 'Not authenticated.');
  },
  parameterProblem(ex, _server, [problem]) {
    const { parameter, raw } = problem!;
    if (parameter.in === 'path' && VALIDATING.has(ex.operation.operationId))
      return eloquaValidation([{ property: parameter.name, requirement: 'IdRequirement', value: raw }]);
    return eloquaMessage(400, 'Bad Request');
  },
  bodyProblem: () => eloquaValidation([{ property: 'body', requirement: 'IsValidRequirement' }]),
  validation(ex, _server, errors) {
    const byField = new Map<string, typeof errors>();
    for (const error of errors) byField.set(fieldOf(error), [...(byField.get(fieldOf(error)) ?? []), error]);
    return eloquaValidation(
      [...byField].map(([field, list]) => ({
        property: field || 'body',
        requirement: list.some((e) => e.keyword === 'required') ? 'NotNullRequirement' : 'IsValidRequirement',
        value: isObject(ex.body) && field ? ex.body[field] : undefined,
      })),
    );
  },
  operations: {
    createContactSegment,
    getContactSegment,
    updateContactSegment,
    deleteContactSegment,
    copyContactSegment,
    listContactSegments,
  },
  records: (server) => [...server.eloqua.segments.keys()].map((id) => ({ collection: 'contactSegments', id })),
};
