/**
 * Easify's contact groups and contacts, as its pages describe them (a Laravel application): every
 * answer is `{status, message, ...}`, a failed validation is Laravel's `{message, errors}` 422, an
 * unknown group or contact id is a 400 ("Invalid group id"), and lists are Laravel's paginator,
 * newest first unless `order=asc`. Every account has a default contact group, which cannot be
 * deleted; a group's `contacts_count` counts the contacts in it. Past the rate limit, a 429 with the
 * page's message.
 *
 * A choice the pages force: a contact created with a group id that names no group of the user's
 * lands in the default group (the create documents no refusal of an unknown group). A list's
 * malformed query parameter, for which Easify documents no answer, is our spec's inferred 422; the
 * documented-only server reads past it, as Laravel's paginator does.
 */
import type { ErrorObject } from 'ajv';
import type { components, operations } from '../../../generated/easify-contact-groups.js';
import { flatten } from '../../../lib/schema.js';
import {
  credentials,
  type Exchange,
  fieldOf,
  inAnyOf,
  integerId,
  isObject,
  pageOf,
  type Reply,
  requestSchema,
  type ServerState,
  type Vendor,
} from './core.js';

type ContactGroup = components['schemas']['ContactGroup'];
type Contact = components['schemas']['Contact'];

/** A group as stored: its contacts_count is counted from the contacts. */
export type StoredGroup = Omit<ContactGroup, 'contacts_count'>;

/** A contact as stored: its group_name is its group's. */
export interface StoredContact extends Omit<Contact, 'group_name'> {
  groupId: number;
}

export interface EasifyStore {
  groups: Map<number, StoredGroup>;
  contacts: Map<number, StoredContact>;
  nextGroupId: number;
  nextContactId: number;
}

/** The default contact group every Easify account has. */
export const DEFAULT_GROUP_ID = 1;

export function newEasifyStore(now: number): EasifyStore {
  const defaultGroup: StoredGroup = {
    id: DEFAULT_GROUP_ID,
    name: 'Default Group',
    shared_group: false,
    default_group: true,
    created_at: easifyDate(new Date(now)),
  };
  return { groups: new Map([[DEFAULT_GROUP_ID, defaultGroup]]), contacts: new Map(), nextGroupId: 2, nextContactId: 2 };
}

/** Laravel's default page size, as the list pages state it. */
const DEFAULT_LIMIT = 10;

const pad = (n: number) => String(n).padStart(2, '0');

/** Easify's `12-02-2024 03:13:35 AM`. */
export function easifyDate(date: Date): string {
  const hours = date.getUTCHours();
  const h12 = hours % 12 === 0 ? 12 : hours % 12;
  return `${pad(date.getUTCDate())}-${pad(date.getUTCMonth() + 1)}-${date.getUTCFullYear()} ${pad(h12)}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} ${hours < 12 ? 'AM' : 'PM'}`;
}

export function easifyError(status: 400 | 401 | 429, message: string): Reply {
  const body: components['schemas']['Error'] = { status: false, message, errors: [] };
  return { status, body };
}

export function easifyValidation(errors: Record<string, string[]>): Reply {
  const first = Object.values(errors)[0]?.[0] ?? 'The given data was invalid.';
  const extra = Object.values(errors).flat().length - 1;
  const message = extra > 0 ? `${first} (and ${extra} more error${extra > 1 ? 's' : ''})` : first;
  const body: components['schemas']['ValidationError'] = { message, errors };
  return { status: 422, body };
}

/** `group_id` -> `group id`, as Laravel writes an attribute in its messages. */
const label = (field: string): string => field.replace(/_/g, ' ');

/** Laravel's message for one failed rule. */
function ruleMessage(field: string, error: ErrorObject): string {
  const name = label(field);
  const params = error.params as { limit?: number; type?: string };
  switch (error.keyword) {
    case 'required':
      return `The ${name} field is required.`;
    case 'minLength':
      return params.limit === 1
        ? `The ${name} field is required.`
        : `The ${name} field must be at least ${params.limit} characters.`;
    case 'dependentRequired':
      return `The ${name} field is required when phone number is present.`;
    case 'maxLength':
      return `The ${name} field must not be greater than ${params.limit} characters.`;
    case 'type':
      return params.type === 'integer'
        ? `The ${name} field must be an integer.`
        : `The ${name} field must be a string.`;
    case 'pattern':
      return `The ${name} field format is invalid.`;
    case 'enum':
      return `The selected ${name} is invalid.`;
    default:
      return `The ${name} field is invalid.`;
  }
}

/** Laravel's errors map: each field's messages, in the order the rules failed. */
function laravelErrors(errors: ErrorObject[], required: readonly string[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const add = (field: string, message: string) => {
    const list = (out[field] ??= []);
    if (!list.includes(message)) list.push(message);
  };
  for (const error of errors) {
    // The `if` of a conditional rule fails whenever its `then` does: the `then` names the field.
    if (error.keyword === 'if') continue;
    if (inAnyOf(error) && error.instancePath === '') {
      // The pages' "required without": each of the two is required when the other is not present.
      add('email_address', 'The email address field is required when phone number is not present.');
      add('phone_number', 'The phone number field is required when email address is not present.');
      continue;
    }
    const field = fieldOf(error);
    // Laravel reads no input from a body that is not an object: every required field is then missing.
    if (field === '') for (const name of required) add(name, `The ${label(name)} field is required.`);
    else add(field, ruleMessage(field, error));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Views and the paginator
// ---------------------------------------------------------------------------------------------

function groupView(group: StoredGroup, server: ServerState): ContactGroup {
  let count = 0;
  for (const contact of server.easify.contacts.values()) if (contact.groupId === group.id) count++;
  return {
    id: group.id,
    name: group.name,
    contacts_count: count,
    shared_group: group.shared_group,
    default_group: group.default_group,
    created_at: group.created_at,
  };
}

function contactView(contact: StoredContact, server: ServerState): Contact {
  const { groupId, ...fields } = contact;
  const group = server.easify.groups.get(groupId) ?? server.easify.groups.get(DEFAULT_GROUP_ID)!;
  const { id, ...rest } = fields;
  return { id, group_name: group.name, ...rest };
}

/** Laravel's LengthAwarePaginator as JSON: the page's data, the links around it and its place in the list. */
function paginate<T>(ex: Exchange, server: ServerState, path: string, items: T[]) {
  const query = ex.query as { limit?: number; page?: number };
  const limit = query.limit !== undefined && query.limit > 0 ? query.limit : DEFAULT_LIMIT;
  const page = query.page !== undefined && query.page > 0 ? query.page : 1;
  const lastPage = Math.max(1, Math.ceil(items.length / limit));
  const data = pageOf(items, page, limit, 1);
  const base = `http://${ex.headers.host ?? '127.0.0.1'}${server.basePath}${path}`;
  const url = (n: number) => `${base}?page=${n}`;
  const prev = page > 1 ? url(page - 1) : null;
  const next = page < lastPage ? url(page + 1) : null;
  const from = data.length > 0 ? (page - 1) * limit + 1 : null;
  // Laravel shows the pages around the current one, and the first and the last.
  const shown = [...new Set([1, ...Array.from({ length: 7 }, (_, i) => page - 3 + i), lastPage])]
    .filter((n) => n >= 1 && n <= lastPage)
    .sort((a, b) => a - b);
  const links: components['schemas']['PageLinks'] = { first: url(1), last: url(lastPage), prev, next };
  const meta: components['schemas']['PageMeta'] = {
    current_page: page,
    from,
    last_page: lastPage,
    links: [
      { url: prev, label: '&laquo; Previous', active: false },
      ...shown.map((n) => ({ url: url(n), label: String(n), active: n === page })),
      { url: next, label: 'Next &raquo;', active: false },
    ],
    path: base,
    per_page: limit,
    to: from === null ? null : from + data.length - 1,
    total: items.length,
  };
  return { data, links, meta };
}

/** Newest first, as Easify orders its lists unless asked for `asc`. */
function ordered<T extends { id: number }>(ex: Exchange, items: T[]): T[] {
  const asc = ex.query.order === 'asc';
  return [...items].sort((a, b) => (asc ? a.id - b.id : b.id - a.id));
}

// ---------------------------------------------------------------------------------------------
// Contact groups
// ---------------------------------------------------------------------------------------------

/** A missing or empty name is no name another group can have taken (Laravel's unique rule skips it). */
function duplicateName(ex: Exchange, server: ServerState, name: unknown, self?: number): Reply | undefined {
  if (!server.rules.uniqueNames || typeof name !== 'string' || name === '') return undefined;
  if (![...server.easify.groups.values()].some((g) => g.id !== self && g.name === name)) return undefined;
  server.events.push({ kind: 'duplicate', index: ex.index });
  return easifyValidation({ name: ['The name has already been taken.'] });
}

function storedGroup(ex: Exchange, server: ServerState): StoredGroup | undefined {
  const id = integerId(ex.query.group_id);
  return id === undefined ? undefined : server.easify.groups.get(id);
}

function createContactGroup(ex: Exchange, server: ServerState): Reply {
  const request = ex.body as operations['createContactGroup']['requestBody']['content']['application/json'];
  const duplicate = duplicateName(ex, server, request.name);
  if (duplicate) return duplicate;
  const group: StoredGroup = {
    id: server.easify.nextGroupId++,
    name: request.name,
    shared_group: false,
    default_group: false,
    created_at: easifyDate(new Date(server.clock())),
  };
  server.easify.groups.set(group.id, group);
  const body: operations['createContactGroup']['responses'][200]['content']['application/json'] = {
    status: true,
    message: 'Contact Group created successfully',
    data: groupView(group, server),
  };
  return { status: 200, body };
}

function listContactGroups(ex: Exchange, server: ServerState): Reply {
  const groups = ordered(ex, [...server.easify.groups.values()]).map((g) => groupView(g, server));
  const body: operations['listContactGroups']['responses'][200]['content']['application/json'] = {
    status: true,
    message: 'Contact Groups',
    ...paginate(ex, server, '/contact-groups', groups),
  };
  return { status: 200, body };
}

function updateContactGroup(ex: Exchange, server: ServerState): Reply {
  const group = storedGroup(ex, server);
  if (!group) return easifyError(400, 'Invalid group id');
  const name = ex.query.name as string;
  const duplicate = duplicateName(ex, server, name, group.id);
  if (duplicate) return duplicate;
  group.name = name;
  const body: operations['updateContactGroup']['responses'][200]['content']['application/json'] = {
    status: true,
    message: 'Contact Group updated successfully',
    data: groupView(group, server),
  };
  return { status: 200, body };
}

function deleteContactGroup(ex: Exchange, server: ServerState): Reply {
  const group = storedGroup(ex, server);
  if (!group) return easifyError(400, 'Invalid group id');
  if (group.default_group) return easifyError(400, "You can't delete the default contact group!");
  server.easify.groups.delete(group.id);
  const body: operations['deleteContactGroup']['responses'][200]['content']['application/json'] = {
    status: true,
    message: 'Contact Group deleted successfully',
    data: [],
  };
  return { status: 200, body };
}

// ---------------------------------------------------------------------------------------------
// Contacts
// ---------------------------------------------------------------------------------------------

type ContactFields = components['schemas']['ContactFields'];

/** The phone number as Easify stores it, its country code in front (`+1` and `7736381234`: `+17736381234`). */
const phone = (fields: ContactFields): string | undefined =>
  fields.phone_number === undefined ? undefined : `${fields.country_code ?? ''}${fields.phone_number}`;

function storedContact(ex: Exchange, server: ServerState): StoredContact | undefined {
  const id = integerId(isObject(ex.body) ? ex.body.contact_id : undefined);
  return id === undefined ? undefined : server.easify.contacts.get(id);
}

function listContacts(ex: Exchange, server: ServerState): Reply {
  let contacts = [...server.easify.contacts.values()];
  const groupId = ex.query.group_id;
  if (typeof groupId === 'number') contacts = contacts.filter((c) => c.groupId === groupId);
  const body: operations['listContacts']['responses'][200]['content']['application/json'] = {
    status: true,
    message: 'Contacts',
    ...paginate(
      ex,
      server,
      '/contacts',
      ordered(ex, contacts).map((c) => contactView(c, server)),
    ),
  };
  return { status: 200, body };
}

function createContact(ex: Exchange, server: ServerState): Reply {
  const request = ex.body as operations['createContact']['requestBody']['content']['application/json'];
  const group = server.easify.groups.get(request.group_id) ?? server.easify.groups.get(DEFAULT_GROUP_ID)!;
  const now = easifyDate(new Date(server.clock()));
  const contact: StoredContact = {
    id: server.easify.nextContactId++,
    groupId: group.id,
    first_name: request.first_name,
    last_name: request.last_name ?? null,
    phone_number: phone(request) ?? null,
    email_address: request.email_address ?? null,
    company: request.company ?? null,
    additional_1: request.additional_1 ?? null,
    additional_2: request.additional_2 ?? null,
    additional_3: request.additional_3 ?? null,
    shared_contact: group.shared_group,
    created_at: now,
    updated_at: now,
  };
  server.easify.contacts.set(contact.id, contact);
  const body: operations['createContact']['responses'][200]['content']['application/json'] = {
    status: true,
    message: 'Contact created successfully',
    data: contactView(contact, server),
  };
  return { status: 200, body };
}

function updateContact(ex: Exchange, server: ServerState): Reply {
  const contact = storedContact(ex, server);
  if (!contact) return easifyError(400, 'Invalid contact id');
  const request = ex.body as operations['updateContact']['requestBody']['content']['application/json'];
  if (request.first_name !== undefined) contact.first_name = request.first_name;
  for (const name of ['last_name', 'email_address', 'company', 'additional_1', 'additional_2', 'additional_3'] as const)
    if (request[name] !== undefined) contact[name] = request[name];
  if (request.phone_number !== undefined) contact.phone_number = phone(request) ?? null;
  contact.updated_at = easifyDate(new Date(server.clock()));
  const body: operations['updateContact']['responses'][200]['content']['application/json'] = {
    status: true,
    message: 'Contact updated successfully',
    data: contactView(contact, server),
  };
  return { status: 200, body };
}

function deleteContact(ex: Exchange, server: ServerState): Reply {
  const contact = storedContact(ex, server);
  if (!contact) return easifyError(400, 'Invalid contact id');
  server.easify.contacts.delete(contact.id);
  const body: operations['deleteContact']['responses'][200]['content']['application/json'] = {
    status: true,
    message: 'Contact deleted successfully',
    data: [],
  };
  return { status: 200, body };
}

/** The lists, for which Easify documents no refusal of a malformed parameter (our spec infers Laravel's 422). */
const LISTS = new Set(['listContactGroups', 'listContacts']);

export const easify: Vendor = {
  authenticate(ex) {
    if (credentials(ex)?.scheme === 'bearer') return undefined;
    return easifyError(401, 'Unauthenticated');
  },
  throttled: (message) => easifyError(429, message),
  parameterProblem(ex, server, problems) {
    // Laravel's paginator reads a malformed page or limit as its default: all the vendor documents.
    if (LISTS.has(ex.operation.operationId) && server.ruleSet === 'documented') return undefined;
    const errors: Record<string, string[]> = {};
    for (const { parameter, raw } of problems) {
      const schema = flatten(parameter.schema);
      const text = raw?.trim();
      errors[parameter.name] = [
        text === undefined || text === ''
          ? `The ${label(parameter.name)} field is required.`
          : schema.type === 'integer'
            ? `The ${label(parameter.name)} field must be an integer.`
            : schema.maxLength !== undefined && text.length > schema.maxLength
              ? `The ${label(parameter.name)} field must not be greater than ${schema.maxLength} characters.`
              : `The ${label(parameter.name)} field is invalid.`,
      ];
    }
    return easifyValidation(errors);
  },
  // Laravel reads no input from a body it cannot parse: every required field is then missing.
  bodyProblem(ex) {
    const schema = requestSchema(ex.operation);
    const required = schema ? (flatten(schema).required ?? []) : [];
    return easifyValidation(
      Object.fromEntries(required.map((name) => [name, [`The ${label(name)} field is required.`]])),
    );
  },
  validation(ex, _server, errors) {
    const schema = requestSchema(ex.operation);
    return easifyValidation(laravelErrors(errors, schema ? (flatten(schema).required ?? []) : []));
  },
  operations: {
    createContactGroup,
    listContactGroups,
    updateContactGroup,
    deleteContactGroup,
    listContacts,
    createContact,
    updateContact,
    deleteContact,
  },
  records: (server) => [
    ...[...server.easify.groups.keys()].map((id) => ({ collection: 'contactGroups', id })),
    ...[...server.easify.contacts.keys()].map((id) => ({ collection: 'contacts', id })),
  ],
};
