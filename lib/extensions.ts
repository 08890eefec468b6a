/**
 * Typed readers for the project's OpenAPI extensions (documented in specs/README.md). This is the
 * only module that knows their shapes; a malformed extension is a SpecError naming where it is.
 */
import { SpecError } from './errors.js';

export interface StatusExample {
  status: string;
  example: string;
}

export const RESOURCE_ACTIONS = [
  'create',
  'read',
  'list',
  'update',
  'replace',
  'delete',
  'copy',
  'add-members',
  'remove-members',
] as const;
export type ResourceAction = (typeof RESOURCE_ACTIONS)[number];

export interface PagingExtension {
  /** Query parameters carrying the page number, the page size or an offset. */
  page?: string;
  size?: string;
  offset?: string;
  /**
   * A query parameter carrying an opaque cursor (`after`, `starting_after`): the mock's cursors are
   * positions; one naming a record's id starts after that record.
   */
  cursor?: string;
  /** A query parameter naming the record a page ends just before (`ending_before`): the page before it. */
  cursorBefore?: string;
  /** Pointer in the list body to the next page's cursor; left out (its optional container with it) on the last page. */
  nextCursorField?: string;
  /** Numbering base of `page` (default 1). */
  firstPage: number;
  defaultSize?: number;
  /** Pointers in the list body the mock fills: the total count, the page and the page size. */
  total?: string;
  /** ... the count of records before the list's filters. */
  unfilteredTotal?: string;
  pageField?: string;
  /** The number `pageField` gives the first page, when it counts from another base than `page` (default `firstPage`). */
  pageFieldFirst?: number;
  sizeField?: string;
  /** ... the number of items on this page, the number of pages (at least 1), whether pages follow or precede it. */
  countField?: string;
  pagesField?: string;
  hasNextField?: string;
  hasPreviousField?: string;
  /** ... the 1-based positions of the page's first and last item in the whole list (null on an empty page). */
  fromField?: string;
  toField?: string;
}

/** A query parameter that filters a list: on a field's value, or on membership of the record it names. */
export type FilterExtension =
  | { parameter: string; field: string; match: 'equals' | 'contains' | 'prefix' | 'wildcard' }
  /** The members of the record of `memberOf` whose id the parameter gives (its add-members). */
  | { parameter: string; memberOf: string };

/**
 * Where a list's body carries the page's own URLs: the operation's URL (no query) with only the
 * `paging.page` parameter, so a client can follow them. `previous` and `next` are null where no
 * such page is.
 */
export interface PageUrlsExtension {
  first?: string;
  last?: string;
  previous?: string;
  next?: string;
  /** ... the operation's URL without a query. */
  path?: string;
  /** ... a list of `{url, label, active}`: previous, the pages around this one (`...` between), next. */
  pages?: string;
  /** With `pages`: the labels of its first and last entries and how many pages each side of the current one it keeps. */
  list?: { previousLabel: string; nextLabel: string; onEachSide: number };
  /** The URLs keep the page size the request asked for (Twilio's `PageSize`), besides the page. */
  keepSize?: boolean;
}

/**
 * A field of a shown record that another collection decides: the number of records of `count` whose
 * `by` is this record's id; the `value` of the record of `from` whose id is this record's `by` (a
 * create or update whose `by` names no stored record of `from` gets `missing`, when declared); or
 * the list of the records of `memberOf` this record is a member of (their add-members and
 * remove-members), which a create joins by the items of its own `field`, each naming one by `key`.
 */
export type RelatedField =
  | { field: string; by: string; count: string }
  | { field: string; by: string; from: string; value: string; missing?: StatusExample }
  | { field: string; memberOf: string; key: string };

/** How a list is ordered: by a field a query parameter names (or a fixed one), in a direction. */
export interface SortExtension {
  /** Query parameter naming the record field to sort by. */
  by?: string;
  /** The field sorted by when no `by` parameter is given; without either, records keep their stored order. */
  field?: string;
  /** Query parameter carrying the direction, and its values for each. */
  direction?: string;
  ascending: string;
  descending: string;
  /** The direction when none is given. */
  default: 'ascending' | 'descending';
}

export interface ResourceExtension {
  collection: string;
  action: ResourceAction;
  /** JSON pointer to the record inside the 2xx body; '' is the whole body. */
  record: string;
  /** Property of the record holding its id (create, copy). */
  id?: string;
  /** The path (or query) parameter carrying the id of the record acted on. */
  idParameter?: string;
  /** Instead of `idParameter`: a JSON pointer to the id in the request body. */
  idPointer?: string;
  /** delete, instead of `idParameter`: a JSON pointer to a list of ids in the request body, each record deleted. */
  idsPointer?: string;
  /** delete, instead of `idParameter`: a query parameter listing ids (an array, or a text of ids joined by commas), each record deleted. */
  idsParameter?: string;
  /**
   * update: how the request changes the stored record: the body's properties (merge), an RFC 6902
   * body (json-patch), or the query parameters other than the id's (parameters).
   */
  patch?: 'merge' | 'json-patch' | 'parameters';
  /** json-patch: a path's member names match the record's whatever their case (`/isblacklist` is `isBlacklist`). */
  patchNames?: 'ignore-case';
  /** json-patch: a text value becomes the type the schema gives the member it lands on (`"true"` a boolean). */
  patchValues?: 'convert';
  /** Records the collection holds before any create (a vendor's account comes with them). */
  seed?: Record<string, unknown>[];
  /** list: JSON pointer to the array of records in the 2xx body. */
  items?: string;
  paging?: PagingExtension;
  pageUrls?: PageUrlsExtension;
  filters?: FilterExtension[];
  sort?: SortExtension;
  related?: RelatedField[];
  /** delete: a record whose `field` is true is refused with this documented answer. */
  protect?: { field: string } & StatusExample;
  /** add-members / remove-members: which records, where their ids are, and the property counting them. */
  members?: { collection: string; ids?: string; parameter?: string; count?: string };
  /** The answer for an id not stored (default status 404, first example). */
  notFound?: { status: string; example?: string };
  unique?: { fields: string[] } & StatusExample;
  merge?: { on: string; merged: StatusExample; conflict: StatusExample };
  /** create (and the collection's other writes): the record's properties the server stamps with the time. */
  timestamps?: TimestampsExtension;
  /** read, list: how much of each record a query parameter asks to see. */
  views?: ViewsExtension;
  /** create (and the collection's updates): properties the server writes as other sent ones joined. */
  compose?: ComposeField[];
}

/** `field` is stored as the texts of `from` joined, when a request sends all of them (Easify's `+1` and number). */
export interface ComposeField {
  field: string;
  from: string[];
}

/** A parameter naming how much of a record to show (Eloqua's `depth`): each view's fields, or all of them. */
export interface ViewsExtension {
  parameter: string;
  /** The view shown when the parameter is absent or names none of `shows`. */
  default: string;
  /** The record property that says which view it is shown in. */
  field?: string;
  /** View name -> the record's properties it shows, or `all`. */
  shows: Record<string, string[] | 'all'>;
}

/**
 * How a time is written: `date-time` (RFC 3339 in UTC, milliseconds), `unix` (whole seconds, a
 * number), `unix-text` (the same as a decimal string), or a pattern of `YYYY`, `MM`, `DD`, `HH`
 * (00-23), `hh` (01-12), `mm`, `ss` and `A` (AM/PM), in UTC.
 */
export type TimestampFormat = string;

export interface TimestampsExtension {
  /** Set when the record is made (a create or a copy). */
  created?: string;
  /** Set whenever the record is written (a create, a copy, an update, a replace). */
  updated?: string;
  format: TimestampFormat;
}

/** At most `limit` requests per `period` seconds: the spec's limit, the mock's override and the runner's pace. */
export interface Rate {
  limit: number;
  /** Seconds. */
  period: number;
}

export interface RateLimitExtension extends Rate {
  scope: 'credential' | 'global';
  status: string;
  /** Vendor message with a {retryAfter} placeholder. */
  message?: string;
}

export interface ErrorBodyExtension {
  message?: string;
  fieldErrors?: string;
  errorId?: string;
  timestamp?: string;
  status?: string;
  items?: {
    field?: string;
    value?: string;
    requirement?: string;
    requirements?: Record<string, string>;
  };
  /**
   * Which documented example an answer starts from, by what went wrong: `required`, `invalid`,
   * `duplicate`, `malformed` (unparseable body), `unsupported` (media type), `too-large`, `empty`,
   * `missing-credentials`, `invalid-credentials`, `not-found`, `rate-limited`; narrowed to one field as
   * `invalid:addresses.msisdn`; `default` for any other. Without a match, the first example.
   */
  examples?: Record<string, string>;
  /**
   * The vendor's sentence for a cause (`required`, `invalid`, `duplicate`, `not-found`), written into
   * `message` and `fieldErrors` with `{field}` (as sent), `{label}` (its words: `group_id` -> `group
   * id`) and `{value}` filled in: `not-found: Unable to find contact with id {value}`.
   */
  messages?: Record<string, string>;
}

import { isObject, type JsonObject as Json } from './json.js';

function fail(where: string, message: string): never {
  throw new SpecError(`${where}: ${message}`);
}

function str(obj: Json, key: string, where: string): string {
  const value = obj[key];
  if (typeof value !== 'string') fail(where, `"${key}" must be a string`);
  return value;
}

function statusExample(value: unknown, where: string): StatusExample {
  if (!isObject(value)) fail(where, 'must be an object with "status" and "example"');
  return { status: String(value.status ?? fail(where, '"status" is required')), example: str(value, 'example', where) };
}

function optionalString(obj: Json, key: string, where: string): string | undefined {
  return obj[key] === undefined ? undefined : str(obj, key, where);
}

/** The paging keys naming where in a list's body the mock writes what the page is. */
export const PAGING_POINTERS = [
  'total',
  'unfilteredTotal',
  'pageField',
  'sizeField',
  'countField',
  'pagesField',
  'hasNextField',
  'hasPreviousField',
  'fromField',
  'toField',
  'nextCursorField',
] as const;

const PAGING_TEXT_KEYS = ['page', 'size', 'offset', 'cursor', 'cursorBefore', ...PAGING_POINTERS] as const;

function readPaging(raw: unknown, where: string): PagingExtension {
  if (!isObject(raw)) fail(where, '"paging" must be an object');
  const paging: PagingExtension = { firstPage: 1 };
  for (const key of PAGING_TEXT_KEYS) {
    const value = optionalString(raw, key, `${where} paging`);
    if (value !== undefined) paging[key] = value;
  }
  if (raw.firstPage !== undefined) {
    if (!Number.isInteger(raw.firstPage)) fail(where, '"paging.firstPage" must be an integer');
    paging.firstPage = raw.firstPage as number;
  }
  if (raw.pageFieldFirst !== undefined) {
    if (!Number.isInteger(raw.pageFieldFirst)) fail(where, '"paging.pageFieldFirst" must be an integer');
    paging.pageFieldFirst = raw.pageFieldFirst as number;
  }
  if (raw.defaultSize !== undefined) {
    if (!Number.isInteger(raw.defaultSize) || (raw.defaultSize as number) < 1) {
      fail(where, '"paging.defaultSize" must be a positive integer');
    }
    paging.defaultSize = raw.defaultSize as number;
  }
  return paging;
}

/** The page-URL keys that are pointers into the list's body. */
export const PAGE_URL_POINTERS = ['first', 'last', 'previous', 'next', 'path', 'pages'] as const;

function readPageUrls(raw: unknown, paging: PagingExtension | undefined, where: string): PageUrlsExtension {
  const at = `${where} pageUrls`;
  if (!isObject(raw)) fail(at, 'must be an object');
  if (paging?.page === undefined || paging.offset !== undefined)
    fail(at, 'needs "paging.page" and no "paging.offset": the URLs differ by the page parameter alone');
  const urls: PageUrlsExtension = {};
  for (const key of PAGE_URL_POINTERS) {
    const value = optionalString(raw, key, at);
    if (value !== undefined) urls[key] = value;
  }
  if (raw.keepSize !== undefined) {
    if (typeof raw.keepSize !== 'boolean') fail(at, '"keepSize" must be true or false');
    if (raw.keepSize && paging.size === undefined) fail(at, '"keepSize" needs "paging.size"');
    urls.keepSize = raw.keepSize;
  }
  if (urls.pages !== undefined) {
    if (!Number.isInteger(raw.onEachSide) || (raw.onEachSide as number) < 0)
      fail(at, '"pages" needs "onEachSide", a whole number, 0 or more');
    urls.list = {
      previousLabel: str(raw, 'previousLabel', at),
      nextLabel: str(raw, 'nextLabel', at),
      onEachSide: raw.onEachSide as number,
    };
  }
  return urls;
}

function readCompose(raw: unknown, where: string): ComposeField[] {
  if (!Array.isArray(raw)) fail(where, '"compose" must be a list');
  return raw.map((item, i) => {
    const at = `${where} compose[${i}]`;
    if (!isObject(item)) fail(at, 'must be an object');
    const from = item.from;
    if (!Array.isArray(from) || from.length < 2 || !from.every((f) => typeof f === 'string')) {
      fail(at, '"from" must list two or more property names');
    }
    return { field: str(item, 'field', at), from: from as string[] };
  });
}

function readViews(raw: unknown, where: string): ViewsExtension {
  const at = `${where} views`;
  if (!isObject(raw)) fail(where, '"views" must be an object');
  if (!isObject(raw.shows) || Object.keys(raw.shows).length === 0) fail(at, '"shows" must map view names to fields');
  const shows: Record<string, string[] | 'all'> = {};
  for (const [name, fields] of Object.entries(raw.shows)) {
    if (fields !== 'all' && !(Array.isArray(fields) && fields.every((f) => typeof f === 'string'))) {
      fail(at, `"shows.${name}" must be a list of property names or "all"`);
    }
    shows[name] = fields as string[] | 'all';
  }
  const result: ViewsExtension = { parameter: str(raw, 'parameter', at), default: str(raw, 'default', at), shows };
  if (!Object.hasOwn(shows, result.default)) fail(at, `"default" must be one of ${Object.keys(shows).join(', ')}`);
  const field = optionalString(raw, 'field', at);
  if (field !== undefined) result.field = field;
  return result;
}

const TIME_TOKEN = /YYYY|MM|DD|HH|hh|mm|ss|A/;

function readTimestamps(raw: unknown, where: string): TimestampsExtension {
  if (!isObject(raw)) fail(where, '"timestamps" must be an object');
  const format = str(raw, 'format', `${where} timestamps`);
  // A pattern is its tokens and punctuation: a letter outside them (`DATE-TIME`) is a typo, not text.
  const pattern = TIME_TOKEN.test(format) && !/[A-Za-z]/.test(format.replace(new RegExp(TIME_TOKEN, 'g'), ''));
  if (!['date-time', 'unix', 'unix-text'].includes(format) && !pattern) {
    fail(where, '"timestamps.format" must be date-time, unix, unix-text or a pattern of YYYY MM DD HH hh mm ss A');
  }
  const result: TimestampsExtension = { format };
  for (const key of ['created', 'updated'] as const) {
    const value = optionalString(raw, key, `${where} timestamps`);
    if (value !== undefined) result[key] = value;
  }
  if (result.created === undefined && result.updated === undefined) {
    fail(where, '"timestamps" needs "created" or "updated"');
  }
  return result;
}

function readRelated(raw: unknown, where: string): RelatedField[] {
  if (!Array.isArray(raw)) fail(where, '"related" must be a list');
  return raw.map((item, i) => {
    const at = `${where} related[${i}]`;
    if (!isObject(item)) fail(at, 'must be an object');
    const field = str(item, 'field', at);
    const kinds = ['count', 'from', 'memberOf'].filter((kind) => item[kind] !== undefined);
    if (kinds.length !== 1) fail(at, 'needs one of "count", "from" and "memberOf"');
    if (item.memberOf !== undefined) return { field, memberOf: str(item, 'memberOf', at), key: str(item, 'key', at) };
    const by = str(item, 'by', at);
    if (item.count !== undefined) {
      if (item.missing !== undefined) fail(at, '"missing" goes with "from": a count has nothing to miss');
      return { field, by, count: str(item, 'count', at) };
    }
    return {
      field,
      by,
      from: str(item, 'from', at),
      value: str(item, 'value', at),
      ...(item.missing !== undefined ? { missing: statusExample(item.missing, `${at} missing`) } : {}),
    };
  });
}

function readFilters(raw: unknown, where: string): FilterExtension[] {
  if (!Array.isArray(raw)) fail(where, '"filters" must be a list');
  return raw.map((item, i) => {
    const at = `${where} filters[${i}]`;
    if (!isObject(item)) fail(at, 'must be an object');
    if (item.memberOf !== undefined) {
      if (item.field !== undefined || item.match !== undefined) fail(at, '"memberOf" takes no "field" or "match"');
      return { parameter: str(item, 'parameter', at), memberOf: str(item, 'memberOf', at) };
    }
    const match = item.match ?? 'equals';
    if (match !== 'equals' && match !== 'contains' && match !== 'prefix' && match !== 'wildcard') {
      fail(at, '"match" must be equals, contains, prefix or wildcard');
    }
    return { parameter: str(item, 'parameter', at), field: str(item, 'field', at), match };
  });
}

function readSort(raw: unknown, where: string): SortExtension {
  const at = `${where} sort`;
  if (!isObject(raw)) fail(at, 'must be an object');
  const direction = raw.default ?? 'ascending';
  if (direction !== 'ascending' && direction !== 'descending') fail(at, '"default" must be ascending or descending');
  const sort: SortExtension = {
    ascending: optionalString(raw, 'ascending', at) ?? 'asc',
    descending: optionalString(raw, 'descending', at) ?? 'desc',
    default: direction,
  };
  for (const key of ['by', 'field', 'direction'] as const) {
    const value = optionalString(raw, key, at);
    if (value !== undefined) sort[key] = value;
  }
  return sort;
}

export function readResource(raw: unknown, where: string): ResourceExtension | undefined {
  if (raw === undefined) return undefined;
  where = `${where} x-resource`;
  if (!isObject(raw)) fail(where, 'must be an object');
  const action = str(raw, 'action', where);
  if (!(RESOURCE_ACTIONS as readonly string[]).includes(action)) {
    fail(where, `"action" must be one of ${RESOURCE_ACTIONS.join(', ')}`);
  }
  const result: ResourceExtension = {
    collection: str(raw, 'collection', where),
    action: action as ResourceAction,
    record: typeof raw.record === 'string' ? raw.record : '',
  };
  for (const key of ['id', 'idParameter', 'idPointer', 'idsPointer', 'idsParameter', 'items'] as const) {
    const value = optionalString(raw, key, where);
    if (value !== undefined) result[key] = value;
  }
  for (const key of ['idsPointer', 'idsParameter'] as const)
    if (result[key] !== undefined && result.action !== 'delete') fail(where, `"${key}" needs "action": "delete"`);
  const naming = (['idParameter', 'idPointer', 'idsPointer', 'idsParameter'] as const).filter(
    (k) => result[k] !== undefined,
  );
  if (naming.length > 1 && naming.some((k) => k.startsWith('ids')))
    fail(where, `"${naming[0]}" and "${naming[1]}" both name the records deleted: give one`);
  if (raw.patch !== undefined) {
    if (raw.patch !== 'merge' && raw.patch !== 'json-patch' && raw.patch !== 'parameters') {
      fail(where, '"patch" must be "merge", "json-patch" or "parameters"');
    }
    result.patch = raw.patch;
  }
  // How a JSON Patch is read: each key takes its one value, and only beside `patch: json-patch`.
  for (const [key, value] of [
    ['patchNames', 'ignore-case'],
    ['patchValues', 'convert'],
  ] as const) {
    if (raw[key] === undefined) continue;
    if (raw[key] !== value) fail(where, `"${key}" must be "${value}"`);
    if (result.patch !== 'json-patch') fail(where, `"${key}" needs "patch": "json-patch"`);
  }
  if (raw.patchNames !== undefined) result.patchNames = 'ignore-case';
  if (raw.patchValues !== undefined) result.patchValues = 'convert';
  if (raw.seed !== undefined) {
    if (!Array.isArray(raw.seed) || !raw.seed.every(isObject)) fail(where, '"seed" must be a list of records');
    result.seed = raw.seed as Record<string, unknown>[];
  }
  if (raw.paging !== undefined) result.paging = readPaging(raw.paging, where);
  if (raw.pageUrls !== undefined) result.pageUrls = readPageUrls(raw.pageUrls, result.paging, where);
  if (raw.filters !== undefined) result.filters = readFilters(raw.filters, where);
  if (raw.sort !== undefined) result.sort = readSort(raw.sort, where);
  if (raw.related !== undefined) result.related = readRelated(raw.related, where);
  if (raw.timestamps !== undefined) result.timestamps = readTimestamps(raw.timestamps, where);
  if (raw.views !== undefined) result.views = readViews(raw.views, where);
  if (raw.compose !== undefined) result.compose = readCompose(raw.compose, where);
  if (raw.protect !== undefined) {
    if (!isObject(raw.protect)) fail(where, '"protect" must be an object');
    result.protect = {
      field: str(raw.protect, 'field', `${where} protect`),
      ...statusExample(raw.protect, `${where} protect`),
    };
  }
  if (raw.members !== undefined) {
    if (!isObject(raw.members)) fail(where, '"members" must be an object');
    const at = `${where} members`;
    const members: NonNullable<ResourceExtension['members']> = { collection: str(raw.members, 'collection', at) };
    for (const key of ['ids', 'parameter', 'count'] as const) {
      const value = optionalString(raw.members, key, at);
      if (value !== undefined) members[key] = value;
    }
    if (members.ids === undefined && members.parameter === undefined) fail(at, 'needs "ids" or "parameter"');
    result.members = members;
  }
  if (raw.notFound !== undefined) {
    if (!isObject(raw.notFound)) fail(where, '"notFound" must be an object');
    const example = optionalString(raw.notFound, 'example', `${where} notFound`);
    result.notFound = { status: String(raw.notFound.status ?? '404'), ...(example !== undefined ? { example } : {}) };
  }
  if (raw.unique !== undefined) {
    if (!isObject(raw.unique)) fail(where, '"unique" must be an object');
    const fields = raw.unique.fields;
    if (!Array.isArray(fields) || !fields.every((f) => typeof f === 'string'))
      fail(where, '"unique.fields" must be a list of property names');
    result.unique = { fields: fields as string[], ...statusExample(raw.unique, `${where} unique`) };
  }
  if (raw.merge !== undefined) {
    if (!isObject(raw.merge)) fail(where, '"merge" must be an object');
    result.merge = {
      on: str(raw.merge, 'on', `${where} merge`),
      merged: statusExample(raw.merge.merged, `${where} merge.merged`),
      conflict: statusExample(raw.merge.conflict, `${where} merge.conflict`),
    };
  }
  return result;
}

export function readRateLimit(raw: unknown, where: string): RateLimitExtension | undefined {
  if (raw === undefined) return undefined;
  where = `${where} x-rate-limit`;
  if (!isObject(raw)) fail(where, 'must be an object');
  const limit = raw.limit;
  const period = raw.period;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1)
    fail(where, '"limit" must be a positive integer');
  if (typeof period !== 'number' || !(period > 0)) fail(where, '"period" must be a positive number of seconds');
  const scope = raw.scope ?? 'credential';
  if (scope !== 'credential' && scope !== 'global') fail(where, '"scope" must be "credential" or "global"');
  return {
    limit,
    period,
    scope,
    status: String(raw.status ?? '429'),
    ...(typeof raw.message === 'string' ? { message: raw.message } : {}),
  };
}

/**
 * `x-credential` (security scheme): what the vendor says a credential of the scheme looks like. The
 * pattern is matched against the decoded `user:password` of Basic credentials, the token of other
 * `Authorization` schemes and an API key's value; the example is such a credential.
 */
export interface CredentialExtension {
  pattern: RegExp;
  example: string;
}

export function readCredential(raw: unknown, where: string): CredentialExtension | undefined {
  if (raw === undefined) return undefined;
  where = `${where} x-credential`;
  if (!isObject(raw)) fail(where, 'must be an object with "pattern" and "example"');
  const source = str(raw, 'pattern', where);
  let pattern: RegExp;
  try {
    pattern = new RegExp(source, 'u');
  } catch (error) {
    fail(where, `"pattern" is not a regular expression: ${(error as Error).message}`);
  }
  const example = str(raw, 'example', where);
  if (!pattern.test(example)) fail(where, `"example" does not match "pattern"`);
  return { pattern, example };
}

export function readErrorBody(raw: unknown, where: string): ErrorBodyExtension | undefined {
  if (raw === undefined) return undefined;
  where = `${where} x-error-body`;
  if (!isObject(raw)) fail(where, 'must be an object');
  const result: ErrorBodyExtension = {};
  for (const key of ['message', 'fieldErrors', 'errorId', 'timestamp', 'status'] as const) {
    if (raw[key] !== undefined) result[key] = str(raw, key, where);
  }
  if (raw.messages !== undefined) {
    if (!isObject(raw.messages) || !Object.values(raw.messages).every((m) => typeof m === 'string')) {
      fail(where, '"messages" must map causes to sentences');
    }
    result.messages = raw.messages as Record<string, string>;
  }
  if (raw.items !== undefined) {
    if (!isObject(raw.items)) fail(where, '"items" must be an object');
    const items = raw.items;
    result.items = {};
    for (const key of ['field', 'value', 'requirement'] as const) {
      if (items[key] !== undefined) result.items[key] = str(items, key, `${where} items`);
    }
    if (items.requirements !== undefined) {
      if (!isObject(items.requirements)) fail(where, '"items.requirements" must be an object');
      result.items.requirements = Object.fromEntries(
        Object.entries(items.requirements).map(([k, v]) => [k, String(v)]),
      );
    }
  }
  if (raw.examples !== undefined) {
    if (!isObject(raw.examples)) fail(where, '"examples" must map what went wrong to an example name');
    result.examples = Object.fromEntries(Object.entries(raw.examples).map(([k, v]) => [k, String(v)]));
  }
  return result;
}

/**
 * `x-inferred`: keyword -> one-line reason, on a schema, a request body or a response. The keys a
 * node may carry are checked by the spec tests; here only the shape is, so a malformed mark is a
 * SpecError rather than a silently documented rule.
 */
export function readInferred(raw: unknown, where: string): Record<string, string> | undefined {
  if (raw === undefined) return undefined;
  where = `${where} x-inferred`;
  if (!isObject(raw)) fail(where, 'must be a map from keyword to reason');
  const result: Record<string, string> = {};
  for (const [keyword, reason] of Object.entries(raw)) {
    if (typeof reason !== 'string' || reason.trim() === '') fail(where, `"${keyword}" needs a one-line reason`);
    result[keyword] = reason;
  }
  return result;
}
