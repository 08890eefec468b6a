/**
 * What each operation does to stored records: its `x-resource` where the spec declares one, else
 * what the REST shape and the spec's `links` say (`POST /things` creates, `GET /things` lists,
 * `GET|PUT|PATCH|DELETE /things/{id}` read, replace, update and delete the record with that id, and a
 * `POST` with a body there updates it, as Twilio and Stripe do).
 * A declaration wins over the shape. The shape is only read for collections something creates in.
 * The mock keeps state by this model, and the runner builds its lifecycle sequences from it.
 */
import type { ComposeField, FilterExtension, ResourceExtension, TimestampsExtension } from './extensions.js';
import { appendPointer, getPointer, parsePointer } from './json-pointer.js';
import type { JsonSchema } from './json-schema.js';
import { linkedParameters } from './links.js';
import { isFormMediaType, isJsonMediaType, mediaTypeEssence } from './media-type.js';
import { inferredPageUrls, inferredPaging, PAGE_MOVE, PAGE_SIZE } from './paging.js';
import { isSuccessStatus } from './responses.js';
import {
  bodyMemberships,
  bulkIdsParameter,
  bulkIdsPointer,
  CREATED_STATUS,
  copiedRecord,
  keyNamedByParameter,
  lastSegment,
  memberships,
  plainName,
  postUpdates,
  type RestCollection,
  restCollections,
  restShape,
  singulars,
  successResponse,
  templateKey,
  templateNames,
} from './rest-shape.js';
import { allowedValues, flatten, mainType } from './schema.js';
import type { Operation, Spec } from './spec.js';
import { objectProperties, schemaAt } from './wire.js';

export interface ResourceBinding {
  resource: ResourceExtension;
  /** Read from the REST shape rather than declared. */
  inferred: boolean;
  /** The 2xx status the action answers with (a create's created status, not its merge status). */
  successStatus?: string;
  /** Schema of the record inside the 2xx body. */
  recordSchema?: JsonSchema;
  /** list: schema of one item of the list. */
  itemSchema?: JsonSchema;
  /** list: schema of the whole 2xx body. */
  listSchema?: JsonSchema;
  /** The record property holding its id. */
  idField?: string;
  /** add-members, remove-members: the attribute the members' collection names its records by in paths (`username`). */
  memberKeyField?: string;
  /**
   * list of a holder's members: where each item holds the member record, when not at its top (`/user`
   * of a membership item `{"user": {"id": ...}, "role": ...}`).
   */
  itemRecord?: string;
  /** create: the runtime expression reading the new id where the answer's body does not hold it (a `Location` header). */
  idExpression?: string;
  /**
   * The record property its item path names it by, when that is not its id but an attribute the
   * create sends (`email` of `/contacts/{email}`, where the create answers only a number).
   */
  keyField?: string;
  /**
   * create: the new record's id is the text the create sends under `idField`, a key the client names
   * it by (`address` where its item path takes `{list_address}`), not one the server hands out.
   */
  idSent?: true;
  /** How new ids look: counting integers, counting decimal strings, or UUIDs. */
  idKind: 'integer' | 'string' | 'uuid';
  /** The schema of the id field, when the record's schema has one. */
  idSchema?: JsonSchema;
  /** The first id handed out: the documented example's, so the mock starts where the docs do. */
  idSeed: number;
  /** The record's properties the server stamps with the time: the action's own, else its collection's create's. */
  timestamps?: TimestampsExtension;
  /** The record's properties the server joins from others sent: the action's own, else its collection's create's. */
  compose?: ComposeField[];
  /** The path parameter carrying the id of the record acted on. */
  idParameter?: string;
  /**
   * The path parameters naming the record's parents, in path order: the others (`id` of
   * `/contacts/{id}/notes/{noteId}`, `accountId` of `/accounts/{accountId}/contacts`).
   */
  parentParameters?: string[];
  /** Schema of the request body (JSON, else a form), which says what a client can send of a record. */
  requestSchema?: JsonSchema;
  /**
   * The collection at the top whose records this collection's are, where a create under a parent's
   * record makes records a top-level collection with its own create reads and deletes (the REST
   * shape's `sameRecordsAs`): the mock keeps them there, the runner reads and deletes them there
   * where no item path under the parent does.
   */
  sameRecordsAs?: string;
  /**
   * add-members of one member a path names, answering that member's record (`{"user": {...}}` of
   * `POST /groups/{groupId}/users/{userId}`): where the answer holds it, its schema and the id field
   * naming it (`memberAnswer`).
   */
  memberRecord?: { pointer: string; schema: JsonSchema; idField: string };
  /**
   * add-members documenting both 201 and 200: the status of an add of a member already there (200),
   * where `successStatus` is the first add's (201, the membership created).
   */
  repeatStatus?: string;
}

export { schemaAt } from './wire.js';

/**
 * Whether a create's answer says its record was there before the request rather than made by it:
 * the status its `x-resource.merge` gives a merge, or a 200 where the create documents 201 beside
 * it and the 200's description says the record was found (a find-or-create, an upsert: RFC 9110
 * gives 201 to a request that made a resource). A 200 that says no such thing ("OK", as generated
 * documents put beside every POST's 201), or a create documenting 200 alone, made what it answers:
 * taking it for someone's would leave the run's records behind, unlisted.
 */
export function answersExisting(spec: Spec, operation: Operation, status: number): boolean {
  const resource = resourceModel(spec).get(operation.operationId)?.resource;
  if (resource?.action !== 'create') return false;
  const code = String(status);
  if (resource.merge?.merged.status === code) return true;
  if (code !== '200' || !documents(operation, CREATED_STATUS)) return false;
  const found = operation.responses.find((r) => r.status === '200');
  return found !== undefined && FOUND.test(found.description);
}

/** A success's description saying the record was there already ("if it already exists", "the existing record"). */
const FOUND = /\b(already|exist(s|ed|ing)?|found|previously)\b/i;

/**
 * The schema of the operation's request body, which says what a client can send of a record: its JSON
 * body's, else its form's (Stripe's and Twilio's writes are forms).
 */
function requestSchemaOf(operation: Operation): JsonSchema | undefined {
  const content = operation.requestBody?.content ?? [];
  return (
    content.find((m) => isJsonMediaType(m.mediaType))?.schema ??
    content.find((m) => isFormMediaType(m.mediaType))?.schema
  );
}

function jsonSchemaOf(operation: Operation, not?: string, creates = false): JsonSchema | undefined {
  const response = successResponse(operation, creates, not);
  return response?.content.find((m) => isJsonMediaType(m.mediaType))?.schema ?? response?.content[0]?.schema;
}

/** The first example of a create's answer (its 201's where it documents one). */
function exampleOf(create: Operation, not?: string): unknown {
  return successResponse(create, true, not)?.content[0]?.examples[0]?.value;
}

/** A UUID as text (RFC 9562's hyphenated form, either case). */
export const UUID_TEXT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** How ids look: UUIDs where the schema says so or its example is one (SendGrid's list ids), else by type. */
function idKindOf(schema: JsonSchema | undefined, example?: unknown): ResourceBinding['idKind'] {
  const flat = schema ? flatten(schema) : undefined;
  if (flat?.format === 'uuid' || (typeof example === 'string' && UUID_TEXT.test(example))) return 'uuid';
  const type = flat ? mainType(flat) : undefined;
  return type === 'integer' || type === 'number' ? 'integer' : 'string';
}

/** Where a create's link says the id of what it made is (`$response.body#/data/id` -> record /data, id `id`). */
function linkedId(spec: Spec, create: Operation): { record: string; id: string } | undefined {
  for (const list of linkedParameters(spec).values()) {
    const link = list.find((l) => l.sourceOperationId === create.operationId && l.pointer);
    if (link?.pointer) {
      const tokens = parsePointer(link.pointer);
      const id = tokens.pop();
      if (id !== undefined) return { record: tokens.map((t) => `/${t}`).join(''), id };
    }
  }
  return undefined;
}

/**
 * The path parameter a link fills for this operation, else the last its path names (`{email}` of
 * `/audiences/{audience_id}/contacts/{email}`, whatever order the parameters are declared in).
 */
function idParameterOf(spec: Spec, operation: Operation): string | undefined {
  const linked = linkedParameters(spec)
    .get(operation.operationId)
    ?.find((l) => l.in === 'path' && l.pointer !== undefined && !l.parent);
  if (linked) return linked.parameter;
  const declared = new Set(operation.parameters.filter((p) => p.in === 'path').map((p) => p.name));
  return templateNames(operation.path)
    .filter((name) => declared.has(name))
    .at(-1);
}

/** The `id` a create's answer carries at its top, when it does. */
function answeredId(create: Operation): string | undefined {
  const properties = objectProperties(jsonSchemaOf(create, undefined, true) ?? {}) ?? {};
  const type = properties.id ? mainType(flatten(properties.id)) : undefined;
  return type === 'integer' || type === 'number' || type === 'string' ? 'id' : undefined;
}

/**
 * The runtime expression of the id a create's answer carries (`$response.body#/data/id`, or where its
 * `Location` header names the record), when it carries one.
 */
export function createdIdExpression(binding: ResourceBinding): string | undefined {
  if (binding.idExpression !== undefined) return binding.idExpression;
  return binding.idField === undefined
    ? undefined
    : `$response.body#${appendPointer(binding.resource.record, binding.idField)}`;
}

/**
 * The runtime expression naming the record a create made in the paths acting on it: the attribute
 * the create sent where the collection is named by one (`$request.body#/email`), else its id.
 */
export function createdKeyExpression(binding: ResourceBinding): string | undefined {
  return binding.keyField === undefined
    ? createdIdExpression(binding)
    : `$request.body#${appendPointer('', binding.keyField)}`;
}

/** `/data/id` as the record's pointer and its id field. */
function splitId(pointer: string): { record: string; id: string } | undefined {
  const tokens = parsePointer(pointer);
  const id = tokens.pop();
  return id === undefined ? undefined : { record: tokens.map((t) => `/${t}`).join(''), id };
}

/**
 * The array of an object named for the collection (`contacts` of `/contacts`), else its first array
 * of records carrying their id (`entries` after a page's `order: [{by, direction}]`), else its first.
 */
function arrayNamedFor(schema: JsonSchema, collection: string, id?: string): string | undefined {
  const arrays = Object.entries(objectProperties(schema) ?? {}).filter(
    ([, property]) => mainType(flatten(property)) === 'array',
  );
  const last = lastSegment(collection);
  const holdsIds = ([, property]: [string, JsonSchema]) => {
    const items = flatten(property).items;
    return id !== undefined && typeof items === 'object' && Object.hasOwn(objectProperties(items) ?? {}, id);
  };
  return (arrays.find(([name]) => name.toLowerCase() === last) ?? arrays.find(holdsIds) ?? arrays[0])?.[0];
}

/**
 * The pointer of the list in a list's answer: an array at its top (an answer may hold other lists
 * before it: `scoreValues`), else one in a wrapping object, as a create's id may be one wrapper down:
 * the array named for the collection in any wrapper (`{"links": {"related": [...]}, "data":
 * {"contacts": [...]}}`), else the first in the wrapper the create's record is in (`{"data":
 * {"results": [...], "total": 3}}` beside a create's `{"data": {...}}`), else the one array of all
 * the wrappers. Undefined where that leaves a choice.
 */
function listPointer(schema: JsonSchema, collection: string, record: string, id?: string): string | undefined {
  const top = arrayNamedFor(schema, collection, id);
  if (top !== undefined) return appendPointer('', top);
  const objects = Object.entries(objectProperties(schema) ?? {}).filter(
    ([, property]) => mainType(flatten(property)) === 'object',
  );
  const last = plainName(lastSegment(collection));
  const arrays = objects.flatMap(([name, property]) =>
    Object.entries(objectProperties(property) ?? {})
      .filter(([, inner]) => mainType(flatten(inner)) === 'array')
      .map(([inner]) => ({ wrapper: name, name: inner })),
  );
  const wrapper = parsePointer(record)[0];
  const chosen =
    arrays.find((a) => plainName(a.name) === last) ??
    arrays.find((a) => a.wrapper === wrapper) ??
    (arrays.length === 1 ? arrays[0] : undefined);
  return chosen && appendPointer(appendPointer('', chosen.wrapper), chosen.name);
}

export { plainName } from './rest-shape.js';

const spelled = new WeakMap<object, WeakMap<object, ReadonlyMap<string, string>>>();

/**
 * The names a request spells otherwise than the record it writes shows them (Twilio sends
 * `FriendlyName` and answers `friendly_name`): each sent name the record lacks, to the one record
 * name equal to it without case or separators that is not sent itself.
 */
export function respellings(sent: object, shown: object): ReadonlyMap<string, string> {
  let byShown = spelled.get(sent);
  if (!byShown) spelled.set(sent, (byShown = new WeakMap()));
  let found = byShown.get(shown);
  if (!found) {
    const names = new Map<string, string>();
    for (const name of Object.keys(sent)) {
      if (Object.hasOwn(shown, name)) continue;
      const matches = Object.keys(shown).filter(
        (other) => plainName(other) === plainName(name) && !Object.hasOwn(sent, other),
      );
      if (matches.length === 1) names.set(name, matches[0]!);
    }
    found = names;
    byShown.set(shown, found);
  }
  return found;
}

/**
 * The filters a list's query parameters suggest: one of set values (an `enum`, a boolean) named like
 * a field of its items (`status`, Twilio's `State` for `state`: names compared without case or
 * separators) keeps the items whose field equals it. Free text may be a search (`name` containing
 * it), and paging parameters are not filters.
 */
function inferredFilters(list: Operation, item: JsonSchema | undefined): FilterExtension[] {
  const fields = item ? (objectProperties(item) ?? {}) : {};
  return list.parameters.flatMap((parameter) => {
    if (parameter.in !== 'query' || PAGE_SIZE.test(parameter.name) || PAGE_MOVE.test(parameter.name)) return [];
    const values = flatten(parameter.schema);
    const items = values.items && typeof values.items === 'object' ? flatten(values.items as JsonSchema) : undefined;
    const set = (schema: JsonSchema | undefined) =>
      schema !== undefined && (allowedValues(schema) !== undefined || mainType(schema) === 'boolean');
    if (!set(values) && !set(items)) return [];
    const field = Object.keys(fields).find((name) => plainName(name) === plainName(parameter.name));
    const type = field === undefined ? undefined : mainType(flatten(fields[field]!));
    return field !== undefined && type !== 'object' && type !== 'array'
      ? [{ parameter: parameter.name, field, match: 'equals' as const }]
      : [];
  });
}

/** Where a create's answer carries the new record's id: a link's pointer, the REST shape's, or beside the key it was sent. */
function createdId(spec: Spec, collection: RestCollection): { record: string; id: string | undefined } | undefined {
  const create = collection.create;
  // A collection named by what the create sends keeps the id its answer carries, if any, beside it.
  return (
    linkedId(spec, create) ??
    splitId(collection.idPointer ?? '') ??
    (collection.sentKey !== undefined ? { record: '', id: answeredId(create) } : undefined) ??
    (collection.location ? { record: '', id: collection.location.id } : undefined)
  );
}

/** The one array among a schema's alternatives (`oneOf: [Role[], {roles, total}]`), when it has one. */
function arrayBranch(schema: JsonSchema): JsonSchema | undefined {
  const flat = flatten(schema);
  const arrays = [...(flat.oneOf ?? []), ...(flat.anyOf ?? [])]
    .map((branch) => flatten(branch))
    .filter((branch) => mainType(branch) === 'array');
  return arrays.length === 1 ? arrays[0] : undefined;
}

/** A GET's list of records at its top or in a wrapper, paged and filtered as its parameters suggest. */
function inferredList(
  operation: Operation,
  base: { collection: string; record: string },
  named: string,
  filters: FilterExtension[],
  id?: string,
): ResourceExtension | undefined {
  const schema = jsonSchemaOf(operation);
  if (schema === undefined) return undefined;
  // An answer that is a list, or may be one (`oneOf: [Role[], {roles, total}]`, Auth0's without totals).
  const top = mainType(flatten(schema)) === 'array' || arrayBranch(schema) !== undefined;
  const items = top ? '' : listPointer(schema, named, base.record, id);
  if (items === undefined) return undefined;
  const paging = inferredPaging(operation, schema);
  const pageUrls = inferredPageUrls(paging, schema);
  const all = [...filters, ...inferredFilters(operation, schemaAt(schema, `${items}/0`))];
  return {
    ...base,
    action: 'list',
    items,
    ...(paging ? { paging } : {}),
    ...(pageUrls ? { pageUrls } : {}),
    ...(all.length > 0 ? { filters: all } : {}),
  };
}

/**
 * A membership change or member list its path implies (`PUT|DELETE /groups/{groupId}/users/{userId}`,
 * `GET /groups/{groupId}/users`): the same add-members, remove-members and `memberOf` filter a spec
 * would declare, so the mock keeps and the runner follows them as declared ones.
 */
function inferredMembership(spec: Spec, operation: Operation): ResourceExtension | undefined {
  /** The holder's add-members or remove-members of the members a path or a body names. */
  const change = (
    shape: { action: 'add-members' | 'remove-members'; holder: RestCollection; holderParameter: string },
    members: NonNullable<ResourceExtension['members']>,
  ): ResourceExtension => ({
    collection: shape.holder.path,
    action: shape.action,
    record: '',
    idParameter: shape.holderParameter,
    members,
  });
  /** The holder's member list: the member records it shows, each told by the id the members' create answers. */
  const memberList = (shape: {
    holder: RestCollection;
    holderParameter: string;
    member: RestCollection;
  }): ResourceExtension | undefined => {
    const member = createdId(spec, shape.member);
    if (!member || member.id === undefined) return undefined;
    const list = inferredList(
      operation,
      { collection: shape.member.path, record: member.record },
      restShape(operation.path).collection,
      [{ parameter: shape.holderParameter, memberOf: shape.holder.path }],
      member.id,
    );
    // A list of the member records themselves, or of memberships each naming its member in an object
    // of its own (`{"user": {"id": ...}, "role": ...}`), told by the member's id; one of memberships
    // naming it otherwise (`{userId, role}`), or of anything else, lists no record by it.
    const item = list?.items === undefined ? undefined : schemaAt(jsonSchemaOf(operation), `${list.items}/0`);
    // The members' own id field, as their create answers it (`user_id`), which the list is filtered by.
    return list && memberInItem(item, shape.member.path, member.id) !== undefined
      ? { ...list, id: member.id }
      : undefined;
  };
  const bodies = bodyMemberships(spec);
  const body = bodies.find((shape) => shape.operation === operation);
  if (body && createdId(spec, body.holder) && createdId(spec, body.member))
    return change(body, { collection: body.member.path, ids: body.ids });
  for (const shape of bodies) {
    const list = shape.list === operation && createdId(spec, shape.holder) ? memberList(shape) : undefined;
    if (list) return list;
  }
  for (const shape of memberships(spec)) {
    const holder = createdId(spec, shape.holder);
    const member = createdId(spec, shape.member);
    if (!holder || !member) continue;
    if (shape.operation === operation)
      return change(shape, { collection: shape.member.path, parameter: shape.memberParameter });
    if (shape.list === operation) return memberList(shape);
  }
  return undefined;
}

/**
 * Where each item of a holder's member list holds the member record: the item itself where it carries
 * the member's `id` field (`''`: the users of `GET /groups/{groupId}/users`), else the one object
 * property named for the members' collection that carries it (`/user` of `{"user": {"id": ...},
 * "role": ...}`: a membership naming its member). Undefined where an item names its member otherwise.
 */
function memberInItem(item: JsonSchema | undefined, collection: string, id: string): string | undefined {
  const properties = item ? objectProperties(item) : undefined;
  if (!properties) return undefined;
  if (Object.hasOwn(properties, id)) return '';
  const named = new Set(singulars(lastSegment(collection)).map(plainName));
  const wrappers = Object.entries(properties).filter(
    ([name, property]) =>
      named.has(plainName(name)) &&
      mainType(flatten(property)) !== 'array' &&
      Object.hasOwn(objectProperties(property) ?? {}, id),
  );
  return wrappers.length === 1 ? appendPointer('', wrappers[0]![0]) : undefined;
}

/**
 * Where an item operation's answer holds the record: where the create's holds it when the id is there,
 * else at the top, else in the one wrapper holding the id (a read's `{"payload": {...}}` beside a
 * create answering the record at its top).
 */
function answeredRecord(operation: Operation, id: { record: string; id: string | undefined }): string {
  const schema = jsonSchemaOf(operation);
  if (schema === undefined || id.id === undefined) return id.record;
  const holds = (at: JsonSchema | undefined) => at !== undefined && Object.hasOwn(objectProperties(at) ?? {}, id.id!);
  if (holds(schemaAt(schema, id.record))) return id.record;
  if (holds(schema)) return '';
  const wrappers = Object.entries(objectProperties(schema) ?? {}).filter(([, property]) => holds(property));
  return wrappers.length === 1 ? appendPointer('', wrappers[0]![0]) : id.record;
}

function inferredResource(
  spec: Spec,
  operation: Operation,
  creators: Map<string, RestCollection>,
): ResourceExtension | undefined {
  const membership = inferredMembership(spec, operation);
  if (membership) return membership;
  const copied = copiedRecord(spec, operation);
  const source = copied && creators.get(templateKey(copied.path));
  const sourceId = source && createdId(spec, source);
  if (copied && source && sourceId)
    return { collection: source.path, action: 'copy', record: sourceId.record, idParameter: copied.idParameter };
  const shape = restShape(operation.path);
  const collection = creators.get(templateKey(shape.collection));
  if (!collection) return undefined;
  const create = collection.create;
  const id = createdId(spec, collection);
  if (!id) return undefined;
  const base = { collection: collection.path, record: shape.idParameter ? answeredRecord(operation, id) : id.record };
  if (!shape.idParameter) {
    if (operation === create) return { ...base, action: 'create', id: id.id };
    if (operation.method === 'delete') {
      const ids = bulkIdsPointer(operation);
      if (ids !== undefined) return { ...base, action: 'delete', idsPointer: ids };
      const named = bulkIdsParameter(operation);
      return named === undefined ? undefined : { ...base, action: 'delete', idsParameter: named };
    }
    if (operation.method === 'get') return inferredList(operation, base, shape.collection, [], id.id);
    return undefined;
  }
  const idParameter = idParameterOf(spec, operation) ?? shape.idParameter;
  switch (operation.method) {
    case 'get':
      return { ...base, action: 'read', idParameter };
    case 'put': {
      // A PUT whose body requires nothing cannot be the whole record: it updates what it sends
      // (Brevo's list and contact updates), as a PATCH would.
      const sent = requestSchemaOf(operation);
      const partial = sent !== undefined && mainType(flatten(sent)) === 'object' && !flatten(sent).required?.length;
      return partial
        ? { ...base, action: 'update', idParameter, patch: 'merge' }
        : { ...base, action: 'replace', idParameter };
    }
    case 'post':
      return postUpdates(spec, operation) ? { ...base, action: 'update', idParameter, patch: 'merge' } : undefined;
    case 'patch': {
      const media = operation.requestBody?.content[0];
      const patch =
        mediaTypeEssence(media?.mediaType) === 'application/json-patch+json' ||
        (media?.schema && mainType(flatten(media.schema)) === 'array')
          ? 'json-patch'
          : 'merge';
      return { ...base, action: 'update', idParameter, patch };
    }
    case 'delete':
      return { ...base, action: 'delete', idParameter };
    default:
      return undefined;
  }
}

/**
 * The path parameters that name a record the path goes on under (`/accounts/{accountId}/contacts`):
 * a whole segment after a named one, with more path after it. A version (`/{version}/contacts`) or
 * a format (`/contacts.{format}`) names none.
 */
export function parentParameters(path: string): string[] {
  const segments = path.split('/');
  return segments.flatMap((segment, i) => {
    const name = /^\{([^}]+)\}$/.exec(segment)?.[1];
    const named = i > 0 && /^[^{}]+$/.test(segments[i - 1]!);
    return name !== undefined && named && i < segments.length - 1 ? [name] : [];
  });
}

const CREATED = /^(created|created_?at|created_?date|date_?created|creation_?date|create_?time|created_?on)$/i;
const UPDATED =
  /^(updated|updated_?at|updated_?date|date_?updated|modified|modified_?at|date_?modified|last_?modified(_?date)?|last_?updated(_?at|_?date)?|update_?time|updated_?on)$/i;

/**
 * The times a record known by its REST shape alone carries, by name (`createdAt`, `updated_at`,
 * HubSpot's `updatedAt`), where its schema gives them as `date-time`: the server stamps them.
 */
function inferredTimestamps(
  record: JsonSchema | undefined,
  sent: JsonSchema | undefined,
): TimestampsExtension | undefined {
  const properties = record ? (objectProperties(record) ?? {}) : {};
  // A time the client writes (a request that sends `updatedAt`) is the client's, not the server's.
  const writable = sent ? (objectProperties(sent) ?? {}) : {};
  const named = (pattern: RegExp) =>
    Object.keys(properties).find(
      (name) =>
        pattern.test(name) &&
        flatten(properties[name]!).format === 'date-time' &&
        (!Object.hasOwn(writable, name) || writable[name]!.readOnly === true),
    );
  const created = named(CREATED);
  const updated = named(UPDATED);
  if (created === undefined && updated === undefined) return undefined;
  return {
    ...(created !== undefined ? { created } : {}),
    ...(updated !== undefined ? { updated } : {}),
    format: 'date-time',
  };
}

function bind(
  spec: Spec,
  operation: Operation,
  resource: ResourceExtension,
  inferred: boolean,
  declared: Map<string, { create?: Operation; resource?: ResourceExtension }>,
): ResourceBinding {
  const entry = declared.get(resource.collection);
  const create = resource.action === 'create' ? operation : entry?.create;
  const createResource = create === operation ? resource : (create?.resource ?? entry?.resource);
  const notMerged = resource.merge?.merged.status;
  const creates = resource.action === 'create';
  const recordSchema = schemaAt(jsonSchemaOf(operation, notMerged, creates), resource.record);
  const createRecord = create
    ? schemaAt(
        jsonSchemaOf(create, create.resource?.merge?.merged.status, true),
        createResource?.record ?? resource.record,
      )
    : undefined;
  const idField = resource.id ?? createResource?.id ?? (create && inferred ? 'id' : undefined);
  const idSchema = idField ? objectProperties(createRecord ?? recordSchema ?? {})?.[idField] : undefined;
  // The id the create's example answers, else the one the id's own schema shows (HubSpot's "512").
  const shown =
    idField && create
      ? getPointer(exampleOf(create, notMerged), `${createResource?.record ?? ''}/${idField}`)
      : undefined;
  const own = idSchema ? flatten(idSchema) : undefined;
  const exampleValue = shown ?? own?.example ?? (Array.isArray(own?.examples) ? own.examples[0] : undefined);
  const exampleId =
    typeof exampleValue === 'string' || typeof exampleValue === 'number' ? Number(exampleValue) : Number.NaN;
  const success = successResponse(operation, creates, notMerged);
  const binding: ResourceBinding = {
    resource,
    inferred,
    idKind: idKindOf(idSchema, exampleValue),
    idSeed: Number.isSafeInteger(exampleId) ? exampleId : 1,
  };
  if (success) binding.successStatus = success.status;
  if (idSchema) binding.idSchema = idSchema;
  if (recordSchema) binding.recordSchema = recordSchema;
  if (resource.action === 'list' && resource.items !== undefined) {
    const whole = jsonSchemaOf(operation);
    if (whole) binding.listSchema = whole;
    const list = schemaAt(whole, resource.items);
    const items = list ? (arrayBranch(list) ?? flatten(list)).items : undefined;
    if (items && typeof items === 'object') binding.itemSchema = items as JsonSchema;
    // A member list read from the REST shape may show each member inside a membership item.
    const at =
      inferred && idField !== undefined && pathMemberFilter(operation, binding)
        ? memberInItem(binding.itemSchema, resource.collection, idField)
        : undefined;
    if (at) binding.itemRecord = at;
  }
  if (idField !== undefined) binding.idField = idField;
  const timestamps =
    resource.timestamps ??
    createResource?.timestamps ??
    (inferred ? inferredTimestamps(createRecord, create && requestSchemaOf(create)) : undefined);
  if (timestamps) binding.timestamps = timestamps;
  const compose = resource.compose ?? createResource?.compose;
  if (compose) binding.compose = compose;
  const sent = requestSchemaOf(operation);
  if (sent) binding.requestSchema = sent;
  // A bulk delete by a query parameter names a record the run made there as an item's would: alone.
  const idParameter =
    resource.idParameter ??
    resource.idsParameter ??
    (resource.action === 'create' ||
    resource.action === 'list' ||
    resource.idPointer !== undefined ||
    resource.idsPointer !== undefined
      ? undefined
      : idParameterOf(spec, operation));
  if (idParameter !== undefined) binding.idParameter = idParameter;
  // The record whose members a path lists (`groupId` of `/groups/{groupId}/users`) holds them, not the users.
  const holders = (resource.filters ?? []).flatMap((f) => ('memberOf' in f ? [f.parameter] : []));
  const parents = parentParameters(operation.path).filter(
    (name) => name !== idParameter && name !== resource.members?.parameter && !holders.includes(name),
  );
  if (parents.length > 0) binding.parentParameters = parents;
  return binding;
}

const cache = new WeakMap<Spec, ReadonlyMap<string, ResourceBinding>>();

/** Every operation's binding (operations that touch no stored record have none), once per spec. */
export function resourceModel(spec: Spec): ReadonlyMap<string, ResourceBinding> {
  const cached = cache.get(spec);
  if (cached) return cached;
  const declared = new Map<string, { create?: Operation }>();
  for (const operation of spec.operations) {
    const resource = operation.resource;
    if (resource?.action === 'create') {
      const entry = declared.get(resource.collection) ?? {};
      entry.create ??= operation;
      declared.set(resource.collection, entry);
    }
  }
  // Only a create whose answer carries the new id (or that links it) makes a collection: without
  // one, neither the runner nor the mock can tell which record an item path names.
  const creators = new Map<string, RestCollection>();
  for (const collection of restCollections(spec)) {
    if (collection.create.resource) continue;
    // Paths naming records by something else than their id know them only by a link of the document.
    const linked = (item: RestCollection['items'][number]) =>
      linkedParameters(spec)
        .get(item.operation.operationId)
        ?.some((l) => !l.inferred && l.sourceOperationId === collection.create.operationId);
    if (collection.namedOtherwise && !collection.items.some(linked)) continue;
    if (
      collection.idPointer !== undefined ||
      collection.sentKey !== undefined ||
      collection.location ||
      linkedId(spec, collection.create)
    ) {
      creators.set(templateKey(collection.path), collection);
      // Its records read at the top (`/teams/{id}` of `POST /orgs/{org}/teams`) are the same records.
      if (collection.flatPath !== undefined) creators.set(templateKey(collection.flatPath), collection);
    }
  }
  const bindings = new Map<string, ResourceBinding>();
  for (const operation of spec.operations) {
    const resource = operation.resource ?? inferredResource(spec, operation, creators);
    if (!resource) continue;
    // A collection read from the REST shape: its item operations name the id the create's answer
    // carries (`address` of `{"list": {"address"}}`), not a plain `id` its records may not have.
    const create = operation.resource ? undefined : creators.get(templateKey(resource.collection))!.create;
    const createResource = create && (create === operation ? resource : inferredResource(spec, create, creators));
    const creates = create
      ? new Map([[resource.collection, { create, ...(createResource ? { resource: createResource } : {}) }]])
      : declared;
    const binding = bind(spec, operation, resource, !operation.resource, creates);
    const location = operation.resource ? undefined : creators.get(templateKey(resource.collection))?.location;
    if (resource.action === 'create' && location) binding.idExpression = location.expression;
    bindings.set(operation.operationId, binding);
  }
  // Records a create under a parent's record makes for a collection at the top are that collection's.
  for (const binding of bindings.values()) {
    const collection = binding.inferred ? creators.get(templateKey(binding.resource.collection)) : undefined;
    const top = collection?.sameRecordsAs;
    if (top !== undefined && creators.get(templateKey(top))?.path === top) binding.sameRecordsAs = top;
  }
  // A collection whose item path its create's link fills from what the create sent
  // (`$request.body#/email`, written in the document or read from the REST shape) keeps its records by it.
  const keys = new Map<string, string>();
  for (const [operationId, binding] of bindings) {
    if (!binding.inferred || binding.idParameter === undefined) continue;
    const create = creators.get(templateKey(binding.resource.collection))?.create.operationId;
    const link = linkedParameters(spec)
      .get(operationId)
      ?.find((l) => l.parameter === binding.idParameter && l.sourceOperationId === create && !l.parent);
    const field = link ? /^\$request\.body#(\/[^/]+)$/.exec(link.expression)?.[1] : undefined;
    if (field !== undefined) keys.set(binding.resource.collection, parsePointer(field)[0]!);
  }
  for (const binding of bindings.values()) {
    const key = binding.inferred ? keys.get(binding.resource.collection) : undefined;
    if (key !== undefined) binding.keyField = key;
    const members = binding.inferred ? binding.resource.members : undefined;
    const memberKey = members && keys.get(members.collection);
    if (memberKey !== undefined) binding.memberKeyField = memberKey;
  }
  // A create sending, as text, the id its answer echoes under the name its item paths' parameter
  // (named for no id) takes names its record by it: `address` of `POST /lists` and `{list_address}`.
  for (const binding of bindings.values()) {
    const field = binding.idField;
    if (!binding.inferred || binding.resource.action !== 'create' || field === undefined) continue;
    const property = objectProperties(binding.requestSchema ?? {})?.[field];
    if (!property || property.readOnly === true || mainType(flatten(property)) !== 'string') continue;
    const named = [...bindings.values()].some(
      (item) =>
        item.resource.collection === binding.resource.collection &&
        item.idParameter !== undefined &&
        item.resource.action !== 'create' &&
        keyNamedByParameter(item.idParameter, field),
    );
    if (named) binding.idSent = true;
  }
  // A create answering no record (its id in `Location`) makes ids as the records' read shows them.
  for (const binding of bindings.values()) {
    if (binding.idExpression === undefined || binding.idSchema !== undefined) continue;
    const read = [...bindings.values()].find(
      (b) => b.resource.action === 'read' && b.resource.collection === binding.resource.collection && b.idSchema,
    );
    if (!read) continue;
    binding.idSchema = read.idSchema!;
    binding.idKind = read.idKind;
    binding.idSeed = read.idSeed;
  }
  // An id some operation takes as a UUID is made as one, whatever the create's answer says of it: a
  // counted "1" would be refused by the very read that should find it.
  const uuids = new Set<string>();
  for (const operation of spec.operations) {
    const binding = bindings.get(operation.operationId);
    const parameter = operation.parameters.find((p) => p.name === binding?.idParameter && p.in !== 'header');
    if (binding && parameter && idKindOf(parameter.schema) === 'uuid') uuids.add(binding.resource.collection);
  }
  for (const binding of bindings.values()) if (uuids.has(binding.resource.collection)) binding.idKind = 'uuid';
  for (const operation of spec.operations) {
    const binding = bindings.get(operation.operationId);
    if (binding?.resource.action !== 'add-members') continue;
    if (documents(operation, CREATED_STATUS) && documents(operation, '200')) {
      binding.successStatus = '201';
      binding.repeatStatus = '200';
    }
    const answered = memberAnswer(operation, binding, bindings);
    if (answered) binding.memberRecord = answered;
  }
  cache.set(spec, bindings);
  return bindings;
}

const documents = (operation: Operation, status: string): boolean =>
  operation.responses.some((r) => r.status === status);

/**
 * Where an add of one member (named by a path parameter) answers that member's record: the one
 * property at the top of its 2xx answer named for the members' collection (`user` or `users` of
 * `/users`, compared without case or separators) whose schema is an object holding the id field the
 * members' create answers. An answer at the top, or where the holder and the members are of one
 * collection, could be the holder's: it is not read as the member's.
 */
function memberAnswer(
  operation: Operation,
  binding: ResourceBinding,
  bindings: ReadonlyMap<string, ResourceBinding>,
): ResourceBinding['memberRecord'] {
  const members = binding.resource.members;
  if (members?.parameter === undefined || members.count !== undefined) return undefined;
  if (members.collection === binding.resource.collection) return undefined;
  const create = [...bindings.values()].find(
    (b) => b.resource.action === 'create' && b.resource.collection === members.collection,
  );
  const idField = create?.idField;
  const answer = jsonSchemaOf(operation);
  if (idField === undefined || answer === undefined) return undefined;
  const word = plainName(lastSegment(members.collection));
  const names = new Set([word, ...singulars(word)]);
  const found = Object.entries(objectProperties(answer) ?? {}).filter(([name]) => names.has(plainName(name)));
  if (found.length !== 1) return undefined;
  // An answer holding the holder's own id at its top is the holder's record (a group whose `user` is
  // its owner): the property named for the members is then one of its fields, not the member added.
  const holderId = binding.idField;
  if (holderId !== undefined && Object.hasOwn(objectProperties(answer) ?? {}, holderId)) return undefined;
  const [name, schema] = found[0]!;
  if (!Object.hasOwn(objectProperties(schema) ?? {}, idField)) return undefined;
  return { pointer: appendPointer('', name), schema, idField };
}

/** The status an operation answers for a record not stored: its declared not-found status, when it documents it. */
export function documentedNotFound(operation: Operation, binding: ResourceBinding | undefined): string | undefined {
  const status = binding?.resource.notFound?.status ?? '404';
  return operation.responses.some((r) => r.status === status) ? status : undefined;
}

/**
 * The status an operation documents for a record it does not hold: its declared not-found status
 * (404 unless `x-resource.notFound` says otherwise) where it lists it; else, where nothing declares
 * one and it lists 400 but no 404, its 400: the one client error it documents for a request it
 * cannot serve (RFC 9110 15.5.1), as generated descriptions answer an unknown id ("Record not
 * found"). Our inference, so kept narrow: beside a documented 404, a 400 is not the not-found.
 */
export function notFoundStatus(
  operation: Operation,
  binding: ResourceBinding | undefined,
  parameter = recordParameter(operation),
): string | undefined {
  const declared = documentedNotFound(operation, binding);
  if (declared !== undefined || binding?.resource.notFound !== undefined) return declared;
  // Only for the record the path ends at (`/things/{id}`): under a parent (`/stores/{id}/settings`)
  // the 400 is as likely the answer to a parent that is there but holds nothing of the kind.
  if (parameter === undefined || parameter !== recordParameter(operation)) return undefined;
  // An operation documenting a 201 may make the record its path names (a PUT under the client's
  // id): a made-up id there is a new record, not a missing one, and a 400 refuses the request.
  const lists = (status: string) => documents(operation, status);
  return lists('400') && !lists('404') && !lists(CREATED_STATUS) ? '400' : undefined;
}

/** The parameter naming the one record an operation's path ends at (`id` of `/things/{id}`). */
export function recordParameter(operation: Operation): string | undefined {
  return /\{([^}]+)\}$/.exec(operation.path)?.[1];
}

/**
 * What a request naming a record not stored must get, as far as the document says: the not-found
 * status where the operation lists it; `4XX` where only `default` (or a `4XX` range) covers its
 * errors (HubSpot's), which says a refusal but not which one, or where its not-found is the 400 of
 * `notFoundStatus` for the record `parameter` names (by default the one the path ends at: a
 * refusal, then, not a record; any 4xx will do, the status is another check's to judge); none where
 * it documents no error.
 */
export function expectedNotFound(
  operation: Operation,
  binding: ResourceBinding | undefined,
  parameter?: string,
): string | undefined {
  // A write may make what it names (a PUT that adds or updates, RFC 9110 9.3.4; a PATCH, RFC 5789 2),
  // a delete of nothing may succeed: only a read must refuse where the document says no more.
  const reads = operation.method === 'get' || operation.method === 'head';
  const documented = documentedNotFound(operation, binding);
  if (documented !== undefined || !reads) return documented;
  return refusalsUndeclared(operation) ?? (notFoundStatus(operation, binding, parameter) === '400' ? '4XX' : undefined);
}

/** `4XX` where an operation documents its errors only as `default` (or a `4XX` range). */
function refusalsUndeclared(operation: Operation): '4XX' | undefined {
  return operation.responses.some((r) => r.status === 'default' || r.status.toUpperCase() === '4XX')
    ? '4XX'
    : undefined;
}

/** A parent an operation's path names that must be stored for it to find anything. */
export interface StoredParent {
  parameter: string;
  /** The collection holding it, and how its ids look (`08` is integer id 8). */
  collection: string;
  idKind: ResourceBinding['idKind'];
  /** The attribute the collection names its records by in paths, when not their id (`email`). */
  keyField?: string;
  /** The operation's not-found answer; `4XX` where only `default` documents its errors. */
  status: string;
}

const parentsCache = new WeakMap<Spec, ReadonlyMap<string, readonly StoredParent[]>>();

/**
 * Operation id -> the parents its path names that a collection of the spec makes (`contact_id` of
 * `/contacts/{contact_id}/notes`, fed by the contacts' create), where the operation documents its
 * not-found answer: a request naming one not stored gets that answer.
 */
export function storedParents(spec: Spec): ReadonlyMap<string, readonly StoredParent[]> {
  const cached = parentsCache.get(spec);
  if (cached) return cached;
  const model = resourceModel(spec);
  const parents = new Map<string, StoredParent[]>();
  for (const operation of spec.operations) {
    // Nothing lives under a parent that is not there, whatever the method: `4XX` where only `default` says so.
    const status = documentedNotFound(operation, model.get(operation.operationId)) ?? refusalsUndeclared(operation);
    if (status === undefined) continue;
    const found = (linkedParameters(spec).get(operation.operationId) ?? []).flatMap((link) => {
      const source = link.parent ? model.get(link.sourceOperationId) : undefined;
      if (!source) return [];
      return [
        {
          parameter: link.parameter,
          collection: source.resource.collection,
          idKind: source.idKind,
          ...(source.keyField !== undefined ? { keyField: source.keyField } : {}),
          status,
        },
      ];
    });
    if (found.length > 0) parents.set(operation.operationId, found);
  }
  parentsCache.set(spec, parents);
  return parents;
}

/**
 * The record whose members a list shows by its path (`groupId` of `GET /groups/{groupId}/users`, a
 * `memberOf` filter on a path parameter): such a list holds a holder's members, not every record of
 * its collection.
 */
export function pathMemberFilter(
  operation: Operation,
  binding: ResourceBinding,
): { parameter: string; memberOf: string } | undefined {
  if (binding.resource.action !== 'list') return undefined;
  const inPath = new Set(operation.parameters.filter((p) => p.in === 'path').map((p) => p.name));
  for (const filter of binding.resource.filters ?? [])
    if ('memberOf' in filter && inPath.has(filter.parameter)) return filter;
  return undefined;
}
