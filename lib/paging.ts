/**
 * How a list pages by its query parameters' names alone, where no `x-resource` declares it
 * (`limit`, `per_page`, `offset`, `page`): the mock pages by it, the runner knows a page may be full.
 */
import type { PageUrlsExtension, PagingExtension } from './extensions.js';
import { appendPointer, parsePointer } from './json-pointer.js';
import type { JsonSchema } from './json-schema.js';
import { flatten, mainType } from './schema.js';
import type { Operation, Parameter } from './spec.js';
import { objectProperties } from './wire.js';

/** Query parameters that set how many items a page holds, and those that page through a list otherwise. */
export const PAGE_SIZE = /^(\$?top|limit|per_?page|page_?size|size|count|max_?results|take)$/i;
export const PAGE_MOVE =
  /^(\$?skip|offset|start|page|page_?number|cursor|after|before|page_?token|next_?token|starting_?after|marker)$/i;
// Not `start`: as often a time as a position.
const OFFSET = /^(\$?skip|offset)$/i;
const PAGE = /^(page|page_?number)$/i;
const CURSOR = /^(cursor|after|page_?token|next_?token|starting_?after|marker|continuation_?token)$/i;
const BEFORE = /^(ending_?before|before)$/i;
/** Names a list body gives the next page's cursor under, besides the cursor parameter's own (`paging.next.after`). */
const NEXT_CURSOR = /^(next_?cursor|next_?page_?token|next_?token|next_?marker)$/i;
const HAS_NEXT = /^(has_?more|has_?next(_?page)?)$/i;
/**
 * Names a list body gives the count of every record the list holds, all pages together (Mailchimp's
 * `total_items`, Brevo's and Django REST framework's `count`).
 */
const TOTAL = /^(total|total_?items|total_?count|total_?results|total_?size|count)$/i;
/** Names a list body gives the page size under (not `count`: as often the number of records). */
const SIZE_FIELD = /^(page_?size|per_?page|limit)$/i;
/** Names a list body gives the URLs of other pages under (Twilio's `meta.next_page_url`). */
const PAGE_URLS = {
  first: /^first_?page_?(url|uri)$/i,
  previous: /^(previous|prev)_?page_?(url|uri)$/i,
  next: /^next_?page_?(url|uri)$/i,
} as const;
/** How far down a list body its paging fields are looked for: `paging.next.after`. */
const PAGING_DEPTH = 3;

/** The pointer of the first property of one of `types` (text, a flag, a count) a name test picks, at most PAGING_DEPTH down. */
function fieldNamed(
  schema: JsonSchema | undefined,
  test: (name: string) => boolean,
  types: readonly string[] = ['string'],
): string | undefined {
  const queue: [JsonSchema, string, number][] = schema ? [[schema, '', 0]] : [];
  while (queue.length > 0) {
    const [at, pointer, depth] = queue.shift()!;
    for (const [name, property] of Object.entries(objectProperties(at) ?? {})) {
      const where = appendPointer(pointer, name);
      const kind = mainType(flatten(property));
      if (test(name) && kind !== undefined && types.includes(kind)) return where;
      if (kind === 'object' && depth + 1 < PAGING_DEPTH) queue.push([property, where, depth + 1]);
    }
  }
  return undefined;
}

const counts = (parameter: Parameter): boolean => {
  const type = mainType(flatten(parameter.schema));
  return type === 'integer' || type === 'number';
};

/**
 * The paging a list's parameters suggest (a size, an offset, a page number, a text cursor), or none;
 * `body` (the list's answer schema) says where the next page's cursor and a "more follow" flag go.
 */
export function inferredPaging(list: Operation, body?: JsonSchema): PagingExtension | undefined {
  const query = list.parameters.filter((p) => p.in === 'query' && counts(p));
  const size = query.find((p) => PAGE_SIZE.test(p.name));
  const offset = query.find((p) => OFFSET.test(p.name));
  const page = query.find((p) => PAGE.test(p.name));
  const cursor = list.parameters.find(
    (p) => p.in === 'query' && CURSOR.test(p.name) && mainType(flatten(p.schema)) === 'string',
  );
  const before = list.parameters.find(
    (p) => p.in === 'query' && BEFORE.test(p.name) && mainType(flatten(p.schema)) === 'string',
  );
  if (!size && !offset && !page && !cursor && !before) return undefined;
  const fallback = flatten(size?.schema ?? {}).default;
  // A field named for a next cursor first; one named as the cursor parameter only under a `next`
  // object (HubSpot's `paging.next.after`): at the top it is as often the cursor this page was asked
  // with, null on the first page, which would say no page follows.
  const echoed = cursor && fieldNamed(body, (name) => name === cursor.name);
  const next =
    cursor &&
    (fieldNamed(body, (name) => NEXT_CURSOR.test(name)) ??
      (echoed !== undefined && /^next$/i.test(parsePointer(echoed).at(-2) ?? '') ? echoed : undefined));
  const more = fieldNamed(body, (name) => HAS_NEXT.test(name), ['boolean']);
  // A count documents often type as a plain `number` (a JavaScript server's), a total all the same.
  const total = fieldNamed(body, (name) => TOTAL.test(name), ['integer', 'number']);
  // The page a list body says it is and how large its pages are (Twilio's `meta.page`, `meta.page_size`).
  const pageField = page && fieldNamed(body, (name) => PAGE.test(name) || /^current_?page$/i.test(name), ['integer']);
  const sizeField = size && fieldNamed(body, (name) => SIZE_FIELD.test(name), ['integer']);
  return {
    firstPage: page && flatten(page.schema).minimum === 0 ? 0 : 1,
    ...(size ? { size: size.name } : {}),
    ...(offset ? { offset: offset.name } : {}),
    ...(page ? { page: page.name } : {}),
    ...(cursor ? { cursor: cursor.name } : {}),
    ...(before ? { cursorBefore: before.name } : {}),
    ...(next ? { nextCursorField: next } : {}),
    ...(more ? { hasNextField: more } : {}),
    ...(total ? { total } : {}),
    ...(pageField ? { pageField } : {}),
    ...(sizeField ? { sizeField } : {}),
    ...(typeof fallback === 'number' && Number.isSafeInteger(fallback) && fallback > 0
      ? { defaultSize: fallback }
      : {}),
  };
}

/**
 * Where a list body stops saying a next page follows: the outermost property on the way to the next
 * cursor that the schema does not require (HubSpot's whole `paging`), or the cursor itself when each
 * is required.
 */
export function lastPageDrops(body: JsonSchema | undefined, cursor: string): string {
  let at = body;
  let pointer = '';
  for (const token of parsePointer(cursor)) {
    pointer = appendPointer(pointer, token);
    const flat = at ? flatten(at) : undefined;
    if (!flat?.required?.includes(token)) return pointer;
    at = objectProperties(flat)?.[token];
  }
  return cursor;
}

/** Where a cursor starts a page: a position the mock gave, else just after the record whose id it names, else the start. */
export function cursorStart(cursor: string, ids: readonly string[]): number {
  if (/^\d+$/.test(cursor)) return Math.min(Number(cursor), ids.length);
  const at = ids.indexOf(cursor);
  return at < 0 ? 0 : at + 1;
}

/** Where a page that ends before a cursor ends: just before the record whose id it names, else the end. */
export function cursorEnd(cursor: string, ids: readonly string[]): number {
  const at = ids.indexOf(cursor);
  return at < 0 ? ids.length : at;
}

/**
 * Where a list body paged by a page number gives the URLs of its first, previous and next pages
 * (Twilio's `meta.next_page_url`, null on the last page), when it gives any.
 */
export function inferredPageUrls(
  paging: PagingExtension | undefined,
  body: JsonSchema | undefined,
): PageUrlsExtension | undefined {
  if (!paging?.page || paging.offset !== undefined) return undefined;
  const found: PageUrlsExtension = {};
  for (const [which, name] of Object.entries(PAGE_URLS) as [keyof typeof PAGE_URLS, RegExp][]) {
    const pointer = fieldNamed(body, (field) => name.test(field));
    if (pointer !== undefined) found[which] = pointer;
  }
  if (Object.keys(found).length === 0) return undefined;
  return paging.size === undefined ? found : { ...found, keepSize: true };
}
