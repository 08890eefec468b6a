/**
 * What the REST shape of a spec says when no `links` or `x-resource` do: `POST /things` creates a
 * thing, and `GET|PUT|PATCH|DELETE /things/{id}` (and a `POST` with a body there) act on the thing
 * whose id the create's answer carries. The mock keeps state by it and the runner feeds created ids by it.
 */

import { isDeepStrictEqual } from 'node:util';
import { appendPointer, parsePointer } from './json-pointer.js';
import type { JsonSchema } from './json-schema.js';
import { coversJson, isFormMediaType } from './media-type.js';
import { escapeRegExp } from './regexp.js';
import { isSuccessStatus } from './responses.js';
import { flatten, mainType } from './schema.js';
import type { Operation, Response, Spec } from './spec.js';
import { objectProperties, schemaAt } from './wire.js';

/** The names of a path template's parameters, in the order the path names them (a `#` or `?` suffix names none). */
export const templateNames = (path: string): string[] =>
  [...path.replace(/[#?].*$/, '').matchAll(/\{([^}]+)\}/g)].map((match) => match[1]!);

/** The last word of a collection's path (`contacts` of `/v1/contacts/`), lower-cased. */
export const lastSegment = (path: string): string => path.replace(/\/+$/, '').split('/').at(-1)?.toLowerCase() ?? '';

/** A name compared without case or separators: `conversation_sid`, `ConversationSid` and `conversationSid` are one. */
export const plainName = (name: string): string => name.replace(/[^A-Za-z0-9]/g, '').toLowerCase();

/**
 * The path a collection made under a parent's record (`/orgs/{org}/teams`) would have at the top
 * (`/teams`), where its records are read there: no create makes records at that path itself, and
 * no other collection would be read there too.
 */
function flatPathOf(spec: Spec, path: string): string | undefined {
  const flat = withoutParent(path);
  if (flat === undefined) return undefined;
  const creates = spec.operations.filter((op) => op.method === 'post' && !restShape(op.path).idParameter);
  if (creates.some((op) => templateKey(op.path) === templateKey(flat))) return undefined;
  const alike = creates.filter((op) => op.path !== path && withoutParent(op.path) === flat);
  return alike.length === 0 ? flat : undefined;
}

/** `/orgs/{org}/teams` without its parent: `/teams`; undefined for a path under no parent's record. */
function withoutParent(path: string): string | undefined {
  return lastParent(path)?.flat;
}

/**
 * The last parent a path goes on under (`org` of `/orgs/{org}/teams`, named by the word `orgs`) and
 * the path without it (`/teams`); undefined for a path under no parent's record.
 */
function lastParent(path: string): { flat: string; parameter: string; word: string } | undefined {
  const segments = path.replace(/\/+$/, '').split('/');
  const at = segments.findLastIndex((segment) => /^\{[^}]+\}$/.test(segment));
  if (at < 2 || at === segments.length - 1 || segments.slice(at + 1).some((s) => s.includes('{'))) return undefined;
  if (!/^[^{}]+$/.test(segments[at - 1]!)) return undefined;
  return {
    flat: [...segments.slice(0, at - 1), ...segments.slice(at + 1)].join('/'),
    parameter: segments[at]!.slice(1, -1),
    word: segments[at - 1]!,
  };
}

const COPIES = /^(copy|clone|duplicate|fork|replicate)$/i;

/**
 * The path of the collection a bodiless POST under one of its records copies that record into
 * (`/documents` of `POST /documents/{id}/duplicate` answering a document), with the parameter
 * naming the record copied.
 */
export function copiedRecord(spec: Spec, post: Operation): { path: string; idParameter: string } | undefined {
  const segments = post.path.replace(/\/+$/, '').split('/');
  const idParameter = /^\{([^}]+)\}$/.exec(segments.at(-2) ?? '')?.[1];
  if (post.method !== 'post' || idParameter === undefined || !COPIES.test(segments.at(-1) ?? '')) return undefined;
  const answer = successSchema(post)?.schema;
  if (!answer || !actsOnRecord(spec, post, answer)) return undefined;
  return { path: segments.slice(0, -2).join('/') || '/', idParameter };
}

/**
 * Whether a POST under a record's path is an action on that record, not a create of records of its
 * own: it sends nothing and answers a record of the collection the path names (`POST
 * /invitations/{id}/revoke` answering the invitation, revoked), unless its word says it makes a copy.
 */
function actsOnRecord(spec: Spec, post: Operation, answer: JsonSchema | undefined): boolean {
  const segments = post.path.replace(/\/+$/, '').split('/');
  if (post.requestBody || answer === undefined || !/^\{[^}]+\}$/.test(segments.at(-2) ?? '')) return false;
  // A copy answers a record like the one it names, but a new one (`/documents/{id}/duplicate`): it
  // makes one of that collection's records (copiedCollection), none of its own.
  if (COPIES.test(segments.at(-1) ?? '')) return true;
  const parent = templateKey(segments.slice(0, -2).join('/') || '/');
  return spec.operations.some(
    (op) =>
      op !== post &&
      op.method === 'post' &&
      templateKey(op.path) === parent &&
      isDeepStrictEqual(successSchema(op)?.schema, answer),
  );
}

/** A path template as routing reads it: `/contacts/{contactId}/notes`, `/contacts/{id}/notes` and `/contacts/{id}/notes/` are one. */
export const templateKey = (path: string): string => path.replace(/\{[^}]*\}/g, '{}').replace(/(?<=.)\/+$/, '');

/**
 * Whether a POST to a record's own path updates it (Twilio's and Stripe's way): it sends a body and
 * answers as an update does, not 201 or 202 (a reply posted to a message is a new message), and the
 * path has no PUT or PATCH, which would be the update (Mailchimp's POST there batch-subscribes), but
 * a PUT sending the very schema it sends (Okta's partial update beside its replace).
 */
export function postUpdates(spec: Spec, operation: Operation): boolean {
  const success = operation.responses.find((r) => isSuccessStatus(r.status));
  const sent = (op: Operation) => op.requestBody?.content.find((m) => coversJson(m.mediaType))?.schema;
  const beside = spec.operations.filter(
    (other) =>
      templateKey(other.path) === templateKey(operation.path) && (other.method === 'put' || other.method === 'patch'),
  );
  const updated = beside.some(
    (other) => other.method === 'patch' || sent(other) === undefined || sent(other) !== sent(operation),
  );
  return (
    !updated && operation.requestBody !== undefined && success !== undefined && !['201', '202'].includes(success.status)
  );
}

/** `POST /pets` and `GET /pets/{id}`: the collection path, and the id parameter for item paths. */
export function restShape(path: string): { collection: string; idParameter?: string } {
  const segments = path.replace(/\/+$/, '').split('/');
  const last = segments.at(-1) ?? '';
  const param = /^\{([^}]+)\}$/.exec(last)?.[1];
  return param ? { collection: segments.slice(0, -1).join('/') || '/', idParameter: param } : { collection: path };
}

/** What a request that made a resource is answered (RFC 9110 15.3.2). */
export const CREATED_STATUS = '201';

/**
 * The 2xx an operation answers with (other than `not`): the first documented, but a create's 201
 * wherever it is listed. Where a create documents a 200 before it (`200` "returns the label if it
 * already exists", `201` "creates the label"), the 200 is its answer for a record already there.
 */
export function successResponse(operation: Operation, creates: boolean, not?: string): Response | undefined {
  const successes = operation.responses.filter((r) => isSuccessStatus(r.status) && r.status !== not);
  return (creates ? successes.find((r) => r.status === CREATED_STATUS) : undefined) ?? successes[0];
}

/** The 2xx an operation answers with, a POST read as a create (`successResponse`), and its JSON schema. */
function successSchema(operation: Operation): { status: string; schema?: JsonSchema } | undefined {
  const response = successResponse(operation, operation.method === 'post');
  if (!response) return undefined;
  const schema = response.content.find((m) => coversJson(m.mediaType))?.schema;
  return { status: response.status, ...(schema ? { schema } : {}) };
}

/** A parameter named for an attribute of the record other than its id (`email`, `issue_number`). */
const ATTRIBUTE_NAME = /(e-?mail|phone|name|login|slug|handle|sku|code|number|key|token)$/i;
const ID_NAME = /(id|uuid|guid)$/i;

/**
 * The names an item path's parameter may carry in the create's answer, best first: its own
 * (`petId`), its last word (`issue_number`: `number`), then `id` unless it names another attribute
 * (`/contacts/{email}` reads by the email, which an answer holding only `id` does not give).
 */
function idNames(idParameter: string, collection?: string): string[] {
  const last = idParameter
    .split(/[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])/)
    .filter(Boolean)
    .at(-1)
    ?.toLowerCase();
  const names = [idParameter, ...(last ? [last] : [])];
  if (ID_NAME.test(idParameter) || !ATTRIBUTE_NAME.test(idParameter)) names.push('id');
  // A bare `{id}` of `/users/{id}` may be answered as the collection's own id name (`user_id`, `userId`).
  if (plainName(idParameter) === 'id' && collection !== undefined)
    for (const one of singulars(lastSegment(collection))) names.push(`${one}_id`, `${one}Id`);
  return [...new Set(names)];
}

/**
 * Whether a record's property is what an item path's parameter named for no id names the record by:
 * the parameter's own name or its last word (`address` of `{list_address}`, `email` of `{email}`).
 * A value the client sends there is the record's key, not an id the server hands out.
 */
export function keyNamedByParameter(idParameter: string, property: string): boolean {
  if (ID_NAME.test(idParameter)) return false;
  return idNames(idParameter).some((name) => name !== 'id' && plainName(name) === plainName(property));
}

/** The singulars a collection's last word may be the plural of (`users`: `user`; `companies`: `company`). */
export function singulars(word: string): string[] {
  const found = [word.replace(/s$/, ''), word.replace(/es$/, ''), word.replace(/ies$/, 'y')].filter((w) => w !== '');
  return [...new Set(found)];
}

/** The property of `properties` called `name` (in any case) that holds a single value, not a record. */
function scalarNamed(properties: Record<string, JsonSchema>, name: string): string | undefined {
  const lower = name.toLowerCase();
  const found = properties[name] ? name : Object.keys(properties).find((key) => key.toLowerCase() === lower);
  if (found === undefined) return undefined;
  const type = mainType(flatten(properties[found]!));
  // A record typed by its branches alone (`oneOf: [Phone, Email]`) holds more than one value.
  return type !== 'object' && type !== 'array' && objectProperties(properties[found]!) === undefined
    ? found
    : undefined;
}

/**
 * Where the answer of a create carries the new record's id: a property named for the item path's
 * parameter (`idNames`) at the top, in one wrapping object (`/data/id`), or in the first item of a
 * list the create sends and answers under one name (`/Contacts/0/ContactID`). An answer holding at its
 * top a value the create sends (`body` of a note) is the record itself: an object in it is a record of
 * its own (the note's `author`), whose id is not the new one. Without an item path, the one
 * id-named property marked `readOnly` is the id (Twilio's `sid`).
 */
function idPointer(
  schema: JsonSchema | undefined,
  idParameter: string | undefined,
  sent: JsonSchema | undefined,
  collection?: string,
): string | undefined {
  const properties = schema ? objectProperties(schema) : undefined;
  if (!properties) return undefined;
  const names = idNames(idParameter ?? 'id', idParameter === undefined ? undefined : collection);
  for (const name of names) {
    const found = scalarNamed(properties, name);
    if (found !== undefined) return appendPointer('', found);
  }
  // No item path names it: the one id-named property the server alone writes (Twilio's `sid`).
  const own = Object.keys(properties).filter(
    (name) => ID_NAME.test(name) && properties[name]!.readOnly === true && scalarNamed(properties, name) === name,
  );
  if (idParameter === undefined && own.length === 1) return appendPointer('', own[0]!);
  const sentProperties = sent ? (objectProperties(sent) ?? {}) : {};
  if (Object.keys(sentProperties).some((name) => scalarNamed(sentProperties, name) && scalarNamed(properties, name)))
    return undefined;
  for (const [wrapper, inner] of Object.entries(properties)) {
    // An object's properties, or every branch's of one typed by its branches (`anyOf: [Admin, EndUser]`).
    const nested = mainType(flatten(inner)) === 'array' ? undefined : objectProperties(inner);
    if (!nested) continue;
    for (const name of names) {
      const found = scalarNamed(nested, name);
      if (found !== undefined) return appendPointer(appendPointer('', wrapper), found);
    }
  }
  // A create that sends its records as a list and answers them as one (Xero's `{"Contacts": [...]}`
  // both ways): the first answered record is the first sent one's. A list of something else sent
  // under the name (a filter's conditions, `{"payload": [...]}` answered by the records it finds)
  // shares none of the records' fields: no create.
  for (const [wrapper, inner] of Object.entries(properties)) {
    const sentList = Object.hasOwn(sentProperties, wrapper) ? flatten(sentProperties[wrapper]!) : undefined;
    const flat = flatten(inner);
    if (mainType(flat) !== 'array' || !sentList || mainType(sentList) !== 'array') continue;
    const item = typeof flat.items === 'object' ? (objectProperties(flat.items as JsonSchema) ?? {}) : {};
    const sentItem = typeof sentList.items === 'object' ? (objectProperties(sentList.items as JsonSchema) ?? {}) : {};
    if (!Object.keys(sentItem).some((name) => Object.hasOwn(item, name))) continue;
    for (const name of names) {
      const found = scalarNamed(item, name);
      if (found !== undefined) return appendPointer(appendPointer(appendPointer('', wrapper), 0), found);
    }
  }
  return undefined;
}

/**
 * Where the create's request carries the value an item path names its record by, when its answer
 * does not: a path parameter named for an attribute (`/contacts/{email}`) and a single value of that
 * name the create sends (`email`). The record is then found by what the client gave it.
 */
function sentKeyPointer(
  idParameter: string | undefined,
  sent: JsonSchema | undefined,
  foreign = false,
): string | undefined {
  if (idParameter === undefined) return undefined;
  if (!foreign && (ID_NAME.test(idParameter) || !ATTRIBUTE_NAME.test(idParameter))) return undefined;
  const properties = sent ? objectProperties(sent) : undefined;
  if (!properties) return undefined;
  // Another collection's id (`user_id` of a membership) is sent under its own name only.
  for (const name of foreign ? [idParameter] : idNames(idParameter)) {
    const found = scalarNamed(properties, name);
    // A read-only property is not sent: the client cannot name its record by it.
    if (found !== undefined && properties[found]!.readOnly !== true) return appendPointer('', found);
  }
  return undefined;
}

/** Whether a schema is a list of single values (ids), not of records. */
export function listOfScalars(schema: JsonSchema | undefined): boolean {
  const flat = schema ? flatten(schema) : undefined;
  if (!flat || mainType(flat) !== 'array' || !flat.items || typeof flat.items !== 'object') return false;
  const item = mainType(flatten(flat.items as JsonSchema));
  return item === 'string' || item === 'integer' || item === 'number';
}

/**
 * Where a DELETE on a collection's own path carries the ids of the records it deletes (SendGrid's
 * `DELETE /lists` with `[1, 2]`): the whole JSON body when it is a list of single values, else its
 * one list of them named for ids (`ids`, `list_ids`). Undefined when it names no records so.
 */
export function bulkIdsPointer(operation: Operation): string | undefined {
  if (operation.method !== 'delete') return undefined;
  const schema = operation.requestBody?.content.find((m) => coversJson(m.mediaType))?.schema;
  if (!schema) return undefined;
  if (listOfScalars(schema)) return '';
  const properties = objectProperties(schema) ?? {};
  const named = Object.keys(properties).filter((name) => /ids$/i.test(name) && listOfScalars(properties[name]));
  return named.length === 1 ? appendPointer('', named[0]!) : undefined;
}

/**
 * A parameter named for the ids of the records it lists (`ids`, `person_ids`, `groupIds`) or plain
 * `id`: `locationId` names another record (a scope its records are in), not the records themselves.
 */
const idParameter = (name: string): boolean => /^ids?$|[^A-Za-z0-9]ids$/i.test(name) || /[a-z0-9](Ids|IDs)$/.test(name);

/**
 * The query parameter a DELETE on a collection's own path names the records it deletes by, when its
 * body names none (Pipedrive's `DELETE /persons?ids=1,2`, listmonk's `?id=`): its one parameter named for ids that is a
 * list of single values, or a text (the ids joined by commas), where one id is enough. Undefined when
 * it names no records so.
 */
export function bulkIdsParameter(operation: Operation): string | undefined {
  if (operation.method !== 'delete' || bulkIdsPointer(operation) !== undefined) return undefined;
  const named = operation.parameters.filter(
    (p) =>
      p.in === 'query' && idParameter(p.name) && (listOfScalars(p.schema) || mainType(flatten(p.schema)) === 'string'),
  );
  // One id must be enough: the run names the one record it made, and deletes each alone.
  const [only] = named;
  return named.length === 1 && (flatten(only!.schema).minItems ?? 1) <= 1 ? only!.name : undefined;
}

export interface RestCollection {
  /** The collection's path (`/pets`). */
  path: string;
  create: Operation;
  /** The create's success status and where its answer carries the id (`/id`). */
  status: string;
  idPointer?: string;
  /** Without `idPointer`: where the create's JSON (else form) body carries the attribute its item path names records by (`/email`). */
  sentKey?: string;
  /**
   * Without either: the create answers where the new record is (`Location: .../users/7`, Keycloak's
   * way), and this expression reads its id there; `id` is the property of the item's read naming it.
   */
  location?: { expression: string; id?: string };
  /**
   * The item path names its records by something else than the id `idPointer` finds: a parameter
   * named for no id (`{org}`) declared as text where the id is a number (an organisation's name).
   * Nothing the create answers is fed there.
   */
  namedOtherwise?: true;
  /**
   * Where a collection made under a parent's record reads its records at the top instead
   * (`POST /orgs/{org}/teams`, `GET|PATCH|DELETE /teams/{id}`): that collection path (`/teams`).
   */
  flatPath?: string;
  /**
   * Where a collection made under a parent's record makes the records of a collection at the top that
   * has a create of its own (`POST /users/{user_id}/organization_memberships` beside
   * `POST /organization_memberships` and `/organization_memberships/{id}`): that collection's path.
   */
  sameRecordsAs?: string;
  /** Operations on one item, with the path parameter that names it. */
  items: { operation: Operation; idParameter: string }[];
  /** `GET /pets`, when there is one. */
  list?: Operation;
}

const cache = new WeakMap<Spec, RestCollection[]>();

/**
 * Whether the item path can take the id the create's answer carries at `pointer`. An `id` guessed for
 * a parameter named for no id (`{org}`, not `{id}` or `{orgId}`) cannot where the parameter is text
 * and the id a number: the path names the record by something else (an organisation's name), and
 * the number sent there would name someone else's record called "27".
 */
function pathTakes(item: RestCollection['items'][number], answer: JsonSchema | undefined, pointer: string): boolean {
  if (ID_NAME.test(item.idParameter) || !pointer.endsWith('/id')) return true;
  const parameter = item.operation.parameters.find((p) => p.in === 'path' && p.name === item.idParameter)?.schema;
  const id = schemaAt(answer, pointer);
  if (!parameter || !id) return true;
  return numeric(parameter) === numeric(id);
}

/** Whether a schema's values are numbers (an integer id), not text. */
const numeric = (schema: JsonSchema): boolean => ['integer', 'number'].includes(mainType(flatten(schema)) ?? '');

/**
 * Where a create answering no id says where the new record is: its `Location` header (RFC 9110,
 * 15.3.2: a 201 names what it made there) where the answer documents one, or is a 201 documenting no
 * body. The id is the item path's segment after the collection's last word (`/users/7` of
 * `POST /users` beside `/users/{id}`), read by the expression Schemathesis infers for it.
 */
function locationOf(
  create: Operation,
  success: { status: string; schema?: JsonSchema },
  items: RestCollection['items'],
): RestCollection['location'] {
  const item = items.find((i) => i.operation.method === 'get') ?? items[0];
  const word = item?.operation.path.replace(/\/+$/, '').split('/').at(-2);
  if (!item || word === undefined || word === '' || word.includes('{')) return undefined;
  const response = create.responses.find((r) => r.status === success.status);
  const header = response?.headers.find((h) => h.name.toLowerCase() === 'location')?.name;
  const bodiless = success.status === '201' && (response?.content.length ?? 0) === 0;
  if (header === undefined && !bodiless) return undefined;
  const escaped = escapeRegExp(word);
  const expression = `$response.header.${header ?? 'Location'}#regex:/${escaped}/([^/?#]+)/?(?:[?#].*)?$`;
  const read = items.find((i) => i.operation.method === 'get');
  const pointer = read ? idPointer(successSchema(read.operation)?.schema, read.idParameter, undefined) : undefined;
  const id = pointer === undefined ? undefined : /^\/([^/]+)$/.exec(pointer)?.[1];
  return { expression, ...(id !== undefined ? { id } : {}) };
}

/** The collections the REST shape implies: every `POST` on a path that does not end in a parameter. */
export function restCollections(spec: Spec): RestCollection[] {
  const cached = cache.get(spec);
  if (cached) return cached;
  const collections: RestCollection[] = [];
  const creates = spec.operations
    .filter((op) => op.method === 'post' && !restShape(op.path).idParameter)
    .map((op) => op.path);
  for (const create of spec.operations) {
    if (create.method !== 'post' || restShape(create.path).idParameter) continue;
    const success = successSchema(create);
    if (!success || actsOnRecord(spec, create, success.schema)) continue;
    // Read at the top only where the read there answers what the create answers (a customer's balance
    // transactions beside the account's, `/balance_transactions/{id}`, are other records).
    const top = flatPathOf(spec, create.path);
    // Only where the records have no item path of their own under the parent: two item paths may read
    // two different ids of one record (GitLab's `/projects/{id}/issues/{iid}` beside `/issues/{id}`).
    const nestedItems = spec.operations.some((op) => {
      const shape = restShape(op.path);
      return shape.idParameter !== undefined && templateKey(shape.collection) === templateKey(create.path);
    });
    const flat =
      top !== undefined &&
      !nestedItems &&
      spec.operations.some(
        (op) =>
          op.method === 'get' &&
          restShape(op.path).idParameter !== undefined &&
          templateKey(restShape(op.path).collection) === templateKey(top) &&
          // A create answering no record (its URL in `Location`) has none to compare.
          (success.schema === undefined || isDeepStrictEqual(successSchema(op)?.schema, success.schema)),
      )
        ? top
        : undefined;
    const paths = new Set([templateKey(create.path), ...(flat !== undefined ? [templateKey(flat)] : [])]);
    const items = spec.operations.flatMap((operation) => {
      const shape = restShape(operation.path);
      const acts = operation.method !== 'post' || postUpdates(spec, operation);
      return shape.idParameter && paths.has(templateKey(shape.collection)) && acts
        ? [{ operation, idParameter: shape.idParameter }]
        : [];
    });
    // A GET answering no JSON on the same path (an HTML preview) lists no records.
    const list = spec.operations.find(
      (op) =>
        op.method === 'get' &&
        templateKey(op.path) === templateKey(create.path) &&
        successSchema(op)?.schema !== undefined,
    );
    const sent = create.requestBody?.content.find((m) => coversJson(m.mediaType))?.schema;
    // An item path naming its records by another collection's id (a membership's `{user_id}`) names
    // them by the record the create was sent, never by the membership's own id.
    const foreign =
      items[0] !== undefined &&
      collectionNamed(creates, items[0].idParameter) !== undefined &&
      collectionNamed(creates, items[0].idParameter) !== create.path;
    const pointer = foreign ? undefined : idPointer(success.schema, items[0]?.idParameter, sent, create.path);
    const namedOtherwise =
      pointer !== undefined && items[0] !== undefined && !pathTakes(items[0], success.schema, pointer);
    // A form-only create (Stripe's way) sends the attribute too.
    const form = create.requestBody?.content.find((m) => isFormMediaType(m.mediaType))?.schema;
    const sentKey = pointer === undefined ? sentKeyPointer(items[0]?.idParameter, sent ?? form, foreign) : undefined;
    const location = pointer === undefined && sentKey === undefined ? locationOf(create, success, items) : undefined;
    collections.push({
      path: create.path,
      create,
      status: success.status,
      ...(pointer !== undefined ? { idPointer: pointer } : {}),
      ...(sentKey !== undefined ? { sentKey } : {}),
      ...(namedOtherwise ? { namedOtherwise } : {}),
      ...(flat !== undefined && items.some((i) => restShape(i.operation.path).collection !== create.path)
        ? { flatPath: flat }
        : {}),
      ...(location ? { location } : {}),
      items,
      ...(list ? { list } : {}),
    });
  }
  for (const collection of collections) {
    const top = sameRecordsAt(collection, collections);
    if (top !== undefined) collection.sameRecordsAs = top;
  }
  cache.set(spec, collections);
  return collections;
}

/**
 * The path of the collection at the top whose records a create under a parent's record makes too,
 * where all the document shows says they are one: the top's create answers the very same schema,
 * with the id in the same place (so an item path under the parent, where there is one, names the
 * record by the same id as the top's), and that record names the parent the nested path names, as a
 * value of the parameter's kind (a membership's `user_id` of `/users/{user_id}/...`). The runner
 * deletes such records at the top, by the id the nested create answered: on a live target a wrong
 * guess would delete another record that shares the number, so anything less is no match (a nested
 * create answering another schema than the top's makes other records; an item path under the parent
 * naming them by another id, a number within the parent, `{iid}`, numbers them apart from the top).
 */
function sameRecordsAt(nested: RestCollection, collections: readonly RestCollection[]): string | undefined {
  const parent = lastParent(nested.path);
  if (parent === undefined || nested.idPointer === undefined || nested.flatPath !== undefined) return undefined;
  const top = collections.find((c) => c !== nested && templateKey(c.path) === templateKey(parent.flat));
  const answer = successSchema(nested.create)?.schema;
  if (
    top === undefined ||
    top.idPointer !== nested.idPointer ||
    answer === undefined ||
    !isDeepStrictEqual(successSchema(top.create)?.schema, answer)
  )
    return undefined;
  const tokens = parsePointer(nested.idPointer);
  const idField = tokens.pop();
  const properties = objectProperties(schemaAt(answer, tokens.map((t) => `/${t}`).join('')) ?? {}) ?? {};
  // `{user_id}` names the record's `user_id` (`userId`); a bare `{id}` under `/users` its `user_id` too.
  const names =
    plainName(parent.parameter) === 'id'
      ? singulars(plainName(parent.word)).map((one) => `${one}id`)
      : [plainName(parent.parameter)];
  const declared = nested.create.parameters.find((p) => p.in === 'path' && p.name === parent.parameter)?.schema;
  const field = Object.keys(properties).find(
    (name) => name !== idField && names.includes(plainName(name)) && scalarNamed(properties, name) === name,
  );
  if (field === undefined || declared === undefined || numeric(declared) !== numeric(properties[field]!))
    return undefined;
  return top.path;
}

/**
 * A membership its path alone declares: `PUT /groups/{groupId}/users/{userId}` (or a bodiless POST)
 * adds the user the path names to the group it names, `DELETE` there takes it out, and
 * `GET /groups/{groupId}/users` lists the members, where both `/groups` and `/users` are collections
 * the spec creates (Okta's group members; Keycloak's `/users/{id}/groups/{groupId}` the other way round).
 */
export interface MembershipShape {
  operation: Operation;
  action: 'add-members' | 'remove-members';
  /** The collection of the record the path names first, which holds the members (`/groups`). */
  holder: RestCollection;
  holderParameter: string;
  /** The collection of the member the path names last (`/users`). */
  member: RestCollection;
  memberParameter: string;
  /** The list of the holder's members (`GET /groups/{groupId}/users`), when the spec has one. */
  list?: Operation;
}

const membershipCache = new WeakMap<Spec, MembershipShape[]>();

/**
 * Every undeclared membership change the REST shape implies. The segment before the member's
 * parameter names the member's collection; the path up to it must not be a collection of its own
 * (a POST there makes records under the holder: a nested collection, not a membership).
 */
export function memberships(spec: Spec): MembershipShape[] {
  const cached = membershipCache.get(spec);
  if (cached) return cached;
  // Only collections whose records a path can name: the create's answer (or request) carries the key.
  const made = restCollections(spec).filter(
    (c) =>
      !c.create.resource &&
      !c.namedOtherwise &&
      (c.idPointer !== undefined || c.sentKey !== undefined || c.location !== undefined),
  );
  const found: MembershipShape[] = [];
  for (const operation of spec.operations) {
    if (operation.resource) continue;
    // A PUT there puts the member in, whatever attributes of the membership it sends (a role); a
    // POST does when it need send nothing (a POST with a required body there may act otherwise).
    const optionalBody = operation.requestBody === undefined || operation.requestBody.required !== true;
    const action =
      operation.method === 'delete'
        ? 'remove-members'
        : operation.method === 'put' || (operation.method === 'post' && optionalBody)
          ? 'add-members'
          : undefined;
    if (!action) continue;
    // A removal alone may name a pair never joined (the join made some other way, a body's ids): a
    // removal is a membership's only beside the add on its path, which the run then makes first.
    if (
      action === 'remove-members' &&
      !spec.operations.some(
        (o) =>
          o !== operation &&
          templateKey(o.path) === templateKey(operation.path) &&
          (o.method === 'put' || o.method === 'post'),
      )
    )
      continue;
    const segments = operation.path.replace(/\/+$/, '').split('/');
    if (segments.length < 4) continue;
    const parameter = (segment: string | undefined) => /^\{([^}]+)\}$/.exec(segment ?? '')?.[1];
    const memberParameter = parameter(segments.at(-1));
    const named = segments.at(-2) ?? '';
    const holderParameter = parameter(segments.at(-3));
    if (memberParameter === undefined || holderParameter === undefined || !/^[^{}]+$/.test(named)) continue;
    const holderPath = segments.slice(0, -3).join('/') || '/';
    const listPath = segments.slice(0, -1).join('/');
    const holder = made.find(
      (c) =>
        templateKey(c.path) === templateKey(holderPath) || templateKey(c.flatPath ?? '') === templateKey(holderPath),
    );
    if (!holder || restCollections(spec).some((c) => templateKey(c.path) === templateKey(listPath))) continue;
    const candidates = made.filter((c) => c !== holder && lastSegment(c.path) === named.toLowerCase());
    // Beside the holder first (`/{realm}/groups` for `/{realm}/users/{id}/groups/{groupId}`), else the only one.
    const beside = (c: RestCollection) =>
      templateKey(c.path.replace(/\/[^/]*\/*$/, '')) === templateKey(holderPath.replace(/\/[^/]*$/, ''));
    // Where the segment names no collection (`/teams/{id}/members/{username}`), the one whose own
    // paths name records by the same parameter (`/users/{username}`).
    // Only a parameter named for an attribute says so (`username`): a bare `{id}` names any record.
    const byParameter = ATTRIBUTE_NAME.test(memberParameter)
      ? made.filter(
          (c) => c !== holder && c.items.length > 0 && c.items.every((item) => item.idParameter === memberParameter),
        )
      : [];
    const member =
      candidates.find(beside) ??
      (candidates.length === 1 ? candidates[0] : undefined) ??
      (candidates.length === 0 && byParameter.length === 1 ? byParameter[0] : undefined);
    if (!member) continue;
    const list = spec.operations.find(
      (o) => o.method === 'get' && !o.resource && templateKey(o.path) === templateKey(listPath),
    );
    found.push({
      operation,
      action,
      holder,
      holderParameter,
      member,
      memberParameter,
      ...(list ? { list } : {}),
    });
  }
  membershipCache.set(spec, found);
  return found;
}

/**
 * The collection whose records a property or parameter named for their id names (`user_id`,
 * `organizationId`: `/users`, `/organizations`): the one whose path's last word is the name's first
 * part, singular or plural. Undefined unless exactly one is.
 */
export function collectionNamedBy(spec: Spec, name: string): RestCollection | undefined {
  const path = collectionNamed(
    restCollections(spec).map((c) => c.path),
    name,
  );
  return restCollections(spec).find((c) => c.path === path);
}

/** Of collection paths, the one a name for its records' id names (collectionNamedBy). */
function collectionNamed(paths: readonly string[], name: string): string | undefined {
  const word = /^(.+?)[-_]?(?:id|Id|ID)$/.exec(name)?.[1];
  if (word === undefined) return undefined;
  const one = plainName(word);
  const found = [...new Set(paths)].filter((path) => {
    const last = plainName(lastSegment(path));
    return last === one || singulars(last).includes(one);
  });
  return found.length === 1 ? found[0] : undefined;
}

/**
 * A membership a body declares: `POST|PUT|DELETE /organizations/{id}/members` sending
 * `{"members": ["u1", "u2"]}` adds (removes) the records the list names to (from) the organization
 * its path names (Auth0's organization members). The list is the body's one list of single values;
 * the members' collection is the one it is named for (`users`, `user_ids`), else the one the path's
 * last word is named for, else the one the holder's member list names its items by (`user_id`).
 */
export interface BodyMembershipShape {
  operation: Operation;
  action: 'add-members' | 'remove-members';
  holder: RestCollection;
  holderParameter: string;
  member: RestCollection;
  /** Where the body lists the members' ids (`/members`). */
  ids: string;
  /** The list of the holder's members on the same path (`GET /organizations/{id}/members`), when the spec has one. */
  list?: Operation;
}

/** The pointer of the one list of single values a body is made of (`/members` of `{"members": [...]}`). */
export function idListPointer(operation: Operation, alone = false): string | undefined {
  const schema = operation.requestBody?.content.find((m) => coversJson(m.mediaType))?.schema;
  const properties = schema ? objectProperties(schema) : undefined;
  const lists = Object.entries(properties ?? {}).filter(([, property]) => listOfScalars(property));
  if (alone && Object.keys(properties ?? {}).length !== 1) return undefined;
  return lists.length === 1 ? appendPointer('', lists[0]![0]) : undefined;
}

const bodyMembershipCache = new WeakMap<Spec, BodyMembershipShape[]>();

export function bodyMemberships(spec: Spec): BodyMembershipShape[] {
  const cached = bodyMembershipCache.get(spec);
  if (cached) return cached;
  const made = restCollections(spec).filter(
    (c) => !c.create.resource && !c.namedOtherwise && (c.idPointer !== undefined || c.location !== undefined),
  );
  const paths = made.map((c) => c.path);
  const found: BodyMembershipShape[] = [];
  for (const operation of spec.operations) {
    if (operation.resource || !['post', 'put', 'delete'].includes(operation.method)) continue;
    // A body made of the list alone: a create sending a list beside its fields (`assignee_ids`) is no membership.
    const ids = idListPointer(operation, true);
    const segments = operation.path.replace(/\/+$/, '').split('/');
    const holderParameter = /^\{([^}]+)\}$/.exec(segments.at(-2) ?? '')?.[1];
    const word = segments.at(-1) ?? '';
    if (ids === undefined || holderParameter === undefined || !/^[^{}]+$/.test(word)) continue;
    const holderPath = templateKey(segments.slice(0, -2).join('/') || '/');
    const holder = made.find((c) => templateKey(c.path) === holderPath || templateKey(c.flatPath ?? '') === holderPath);
    if (!holder) continue;
    const named = (name: string) => collectionNamed(paths, `${name.replace(/(_?ids?|Ids?|s)$/, '')}_id`);
    const list = spec.operations.find((o) => o.method === 'get' && templateKey(o.path) === templateKey(operation.path));
    const items = list ? listItemProperties(list) : {};
    const byItems = Object.keys(items).flatMap((name) => {
      const path = collectionNamed(paths, name);
      return path === undefined ? [] : [path];
    });
    const memberPath = named(ids.slice(1)) ?? named(word) ?? (new Set(byItems).size === 1 ? byItems[0] : undefined);
    const member = made.find((c) => c.path === memberPath);
    if (!member || member === holder || templateKey(member.path) === templateKey(operation.path)) continue;
    // The list's items must be ids of the members: no format of their own (`emails`), the ids' kind.
    const item = objectProperties(operation.requestBody!.content.find((m) => coversJson(m.mediaType))!.schema!)?.[
      ids.slice(1)
    ];
    const itemSchema = item ? flatten(flatten(item).items as JsonSchema) : undefined;
    const memberId = member.idPointer && schemaAt(successSchema(member.create)?.schema, member.idPointer);
    if (!itemSchema || itemSchema.format !== undefined || (memberId && numeric(itemSchema) !== numeric(memberId)))
      continue;
    const action = operation.method === 'delete' ? 'remove-members' : 'add-members';
    const members = list && !list.resource ? { list } : {};
    found.push({ operation, action, holder, holderParameter, member, ids, ...members });
  }
  bodyMembershipCache.set(spec, found);
  return found;
}

/** The properties of the items a GET lists, at its top or in its one list property. */
function listItemProperties(list: Operation): Record<string, JsonSchema> {
  const schema = successSchema(list)?.schema;
  if (!schema) return {};
  const flat = flatten(schema);
  const array =
    mainType(flat) === 'array'
      ? flat
      : Object.values(objectProperties(schema) ?? {})
          .map((property) => flatten(property))
          .find((property) => mainType(property) === 'array');
  const items = array?.items;
  return typeof items === 'object' ? (objectProperties(items as JsonSchema) ?? {}) : {};
}
