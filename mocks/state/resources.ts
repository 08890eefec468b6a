/**
 * A binding's action turned into a state change and an answer: what a create stores, what a read,
 * list, update, replace, delete, copy or membership change needs to exist, and the documented
 * answers for duplicates, merges, conflicts, unknown ids and protected records. Each plan either
 * rejects (a documented error) or responds, finishing the body Prism produced with stored data.
 */
import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import fastJsonPatch from 'fast-json-patch';
import type { PageUrlsExtension, SortExtension } from '../../lib/extensions.js';
import { isObject, own } from '../../lib/json.js';
import { deletePointer, formatPointer, getPointer, parsePointer, setPointer } from '../../lib/json-pointer.js';
import type { JsonSchema } from '../../lib/json-schema.js';
import { cursorEnd, cursorStart, lastPageDrops } from '../../lib/paging.js';
import { escapeRegExp } from '../../lib/regexp.js';
import {
  parentParameters,
  plainName,
  type ResourceBinding,
  respellings,
  type StoredParent,
  schemaAt,
} from '../../lib/resources.js';
import { flatten } from '../../lib/schema.js';
import type { Operation } from '../../lib/spec.js';
import type { RuleSet, ValidatorCache } from '../../lib/validator.js';
import { objectProperties } from '../../lib/wire.js';
import { blend } from '../fit.js';
import { sampleFrom } from '../samples.js';
import { type Violation, violationsFromAjv } from '../violations.js';
import type { Collection, Store, StoredRecord } from './store.js';
import { formatTime } from './timestamps.js';

/** A documented response to serve: its status and, optionally, which example. */
export interface DocumentedScenario {
  status: string;
  example?: string;
}

/** What the state decided for one request. */
export type StateDecision =
  | {
      kind: 'reject';
      status: string;
      example?: string;
      violations: Violation[];
      message?: string;
      cause?: string;
      /** What the answer is about when no violation says it: the id not found. */
      subject?: { field: string; value: unknown };
    }
  | {
      kind: 'respond';
      scenario?: DocumentedScenario;
      finish(body: unknown): unknown;
      /** Set by `finish` of a create: the id of the record it stored. */
      made?: { id?: string };
    };

export interface StateRequest {
  body: unknown;
  pathParameters: Readonly<Record<string, string>>;
  /** The operation's parameters as read from the wire, by name. */
  parameters: Readonly<Record<string, unknown>>;
  query: URLSearchParams;
  /** The operation's URL as the client reached it, without the query (relative without a usable Host). */
  url: string;
  /** Whether the documented answer a record starts from is generated data rather than an example. */
  generated: boolean;
  /** The time of the request (milliseconds), for the records' `timestamps`. */
  now: number;
  validators: ValidatorCache;
  rules: RuleSet;
}

/** A request as the actions see it: with the fields other collections decide, for a record shown. */
interface PlanRequest extends StateRequest {
  /** `shownAs` (default the record itself) with the related fields the stored `record` has now. */
  related(record: StoredRecord, shownAs?: StoredRecord): StoredRecord;
  /** The members of the record of `groups` stored under `key` (none when it is not stored). */
  membersOf(groups: string, key: string): ReadonlySet<string>;
  /** The record as it is stored: its looked-up values as they are now, and no membership list (the members say it). */
  storable(record: StoredRecord): StoredRecord;
  /** The stored record under `key` joins the records the request's `memberOf` fields name. */
  join(key: string, incoming: StoredRecord): void;
  /**
   * The stored record under `key` is a member of exactly the records its `memberOf` fields in
   * `record` name; a field `record` lacks leaves none unless `whole` (the record as shown, patched).
   */
  rejoin(key: string, record: StoredRecord, whole: boolean): void;
  /** The documented refusal of a record that names a related record not stored (one it did not name `before`). */
  unrelated(record: StoredRecord, before?: StoredRecord): StateDecision | undefined;
  /** Where this collection's records count their members, when they do (8x8's group `/contacts`). */
  memberCount: string | undefined;
  /** The parent the request names (its parent path parameters' values), '' when it names none. */
  parent: string;
}

/** A record whose `by` names no stored record of a `from` declaring `missing`: that answer, naming the field. */
function unrelatedOf(
  record: StoredRecord,
  before: StoredRecord | undefined,
  binding: ResourceBinding,
  store: Store,
  parent: string,
): StateDecision | undefined {
  for (const rule of binding.resource.related ?? []) {
    if (!('from' in rule) || !rule.missing) continue;
    const value = own(record, rule.by);
    // An update that leaves the reference as it was is not refused for a related record deleted since.
    if (before !== undefined && own(before, rule.by) === value) continue;
    if (value === undefined || value === null || store.existing(rule.from)?.get(text(value), parent) !== undefined)
      continue;
    return {
      kind: 'reject',
      status: rule.missing.status,
      example: rule.missing.example,
      violations: [
        {
          location: 'body',
          field: rule.by,
          kind: 'invalid',
          value,
          message: `${rule.by} ${JSON.stringify(value)} names no stored ${rule.from} record`,
        },
      ],
    };
  }
  return undefined;
}

/**
 * The record with its `related` fields filled from the other collections now (a count of the records
 * pointing at it, a value of the record it points at); a field whose record is not stored keeps its value.
 */
function withRelated(
  record: StoredRecord,
  shownAs: StoredRecord,
  binding: ResourceBinding,
  store: Store,
  parent: string,
  storing = false,
) {
  const { related } = binding.resource;
  if (!related) return shownAs;
  const result = { ...shownAs };
  const id = binding.idField !== undefined ? own(record, binding.idField) : undefined;
  for (const rule of related) {
    if ('count' in rule) {
      if (id !== undefined) result[rule.field] = store.existing(rule.count)?.countAsText(rule.by, id) ?? 0;
    } else if ('memberOf' in rule) {
      // Not a member of any: the field is left out (a list of groups may not be empty). A stored
      // record holds no such list: the members say it, and a copy would go stale.
      const groups = id === undefined || storing ? [] : groupsOf(store, rule.memberOf, text(id));
      if (groups.length > 0) result[rule.field] = groups;
      else delete result[rule.field];
    } else {
      const pointer = own(record, rule.by);
      const other =
        pointer === undefined || pointer === null ? undefined : store.existing(rule.from)?.get(text(pointer), parent);
      if (other !== undefined && Object.hasOwn(other, rule.value)) result[rule.field] = other[rule.value];
    }
  }
  return result;
}

const NO_MEMBERS: ReadonlySet<string> = new Set();

/** The stored records of `groups` whose members include `member`, in the order it joined them (copies). */
function groupsOf(store: Store, groups: string, member: string): StoredRecord[] {
  const collection = store.existing(groups);
  if (!collection) return [];
  const found: StoredRecord[] = [];
  for (const key of collection.holdersOf(member)) {
    const record = collection.get(key);
    if (record) found.push(structuredClone(record));
  }
  return found;
}

/** Keeps the member count of one record of `groups` in step with its members. */
function recount(store: Store, groups: string, key: string): void {
  const collection = store.existing(groups);
  const record = collection?.get(key);
  const count = store.memberCount(groups);
  if (!collection || !record || count === undefined) return;
  const copy = structuredClone(record);
  setPointer(copy, count, collection.membersOf(key).size);
  collection.set(key, copy);
}

/** A new record joins the records its `memberOf` fields name (those stored), as add-members would add it. */
function joinGroups(
  store: Store,
  binding: ResourceBinding,
  member: string,
  incoming: StoredRecord,
  parent: string,
): void {
  for (const rule of binding.resource.related ?? []) {
    if (!('memberOf' in rule)) continue;
    const items = own(incoming, rule.field);
    const groups = store.existing(rule.memberOf);
    if (!Array.isArray(items) || !groups) continue;
    for (const item of items) {
      const key = isObject(item) ? own(item, rule.key) : undefined;
      if (key === undefined || groups.get(text(key), parent) === undefined) continue;
      groups.addMember(text(key), member);
      recount(store, rule.memberOf, text(key));
    }
  }
}

function rejoinGroups(
  store: Store,
  binding: ResourceBinding,
  member: string,
  record: StoredRecord,
  whole: boolean,
  parent: string,
): void {
  for (const rule of binding.resource.related ?? []) {
    if (!('memberOf' in rule) || (!whole && !Object.hasOwn(record, rule.field))) continue;
    const groups = store.existing(rule.memberOf);
    if (!groups) continue;
    const items = own(record, rule.field);
    const wanted = new Set<string>();
    for (const item of Array.isArray(items) ? items : []) {
      const key = isObject(item) ? own(item, rule.key) : undefined;
      if (key !== undefined && groups.get(text(key), parent) !== undefined) wanted.add(text(key));
    }
    for (const key of [...groups.holdersOf(member)]) {
      if (wanted.delete(key)) continue;
      groups.removeMember(key, member);
      recount(store, rule.memberOf, key);
    }
    for (const key of wanted) {
      groups.addMember(key, member);
      recount(store, rule.memberOf, key);
    }
  }
}

/** A deleted record leaves every record it was a member of. */
function leaveGroups(store: Store, collection: string, member: string): void {
  for (const { groups } of store.membershipsOf(collection))
    for (const key of store.existing(groups)?.forgetMember(member) ?? []) recount(store, groups, key);
}

const { applyPatch } = fastJsonPatch as unknown as {
  applyPatch: (document: unknown, patch: unknown[], validate?: boolean, mutate?: boolean) => { newDocument: unknown };
};

/**
 * The record stamped with the request's time: its `updated` property, and `created` too for a new
 * one (a create or a copy); only properties the record schema declares.
 */
function stamped(record: StoredRecord, binding: ResourceBinding, request: PlanRequest, made: boolean): StoredRecord {
  const { timestamps } = binding;
  if (!timestamps) return record;
  const declared = recordProperties(binding.recordSchema) ?? {};
  const time = formatTime(request.now, timestamps.format);
  for (const field of [made ? timestamps.created : undefined, timestamps.updated]) {
    if (field !== undefined && Object.hasOwn(declared, field)) record[field] = time;
  }
  return record;
}

/** The record as the view the request asks for shows it (`views`), naming that view in its `field`. */
function viewed(record: StoredRecord, binding: ResourceBinding, request: PlanRequest): StoredRecord {
  const { views } = binding.resource;
  if (!views) return record;
  const asked = request.query.get(views.parameter);
  // A value that names no view is the default one, as the parameter's own description says.
  const name = asked !== null && Object.hasOwn(views.shows, asked) ? asked : views.default;
  const fields = views.shows[name]!;
  const out: StoredRecord =
    fields === 'all'
      ? { ...record }
      : Object.fromEntries(fields.filter((f) => Object.hasOwn(record, f)).map((f) => [f, record[f]]));
  if (
    views.field !== undefined &&
    Object.hasOwn(recordProperties(binding.itemSchema ?? binding.recordSchema) ?? {}, views.field)
  ) {
    out[views.field] = name;
  }
  return out;
}

/**
 * The fields of a record schema (allOf folded) that state keeps and checks one by one; for a record
 * typed by its branches alone (`oneOf: [Beverage, Dessert]`), those of every branch.
 */
export function recordProperties(schema: JsonSchema | undefined): Record<string, JsonSchema> | undefined {
  return schema ? objectProperties(schema) : undefined;
}

/**
 * The fields of `source` that the schema declares and accepts, so the answer still matches the spec.
 * Of a request's fields (`client` given), those only the server writes are not taken: the answer
 * shows the server's value of them, as the stored record does.
 */
function project(
  source: StoredRecord,
  schema: JsonSchema | undefined,
  skip: string | undefined,
  request: PlanRequest,
  client?: Writable,
): StoredRecord {
  const properties = recordProperties(schema);
  if (!properties) return {};
  const result: StoredRecord = {};
  for (const [key, value] of Object.entries(source)) {
    const property = own(properties, key);
    if (key === skip || !property || client?.serverOwns(key)) continue;
    if (request.validators.get(property, request.rules)(value)) result[key] = value;
  }
  return result;
}

/**
 * The stored record as an answer shows it: only what is stored (the documented example's other
 * fields must not leak in), plus the required fields it lacks, taken from the documented record.
 */
function shown(documented: StoredRecord, stored: StoredRecord, schema: JsonSchema | undefined, request: PlanRequest) {
  const result = project(request.related(stored), schema, undefined, request);
  for (const name of schema ? (flatten(schema).required ?? []) : []) {
    if (!Object.hasOwn(result, name) && Object.hasOwn(documented, name)) result[name] = documented[name];
  }
  return result;
}

function withRecord(body: unknown, pointer: string, record: unknown): unknown {
  if (pointer === '') return record;
  const copy = structuredClone(body);
  if (copy === null || typeof copy !== 'object') return copy;
  setPointer(copy, pointer, record);
  return copy;
}

function recordIn(body: unknown, pointer: string): StoredRecord {
  const record = getPointer(body, pointer);
  return isObject(record) ? record : {};
}

/** The incoming fields win; nested objects (an address book) are merged key by key, lists are replaced. */
export function mergeRecords(stored: StoredRecord, incoming: StoredRecord, keep: string | undefined): StoredRecord {
  const result: StoredRecord = { ...stored };
  for (const [key, value] of Object.entries(incoming)) {
    if (key === keep) continue;
    const current = own(result, key);
    const merged =
      isObject(current) && isObject(value) ? mergeRecords(current, value, undefined) : structuredClone(value);
    Object.defineProperty(result, key, { value: merged, enumerable: true, writable: true, configurable: true });
  }
  return result;
}

/** Ids are stored by their text: `007` and `7` name the same integer id. */
function idKey(binding: ResourceBinding, raw: string): string {
  return storedKey(raw, binding.idKind);
}

const UUID_TEXT = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

/**
 * An id as the store keys it: an integer's number (`08` is 8), a UUID in lower case with hyphens, as
 * made (any text that spells one, for a parent whose kind is not known); other text as it is.
 */
function storedKey(raw: string, idKind: ResourceBinding['idKind']): string {
  if (idKind === 'integer') return /^-?\d+$/.test(raw) ? String(Number(raw)) : raw;
  if (idKind !== 'uuid' || !UUID_TEXT.test(raw)) return raw;
  const hex = raw.replaceAll('-', '').toLowerCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function newId(
  binding: ResourceBinding,
  collection: Collection,
  validators: ValidatorCache,
  incoming?: StoredRecord,
): { id: unknown; key: string } {
  // The key the client names its record by is kept as sent: reads by it find the record.
  const sent = binding.idSent && binding.idField !== undefined ? own(incoming ?? {}, binding.idField) : undefined;
  if (typeof sent === 'string' && sent !== '') return { id: sent, key: idKey(binding, sent) };
  if (binding.idKind === 'uuid') {
    const id = randomUUID();
    return { id, key: id };
  }
  for (;;) {
    const number = collection.allocate(binding.idSeed);
    if (binding.idKind === 'integer') return { id: number, key: String(number) };
    const counted = String(number);
    const schema = binding.idSchema;
    if (!schema || validators.get(schema)(counted)) return { id: counted, key: counted };
    const id = patternedId(sampleFrom(schema, 0), counted, (text) => validators.get(schema)(text)) ?? counted;
    // A count whose id an earlier one already made (a template ending in the count's own digits) is skipped.
    if (collection.get(id) === undefined) return { id, key: id };
  }
}

/** Counts this wide end a patterned id: one count's id is no other's while the counts fit. */
const COUNT_WIDTH = 8;

/**
 * A patterned id (`ord_` and 26 characters): the documented one with its end replaced by the count,
 * zero-padded, so the answer fits its schema and names the record it stored.
 */
function patternedId(template: unknown, counted: string, fits: (id: string) => boolean): string | undefined {
  if (typeof template !== 'string') return undefined;
  for (const count of [counted.padStart(Math.min(COUNT_WIDTH, template.length), '0'), counted]) {
    if (template.length < count.length) continue;
    const id = `${template.slice(0, template.length - count.length)}${count}`;
    if (fits(id)) return id;
  }
  return undefined;
}

function notFound(binding: ResourceBinding, raw: string): StateDecision {
  return notStored(binding, binding.resource.notFound?.status ?? '404', binding.idParameter ?? 'id', raw);
}

/** The not-found answer naming the parameter whose value `raw` names no stored record. */
function notStored(binding: ResourceBinding | undefined, status: string, name: string, raw: string): StateDecision {
  const example = binding?.resource.notFound?.example;
  return {
    kind: 'reject',
    status,
    ...(example !== undefined ? { example } : {}),
    violations: [],
    message: `${name} ${raw} was not found`,
    cause: 'not-found',
    subject: { field: name, value: raw },
  };
}

const successScenario = (binding: ResourceBinding): DocumentedScenario | undefined =>
  binding.successStatus !== undefined ? { status: binding.successStatus } : undefined;

function respond(
  binding: ResourceBinding,
  finish: (body: unknown) => unknown,
  scenario = successScenario(binding),
): StateDecision {
  return { kind: 'respond', ...(scenario ? { scenario } : {}), finish };
}

/** The id the request names: its id parameter (path or query), or the value at `idPointer` in its body. */
function idText(binding: ResourceBinding, request: PlanRequest): string | undefined {
  const pointer = binding.resource.idPointer;
  if (pointer !== undefined) {
    const value = getPointer(request.body, pointer);
    return value === undefined || value === null || typeof value === 'object' ? undefined : String(value);
  }
  const name = binding.idParameter;
  if (name === undefined) return undefined;
  return own(request.pathParameters, name) ?? request.query.get(name) ?? undefined;
}

/**
 * The store's key of the record named by an attribute it was sent with (`/contacts/{email}`): found
 * by the parameter's value as read (a number where the parameter is one), its text otherwise.
 */
function keyed(
  collection: Collection,
  field: string,
  request: Pick<StateRequest, 'parameters'>,
  raw: string,
  name?: string,
  parent = '',
): string | undefined {
  const value = name === undefined ? undefined : own(request.parameters, name);
  return (
    (value === undefined ? [] : collection.find(field, value, parent))[0] ?? collection.find(field, raw, parent)[0]
  );
}

/** The stored record the request names, or the documented answer for an id never stored. */
function target(binding: ResourceBinding, collection: Collection, request: PlanRequest) {
  const raw = idText(binding, request);
  if (raw === undefined) return undefined;
  const key =
    binding.keyField === undefined
      ? idKey(binding, raw)
      : keyed(collection, binding.keyField, request, raw, binding.idParameter, request.parent);
  const stored = key === undefined ? undefined : collection.get(key, request.parent);
  return key !== undefined && stored ? { key, stored } : notFound(binding, raw);
}

/** A value of a unique field another stored record already has: the documented refusal. */
function duplicateOf(
  binding: ResourceBinding,
  collection: Collection,
  request: PlanRequest,
  record: StoredRecord,
  self?: string,
) {
  const unique = binding.resource.unique;
  if (!unique) return undefined;
  const duplicates: Violation[] = [];
  for (const field of unique.fields) {
    const value = own(record, field);
    if (value === undefined) continue;
    if (!collection.find(field, value, request.parent).some((key) => key !== self)) continue;
    duplicates.push({
      location: 'body',
      field,
      kind: 'duplicate',
      value,
      message: `${field} ${JSON.stringify(value)} is already taken`,
    });
  }
  return duplicates.length > 0
    ? ({ kind: 'reject', status: unique.status, example: unique.example, violations: duplicates } as const)
    : undefined;
}

/** The top-level property an `idPointer` names, which is the address of the record, not part of it. */
function idPointerProperty(binding: ResourceBinding): string | undefined {
  const pointer = binding.resource.idPointer;
  return pointer === undefined ? undefined : pointer.split('/')[1];
}

const NONE: ReadonlyMap<string, string> = new Map();

/**
 * The request's other spellings of the record's fields, for a record known by its REST shape: an
 * `x-resource` names fields (unique ones, merge keys) as its request spells them, and keeps them so.
 */
function spellingsOf(binding: ResourceBinding, sent: object, shown: object): ReadonlyMap<string, string> {
  return binding.inferred ? respellings(sent, shown) : NONE;
}

/** What a client may write of a record, as one request schema says it. */
interface Writable {
  /**
   * Each property the request may send, by the name it is sent as: the record's name for it and its
   * schema. Undefined where the request declares no properties (its whole body is kept).
   */
  sent: ReadonlyMap<string, { field: string; schema: JsonSchema }> | undefined;
  /** Whether only the server writes the record's property `name`: the client's request cannot. */
  serverOwns(name: string): boolean;
}

/**
 * The one place `readOnly` is judged. A client writes what the operation's request schema lets it
 * send: a property the request declares and does not mark readOnly is the client's, kept and shown as
 * sent and replaced or updated by a write that sends it, even where the record (answer) schema marks
 * it readOnly, since the request is what says what the server takes (an identity's `value` is sent by
 * its create and update and answered as readOnly). A property the record marks readOnly that the
 * request marks readOnly too or does not declare (an id, a creation date) only the server writes.
 */
function writableBy(binding: ResourceBinding, request: JsonSchema | undefined): Writable {
  const sendable = recordProperties(request);
  const declared = recordProperties(binding.recordSchema) ?? {};
  let sent: Map<string, { field: string; schema: JsonSchema }> | undefined;
  if (sendable) {
    sent = new Map();
    const spelled = spellingsOf(binding, sendable, declared);
    for (const [name, schema] of Object.entries(sendable))
      if (!schema.readOnly) sent.set(name, { field: spelled.get(name) ?? name, schema });
  }
  const fields = new Set([...(sent?.values() ?? [])].map(({ field }) => field));
  return { sent, serverOwns: (name) => own(declared, name)?.readOnly === true && !fields.has(name) };
}

/**
 * The record a request's body sends and the request schema of it: inside the wrapper where the body
 * wraps it where the answer does (`{"contact": {...}}`, JSON:API's `{"data": {...}}`).
 */
function sentRecord(binding: ResourceBinding, body: StoredRecord): { record: StoredRecord; schema?: JsonSchema } {
  const pointer = binding.resource.record;
  const wrapped = pointer === '' ? undefined : getPointer(body, pointer);
  if (isObject(wrapped)) return { record: wrapped, schema: schemaAt(binding.requestSchema, pointer) };
  return { record: body, schema: binding.requestSchema };
}

/** What the client may write with this request (its body's record read as `incomingRecord` reads it). */
function writableIn(binding: ResourceBinding, request: PlanRequest): Writable {
  return writableBy(binding, isObject(request.body) ? sentRecord(binding, request.body).schema : binding.requestSchema);
}

/**
 * The request's fields a server keeps: those its schema lets a client send (`writableBy`). A read-only
 * one (an id, a creation date, a folder the server assigns) or one the operation does not declare (a
 * field of another operation's body) is ignored, as a server binding the body to its model ignores it.
 */
function incomingRecord(binding: ResourceBinding, request: PlanRequest): StoredRecord {
  if (!isObject(request.body)) return {};
  const { record, schema } = sentRecord(binding, request.body);
  const { sent } = writableBy(binding, schema);
  if (!sent) return composed(record, binding);
  const kept: StoredRecord = {};
  for (const [name, value] of Object.entries(record)) {
    const writable = sent.get(name);
    if (writable !== undefined) kept[writable.field] = value;
  }
  return composed(kept, binding);
}

/** The record with each `compose` field joined from its parts, when the request sent every part as text. */
function composed(record: StoredRecord, binding: ResourceBinding): StoredRecord {
  if (!binding.compose) return record;
  let out = record;
  for (const { field, from } of binding.compose) {
    const parts = from.map((name) => own(record, name));
    if (!parts.every((part): part is string => typeof part === 'string' && part !== '')) continue;
    // A value already holding a `+` prefix (`+97250...` sent with `+972`) is not prefixed again; a
    // national number that merely starts with the code's digits (`1234...` with `1`) is.
    const [first = '', ...rest] = parts;
    const joined = rest.map((part, i) =>
      from[i + 1] === field && first.startsWith('+') && part.startsWith(first) ? part.slice(first.length) : part,
    );
    out = { ...out, [field]: [first, ...joined].join('') };
  }
  return out;
}

/**
 * What a new record holds before the request's fields: the documented record's fields a client cannot
 * send (ids, timestamps, counts: the server's), and of those it can send, only what the server would
 * fill when they are not sent: the schema's default; an empty value the example shows (`{}`, `[]`,
 * `""`, null: what a server answers for nothing given); else null where the record requires the
 * field and allows null, else the documented value where it requires it. Any other example value of
 * a field the client could have sent is sample data: it is left out, so it never joins a record unasked.
 */
function startingRecord(documented: StoredRecord, binding: ResourceBinding, request: PlanRequest): StoredRecord {
  const { sent: sendable } = writableBy(binding, binding.requestSchema);
  if (!sendable) return documented;
  const declared = recordProperties(binding.recordSchema);
  const fields = declared ?? {};
  const required = new Set(binding.recordSchema ? (flatten(binding.recordSchema).required ?? []) : []);
  const result: StoredRecord = {};
  // A field sent under another spelling (`FriendlyName` for `friendly_name`) is the client's all the same.
  const sentAs = new Map([...sendable].map(([sentName, { field }]) => [field, sentName]));
  for (const name of new Set([...Object.keys(documented), ...sentAs.keys()])) {
    const sent = sendable.get(sentAs.get(name) ?? name)?.schema;
    const field = own(fields, name);
    if (sent === undefined) {
      // Generated data invents keys a schema leaves open: no server fills those; an example's are the vendor's.
      const invented = request.generated && field === undefined && declared !== undefined;
      if (Object.hasOwn(documented, name) && !invented) result[name] = documented[name];
      continue;
    }
    // A default of a field the record does not show would only make the answer break its schema.
    const fallback = field === undefined ? undefined : sent.default !== undefined ? sent.default : field.default;
    if (fallback !== undefined) result[name] = structuredClone(fallback);
    else if (Object.hasOwn(documented, name) && isEmpty(documented[name])) result[name] = documented[name];
    else if (!required.has(name)) continue;
    else if (field && request.validators.get(field, request.rules)(null)) result[name] = null;
    else if (Object.hasOwn(documented, name)) result[name] = documented[name];
  }
  return result;
}

const isEmpty = (value: unknown): boolean =>
  value === null ||
  value === '' ||
  (Array.isArray(value) ? value.length === 0 : isObject(value) && Object.keys(value).length === 0);

/**
 * The record's fields that name its parents, as the path names them: `conversation_sid` of a message
 * made through `/conversations/{conversationSid}/messages` (names compared without case or
 * separators), where the value fits the field; of `schema`, a list's whole body (Mailchimp's members
 * list says its `list_id`).
 */
/**
 * The field naming a parent a path calls plain `{id}` (`/organizations/{id}/followers`): the one id
 * field named for the collection before it, in full or cut short (`organization_id`, `org_id`).
 */
function namedForParent(binding: ResourceBinding, names: readonly string[], parameter: string): string | undefined {
  if (plainName(parameter) !== 'id') return undefined;
  const segments = binding.resource.collection.split('/');
  const stem = plainName(segments[segments.indexOf(`{${parameter}}`) - 1] ?? '');
  const found = names.filter((name) => {
    const plain = plainName(name);
    const prefix = plain.slice(0, -2);
    return name !== binding.idField && plain.endsWith('id') && prefix.length >= 3 && stem.startsWith(prefix);
  });
  return found.length === 1 ? found[0] : undefined;
}

function parentFields(binding: ResourceBinding, request: PlanRequest, schema = binding.recordSchema): StoredRecord {
  const fields = recordProperties(schema);
  const result: StoredRecord = {};
  if (!fields) return result;
  for (const parameter of binding.parentParameters ?? []) {
    const raw = own(request.pathParameters, parameter);
    const field =
      // The record's own id is never its parent's, however the path names the parent.
      Object.keys(fields).find((name) => name !== binding.idField && plainName(name) === plainName(parameter)) ??
      namedForParent(binding, Object.keys(fields), parameter);
    if (raw === undefined || field === undefined) continue;
    const value = converted(raw, fields[field]!);
    if (request.validators.get(fields[field]!, request.rules, 'response')(value)) result[field] = value;
  }
  return result;
}

function planCreate(binding: ResourceBinding, collection: Collection, request: PlanRequest): StateDecision {
  const { resource, idField } = binding;
  const incoming = incomingRecord(binding, request);
  const duplicate = duplicateOf(binding, collection, request, incoming) ?? request.unrelated(incoming);
  if (duplicate) return duplicate;
  if (resource.merge) {
    const { on, merged, conflict } = resource.merge;
    const keys = own(incoming, on);
    const matches = new Set<string>();
    if (isObject(keys)) {
      for (const [key, value] of Object.entries(keys)) {
        if (value !== undefined)
          for (const id of collection.find(`${on}.${key}`, value, request.parent)) matches.add(id);
      }
    }
    if (matches.size > 1) {
      const ids = [...matches]
        .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
        .map((key) => JSON.stringify(idField ? collection.get(key)?.[idField] : key))
        .join(', ');
      return {
        kind: 'reject',
        status: conflict.status,
        example: conflict.example,
        violations: [],
        message: `${on} match more than one stored record (${ids})`,
      };
    }
    const [match] = matches;
    if (match !== undefined) {
      const stored = collection.get(match)!;
      return respond(
        binding,
        (body) => {
          const record = stamped(mergeRecords(stored, incoming, idField), binding, request, false);
          request.join(match, incoming);
          collection.set(match, request.storable(record));
          // Only what the stored record really has: the merged example's other fields must not leak in.
          return withRecord(
            body,
            resource.record,
            shown(recordIn(body, resource.record), record, binding.recordSchema, request),
          );
        },
        merged,
      );
    }
  }
  const made: { id?: string } = {};
  const decision = respond(binding, (body) => {
    const documented = stamped(
      startingRecord(recordIn(body, resource.record), binding, request),
      binding,
      request,
      true,
    );
    const { id, key } = newId(binding, collection, request.validators, incoming);
    made.id = String(id);
    // A record named by what it was sent with is the one last sent it: an earlier one leaves.
    const sentKey = binding.keyField === undefined ? undefined : own(incoming, binding.keyField);
    if (sentKey !== undefined)
      for (const earlier of collection.find(binding.keyField!, sentKey, request.parent)) collection.delete(earlier);
    // Request fields replace the example's whole: an example address must not join the new record.
    const parents = parentFields(binding, request);
    const stored: StoredRecord = { ...documented, ...structuredClone(incoming), ...parents };
    const answer: StoredRecord = {
      ...documented,
      ...project(incoming, binding.recordSchema, idField, request, writableIn(binding, request)),
      ...parents,
    };
    if (idField) {
      stored[idField] = id;
      answer[idField] = id;
    }
    request.join(key, incoming);
    // The related values are kept as they are now: a record whose related one is gone later shows the last.
    collection.set(idField ? key : `#${key}`, request.storable(stored), request.parent);
    return withRecord(body, resource.record, request.related(stored, answer));
  });
  if (decision.kind === 'respond') decision.made = made;
  return decision;
}

function planRead(binding: ResourceBinding, collection: Collection, request: PlanRequest): StateDecision {
  const found = target(binding, collection, request);
  if (!found) return respond(binding, (body) => body);
  if ('kind' in found) return found;
  return respond(binding, (body) =>
    withRecord(
      body,
      binding.resource.record,
      viewed(
        shown(recordIn(body, binding.resource.record), found.stored, binding.recordSchema, request),
        binding,
        request,
      ),
    ),
  );
}

function answerWith(binding: ResourceBinding, record: StoredRecord, request: PlanRequest) {
  return (body: unknown) =>
    body === undefined || body === null || typeof body !== 'object'
      ? body
      : withRecord(
          body,
          binding.resource.record,
          shown(recordIn(body, binding.resource.record), record, binding.recordSchema, request),
        );
}

function planUpdate(binding: ResourceBinding, collection: Collection, request: PlanRequest): StateDecision {
  const found = target(binding, collection, request);
  if (!found) return respond(binding, (body) => body);
  if ('kind' in found) return found;
  let updated: StoredRecord;
  const patch = binding.resource.patch ?? 'merge';
  if (patch === 'json-patch') {
    if (!Array.isArray(request.body)) return respond(binding, (body) => body);
    // The patch applies to the record as the client reads it: its memberships included.
    const shownNow = request.related(found.stored);
    const result = patched(shownNow, request.body, binding);
    if (typeof result === 'string') return refusedPatch([invalidBody(`The patch cannot be applied: ${result}`)]);
    updated = result;
    if (binding.idField) updated[binding.idField] = found.stored[binding.idField];
    keepServerFields(updated, found.stored, binding, request);
    const invalid = changedViolations(shownNow, updated, binding, request);
    if (invalid.length > 0) return refusedPatch(invalid);
  } else if (patch === 'parameters') {
    const changes: StoredRecord = {};
    for (const [name, value] of Object.entries(request.parameters)) {
      if (name !== binding.idParameter && value !== undefined) changes[name] = value;
    }
    updated = mergeRecords(found.stored, changes, binding.idField);
  } else {
    const incoming = { ...incomingRecord(binding, request) };
    const addressed = idPointerProperty(binding);
    if (addressed !== undefined) delete incoming[addressed];
    updated = mergeRecords(found.stored, incoming, binding.idField);
  }
  const duplicate =
    duplicateOf(binding, collection, request, updated, found.key) ?? request.unrelated(updated, found.stored);
  if (duplicate) return duplicate;
  stamped(updated, binding, request, false);
  return respond(binding, (body) => {
    request.rejoin(found.key, updated, patch === 'json-patch');
    collection.set(found.key, request.storable(updated));
    return answerWith(binding, updated, request)(body);
  });
}

const invalidBody = (message: string): Violation => ({ location: 'body', field: 'body', kind: 'invalid', message });

const refusedPatch = (violations: Violation[]): StateDecision => ({
  kind: 'reject',
  status: '400',
  violations,
  cause: 'invalid',
});

/**
 * The record after the patch's operations, one after another, or why one cannot be applied. As a
 * forgiving server applies them: `replace` of a member the record does not hold yet adds it (a record
 * stored without an optional property is still one a client may set it on); with `patchNames`, a
 * path's member names are the record's (or its schema's) whatever their case; with `patchValues`, a
 * text value becomes the type the schema gives the member it lands on.
 */
function patched(
  record: StoredRecord,
  operations: readonly unknown[],
  binding: ResourceBinding,
): StoredRecord | string {
  let document: unknown = structuredClone(record);
  for (const [index, operation] of operations.entries()) {
    const op = isObject(operation) ? readied(document, structuredClone(operation), binding) : operation;
    try {
      document = applyPatch(document, [op], true, true).newDocument;
    } catch (error) {
      const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
      return operations.length > 1 ? `operation ${index + 1}: ${message}` : message;
    }
  }
  return isObject(document) ? document : 'the patch must leave an object';
}

function readied(document: unknown, op: Record<string, unknown>, binding: ResourceBinding): Record<string, unknown> {
  const { patchNames, patchValues } = binding.resource;
  if (patchNames === 'ignore-case') {
    for (const key of ['path', 'from']) {
      if (typeof op[key] === 'string') op[key] = spelled(document, op[key], binding.recordSchema);
    }
  }
  if (typeof op.path !== 'string') return op;
  if (op.op === 'replace' && !holds(document, op.path)) op.op = 'add';
  if (patchValues === 'convert' && typeof op.value === 'string' && ['add', 'replace', 'test'].includes(String(op.op))) {
    // `/groups/-` (append) lands on an item of the list, as an index does.
    const tokens = parsePointerSafely(op.path)?.map((token) => (token === '-' ? '0' : token));
    const target = tokens ? schemaAt(binding.recordSchema, formatPointer(tokens)) : undefined;
    if (target) op.value = converted(op.value, target);
  }
  return op;
}

/**
 * What only the server writes keeps its stored value through a patch: read-only properties (a JSON
 * Patch's schema names operations, not the record's properties, so it declares none of them
 * writable), counts of related records and of members (a patch that sets 8x8's group `contacts` to 7
 * must not make the count disagree with the members).
 */
function keepServerFields(updated: StoredRecord, stored: StoredRecord, binding: ResourceBinding, request: PlanRequest) {
  // A membership list is the members' to say, and a patch may change it (rejoin follows the patch).
  const memberships = new Set(
    (binding.resource.related ?? []).flatMap((rule) => ('memberOf' in rule ? [rule.field] : [])),
  );
  const { serverOwns } = writableBy(binding, undefined);
  const names = Object.keys(recordProperties(binding.recordSchema) ?? {}).filter(
    (name) => serverOwns(name) && !memberships.has(name),
  );
  for (const rule of binding.resource.related ?? []) if ('count' in rule) names.push(rule.field);
  for (const name of names) {
    if (Object.hasOwn(stored, name)) updated[name] = stored[name];
    else delete updated[name];
  }
  if (request.memberCount !== undefined)
    setPointer(updated, request.memberCount, getPointer(stored, request.memberCount));
}

function holds(document: unknown, path: string): boolean {
  try {
    return getPointer(document, path) !== undefined;
  } catch {
    return false;
  }
}

function parsePointerSafely(pointer: string): string[] | undefined {
  try {
    return parsePointer(pointer);
  } catch {
    return undefined;
  }
}

/** `path` with each member name as the document (else the schema) spells it, when only the case differs. */
function spelled(document: unknown, path: string, schema: JsonSchema | undefined): string {
  const tokens = parsePointerSafely(path);
  if (!tokens) return path;
  let node = document;
  let at = schema;
  const out: string[] = [];
  for (const token of tokens) {
    const flat = at ? flatten(at) : undefined;
    let name = token;
    if (Array.isArray(node)) {
      at = flat?.items as JsonSchema | undefined;
    } else {
      const lower = token.toLowerCase();
      const candidates = [...(isObject(node) ? Object.keys(node) : []), ...Object.keys(flat?.properties ?? {})];
      if (!(isObject(node) && Object.hasOwn(node, token)) && !Object.hasOwn(flat?.properties ?? {}, token)) {
        name = candidates.find((key) => key.toLowerCase() === lower) ?? token;
      }
      at = own(flat?.properties ?? {}, name) as JsonSchema | undefined;
    }
    out.push(name);
    node = Array.isArray(node) ? node[Number(name)] : isObject(node) ? own(node, name) : undefined;
  }
  return formatPointer(out);
}

/**
 * A JSON Patch's text value as the schema's type (`patchValues: convert`): `"true"` a boolean, `"42"`
 * an integer; text the type cannot read stays text.
 */
export function converted(value: string, schema: JsonSchema): unknown {
  const types = typesOf(schema);
  if (types.size === 0 || types.has('string')) return value;
  const trimmed = value.trim();
  if (types.has('boolean') && /^(true|false)$/i.test(trimmed)) return trimmed.toLowerCase() === 'true';
  if (types.has('integer') && /^-?\d+$/.test(trimmed)) return Number(trimmed);
  // Decimal only, as a JSON number is written: `0x10` and `1e3`-less oddities stay text.
  if (types.has('number') && /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(trimmed)) return Number(trimmed);
  if (types.has('null') && trimmed === 'null') return null;
  return value;
}

/** The types a schema allows, through `allOf` and every alternative of `anyOf`/`oneOf` (3.1's nullable). */
function typesOf(schema: JsonSchema): Set<string> {
  const flat = flatten(schema);
  const declared = flat.type;
  const types = new Set<string>(Array.isArray(declared) ? declared : declared === undefined ? [] : [declared]);
  for (const branch of [
    ...((flat.anyOf as JsonSchema[] | undefined) ?? []),
    ...((flat.oneOf as JsonSchema[] | undefined) ?? []),
  ]) {
    if (typeof branch === 'object' && branch !== null) for (const type of typesOf(branch)) types.add(type);
  }
  return types;
}

/**
 * The record schema's violations in the members a patch changed: a patch may not leave a value the
 * record cannot hold (an address that breaks its pattern, a required member removed). Members it
 * left alone are not judged again.
 */
function changedViolations(
  before: StoredRecord,
  after: StoredRecord,
  binding: ResourceBinding,
  request: PlanRequest,
): Violation[] {
  if (!binding.recordSchema) return [];
  const changed = new Set(
    [...new Set([...Object.keys(before), ...Object.keys(after)])].filter(
      (name) => !isDeepStrictEqual(own(before, name), own(after, name)),
    ),
  );
  if (changed.size === 0) return [];
  const validate = request.validators.get(binding.recordSchema, request.rules);
  if (validate(after)) return [];
  return violationsFromAjv(validate.errors, after, 'body').filter((violation) =>
    changed.has(violation.field.split('.')[0]!),
  );
}

function planReplace(binding: ResourceBinding, collection: Collection, request: PlanRequest): StateDecision {
  const found = target(binding, collection, request);
  if (!found) return respond(binding, (body) => body);
  if ('kind' in found) return found;
  const replaced: StoredRecord = structuredClone(incomingRecord(binding, request));
  // What the client cannot write keeps its stored value: the id, every property only the server
  // writes (read-only, or one this request's schema does not declare: a replace cannot send it, so
  // it cannot change it), and the time the record was made. What the client could send and did not
  // is what a create without it would hold (`replacedUnsent`), never a documented example's value.
  const created = binding.timestamps?.created;
  const { sent, serverOwns } = writableIn(binding, request);
  const clientFields = sent === undefined ? undefined : new Set([...sent.values()].map(({ field }) => field));
  const fields = recordProperties(binding.recordSchema) ?? {};
  const required = new Set(binding.recordSchema ? (flatten(binding.recordSchema).required ?? []) : []);
  for (const name of Object.keys(fields)) {
    const clients = clientFields === undefined || clientFields.has(name);
    if (serverOwns(name) || name === created || !clients) {
      if (Object.hasOwn(found.stored, name)) replaced[name] = found.stored[name];
      continue;
    }
    if (Object.hasOwn(replaced, name)) continue;
    const value = replacedUnsent(name, fields[name]!, required.has(name), found.stored, sent, request);
    if (value !== undefined) replaced[name] = value;
  }
  if (binding.idField) replaced[binding.idField] = found.stored[binding.idField];
  // A replace that leaves out what the path names the record by keeps it named so.
  const key = binding.keyField;
  if (key !== undefined && !Object.hasOwn(replaced, key) && Object.hasOwn(found.stored, key))
    replaced[key] = found.stored[key];
  const duplicate = duplicateOf(binding, collection, request, replaced, found.key);
  if (duplicate) return duplicate;
  stamped(replaced, binding, request, false);
  return respond(binding, (body) => {
    collection.set(found.key, replaced);
    return answerWith(binding, replaced, request)(body);
  });
}

/**
 * The value a replace leaves in a field the client could send and did not, as a create without it
 * would fill it: the schema's default; null where the record requires the field and allows null;
 * the stored value where it requires it and allows no null (a replace that cannot empty it keeps
 * it, where a create would take the example's); an empty stored value (`[]`, `{}`, `""`, null: what
 * a server answers for nothing given) stays; anything else is gone with the representation replaced.
 */
function replacedUnsent(
  name: string,
  field: JsonSchema,
  required: boolean,
  stored: StoredRecord,
  sent: Writable['sent'],
  request: PlanRequest,
): unknown {
  const sentSchema = [...(sent?.values() ?? [])].find((entry) => entry.field === name)?.schema;
  const fallback = sentSchema?.default !== undefined ? sentSchema.default : field.default;
  if (fallback !== undefined) return structuredClone(fallback);
  const had = Object.hasOwn(stored, name);
  if (had && isEmpty(stored[name])) return stored[name];
  if (!required) return undefined;
  if (request.validators.get(field, request.rules)(null)) return null;
  return had ? stored[name] : undefined;
}

function planDelete(
  binding: ResourceBinding,
  store: Store,
  collection: Collection,
  request: PlanRequest,
): StateDecision {
  if (binding.resource.idsPointer !== undefined || binding.resource.idsParameter !== undefined)
    return planBulkDelete(binding, store, collection, request);
  const found = target(binding, collection, request);
  if (!found) return respond(binding, (body) => body);
  if ('kind' in found) return found;
  const protect = binding.resource.protect;
  if (protect && found.stored[protect.field] === true) {
    return {
      kind: 'reject',
      status: protect.status,
      example: protect.example,
      violations: [],
      message: `${binding.idParameter ?? 'the record'} ${found.key} cannot be deleted`,
    };
  }
  return respond(binding, (body) => {
    collection.delete(found.key);
    leaveGroups(store, binding.resource.collection, found.key);
    return withDeletedId(body, binding, found.stored);
  });
}

/** The ids a bulk delete names: the list at `idsPointer`, or the query's `idsParameter` (a list, or ids joined by commas). */
function namedIds(binding: ResourceBinding, request: PlanRequest): unknown[] {
  const { idsPointer, idsParameter } = binding.resource;
  if (idsPointer !== undefined) {
    const listed = getPointer(request.body, idsPointer);
    return Array.isArray(listed) ? listed : [];
  }
  const named = idsParameter === undefined ? undefined : own(request.parameters, idsParameter);
  if (typeof named === 'string') return named.split(',').map((id) => id.trim());
  return Array.isArray(named) ? named : named === undefined ? [] : [named];
}

/**
 * A delete of every stored record the request's list of ids names; ids stored nowhere are passed over, as
 * a bulk delete's answer does not say which it found. A protected record among them refuses the whole.
 */
function planBulkDelete(
  binding: ResourceBinding,
  store: Store,
  collection: Collection,
  request: PlanRequest,
): StateDecision {
  const keys = new Set(
    namedIds(binding, request)
      .filter((value) => value !== null && typeof value !== 'object')
      .map((value) => idKey(binding, String(value)))
      .filter((key) => collection.get(key, request.parent) !== undefined),
  );
  const protect = binding.resource.protect;
  const kept = protect && [...keys].find((key) => collection.get(key, request.parent)?.[protect.field] === true);
  if (protect && kept) {
    return {
      kind: 'reject',
      status: protect.status,
      example: protect.example,
      violations: [],
      message: `${kept} cannot be deleted`,
    };
  }
  return respond(binding, (body) => {
    for (const key of keys) {
      collection.delete(key);
      leaveGroups(store, binding.resource.collection, key);
    }
    return body;
  });
}

/** A delete's answer that names the record it deleted (`{"data": {"id": 12}}`) names the one it did. */
function withDeletedId(body: unknown, binding: ResourceBinding, stored: StoredRecord): unknown {
  const { idField } = binding;
  if (idField === undefined || !Object.hasOwn(stored, idField)) return body;
  const pointer = `${binding.resource.record}${formatPointer([idField])}`;
  const shown = getPointer(body, pointer);
  if (shown === undefined || (typeof shown === 'object' && shown !== null)) return body;
  const copy = structuredClone(body);
  setPointer(copy, pointer, stored[idField]);
  return copy;
}

function planCopy(binding: ResourceBinding, collection: Collection, request: PlanRequest): StateDecision {
  const found = target(binding, collection, request);
  if (!found) return respond(binding, (body) => body);
  if ('kind' in found) return found;
  const copied = mergeRecords(structuredClone(found.stored), incomingRecord(binding, request), binding.idField);
  const duplicate = duplicateOf(binding, collection, request, copied);
  if (duplicate) return duplicate;
  return respond(binding, (body) => {
    const { id, key } = newId(binding, collection, request.validators);
    const copy = stamped(structuredClone(copied), binding, request, true);
    if (binding.idField) copy[binding.idField] = id;
    collection.set(key, copy, request.parent);
    return answerWith(binding, copy, request)(body);
  });
}

function memberIds(binding: ResourceBinding, request: PlanRequest): string[] {
  const members = binding.resource.members!;
  const raw =
    members.parameter !== undefined
      ? (own(request.pathParameters, members.parameter) ?? request.query.get(members.parameter) ?? undefined)
      : getPointer(request.body, members.ids ?? '');
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return list.map((id) => (isObject(id) && id.id !== undefined ? String(id.id) : String(id)));
}

function planMembers(
  binding: ResourceBinding,
  store: Store,
  collection: Collection,
  request: PlanRequest,
): StateDecision {
  const found = target(binding, collection, request);
  if (!found) return respond(binding, (body) => body);
  if ('kind' in found) return found;
  const members = binding.resource.members!;
  const memberCollection = store.collection(members.collection);
  // Members named by an attribute they were sent with (`/members/{username}`) are stored under their keys.
  const ids = memberIds(binding, request).map((id) =>
    binding.memberKeyField === undefined
      ? id
      : (keyed(memberCollection, binding.memberKeyField, request, id, undefined, request.parent) ?? id),
  );
  const adding = binding.resource.action === 'add-members';
  // A path naming one member names a record, as its holder's id does: one not stored is not found,
  // whereas a body's list of ids is a batch that passes over those stored nowhere.
  if (members.parameter !== undefined) {
    const missing = ids.find((id) => memberCollection.get(id, request.parent) === undefined);
    if (missing !== undefined)
      return notStored(binding, binding.resource.notFound?.status ?? '404', members.parameter, missing);
  }
  // An add of one member already there is the documented repeat's answer (200 beside the first add's 201).
  const repeat =
    adding && binding.repeatStatus !== undefined && ids.every((id) => collection.membersOf(found.key).has(id))
      ? { status: binding.repeatStatus }
      : undefined;
  return respond(
    binding,
    (body) => {
      for (const id of ids) {
        if (!adding) collection.removeMember(found.key, id);
        else if (memberCollection.get(id, request.parent) !== undefined) collection.addMember(found.key, id);
      }
      recount(store, binding.resource.collection, found.key);
      if (members.count) return answerWith(binding, collection.get(found.key) ?? found.stored, request)(body);
      // An answer holding the member added shows that member as stored, not the example's record.
      const answered = binding.memberRecord;
      const member = ids.length === 1 ? memberCollection.get(ids[0]!, request.parent) : undefined;
      if (!adding || !answered || !member || !isObject(body)) return body;
      return withRecord(
        body,
        answered.pointer,
        memberShown(recordIn(body, answered.pointer), member, answered.schema, request),
      );
    },
    repeat,
  );
}

/**
 * A member's stored record as the add's answer shows it: the fields its schema there declares and
 * accepts, plus the required ones the record lacks (`added_at`: the membership's), from the answer.
 */
function memberShown(documented: StoredRecord, stored: StoredRecord, schema: JsonSchema, request: PlanRequest) {
  const result = project(stored, schema, undefined, request);
  for (const name of flatten(schema).required ?? [])
    if (!Object.hasOwn(result, name) && Object.hasOwn(documented, name)) result[name] = documented[name];
  return result;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
}

function matches(value: unknown, wanted: string, match: 'equals' | 'contains' | 'prefix' | 'wildcard'): boolean {
  const actual = text(value).toLowerCase();
  const query = wanted.toLowerCase();
  if (match === 'equals') return actual === query;
  if (match === 'contains') return actual.includes(query);
  if (match === 'prefix') return actual.startsWith(query);
  const pattern = new RegExp(`^${query.split('*').map(escapeRegExp).join('.*')}$`, 's');
  return pattern.test(actual);
}

/**
 * The records in the order the list asks for: by the field the `by` parameter names (else the fixed
 * one). Numbers, and texts that are numbers (ids sent as strings), by value, before other texts,
 * compared case aside; records without the field (or with null) last; records equal on the field
 * keep their stored order. An unknown direction value is the default one.
 */
export function sortRecords(records: StoredRecord[], sort: SortExtension, query: URLSearchParams): StoredRecord[] {
  const field = (sort.by !== undefined ? query.get(sort.by) || undefined : undefined) ?? sort.field;
  if (field === undefined) return records;
  const asked = sort.direction !== undefined ? query.get(sort.direction) : null;
  const descending =
    asked === sort.descending ? true : asked === sort.ascending ? false : sort.default === 'descending';
  const keyed = records.map((record) => ({ record, key: sortKey(own(record, field)) }));
  keyed.sort((a, b) => {
    // Missing values stay last whichever the direction; only the values themselves are reversed.
    if (a.key.rank !== b.key.rank) return a.key.rank - b.key.rank;
    if (a.key.rank === MISSING) return 0;
    const compared = a.key.value < b.key.value ? -1 : a.key.value > b.key.value ? 1 : 0;
    return descending ? -compared : compared;
  });
  return keyed.map((k) => k.record);
}

const NUMBER = 0;
const TEXT = 1;
const MISSING = 2;

function sortKey(value: unknown): { rank: number; value: number | string } {
  if (value === undefined || value === null) return { rank: MISSING, value: '' };
  if (typeof value === 'number') return { rank: NUMBER, value };
  const shown = text(value);
  return /^-?\d+(\.\d+)?$/.test(shown)
    ? { rank: NUMBER, value: Number(shown) }
    : { rank: TEXT, value: shown.toLowerCase() };
}

function positiveInteger(text: string | null): number | undefined {
  return text !== null && /^\d+$/.test(text) ? Number(text) : undefined;
}

function planList(binding: ResourceBinding, collection: Collection, request: PlanRequest): StateDecision {
  const { resource } = binding;
  let records = [...collection.values(request.parent)];
  const unfiltered = records.length;
  for (const filter of resource.filters ?? []) {
    // An array parameter (`id=1&id=2`, or `id=1,2` in its style) keeps the records matching any of its values.
    const asked = own(request.parameters, filter.parameter) ?? request.query.get(filter.parameter) ?? undefined;
    const wanted = (Array.isArray(asked) ? asked : [asked])
      .filter((value) => value !== undefined && value !== null)
      .map(text)
      .filter((value) => value !== '');
    if (wanted.length === 0) continue;
    if ('memberOf' in filter) {
      const members = wanted.map((value) => request.membersOf(filter.memberOf, value));
      const idField = binding.idField;
      records = records.filter((r) => idField !== undefined && members.some((m) => m.has(text(own(r, idField)))));
    } else records = records.filter((r) => wanted.some((value) => matches(own(r, filter.field), value, filter.match)));
  }
  if (resource.sort) records = sortRecords(records, resource.sort, request.query);
  const total = records.length;
  const paging = resource.paging;
  let page: number | undefined;
  let size: number | undefined;
  let start = 0;
  if (paging) {
    size =
      (paging.size !== undefined ? positiveInteger(request.query.get(paging.size)) : undefined) ?? paging.defaultSize;
    const offset = paging.offset !== undefined ? positiveInteger(request.query.get(paging.offset)) : undefined;
    // A page before the first is the first, as paginators read it (Laravel's page=0 is page 1).
    page = Math.max(
      (paging.page !== undefined ? positiveInteger(request.query.get(paging.page)) : undefined) ?? paging.firstPage,
      paging.firstPage,
    );
    const cursor = paging.cursor !== undefined ? request.query.get(paging.cursor) : undefined;
    const idField = binding.idField;
    const after = cursor
      ? cursorStart(
          cursor,
          records.map((r) => (idField === undefined ? '' : text(own(r, idField)))),
        )
      : undefined;
    const before = paging.cursorBefore !== undefined ? request.query.get(paging.cursorBefore) : undefined;
    if (before && after === undefined) {
      // The page that ends just before the record named: the one a client paging backwards asks for.
      const end = cursorEnd(
        before,
        records.map((r) => (idField === undefined ? '' : text(own(r, idField)))),
      );
      start = size !== undefined && size > 0 ? Math.max(0, end - size) : 0;
      records = records.slice(start, end);
    } else if (size !== undefined && size > 0) {
      start = after ?? offset ?? Math.max(0, page - paging.firstPage) * size;
      records = records.slice(start, start + size);
    } else if (after !== undefined) {
      start = after;
      records = records.slice(start);
    }
  }
  const count = records.length;
  const pages = size !== undefined && size > 0 ? Math.max(1, Math.ceil(total / size)) : 1;
  return respond(binding, (answered) => {
    const pointer = resource.items ?? '';
    // A list documented by no usable example (`example: null`) is still the stored records.
    const body = answered !== null && typeof answered === 'object' ? answered : pointer === '' ? [] : {};
    const documented = getPointer(body, pointer);
    const template = Array.isArray(documented) && isObject(documented[0]) ? documented[0] : {};
    let sample: unknown;
    const fitting = () => (sample ??= binding.itemSchema ? sampleFrom(binding.itemSchema, 200) : undefined);
    const items = records.map((record) =>
      fitItem(listed(template, record, binding, request), binding, request, fitting),
    );
    let out = withRecord(body, pointer, items);
    if (pointer !== '' && isObject(out)) Object.assign(out, parentFields(binding, request, binding.listSchema));
    if (paging && out !== null && typeof out === 'object') {
      if (paging.total) setPointer(out, paging.total, total);
      if (paging.unfilteredTotal) setPointer(out, paging.unfilteredTotal, unfiltered);
      if (paging.pageField && page !== undefined)
        setPointer(out, paging.pageField, page - paging.firstPage + (paging.pageFieldFirst ?? paging.firstPage));
      if (paging.sizeField && size !== undefined) setPointer(out, paging.sizeField, size);
      // What a page says about where it is, from the same numbers, so a client can page through.
      if (paging.countField) setPointer(out, paging.countField, count);
      if (paging.pagesField) setPointer(out, paging.pagesField, pages);
      if (paging.hasNextField) setPointer(out, paging.hasNextField, start + count < total);
      if (paging.hasPreviousField) setPointer(out, paging.hasPreviousField, start > 0);
      if (paging.fromField) setPointer(out, paging.fromField, count > 0 ? start + 1 : null);
      if (paging.toField) setPointer(out, paging.toField, count > 0 ? start + count : null);
      // The next page's cursor is where it starts; the last page says of none.
      if (paging.nextCursorField) {
        if (start + count < total) setPointer(out, paging.nextCursorField, String(start + count));
        else deletePointer(out, lastPageDrops(binding.listSchema, paging.nextCursorField));
      }
      if (resource.pageUrls && paging.page !== undefined && page !== undefined) {
        const { firstPage, page: parameter } = paging;
        const position = { page: page - firstPage + 1, pages, hasNext: start + count < total };
        const asked = paging.size === undefined ? undefined : request.parameters[paging.size];
        const size: [string, string] | undefined =
          resource.pageUrls.keepSize && asked !== undefined ? [paging.size!, String(asked)] : undefined;
        fillPageUrls(out, resource.pageUrls, position, request.url, (n) =>
          pageUrl(request.url, parameter, n - 1 + firstPage, size),
        );
      }
    } else if (pointer === '') out = items;
    return out;
  });
}

/**
 * A stored record as one item of a list shows it: the item itself, or, where each item is a
 * membership naming its member in an object of its own (`{"user": {...}, "role": ...}`), that object,
 * the rest of the item being what the documented item requires (the membership's own attributes,
 * which no request stored).
 */
function listed(template: StoredRecord, record: StoredRecord, binding: ResourceBinding, request: PlanRequest) {
  const at = binding.itemRecord;
  if (at === undefined) return viewed(shown(template, record, binding.itemSchema, request), binding, request);
  const documented = getPointer(template, at);
  const member = shown(isObject(documented) ? documented : {}, record, schemaAt(binding.itemSchema, at), request);
  const item: StoredRecord = {};
  for (const name of binding.itemSchema ? (flatten(binding.itemSchema).required ?? []) : []) {
    if (Object.hasOwn(template, name)) item[name] = structuredClone(template[name]);
  }
  setPointer(item, at, viewed(member, binding, request));
  return item;
}

/**
 * An item that breaks the item schema (a field stored as the request sent it, which the answer shows
 * in another shape) is repaired on its own: one such record must not turn the whole list into the
 * documented example.
 */
function fitItem(item: unknown, binding: ResourceBinding, request: PlanRequest, fitting: () => unknown): unknown {
  const schema = binding.itemSchema;
  if (!schema || !isObject(item)) return item;
  const validate = request.validators.get(schema, request.rules, 'response');
  if (validate(item)) return item;
  // One value made from the schema serves every item of the page that needs one (blend copies it).
  const made = fitting();
  const view = { record: binding.itemRecord ?? '', idField: binding.idField };
  return validate(made) ? blend(made, item, view, validate) : item;
}

const pageUrl = (url: string, parameter: string, page: number, size?: [string, string]): string =>
  `${url}?${new URLSearchParams([...(size ? [size] : []), [parameter, String(page)]])}`;

/**
 * The page's own URLs (pages counted from 1 here): first, last, previous and next (null where no
 * such page is), the URL without a query, and the list of `{url, label, active}` entries: previous,
 * every page, or when there are many the first two, the pages around this one and the last two with
 * `...` entries between, then next.
 */
function fillPageUrls(
  out: object,
  urls: PageUrlsExtension,
  { page, pages, hasNext }: { page: number; pages: number; hasNext: boolean },
  path: string,
  urlOf: (page: number) => string,
): void {
  const previous = page > 1 ? urlOf(page - 1) : null;
  const next = hasNext ? urlOf(page + 1) : null;
  if (urls.first) setPointer(out, urls.first, urlOf(1));
  if (urls.last) setPointer(out, urls.last, urlOf(pages));
  if (urls.previous) setPointer(out, urls.previous, previous);
  if (urls.next) setPointer(out, urls.next, next);
  if (urls.path) setPointer(out, urls.path, path);
  if (urls.pages && urls.list) {
    const { previousLabel, nextLabel, onEachSide } = urls.list;
    const entries = pageWindow(page, pages, onEachSide).map((n) =>
      n === undefined
        ? { url: null, label: '...', active: false }
        : { url: urlOf(n), label: String(n), active: n === page },
    );
    setPointer(out, urls.pages, [
      { url: previous, label: previousLabel, active: false },
      ...entries,
      { url: next, label: nextLabel, active: false },
    ]);
  }
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** The page numbers a page list shows, `undefined` for a gap; every page when there are few. */
export function pageWindow(page: number, pages: number, onEachSide: number): (number | undefined)[] {
  if (pages < onEachSide * 2 + 8) return range(1, pages);
  const window = onEachSide + 4;
  if (page <= window) return [...range(1, window + onEachSide), undefined, pages - 1, pages];
  if (page > pages - window) return [1, 2, undefined, ...range(pages - (window + onEachSide - 1), pages)];
  return [1, 2, undefined, ...range(page - onEachSide, page + onEachSide), undefined, pages - 1, pages];
}

/**
 * The parent the named path parameters give, each as the one value it spells (`/contacts/08/notes`
 * is contact 8's; a UUID is one in either case, with or without hyphens); '' for none.
 */
function parentKey(
  names: readonly string[],
  parameters: Readonly<Record<string, unknown>>,
  pathParameters: Readonly<Record<string, string>>,
): string {
  if (names.length === 0) return '';
  return JSON.stringify(
    names.map((name) => {
      const value = own(parameters, name);
      if (typeof value === 'number') return String(value);
      return storedKey(own(pathParameters, name) ?? '', 'uuid');
    }),
  );
}

/** The parent the request names: its parent path parameters' values. */
function parentOf(binding: ResourceBinding, request: StateRequest): string {
  return parentKey(binding.parentParameters ?? [], request.parameters, request.pathParameters);
}

/**
 * The not-found answer for the first parent the request's path names that is not stored under its
 * own parents (`/contacts/99/notes`; `/orgs/2/projects/1/tasks` for org 1's project), of any
 * operation, state-bound or not.
 */
export function missingParent(
  operation: Operation,
  parents: readonly StoredParent[] | undefined,
  binding: ResourceBinding | undefined,
  store: Store,
  request: Pick<StateRequest, 'parameters' | 'pathParameters'>,
): StateDecision | undefined {
  if (!parents?.length) return undefined;
  const names = parentParameters(operation.path);
  for (const { parameter, collection, idKind, keyField, status } of parents) {
    const raw = own(request.pathParameters, parameter);
    if (raw === undefined) continue;
    const above = names.slice(0, Math.max(0, names.indexOf(parameter)));
    const scope = parentKey(above, request.parameters, request.pathParameters);
    const held = store.existing(collection);
    const key =
      keyField === undefined ? storedKey(raw, idKind) : held && keyed(held, keyField, request, raw, parameter, scope);
    if (key === undefined || held?.get(key, scope) === undefined)
      return notStored(binding, status === '4XX' ? '404' : status, parameter, raw);
  }
  return undefined;
}

export function planState(binding: ResourceBinding, store: Store, asked: StateRequest): StateDecision {
  const collection = store.collection(binding.resource.collection);
  // Records of other collections are looked up under the same parent: an account's contacts join its groups.
  const parent = parentOf(binding, asked);
  const request: PlanRequest = {
    ...asked,
    related: (record, shownAs = record) => withRelated(record, shownAs, binding, store, parent),
    unrelated: (record, before) => unrelatedOf(record, before, binding, store, parent),
    memberCount: store.memberCount(binding.resource.collection),
    parent,
    join: (key, incoming) => joinGroups(store, binding, key, incoming, parent),
    rejoin: (key, record, whole) => rejoinGroups(store, binding, key, record, whole, parent),
    storable: (record) => withRelated(record, record, binding, store, parent, true),
    membersOf: (groups, key) => {
      const collection = store.existing(groups);
      if (!collection) return NO_MEMBERS;
      // `08204` names group 8204 of integer ids, as an id parameter does; a text id is taken as it is.
      const numeric = /^-?\d+$/.test(key) ? String(Number(key)) : key;
      if (collection.get(key, parent) !== undefined) return collection.membersOf(key);
      return collection.get(numeric, parent) !== undefined ? collection.membersOf(numeric) : NO_MEMBERS;
    },
  };
  switch (binding.resource.action) {
    case 'create':
      return planCreate(binding, collection, request);
    case 'read':
      return planRead(binding, collection, request);
    case 'list':
      return planList(binding, collection, request);
    case 'update':
      return planUpdate(binding, collection, request);
    case 'replace':
      return planReplace(binding, collection, request);
    case 'delete':
      return planDelete(binding, store, collection, request);
    case 'copy':
      return planCopy(binding, collection, request);
    case 'add-members':
    case 'remove-members':
      return planMembers(binding, store, collection, request);
  }
}
