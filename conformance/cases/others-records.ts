/**
 * On a target that holds records the run did not make (`--live`, or any target not on loopback), a
 * request that changes records goes out only when the records it names are the run's own: an id a
 * create of the run answered, or the value the config gives (`parameters:`, the user's own account).
 * A documented example's id (`DELETE /contacts/42`, `PATCH /contacts?id=42`, `/contacts/42:archive`),
 * a boundary or a malformed one a lenient server may read as a number (`1.5`) could be anyone's
 * record; so could every record a DELETE on a whole collection reaches (`DELETE /lists?ids=1,2`,
 * `DELETE /accounts/{accountId}/contacts`), unless the ids it names (its body's id, or list of ids)
 * are bound to records the run made. A made-up id known to name nothing goes out after a read said
 * so (stateful.ts); reads are never held back.
 */

import { isObject } from '../../lib/json.js';
import { escapeToken } from '../../lib/json-pointer.js';
import { linkedParameters } from '../../lib/links.js';
import { plainName, resourceModel } from '../../lib/resources.js';
import { isSuccessStatus } from '../../lib/responses.js';
import {
  collectionNamedBy,
  keyNamedByParameter,
  lastSegment,
  listOfScalars,
  restCollections,
  templateNames,
} from '../../lib/rest-shape.js';
import { flatten, jsonEqual, mainType, patternRegExp } from '../../lib/schema.js';
import type { Operation, Spec } from '../../lib/spec.js';
import { objectProperties } from '../../lib/wire.js';
import type { LinkedValue, PlannedRequest, TestCase, WireValue } from '../types.js';

const SAFE_METHODS = new Set(['get', 'head', 'options', 'trace']);

/** A name for a record's id, or a list of them: `id`, `contact_id`, `listIds`, `uuid`. */
const idNamed = (name: string): boolean =>
  /(^|[^a-zA-Z0-9])(ids?|uuids?|guids?)$/i.test(name) || /[a-z0-9](Ids?|IDs?|Uuids?|UUIDs?|Guids?|GUIDs?)$/.test(name);

/** Single values, or a list of them: what an id, or a list of ids, is written as. */
const idValues = (member: unknown): boolean =>
  typeof member !== 'object' ||
  member === null ||
  (Array.isArray(member) && member.length > 0 && member.every((item) => typeof item !== 'object' || item === null));

/**
 * Whether a body's member names records, by its name and value: the one reading of a body both its
 * readers share, the hold on a change to others' records (othersRecordReason) and the excuse of a
 * valid case refused for naming none (unmadeBodyIds). A member names records by an id's name (`id`,
 * `contact_id`, `listIds`), by a name records go by (`names`: a create's own id, `ContactID` of
 * `/Contacts/{ContactID}`, or its plural, `usernames`), or as a list of single values named for a
 * collection (`lists`: `emails` beside `/user/emails`, ids whatever the name says). Below the top of
 * a record's own body (`deep: 'id'`: a create's, or a write to the record its path ends in), members
 * named like ids are its attributes (`addresses.weChatUserId`): only an `id`, or a name records go
 * by, names one there.
 */
function namesRecords(
  name: string,
  member: unknown,
  names: ReadonlySet<string>,
  lists: ReadonlySet<string>,
  deep: 'id' | 'any' = 'any',
): boolean {
  const plain = plainName(name);
  const goneBy = names.has(plain) || (plain.endsWith('s') && names.has(plain.slice(0, -1)));
  if (deep === 'id') return name === 'id' || goneBy;
  return (
    idNamed(name) || goneBy || (lists.has(plain) && Array.isArray(member) && member.length > 0 && idValues(member))
  );
}

/** Whether the path ends in a record it names (`/contacts/{id}`, not `/contacts/{id}/merge`), a selector aside. */
function namesItem(operation: Operation): boolean {
  const named = templateNames(operation.path).filter((name) => !selector(operation, name));
  return named.length > 0 && endsWith(operation.path, named.at(-1)!);
}

type Named = 'made' | 'yours' | 'nothing' | 'guessed';

/** Why a case must not go to a target holding others' records, or undefined when it may. */
export function othersRecordReason(testCase: Omit<TestCase, 'seq'>, spec: Spec): string | undefined {
  const { operation, request, stateful } = testCase;
  const method = operation.method.toLowerCase();
  if (SAFE_METHODS.has(method) || stateful?.rule === 'unknown-id') return undefined;
  const verb = method.toUpperCase();
  const refused = `not sent to a target holding others' records`;
  // Every path parameter names a record (`{id}`, `{id}.json`, `{id}:archive`), but one that only picks
  // among fixed values (a format, a version).
  const named = templateNames(operation.path)
    .filter((name) => !selector(operation, name))
    .map((name) => [name, naming(operation, name, request.pathParams[name])] as const);
  const guessed = named.find(([, kind]) => kind === 'guessed')?.[0];
  if (guessed !== undefined) {
    const parent = testCase.kind !== 'negative' && !endsWith(operation.path, guessed);
    const yours = parent ? " (give yours in the config's parameters:)" : '';
    return `${verb} names a record the run did not make by ${guessed}${shown(request.pathParams[guessed])}: ${refused}${yours}`;
  }
  const query = Object.entries(request.query).find(
    ([name, value]) => idNamed(name) && naming(operation, name, value, 'query') === 'guessed',
  )?.[0];
  if (query !== undefined)
    return `${verb} names a record the run did not make by ?${query}${shown(request.query[query])}: ${refused}`;
  // Left out, the id a change is told its record by may leave a lenient server changing them all.
  const unnamed =
    named.length === 0 && method !== 'post'
      ? operation.parameters.find((p) => p.in === 'query' && idNamed(p.name) && request.query[p.name] === undefined)
      : undefined;
  if (unnamed)
    return `${verb} ${operation.path} without its ?${unnamed.name} may change records the run did not make: ${refused}`;
  const made = named.some(([, kind]) => kind === 'made') || Object.values(request.query).some(linked);
  // The path names the run's record or yours: what the body adds to it is scoped by it, but not
  // what it points at elsewhere (`{"into": {"id": ...}}`), which must be the run's or yours too.
  const scoped = made || named.some(([, kind]) => kind === 'yours');
  const yours = givenValues(operation);
  // A create's top-level ids (a template it starts from, an owner) are read, not changed; an action
  // that only looks like one (`POST /contacts/merge`, `/gdpr-delete`) changes what they name.
  // A create's own attributes (an owner, a template it starts from: what its record answers) are read,
  // not changed; what it only takes (`POST /merges {"primaryId"}`) names what it acts on.
  const creates = makesRecords(operation, spec);
  // Only the record itself (`PUT /persons/{id}`) scopes the body: an action on it (`PUT
  // /persons/{id}/merge {"merge_with_id"}`) may name a second record, which must be the run's too.
  const item = namesItem(operation);
  const top: TopIds = scoped && item ? 'none' : scoped || method === 'post' || creates ? 'foreign' : 'all';
  const answered = creates ? answeredNames(operation, spec) : undefined;
  const own = creates ? ownIdNames(operation, spec) : undefined;
  // Deeper down, a record written (a create's, or the one the path names) has attributes named like
  // ids (`addresses.weChatUserId`): only an `id` of its own names a record there.
  const deep = (scoped && item) || creates ? 'id' : 'any';
  const body = unboundBodyId(request, top, deep, yours, answered, own, creates ? undefined : collectionNames(spec));
  if (body !== undefined) return `${verb} names a record the run did not make by ${body} in its body: ${refused}`;
  const boundIds = request.bodyId !== undefined || request.bodyRefs?.some((ref) => ref.items) === true;
  if (method === 'delete' && !item && !made && !boundIds)
    return `${verb} ${operation.path} may remove records the run did not make: ${refused}`;
  // A request that names no record in its path or by an id in its query, and is told none of the
  // run's (no binding, no link), acts on what is already there: a singleton (`PUT /settings`), whatever an action finds (`POST
  // /subscribers/query/delete`), the whole service (`POST /admin/reload`).
  const addresses =
    (resourceModel(spec).get(operation.operationId)?.resource.action ?? 'list') !== 'list' ||
    (linkedParameters(spec).get(operation.operationId)?.length ?? 0) > 0 ||
    Object.keys(request.query).some((name) => idNamed(name));
  if (named.length === 0 && !addresses && !creates && !boundIds && !request.bodyRefs?.length)
    return `${verb} ${operation.path} names no record the run made and makes none, so it may change others' records: ${refused}`;
  return undefined;
}

/** Whether the operation is a POST that makes records of a collection (createsRecords). */
export function makesRecords(operation: Operation, spec: Spec): boolean {
  return operation.method.toLowerCase() === 'post' && createsRecords(operation, spec);
}

/**
 * Whether a POST makes records of a collection: its `x-resource` says so (a create, a copy), or the REST shape does and
 * the collection has records to read, change or list (`/contacts` with `/contacts/{id}`), which an
 * action answering a record (`/contacts/merge`) has not.
 */
function createsRecords(operation: Operation, spec: Spec): boolean {
  if (operation.resource) return operation.resource.action === 'create' || operation.resource.action === 'copy';
  // A POST whose body lists members to add (`{"members": [...]}`) makes no record of its own.
  const action = resourceModel(spec).get(operation.operationId)?.resource.action;
  if (action === 'add-members' || action === 'remove-members') return false;
  const collection = restCollections(spec).find((c) => c.create === operation);
  if (collection === undefined || (collection.items.length === 0 && collection.list === undefined)) return false;
  // An answer of single values alone (a contact's labels, `{"payload": ["vip"]}`) holds no record.
  const schema = operation.responses
    .find((r) => isSuccessStatus(r.status))
    ?.content.find((m) => m.schema !== undefined)?.schema;
  if (schema === undefined) return true;
  const properties = objectProperties(schema);
  if (properties !== undefined) return !Object.values(properties).every(listOfScalars);
  const type = mainType(flatten(schema));
  return !listOfScalars(schema) && (type === undefined || type === 'object' || type === 'array');
}

/** Whether the path's last segment is (or is written around) the parameter: `/contacts/{id}`, `/files/{id}.json`. */
function endsWith(path: string, name: string): boolean {
  const last =
    path
      .replace(/[#?].*$/, '')
      .replace(/\/+$/, '')
      .split('/')
      .at(-1) ?? '';
  return last.includes(`{${name}}`);
}

/** A parameter whose schema allows only fixed values names no record: it picks among them. */
function selector(operation: Operation, name: string): boolean {
  const parameter = operation.parameters.find((p) => p.in === 'path' && p.name === name);
  const flat = parameter ? flatten(parameter.schema) : undefined;
  return flat !== undefined && (flat.const !== undefined || (Array.isArray(flat.enum) && flat.enum.length > 0));
}

function naming(
  operation: Operation,
  name: string,
  value: WireValue | LinkedValue | undefined,
  location: 'path' | 'query' = 'path',
): Named {
  if (value === undefined) return 'nothing';
  if ('sourceOperationId' in value) return 'made';
  const parameter = operation.parameters.find((p) => p.in === location && p.name === name);
  const written = 'text' in value ? value.text : value.value;
  if (parameter?.given === true && 'value' in value && jsonEqual(parameter.example, value.value)) return 'yours';
  return parameter && namesNothing(parameter.schema, written) ? 'nothing' : 'guessed';
}

/**
 * Whether a value cannot name a record however leniently a server reads it: for a numeric id, text
 * with no number to start with (`not-a-number`, where `1.5` or `7abc` may be read as 1 or 7); for a
 * text id, one no reading of which (trimmed, in either case, a UUID without its hyphens) fits the
 * vendor's own format, pattern or length (an inferred rule may be wrong, and proves nothing).
 */
function namesNothing(schema: Operation['parameters'][number]['schema'], written: unknown): boolean {
  const flat = flatten(schema);
  const type = mainType(flat);
  if (type === 'integer' || type === 'number')
    return typeof written === 'string' && written.trim() !== '' && !/^\s*[+-]?(\d|\.\d)/.test(written);
  if (typeof written !== 'string') return false;
  const inferred = inferredKeywords(schema);
  const vendors = (keyword: string): boolean => !inferred.has(keyword);
  const text = written.trim();
  const readings = [text, text.toLowerCase(), text.toUpperCase()];
  if (flat.format === 'uuid' && vendors('format') && !/^[0-9a-f]{32}$/i.test(text.replace(/^urn:uuid:|[-{}]/gi, '')))
    return true;
  const pattern = flat.pattern === undefined || !vendors('pattern') ? undefined : regExp(flat.pattern);
  if (pattern && !readings.some((reading) => pattern.test(reading))) return true;
  const length = [...text].length;
  return (
    (flat.minLength !== undefined && vendors('minLength') && length < flat.minLength) ||
    (flat.maxLength !== undefined && vendors('maxLength') && length > flat.maxLength)
  );
}

/** The keywords an `x-inferred` mark names on the schema or any of its `allOf` members. */
function inferredKeywords(schema: unknown, out = new Set<string>()): Set<string> {
  if (!isObject(schema)) return out;
  if (isObject(schema['x-inferred'])) for (const keyword of Object.keys(schema['x-inferred'])) out.add(keyword);
  if (Array.isArray(schema.allOf)) for (const member of schema.allOf) inferredKeywords(member, out);
  return out;
}

function regExp(pattern: string): RegExp | undefined {
  try {
    return patternRegExp(pattern);
  } catch {
    return undefined;
  }
}

/** An id the client gives a record of its own (`external_id`, `clientReferenceId`), not one naming the server's. */
const OWN_ID = /^(external|idempotency|correlation|client_?reference)/i;

/**
 * Which of a body's id-named top-level members name records: every one (`all`), all but the ids a
 * client gives its own records and those a created record answers as its own (`foreign`: a create may
 * carry its `external_id`, its `ownerId`), or none (`none`: the path names the record the body is
 * about). A reference deeper down is looked at in every case.
 */
export type TopIds = 'all' | 'foreign' | 'none';

function unboundBodyId(
  request: PlannedRequest,
  top: TopIds,
  deep: 'id' | 'any',
  yours: ReadonlySet<string>,
  answered?: ReadonlySet<string>,
  own?: ReadonlySet<string>,
  lists?: ReadonlySet<string>,
): string | undefined {
  // A body sent as text (under another Content-Type) is still JSON to a lenient server.
  const value = request.body?.kind === 'raw' ? parsed(request.body.text) : request.body?.value;
  const bound = [request.bodyId?.pointer, ...(request.bodyRefs ?? []).map((ref) => ref.pointer)].filter(
    (p) => p !== undefined,
  );
  return bodyNamesOthers(value, top, deep, yours, bound, answered, own, lists);
}

const collectionNamesBySpec = new WeakMap<Spec, ReadonlySet<string>>();

/**
 * The spec's collections by the last word of their paths (`contacts` for `/contacts`), compared
 * without case or separators: in an action's body, a list of single values so named lists records.
 */
function collectionNames(spec: Spec): ReadonlySet<string> {
  let names = collectionNamesBySpec.get(spec);
  if (!names) {
    const paths = [
      ...restCollections(spec).map((c) => c.path),
      ...[...resourceModel(spec).values()].map((b) => b.resource.collection),
    ];
    names = new Set(paths.map((path) => plainName(lastSegment(path))).filter((n) => n !== ''));
    collectionNamesBySpec.set(spec, names);
  }
  return names;
}

/** The top-level members of the record a create answers: what it keeps of what it is sent. */
/**
 * The names a create's records carry their own id by (`id`, Xero's `ContactID`: the record's id
 * member, the parameter its item paths take): sent with a value the run did not make, they ask for
 * an existing record, which an upsert (`POST /Contacts`, "updates or creates") then changes.
 */
function ownIdNames(operation: Operation, spec: Spec): ReadonlySet<string> {
  const names = new Set<string>();
  const binding = resourceModel(spec).get(operation.operationId);
  if (binding?.idField) names.add(plainName(binding.idField));
  if (operation.resource?.id) names.add(plainName(operation.resource.id));
  const collection = restCollections(spec).find((c) => c.create === operation);
  for (const item of collection?.items ?? []) names.add(plainName(item.idParameter));
  // A text the records are named by and the run sends (an email) is stamped the run's own, not a guess.
  const sentKey = collection?.sentKey?.split('/')[1];
  if (sentKey !== undefined && stampedText(operation, sentKey)) names.delete(plainName(sentKey));
  // So is one the create's answer echoes as the id (`{"list": {"address"}}` of `/lists/{list_address}`):
  // the client names the record, with the text the run stamps its own.
  const schema = operation.requestBody?.content[0]?.schema;
  const sent = Object.keys(schema ? (objectProperties(schema) ?? {}) : {});
  const key =
    binding?.idField === undefined ? undefined : sent.find((n) => plainName(n) === plainName(binding.idField!));
  if (
    key !== undefined &&
    (collection?.items ?? []).some((item) => keyNamedByParameter(item.idParameter, key)) &&
    stampedText(operation, key)
  )
    names.delete(plainName(key));
  return names;
}

/** Whether the create's body writes the property as text the run stamps with its own values. */
function stampedText(operation: Operation, name: string): boolean {
  const schema = operation.requestBody?.content[0]?.schema;
  const property = schema ? objectProperties(schema)?.[name] : undefined;
  if (property === undefined) return false;
  const flat = flatten(property);
  // A pattern, a set of values, a format other than an email's or too little room leave no stamp to
  // write: the value would be a guess that may be someone's.
  return (
    mainType(flat) === 'string' &&
    flat.pattern === undefined &&
    flat.enum === undefined &&
    flat.const === undefined &&
    (flat.format === undefined || flat.format === 'email') &&
    (flat.maxLength === undefined || flat.maxLength >= 12)
  );
}

function answeredNames(operation: Operation, spec: Spec): ReadonlySet<string> {
  const record = resourceModel(spec).get(operation.operationId)?.recordSchema;
  return new Set(Object.keys(record ? (objectProperties(record) ?? {}) : {}));
}

/**
 * Where a body that writes the run's own record (a lifecycle's create, or an update of a record the
 * path names) names a record the run did not make, as a pointer, if it does: what a target holding
 * others' records would hold the request back for.
 */
export function writtenNamesOthers(operation: Operation, spec: Spec, value: unknown): string | undefined {
  const creates = makesRecords(operation, spec);
  const found = creates
    ? bodyNamesOthers(
        value,
        'foreign',
        'id',
        new Set(),
        [],
        answeredNames(operation, spec),
        ownIdNames(operation, spec),
      )
    : bodyNamesOthers(value, 'none', 'id');
  return found === undefined || found.startsWith('/') ? found : `/${escapeToken(found)}`;
}

const pathNamesBySpec = new WeakMap<Spec, ReadonlySet<string>>();

/** The spec's path parameter names, compared without case or separators: what names a record of it. */
function recordNames(spec: Spec): ReadonlySet<string> {
  let names = pathNamesBySpec.get(spec);
  if (!names) {
    names = new Set(
      spec.operations.flatMap((op) => op.parameters.filter((p) => p.in === 'path').map((p) => plainName(p.name))),
    );
    pathNamesBySpec.set(spec, names);
  }
  return names;
}

/**
 * The names the operation's own records go by (`username` of `POST /users` beside
 * `/users/{username}`, the operation's own path parameters), compared without case or separators: a
 * body's value of one is the record's own, not a reference to another's.
 */
const ownNamesByOperation = new WeakMap<Operation, ReadonlySet<string>>();

function ownRecordNames(operation: Operation, spec: Spec): ReadonlySet<string> {
  let known = ownNamesByOperation.get(operation);
  if (!known) ownNamesByOperation.set(operation, (known = findOwnRecordNames(operation, spec)));
  return known;
}

function findOwnRecordNames(operation: Operation, spec: Spec): ReadonlySet<string> {
  const names = new Set(operation.parameters.filter((p) => p.in === 'path').map((p) => plainName(p.name)));
  const model = resourceModel(spec);
  const binding = model.get(operation.operationId);
  for (const name of [binding?.idField, binding?.resource.idParameter, binding?.resource.id])
    if (name !== undefined) names.add(plainName(name));
  for (const [, other] of model) {
    if (binding && other.resource.collection === binding.resource.collection && other.resource.idParameter)
      names.add(plainName(other.resource.idParameter));
  }
  for (const collection of restCollections(spec)) {
    if (collection.create !== operation && !collection.items.some((item) => item.operation === operation)) continue;
    for (const item of collection.items) names.add(plainName(item.idParameter));
  }
  return names;
}

/**
 * Where a valid body names a record the run did not make, read as a change's body is read for others'
 * records (namesRecords): an id-named member (`primary_email_address_id`, `user_id`, `filter.ids`),
 * one named as the spec's paths name records (`ContactID` of `/Contacts/{ContactID}`, or a list of
 * them), or a list named for a collection (`DELETE /user/emails {"emails": [...]}`), at any depth,
 * holding a value or a list of values the run did not bind to a record of its own and the config does
 * not give. Such a value is made up: a correct server may refuse the case for naming nothing.
 */
export function unmadeBodyIds(operation: Operation, request: PlannedRequest, spec: Spec): string | undefined {
  if (request.body?.kind !== 'value') return undefined;
  const { own, names, lists, deep, yours } = excuseReading(operation, spec);
  // The record's own id the path names it by is the path's, which the run made or was given.
  const bound = [
    request.bodyId?.pointer,
    request.keyFromPath?.pointer,
    ...(request.bodyRefs ?? []).map((ref) => ref.pointer),
  ].filter((p) => p !== undefined);
  // A member read as naming records by its id-like name alone excuses a refusal only where it names
  // a collection of the spec (`user_id` beside `/users`), or a write to a record its path names sends
  // it (a user's `primary_email_address_id`): a create or an event elsewhere may carry ids the client
  // mints itself (`userId`, `messageId` of a tracked event), which name nothing a server looks up.
  const excusable = (key: string, member: unknown): boolean =>
    namesRecords(key, member, names, lists, 'id') ||
    (lists.has(plainName(key)) && Array.isArray(member)) ||
    namesItem(operation) ||
    collectionNamedBy(spec, key) !== undefined;
  const stack: [unknown, string, number][] = [[request.body.value, '', 0]];
  while (stack.length > 0) {
    const [node, pointer, depth] = stack.pop()!;
    if (node === null || typeof node !== 'object' || depth > 8) continue;
    for (const [key, member] of Array.isArray(node) ? node.entries() : Object.entries(node)) {
      const at = `${pointer}/${escapeToken(String(key))}`;
      if (bound.some((b) => at === b || at.startsWith(`${b}/`))) continue;
      // The record's own key is its own at the top (`username` of a user): a server makes the record
      // it names, never refuses it for naming none. Named as an id (`user_id` of a membership whose
      // item path takes it), it is another record's. An id a client gives its own record
      // (`external_id`) is never looked up.
      const named =
        typeof key === 'string' &&
        namesRecords(key, member, names, lists, depth === 0 ? 'any' : deep) &&
        !OWN_ID.test(key) &&
        !(depth === 0 && own.has(plainName(key)) && !idNamed(key)) &&
        excusable(key, member);
      if (named && idValues(member) && unbound(at, member, bound, yours)) return at;
      stack.push([member, at, depth + 1]);
    }
  }
  return undefined;
}

interface ExcuseReading {
  /** The names the operation's own record goes by (ownRecordNames). */
  own: ReadonlySet<string>;
  /** The names the spec's paths name records by (recordNames). */
  names: ReadonlySet<string>;
  /** The collections a list in the body names records of (listedCollections). */
  lists: ReadonlySet<string>;
  /** How a member below the top is read (namesRecords): a record's own body holds attributes there. */
  deep: 'id' | 'any';
  /** The values the config gives (givenValues). */
  yours: ReadonlySet<string>;
}

const excuseReadings = new WeakMap<Operation, ExcuseReading>();

/** How unmadeBodyIds reads the operation's bodies: the same for every case of it. */
function excuseReading(operation: Operation, spec: Spec): ExcuseReading {
  let reading = excuseReadings.get(operation);
  if (!reading) {
    reading = {
      own: ownRecordNames(operation, spec),
      names: recordNames(spec),
      lists: listedCollections(operation, spec),
      deep: makesRecords(operation, spec) || namesItem(operation) ? 'id' : 'any',
      yours: givenValues(operation),
    };
    excuseReadings.set(operation, reading);
  }
  return reading;
}

/** The values the config gives the operation's parameters (`parameters:`, your own account): records known to exist. */
function givenValues(operation: Operation): ReadonlySet<string> {
  return new Set(operation.parameters.filter((p) => p.given === true).map((p) => JSON.stringify(p.example)));
}

/**
 * The collections a list in the operation's body names records of (collectionNames): none in a
 * create's body, whose lists are what its record holds, nor the one a write to its path adds to
 * (`POST /user/emails {"emails": [...]}` adds the addresses it lists, where a DELETE names those it
 * removes).
 */
function listedCollections(operation: Operation, spec: Spec): ReadonlySet<string> {
  if (makesRecords(operation, spec)) return new Set();
  const all = collectionNames(spec);
  if (operation.method.toLowerCase() === 'delete') return all;
  const path = plainName(lastSegment(operation.path));
  return all.has(path) ? new Set([...all].filter((name) => name !== path)) : all;
}

/**
 * Where a JSON body names a record neither the run made (`bound`: the pointers it filled with records
 * of its own) nor the config gives (`yours`): an id-named top-level member (as `top` says; a create's
 * `own` id names are never its mere attributes), or, at any depth, the `id` (or an `own` id name) of
 * an object in it (`{"into": {"id": ...}}`, a batch's `{"id", "properties"}`, Xero's `Contacts[].ContactID`).
 */
export function bodyNamesOthers(
  value: unknown,
  top: TopIds,
  deep: 'id' | 'any',
  yours: ReadonlySet<string> = new Set(),
  bound: readonly string[] = [],
  answered: ReadonlySet<string> = new Set(),
  own: ReadonlySet<string> = new Set(),
  lists: ReadonlySet<string> = new Set(),
): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const free = (pointer: string, member: unknown): boolean => unbound(pointer, member, bound, yours);
  if (top !== 'none' && Array.isArray(value) && idValues(value) && free('', value)) return '/';
  if (top !== 'none' && !Array.isArray(value)) {
    const named = Object.entries(value).find(
      ([name, member]) =>
        namesRecords(name, member, own, lists) &&
        !(top === 'foreign' && (OWN_ID.test(name) || (answered.has(name) && !own.has(plainName(name))))) &&
        free(`/${escapeToken(name)}`, member),
    );
    if (named) return named[0];
  }
  const stack: [unknown, string, number][] = [[value, '', 0]];
  while (stack.length > 0) {
    const [node, pointer, depth] = stack.pop()!;
    if (node === null || typeof node !== 'object' || depth > 8) continue;
    // Deeper down, an object's `id` names a record (`{"into": {"id"}}`, a batch's `{"id", "properties"}`);
    // with `deep: 'any'` (an action's body: no record of its own), so does any id-named member
    // (`contactId`, `filter.ids`).
    if (!Array.isArray(node) && depth > 0) {
      const named = Object.entries(node).find(
        ([name, member]) =>
          namesRecords(name, member, own, lists, deep) &&
          idValues(member) &&
          free(`${pointer}/${escapeToken(name)}`, member),
      );
      if (named) return `${pointer}/${escapeToken(named[0])}`;
    }
    const entries = Array.isArray(node)
      ? node.map((item, i): [string, unknown] => [String(i), item])
      : Object.entries(node);
    for (const [key, member] of entries) stack.push([member, `${pointer}/${escapeToken(key)}`, depth + 1]);
  }
  return undefined;
}

/**
 * Whether a member holds a value (not null) neither the run filled with a record of its own (`bound`:
 * the pointers it wrote them at) nor the config gives (`yours`).
 */
function unbound(pointer: string, member: unknown, bound: readonly string[], yours: ReadonlySet<string>): boolean {
  return (
    member !== null &&
    member !== undefined &&
    !bound.some((b) => pointer === b || pointer.startsWith(`${b}/`)) &&
    !yours.has(JSON.stringify(member))
  );
}

function parsed(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function shown(value: WireValue | LinkedValue | undefined): string {
  const written = value && 'text' in value ? value.text : value && 'value' in value ? value.value : undefined;
  return written === undefined ? '' : ` (${JSON.stringify(written)})`;
}

/** Whether a parameter is filled with a record a create of the run answered. */
const linked = (value: WireValue | LinkedValue | undefined): boolean =>
  value !== undefined && 'sourceOperationId' in value;
