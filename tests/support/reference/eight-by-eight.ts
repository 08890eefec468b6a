/**
 * 8x8 Connect's contacts and groups, as 8x8's own definition describes them: errors are
 * `{code, message, errorId, timestamp}`; a contact create merges into the one contact sharing an
 * address (200) and refuses to choose between two (409); contacts and groups are read, searched
 * (paged by `limit` and a page `offset`), changed by JSON Patch documents and deleted; a group's
 * name is unique (409) and its `contacts` counts the members the membership operations keep.
 *
 * A JSON Patch is applied as ASP.NET Core applies one to a typed model: property names match in any
 * letter case (8x8's own example patches `/isblacklist`), a string value is converted to the
 * property's type (`'true'` to a boolean), `replace` of a declared property the record does not
 * hold sets it and `remove` of one clears nothing; a path the model does not have is refused.
 *
 * Where 8x8 documents no 400 (the reads, deletes and membership operations), what would be one is
 * answered with the 404 it documents: a malformed account or group id names nothing that exists,
 * and a membership body that cannot be read is refused the only way the operation documents.
 */
import { randomUUID } from 'node:crypto';
import type { ErrorObject } from 'ajv';
import fastJsonPatch from 'fast-json-patch';
import type { components, operations } from '../../../generated/8x8-contacts.js';
import { formatAjvErrors } from '../../../lib/ajv-errors.js';
import { escapeToken, parsePointer } from '../../../lib/json-pointer.js';
import type { JsonSchema } from '../../../lib/json-schema.js';
import { documentedResponse } from '../../../lib/responses.js';
import { flatten, mainType } from '../../../lib/schema.js';
import {
  componentSchema,
  credentials,
  type Exchange,
  fieldOf,
  inAnyOf,
  integerId,
  isObject,
  pageOf,
  type Reply,
  type ServerState,
  satisfies,
  type Vendor,
} from './core.js';

type Contact = components['schemas']['Contact'];
type Group = components['schemas']['Group'];
type Addresses = components['schemas']['Addresses'];
type PatchDocument = components['schemas']['PatchDocument'];

/** A contact as stored: its groups are the groups whose members it is. */
export type StoredContact = Omit<Contact, 'groups'>;

/** A group as stored: its `contacts` count is the size of `members`. */
export interface StoredGroup {
  id: number;
  createdAt: string;
  name: string;
  description?: string;
  isBlacklist: boolean;
  members: Set<number>;
}

export interface EightByEightStore {
  contacts: Map<number, StoredContact>;
  groups: Map<number, StoredGroup>;
  nextContactId: number;
  nextGroupId: number;
}

export const newEightByEightStore = (): EightByEightStore => ({
  contacts: new Map(),
  groups: new Map(),
  nextContactId: 41764987,
  nextGroupId: 8204,
});

/** 8x8's default page size (`limit`). */
const DEFAULT_LIMIT = 20;

const { applyPatch } = fastJsonPatch as unknown as {
  applyPatch: (document: unknown, patch: unknown[], validate?: boolean, mutate?: boolean) => { newDocument: unknown };
};

export function eightByEightError(status: 400 | 401 | 404 | 409, code: number, message: string, now: number): Reply {
  const body: components['schemas']['Error'] = {
    code,
    message,
    errorId: randomUUID(),
    timestamp: new Date(now).toISOString(),
  };
  return { status, body };
}

/** The operation's 400 when it documents one, else its 404 (see the module comment). */
const refusal = (ex: Exchange): 400 | 404 => (documentedResponse(ex.operation, 400) ? 400 : 404);

// ---------------------------------------------------------------------------------------------
// Views
// ---------------------------------------------------------------------------------------------

function groupView(group: StoredGroup): Group {
  return {
    id: group.id,
    contacts: group.members.size,
    createdAt: group.createdAt,
    name: group.name,
    ...(group.description !== undefined ? { description: group.description } : {}),
    isBlacklist: group.isBlacklist,
  };
}

function contactView(contact: StoredContact, server: ServerState): Contact {
  const groups = [...server.eightByEight.groups.values()].filter((g) => g.members.has(contact.id)).map(groupView);
  return { ...structuredClone(contact), ...(groups.length > 0 ? { groups } : {}) };
}

function contactNotFound(raw: string, server: ServerState): Reply {
  return eightByEightError(404, 1300, `Unable to find contact with id ${raw}`, server.clock());
}

function groupNotFound(raw: string, server: ServerState): Reply {
  return eightByEightError(404, 1300, `Unable to find group with id ${raw}`, server.clock());
}

function storedContact(ex: Exchange, server: ServerState): StoredContact | undefined {
  const id = integerId(ex.pathParams.contactId);
  return id === undefined ? undefined : server.eightByEight.contacts.get(id);
}

function storedGroup(ex: Exchange, server: ServerState): StoredGroup | undefined {
  const id = integerId(ex.pathParams.groupId);
  return id === undefined ? undefined : server.eightByEight.groups.get(id);
}

function duplicateName(ex: Exchange, server: ServerState, name: string | undefined, self?: number): Reply | undefined {
  if (!server.rules.uniqueNames || name === undefined) return undefined;
  const taken = [...server.eightByEight.groups.values()].some((g) => g.id !== self && g.name === name);
  if (!taken) return undefined;
  server.events.push({ kind: 'duplicate', index: ex.index });
  return eightByEightError(409, 5003, 'A group with the same name already exists', server.clock());
}

/** One page of a search: `offset` is the page, counted from 0, of `limit` items. */
function searchPage<T>(found: T[], all: number, query: { limit?: number; offset?: number }) {
  const limit = query.limit ?? DEFAULT_LIMIT;
  const offset = query.offset ?? 0;
  return {
    items: pageOf(found, offset, limit, 0),
    page: offset + 1,
    totalPages: Math.ceil(found.length / limit),
    totalCount: all,
    totalFiltered: found.length,
    hasPreviousPage: offset > 0,
    hasNextPage: (offset + 1) * limit < found.length,
  };
}

// ---------------------------------------------------------------------------------------------
// JSON Patch, as ASP.NET Core applies it to a typed model
// ---------------------------------------------------------------------------------------------

interface Resolved {
  pointer: string;
  /** The declared schema of the target, when the model declares it (or an open map holds it). */
  schema?: JsonSchema;
  exists: boolean;
}

/** The pointer with each name matched to the record's or the model's own spelling. */
function resolve(document: unknown, model: JsonSchema, pointer: string): Resolved {
  let value: unknown = document;
  let schema: JsonSchema | undefined = model;
  let exists = true;
  const tokens: string[] = [];
  for (const token of parsePointer(pointer)) {
    const flat: JsonSchema | undefined = schema ? flatten(schema) : undefined;
    const declared: string[] = Object.keys(flat?.properties ?? {});
    const held = isObject(value) ? Object.keys(value) : [];
    const name: string =
      [...held, ...declared].find((key) => key === token) ??
      [...held, ...declared].find((key) => key.toLowerCase() === token.toLowerCase()) ??
      token;
    const open: JsonSchema['additionalProperties'] = flat?.additionalProperties;
    schema =
      (flat?.properties?.[name] as JsonSchema | undefined) ??
      (open && typeof open === 'object' ? (open as JsonSchema) : open === true ? {} : undefined);
    exists = exists && isObject(value) && Object.hasOwn(value, name);
    value = isObject(value) ? value[name] : undefined;
    tokens.push(name);
  }
  return { pointer: tokens.map((t) => `/${escapeToken(t)}`).join(''), ...(schema ? { schema } : {}), exists };
}

/** `'true'` for a boolean, `'7'` for a number: what the model binder makes of a string value. */
function converted(value: unknown, schema: JsonSchema | undefined): unknown {
  if (typeof value !== 'string' || !schema) return value;
  const type = mainType(flatten(schema));
  if (type === 'boolean' && (value === 'true' || value === 'false')) return value === 'true';
  if ((type === 'number' || type === 'integer') && value.trim() !== '' && Number.isFinite(Number(value)))
    return Number(value);
  return value;
}

class PatchRefused extends Error {}

/** The patch as the model applies it; throws PatchRefused for a path the model does not have. */
function onModel(document: unknown, model: JsonSchema, patch: PatchDocument): unknown[] {
  const out: unknown[] = [];
  for (const operation of patch) {
    const target = resolve(document, model, operation.path);
    if (!target.schema && !target.exists) {
      throw new PatchRefused(`The target location specified by path '${operation.path}' was not found.`);
    }
    const from = (operation as { from?: unknown }).from;
    const source = typeof from === 'string' ? resolve(document, model, from).pointer : undefined;
    const value = converted(operation.value, target.schema);
    const op =
      operation.op === 'replace' && !target.exists
        ? 'add'
        : operation.op === 'remove' && !target.exists
          ? ''
          : operation.op;
    if (op === '') continue;
    out.push({
      op,
      path: target.pointer,
      ...(operation.value !== undefined ? { value } : {}),
      ...(source !== undefined ? { from: source } : {}),
    });
  }
  return out;
}

function patched<T extends { id: number }>(
  record: T,
  model: JsonSchema,
  patch: PatchDocument,
): { record: Record<string, unknown> } | { refused: string } {
  try {
    const { newDocument } = applyPatch(structuredClone(record), onModel(record, model, patch), true, false);
    if (!isObject(newDocument)) return { refused: 'The patch must leave an object.' };
    if (newDocument.id !== record.id) return { refused: 'The id cannot be changed.' };
    return { record: newDocument };
  } catch (error) {
    return { refused: error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error) };
  }
}

// ---------------------------------------------------------------------------------------------
// Contacts
// ---------------------------------------------------------------------------------------------

/** The addresses 8x8 names; other properties of `addresses` are accepted but neither stored nor matched. */
const ADDRESS_KEYS = ['msisdn', 'weChatUserId', 'facebookUserId', 'email', 'zaloId', 'lineId', 'kakaoTalkId'] as const;

function knownAddresses(given: Addresses): Addresses {
  const out: Record<string, string> = {};
  for (const key of ADDRESS_KEYS) if (given[key] !== undefined) out[key] = given[key];
  return out as Addresses;
}

function matches(stored: Addresses, given: Addresses): boolean {
  return ADDRESS_KEYS.some((key) => given[key] !== undefined && stored[key] === given[key]);
}

const CONTACT_FIELDS = ['firstName', 'lastName', 'externalId', 'country'] as const;

function joinGroups(server: ServerState, contactId: number, groups: { id: number }[] | undefined): void {
  // A group id that names no group of the account joins nothing; 8x8 documents no refusal for one.
  for (const { id } of groups ?? []) server.eightByEight.groups.get(id)?.members.add(contactId);
}

function createContact(ex: Exchange, server: ServerState): Reply {
  const request = ex.body as operations['createContact']['requestBody']['content']['application/json'];
  const store = server.eightByEight;
  const now = new Date(server.clock()).toISOString();
  const addresses = knownAddresses(request.addresses);
  const found = [...store.contacts.values()].filter((c) => matches(c.addresses, addresses));
  const fields: Partial<StoredContact> = {};
  for (const name of CONTACT_FIELDS) if (request[name] !== undefined) fields[name] = request[name];
  const mode = server.rules.merge;
  const conflict = () =>
    eightByEightError(
      409,
      1003,
      'More than one contact was found based on a provided set of addresses',
      server.clock(),
    );
  if (mode !== 'never' && found.length >= 2) {
    server.events.push({ kind: 'conflict', index: ex.index });
    return conflict();
  }
  if (mode !== 'never' && found.length === 1) {
    if (mode === 'always-conflict') return conflict();
    server.events.push({ kind: 'merge', index: ex.index });
    const target = found[0]!;
    Object.assign(target, fields);
    target.addresses = { ...target.addresses, ...addresses };
    target.customAttributes = { ...(target.customAttributes ?? {}), ...(request.customAttributes ?? {}) };
    joinGroups(server, target.id, request.groups);
    const body: operations['createContact']['responses'][200]['content']['application/json'] = contactView(
      target,
      server,
    );
    return { status: 200, body };
  }
  const contact: StoredContact = {
    id: store.nextContactId++,
    createdAt: now,
    ...fields,
    addresses,
    customAttributes: { ...(request.customAttributes ?? {}) },
  };
  store.contacts.set(contact.id, contact);
  joinGroups(server, contact.id, request.groups);
  const body: operations['createContact']['responses'][201]['content']['application/json'] = contactView(
    contact,
    server,
  );
  return { status: 201, body };
}

function searchContacts(ex: Exchange, server: ServerState): Reply {
  const query = ex.query as NonNullable<operations['searchContacts']['parameters']['query']>;
  const all = [...server.eightByEight.contacts.values()];
  let found = all;
  if (query.query !== undefined && query.query !== '') {
    // "Can be name or one of addresses".
    const wanted = query.query.toLowerCase();
    found = found.filter((c) =>
      [c.firstName, c.lastName, ...Object.values(c.addresses)].some(
        (value) => typeof value === 'string' && value.toLowerCase().includes(wanted),
      ),
    );
  }
  if (query.groupId !== undefined) {
    const members = server.eightByEight.groups.get(query.groupId)?.members ?? new Set<number>();
    found = found.filter((c) => members.has(c.id));
  }
  if (query.country !== undefined) {
    const country = query.country.toUpperCase();
    found = found.filter((c) => c.country?.toUpperCase() === country);
  }
  const page = searchPage(found, all.length, query);
  const body: operations['searchContacts']['responses'][200]['content']['application/json'] = {
    ...page,
    items: page.items.map((c) => contactView(c, server)),
  };
  return { status: 200, body };
}

function getContact(ex: Exchange, server: ServerState): Reply {
  const contact = storedContact(ex, server);
  if (!contact) return contactNotFound(ex.pathParams.contactId ?? '', server);
  const body: operations['getContact']['responses'][200]['content']['application/json'] = contactView(contact, server);
  return { status: 200, body };
}

function updateContact(ex: Exchange, server: ServerState): Reply {
  const contact = storedContact(ex, server);
  if (!contact) return contactNotFound(ex.pathParams.contactId ?? '', server);
  const model = componentSchema(server.spec, 'Contact');
  const result = patched(contactView(contact, server), model, ex.body as PatchDocument);
  if ('refused' in result) return eightByEightError(400, 1000, result.refused, server.clock());
  // The groups a contact is in are the groups' to change (their membership operations).
  const { groups: _groups, ...changed } = result.record;
  const request = { ...changed };
  delete request.id;
  delete request.createdAt;
  const errors = [
    ...satisfies(server, model, changed),
    ...satisfies(server, componentSchema(server.spec, 'CreateContactRequest'), request),
  ];
  if (errors.length > 0) return contactErrors(errors, server);
  const stored = changed as StoredContact;
  server.eightByEight.contacts.set(contact.id, stored);
  const body: operations['updateContact']['responses'][200]['content']['application/json'] = contactView(
    stored,
    server,
  );
  return { status: 200, body };
}

function deleteContact(ex: Exchange, server: ServerState): Reply {
  const contact = storedContact(ex, server);
  if (!contact) return contactNotFound(ex.pathParams.contactId ?? '', server);
  server.eightByEight.contacts.delete(contact.id);
  for (const group of server.eightByEight.groups.values()) group.members.delete(contact.id);
  return { status: 204 };
}

function contactErrors(errors: ErrorObject[], server: ServerState): Reply {
  const now = server.clock();
  if (errors.some((e) => e.instancePath === '/addresses/msisdn' && e.keyword === 'pattern'))
    return eightByEightError(400, 1002, 'Invalid MSISDN format (not E.164 international number)', now);
  if (errors.some((e) => (e.instancePath === '/addresses' && inAnyOf(e)) || fieldOf(e) === 'addresses'))
    return eightByEightError(400, 1000, 'addresses: at least one address should be provided', now);
  return eightByEightError(400, 1000, formatAjvErrors(errors).join('; '), now);
}

// ---------------------------------------------------------------------------------------------
// Groups
// ---------------------------------------------------------------------------------------------

function searchGroups(ex: Exchange, server: ServerState): Reply {
  const query = ex.query as NonNullable<operations['searchGroups']['parameters']['query']>;
  const all = [...server.eightByEight.groups.values()];
  let found = all;
  if (query.name !== undefined && query.name !== '') {
    const wanted = query.name.toLowerCase();
    found = found.filter((g) => g.name.toLowerCase().includes(wanted));
  }
  const page = searchPage(found, all.length, query);
  const body: operations['searchGroups']['responses'][200]['content']['application/json'] = {
    ...page,
    items: page.items.map(groupView),
  };
  return { status: 200, body };
}

function createGroup(ex: Exchange, server: ServerState): Reply {
  const request = ex.body as operations['createGroup']['requestBody']['content']['application/json'];
  const duplicate = duplicateName(ex, server, request.name);
  if (duplicate) return duplicate;
  const store = server.eightByEight;
  const group: StoredGroup = {
    id: store.nextGroupId++,
    createdAt: new Date(server.clock()).toISOString(),
    name: request.name,
    ...(request.description !== undefined ? { description: request.description } : {}),
    isBlacklist: request.isBlacklist ?? false,
    members: new Set(),
  };
  store.groups.set(group.id, group);
  const body: operations['createGroup']['responses'][201]['content']['application/json'] = groupView(group);
  return { status: 201, body };
}

function getGroup(ex: Exchange, server: ServerState): Reply {
  const group = storedGroup(ex, server);
  if (!group) return groupNotFound(ex.pathParams.groupId ?? '', server);
  const body: operations['getGroup']['responses'][200]['content']['application/json'] = groupView(group);
  return { status: 200, body };
}

function updateGroup(ex: Exchange, server: ServerState): Reply {
  const group = storedGroup(ex, server);
  if (!group) return groupNotFound(ex.pathParams.groupId ?? '', server);
  const model = componentSchema(server.spec, 'Group');
  const result = patched(groupView(group), model, ex.body as PatchDocument);
  if ('refused' in result) return eightByEightError(400, 1000, result.refused, server.clock());
  const changed = result.record;
  const request = Object.fromEntries(
    Object.entries(changed).filter(([name]) => ['name', 'description', 'isBlacklist'].includes(name)),
  );
  const errors = [
    ...satisfies(server, model, changed),
    ...satisfies(server, componentSchema(server.spec, 'CreateGroupRequest'), request),
  ];
  if (errors.length > 0) return eightByEightError(400, 1000, formatAjvErrors(errors).join('; '), server.clock());
  const duplicate = duplicateName(ex, server, changed.name as string, group.id);
  if (duplicate) return duplicate;
  // `contacts` counts the members: a patch cannot change what the membership operations keep.
  const { id: _id, contacts: _count, members: _members, ...fields } = changed;
  const stored: StoredGroup = {
    id: group.id,
    createdAt: typeof fields.createdAt === 'string' ? fields.createdAt : group.createdAt,
    name: fields.name as string,
    ...(typeof fields.description === 'string' ? { description: fields.description } : {}),
    isBlacklist: fields.isBlacklist === true,
    members: group.members,
  };
  server.eightByEight.groups.set(group.id, stored);
  const body: operations['updateGroup']['responses'][200]['content']['application/json'] = groupView(stored);
  return { status: 200, body };
}

function deleteGroup(ex: Exchange, server: ServerState): Reply {
  const group = storedGroup(ex, server);
  if (!group) return groupNotFound(ex.pathParams.groupId ?? '', server);
  server.eightByEight.groups.delete(group.id);
  return { status: 204 };
}

function members(ex: Exchange, server: ServerState, add: boolean): Reply {
  const group = storedGroup(ex, server);
  if (!group) return groupNotFound(ex.pathParams.groupId ?? '', server);
  const request = (ex.body ?? {}) as components['schemas']['ContactIdList'];
  for (const id of request.contacts ?? []) {
    // A contact id of no contact joins nothing (8x8 documents no refusal for one).
    if (add && server.eightByEight.contacts.has(id)) group.members.add(id);
    if (!add) group.members.delete(id);
  }
  return { status: add ? 201 : 200, body: groupView(group) };
}

export const eightByEight: Vendor = {
  authenticate(ex, server) {
    if (credentials(ex)?.scheme === 'bearer') return undefined;
    return eightByEightError(401, 1100, 'Unauthorized', server.clock());
  },
  parameterProblem(ex, server, [problem]) {
    const { parameter, raw } = problem!;
    const now = server.clock();
    const status = refusal(ex);
    if (parameter.name === 'accountId')
      return eightByEightError(status, 1001, `Provided accountId '${raw ?? ''}' is not a valid account id`, now);
    if (parameter.name === 'groupId' && parameter.in === 'path' && status === 404)
      return groupNotFound(raw ?? '', server);
    const bounds = parameter.name === 'limit' ? 'must be between 1 and 500' : 'is not valid';
    return eightByEightError(status, 1000, `${parameter.name}: ${raw === undefined ? 'is required' : bounds}`, now);
  },
  bodyProblem: (ex, server, reason) => eightByEightError(refusal(ex), 1000, reason, server.clock()),
  validation(ex, server, errors) {
    if (ex.operation.operationId === 'createContact') return contactErrors(errors, server);
    return eightByEightError(refusal(ex), 1000, formatAjvErrors(errors).join('; '), server.clock());
  },
  operations: {
    searchContacts,
    createContact,
    getContact,
    updateContact,
    deleteContact,
    searchGroups,
    createGroup,
    getGroup,
    updateGroup,
    deleteGroup,
    addContactsToGroup: (ex, server) => members(ex, server, true),
    removeContactsFromGroup: (ex, server) => members(ex, server, false),
  },
  records: (server) => [
    ...[...server.eightByEight.contacts.keys()].map((id) => ({ collection: 'contacts', id })),
    ...[...server.eightByEight.groups.keys()].map((id) => ({ collection: 'groups', id })),
  ],
};
