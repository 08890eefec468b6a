/**
 * A planned case as the request that goes on the wire: parameters written by their style
 * (lib/wire.ts), linked ids from earlier answers filled through `resolve`, the body encoded by its
 * media type (JSON, form-urlencoded, multipart: lib/form.ts), the run's --header values merged in,
 * and the credentials given for query and cookie API keys put where the case carries the run's own.
 */
import { encodeMultipart, encodeUrlEncoded } from '../../lib/form.js';
import { escapeToken, getPointer, setPointer } from '../../lib/json-pointer.js';
import { isJsonMediaType, mediaTypeEssence } from '../../lib/media-type.js';
import { credentialNames } from '../../lib/security.js';
import { type Operation, type Parameter, pathKeyQuery, requestPath } from '../../lib/spec.js';
import { renderQuery, serializeCookie, serializePath } from '../../lib/wire.js';
import type { BodyRef, LinkedValue, PlannedBody, SentRequest, TestCase, WireValue } from '../types.js';

/** The id an earlier answer gave (as the answer had it: a number stays a number); undefined when there is none. */
export type Resolve = (linked: LinkedValue) => unknown;

/** --header pairs with their wire (lower-case) names. */
export type WireHeaders = readonly (readonly [key: string, value: string])[];

export function wireHeaders(userHeaders: readonly (readonly [string, string])[]): WireHeaders {
  return userHeaders.map(([name, value]) => [name.toLowerCase(), value] as const);
}

/**
 * The values given for the spec's query and cookie API keys (--query-credential, --cookie-credential,
 * the config file's queryCredentials and cookieCredentials), by parameter or cookie name.
 */
export interface GivenCredentials {
  query: Readonly<Record<string, string>>;
  cookies: Readonly<Record<string, string>>;
}

export const NO_CREDENTIALS: GivenCredentials = { query: {}, cookies: {} };

/**
 * A given value replaces the run's made-up one where the case carries it, as a --header does: a case
 * without it (no credentials, a wrong scheme) stays without it.
 */
function givenQuery(operation: Operation, entries: [string, WireValue][], given: GivenCredentials): void {
  if (Object.keys(given.query).length === 0) return;
  const names = credentialNames(operation.security.flat()).query;
  for (const entry of entries) {
    if (names.includes(entry[0]) && Object.hasOwn(given.query, entry[0])) entry[1] = { text: given.query[entry[0]]! };
  }
}

function givenCookies(operation: Operation, header: string, given: GivenCredentials): string {
  if (Object.keys(given.cookies).length === 0) return header;
  const names = credentialNames(operation.security.flat()).cookies;
  return header
    .split(/;\s*/)
    .map((pair) => {
      const name = pair.slice(0, Math.max(pair.indexOf('='), 0)).trim();
      return names.includes(name) && Object.hasOwn(given.cookies, name) ? `${name}=${given.cookies[name]}` : pair;
    })
    .join('; ');
}

function parameterOf(operation: Operation, location: Parameter['in'], name: string): Parameter | undefined {
  return operation.parameters.find((p) => p.in === location && p.name === name);
}

const encode = (text: string): string => encodeURIComponent(text);

function pathText(operation: Operation, name: string, value: WireValue): string {
  const parameter = parameterOf(operation, 'path', name);
  if (!parameter) return encode('text' in value ? value.text : String(value.value));
  if (!('text' in value)) return serializePath(parameter, value.value);
  // A text as it stands (an invalid value) still carries its style's prefix: only the value is wrong.
  const text = encode(value.text);
  if (parameter.style === 'matrix') return text === '' ? `;${encode(name)}` : `;${encode(name)}=${text}`;
  return parameter.style === 'label' ? `.${text}` : text;
}

function queryText(operation: Operation, entries: [string, WireValue][]): string {
  const parts: string[] = [];
  for (const [name, value] of entries) {
    const parameter = parameterOf(operation, 'query', name);
    if ('text' in value || !parameter)
      parts.push(`${encode(name)}=${encode('text' in value ? value.text : String(value.value))}`);
    else {
      const rendered = renderQuery([[parameter, value.value]]);
      if (rendered !== '') parts.push(rendered.replace(/^\?/, ''));
    }
  }
  return parts.join('&');
}

function cookieText(operation: Operation, entries: [string, WireValue][]): string {
  return entries
    .map(([name, value]) => {
      const parameter = parameterOf(operation, 'cookie', name);
      return 'text' in value || !parameter
        ? `${name}=${'text' in value ? value.text : String(value.value)}`
        : serializeCookie(parameter, value.value);
    })
    .filter(Boolean)
    .join('; ');
}

/** The body's bytes or text and its Content-Type. */
function encodeBody(operation: Operation, body: PlannedBody): { body: string | Uint8Array; contentType?: string } {
  if (body.kind === 'raw') return { body: body.text, ...(body.contentType ? { contentType: body.contentType } : {}) };
  const media = operation.requestBody?.content.find((m) => m.mediaType === body.mediaType);
  const essence = mediaTypeEssence(body.mediaType);
  if (isJsonMediaType(body.mediaType)) return { body: JSON.stringify(body.value), contentType: body.mediaType };
  const value = body.value ?? {};
  if (essence === 'application/x-www-form-urlencoded') {
    return { body: encodeUrlEncoded(value, media?.schema ?? {}, media?.encoding), contentType: body.mediaType };
  }
  if (essence === 'multipart/form-data') {
    const encoded = encodeMultipart(value, media?.schema ?? {}, media?.encoding);
    return { body: encoded.body, contentType: encoded.contentType };
  }
  return {
    body: typeof body.value === 'string' ? body.value : JSON.stringify(body.value),
    contentType: body.mediaType,
  };
}

const NO_NAMES: ReadonlySet<string> = new Set();

/** Most cases omit and force no header: no set is made for them. */
const lowerCased = (names: readonly string[]): ReadonlySet<string> =>
  names.length === 0 ? NO_NAMES : new Set(names.map((n) => n.toLowerCase()));

/** Tries for an id not yet in one array: the pool hands ids round robin, so a repeat means it is short of them. */
const DISTINCT_TRIES = 4;

/** A made record not yet named in this list, or undefined when there is none. */
function distinct(linked: LinkedValue, resolve: Resolve, used: Set<string>): unknown {
  for (let tries = 0; tries < DISTINCT_TRIES; tries++) {
    const resolved = resolve(linked);
    if (resolved === undefined) return undefined;
    const key = JSON.stringify(resolved);
    if (used.has(key)) continue;
    used.add(key);
    return resolved;
  }
  return undefined;
}

/**
 * The body with ids of records the run made where it names records of other collections. A case
 * without the field keeps it absent, and without a made record the case's own value stays, except
 * in a list of ids (members to add or remove): those are never another's records, so the case is
 * not sent. In a list, each item gets a made record not already named there; items left without
 * one are dropped (their own values may name nothing, or repeat one given), unless no item got one.
 */
function withReferences(
  value: unknown,
  refs: readonly BodyRef[],
  resolve: Resolve,
): { value: unknown } | { missing: BodyRef } {
  let copy: unknown;
  for (const ref of refs) {
    const current = getPointer(copy ?? value, ref.pointer);
    if (current === undefined) continue;
    if (ref.each === undefined && !ref.items) {
      const resolved = resolve(ref.linked);
      if (resolved === undefined) continue;
      copy ??= structuredClone(value);
      setPointer(copy, ref.pointer, ref.text ? String(resolved) : resolved);
      continue;
    }
    if (!Array.isArray(current)) continue;
    const used = new Set<string>();
    const made: unknown[] = [];
    const items = ref.count === undefined ? current : Array.from({ length: ref.count }, (_, i) => current[i]);
    for (const item of items) {
      if (!ref.items && (item === null || typeof item !== 'object' || !Object.hasOwn(item, ref.each!))) continue;
      const resolved = distinct(ref.linked, resolve, used);
      if (resolved === undefined) continue;
      if (ref.items) made.push(resolved);
      else {
        const named = structuredClone(item);
        setPointer(named, `/${escapeToken(ref.each!)}`, resolved);
        made.push(named);
      }
    }
    if (made.length === 0 || (ref.count !== undefined && made.length < ref.count)) {
      if (ref.items && items.length > 0) return { missing: ref };
      continue;
    }
    // A list that is the whole body (a bulk delete's `[1, 2]`) is replaced whole.
    if (ref.pointer === '') copy = made;
    else {
      copy ??= structuredClone(value);
      setPointer(copy, ref.pointer, made);
    }
  }
  return { value: copy ?? value };
}

/** Whether a value the run took from an answer reads, on the wire, as valid for the parameter it fills. */
export type Fits = (parameter: Parameter, value: unknown) => boolean;

/** Why a taken id cannot go in a parameter its schema refuses it for (the document's create and this operation disagree). */
function misfit(operation: Operation, name: string, value: LinkedValue, resolved: unknown, fits?: Fits) {
  const parameter = operation.parameters.find((p) => p.name === name && (p.in === 'path' || p.in === 'query'));
  if (!fits || !parameter || fits(parameter, resolved)) return undefined;
  return `${value.sourceOperationId} answered ${JSON.stringify(resolved)} for ${name}, which the parameter's schema refuses: the document's ${value.sourceOperationId} and ${operation.operationId} disagree`;
}

/** The wire request of a case, or why it cannot be sent. */
export function buildRequest(
  testCase: TestCase,
  baseUrl: string,
  userHeaders: WireHeaders,
  resolve: Resolve,
  fits?: Fits,
  given: GivenCredentials = NO_CREDENTIALS,
): SentRequest | { notSent: string } {
  const { request, operation } = testCase;
  if (request.othersRecord !== undefined) return { notSent: request.othersRecord };
  let path = requestPath(operation.path);
  const taken = new Map<string, unknown>();
  for (const [name, value] of Object.entries(request.pathParams)) {
    let text: string;
    if ('sourceOperationId' in value) {
      const resolved = resolve(value);
      if (resolved === undefined)
        return { notSent: `no record created by ${value.sourceOperationId} to take ${name} from` };
      const notSent = misfit(operation, name, value, resolved, fits);
      if (notSent !== undefined) return { notSent };
      taken.set(name, resolved);
      text = encode(String(resolved));
    } else text = pathText(operation, name, value);
    path = path.replace(`{${name}}`, text);
  }
  const queryEntries: [string, WireValue][] = [];
  for (const [name, value] of Object.entries(request.query)) {
    if (!('sourceOperationId' in value)) queryEntries.push([name, value]);
    else {
      const resolved = resolve(value);
      if (resolved === undefined)
        return { notSent: `no record created by ${value.sourceOperationId} to take ${name} from` };
      const notSent = misfit(operation, name, value, resolved, fits);
      if (notSent !== undefined) return { notSent };
      queryEntries.push([name, { value: resolved }]);
    }
  }
  givenQuery(operation, queryEntries, given);
  let body = request.body;
  if (request.bodyId && body?.kind === 'value') {
    const resolved = resolve(request.bodyId.linked);
    if (resolved === undefined) {
      return {
        notSent: `no record created by ${request.bodyId.linked.sourceOperationId} to put at ${request.bodyId.pointer}`,
      };
    }
    const value = structuredClone(body.value ?? {});
    if (value !== null && typeof value === 'object') setPointer(value, request.bodyId.pointer, resolved);
    body = { ...body, value };
  }
  // An example's member ids may be anyone's records: without records of the run's own to name, no case goes.
  if (request.unmadeIds && body?.kind === 'value') {
    const named = getPointer(body.value, request.unmadeIds.pointer);
    if (Array.isArray(named) && named.length > 0) return { notSent: request.unmadeIds.reason };
  }
  if (request.bodyRefs && body?.kind === 'value') {
    const referred = withReferences(body.value, request.bodyRefs, resolve);
    if ('missing' in referred) {
      const { linked, pointer } = referred.missing;
      return { notSent: `no record created by ${linked.sourceOperationId} to put at ${pointer}` };
    }
    body = { ...body, value: referred.value };
  }
  const pin = request.keyFromPath;
  if (pin && taken.has(pin.parameter) && body?.kind === 'value' && getPointer(body.value, pin.pointer) !== undefined) {
    const value = structuredClone(body.value);
    setPointer(value, pin.pointer, taken.get(pin.parameter));
    body = { ...body, value };
  }
  const fixed = new URLSearchParams(pathKeyQuery(operation.path)).toString();
  const query = [fixed, queryText(operation, queryEntries)].filter((part) => part !== '').join('&');
  // Names are lower-cased on the wire so that given, generated and omitted headers meet case-insensitively.
  const omitted = lowerCased(request.omitHeaders);
  const forced = lowerCased(request.forceHeaders);
  const encoded = body ? encodeBody(operation, body) : undefined;
  // The body's own Content-Type is set below, whatever the case or --header say.
  const ownType = encoded !== undefined;
  const headers: Record<string, string> = {};
  for (const name in request.headers) {
    const key = name.toLowerCase();
    if (!omitted.has(key) && !(ownType && key === 'content-type')) headers[key] = request.headers[name]!;
  }
  for (const [key, value] of userHeaders) {
    if (!forced.has(key) && !omitted.has(key) && !(ownType && key === 'content-type')) headers[key] = value;
  }
  const cookies = cookieText(operation, Object.entries(request.cookies));
  if (cookies !== '' && !omitted.has('cookie'))
    headers.cookie = headers.cookie ? `${headers.cookie}; ${cookies}` : cookies;
  if (headers.cookie !== undefined) headers.cookie = givenCookies(operation, headers.cookie, given);
  if (encoded?.contentType) headers['content-type'] = encoded.contentType;
  const sent: SentRequest = {
    method: operation.method.toUpperCase(),
    url: `${baseUrl}${path}${query === '' ? '' : `?${query}`}`,
    headers,
  };
  if (encoded) sent.body = encoded.body;
  return sent;
}
