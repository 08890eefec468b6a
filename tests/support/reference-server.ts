/**
 * A small, conformant implementation of each of the four specs, on 127.0.0.1 and a free port. It is
 * the "known good" target of the conformance runner: the runner must find nothing wrong with it, and
 * every faulty variant (faulty-servers.ts) is this server with one behaviour overridden.
 *
 * Two modes. By default it is what the vendor very likely is: every rule of the spec is enforced,
 * the inferred ones (`x-inferred`) included. With `documentedOnly` it does exactly what the vendors
 * document and nothing more: requests are validated with the documented rule set only (an inferred
 * bound or required mark is not enforced, a body the vendor leaves optional may be left out, a
 * property only we call read-only is writable), read-only properties are ignored, a response whose
 * body only we assume is sent without one, and a header only we call required is not sent.
 *
 * Each request goes through the same pipeline, and each stage is a named behaviour a fault can
 * replace: authenticate -> rateLimit -> requiredHeaders -> pathParameters -> parseBody -> bodyErrors
 * -> validateBody -> the vendor's business rules (store, merge, duplicates) -> finish. Every reply is
 * checked against the spec (under the mode's rules) before it is sent; a reply that does not conform
 * is recorded in `violations` (the reference server must end every test with none).
 */

import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { ErrorObject } from 'ajv';
import type { components as EightByEight, operations as EightByEightOps } from '../../generated/8x8-contacts.js';
import type { components as BigChange, operations as BigChangeOps } from '../../generated/bigchange-contact-groups.js';
import type { components as Easify, operations as EasifyOps } from '../../generated/easify-contact-groups.js';
import type { components as Eloqua, operations as EloquaOps } from '../../generated/eloqua-contact-segments.js';
import { formatAjvErrors } from '../../lib/ajv-errors.js';
import type { JsonSchema } from '../../lib/json-schema.js';
import { documentedOnly } from '../../lib/provenance.js';
import { documentedResponse } from '../../lib/responses.js';
import { loadSpec, type Operation, type Response, type Spec, serverBasePath } from '../../lib/spec.js';
import { type RuleSet, ValidatorCache } from '../../lib/validator.js';
import { coerceText } from '../../lib/wire.js';

export type SpecKey = 'bigchange' | '8x8' | 'eloqua' | 'easify';
export const SPEC_KEYS: readonly SpecKey[] = ['bigchange', '8x8', 'eloqua', 'easify'];

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Spec file of each key, relative to the repository root (the form the runner's CLI takes). */
export const SPEC_FILES: Record<SpecKey, string> = {
  bigchange: 'specs/bigchange-contact-groups.yaml',
  '8x8': 'specs/8x8-contacts.yaml',
  eloqua: 'specs/eloqua-contact-segments.yaml',
  easify: 'specs/easify-contact-groups.yaml',
};

// ---------------------------------------------------------------------------------------------
// Wire types
// ---------------------------------------------------------------------------------------------

export interface Exchange {
  spec: SpecKey;
  operation: Operation;
  method: string;
  /** Path without the spec's base path, e.g. `/v1/contactGroups/10453`. */
  path: string;
  pathParams: Record<string, string>;
  headers: IncomingHttpHeaders;
  rawBody: Buffer;
  /** The parsed JSON body, once parseBody succeeded. */
  body?: unknown;
  /** Rate-limit headers of this request, once it was counted. */
  limitHeaders?: Record<string, number>;
  /** 1-based index of this request among all the server has seen. */
  index: number;
}

export interface Reply {
  status: number;
  headers?: Record<string, string | number>;
  /** JSON body (serialised with JSON.stringify). */
  body?: unknown;
  /** Raw body, sent as is (wins over `body`). */
  raw?: string | Buffer;
  /** Defaults to application/json when there is a body. */
  contentType?: string;
}

export interface RateLimitOptions {
  limit: number;
  periodMs: number;
}

/** Milliseconds since the epoch, as `Date.now` gives them; tests pass one they control. */
export type Clock = () => number;

/**
 * The behaviours of the pipeline. A fault replaces one of them; `next` is the reference
 * implementation, so a fault can also wrap it (call it, then change what it returns).
 */
export interface Behaviours {
  /** Rejects a request without acceptable credentials; undefined lets it through. */
  authenticate(ex: Exchange, server: ServerState): Reply | undefined;
  /** Counts the request against the rate limit; a reply when it is over. */
  rateLimit(ex: Exchange, server: ServerState): Reply | undefined;
  /** Rejects a missing or malformed required header. */
  requiredHeaders(ex: Exchange, server: ServerState): Reply | undefined;
  /** Rejects a malformed path parameter. */
  pathParameters(ex: Exchange, server: ServerState): Reply | undefined;
  /** Checks the Content-Type and parses JSON into `ex.body`; a reply when it cannot. */
  parseBody(ex: Exchange, server: ServerState): Reply | undefined;
  /** What is wrong with `ex.body` under the server's rules (AJV errors; none for a valid body). */
  bodyErrors(ex: Exchange, server: ServerState): ErrorObject[];
  /** The vendor's answer to the errors of `ex.body`; undefined when there are none. */
  validateBody(ex: Exchange, server: ServerState, errors: ErrorObject[]): Reply | undefined;
  /** The operation itself, on a valid request. */
  handle(ex: Exchange, server: ServerState): Reply;
  /** Last chance to change the reply (status, headers, body) before it is checked and sent. */
  finish(reply: Reply, ex: Exchange, server: ServerState): Reply;
}

export type BehaviourName = keyof Behaviours;

/** One deliberate deviation from the reference behaviour. */
export interface Fault {
  name: string;
  /** What the server does wrong, for a person reading a failing test. */
  description: string;
  /** Replacements of pipeline behaviours; each receives the reference behaviour as `next`. */
  overrides?: {
    [K in BehaviourName]?: (next: Behaviours[K], ...args: Parameters<Behaviours[K]>) => ReturnType<Behaviours[K]>;
  };
  /** Vendor rule overrides read by the handlers. */
  rules?: Partial<Rules>;
  /**
   * Takes the raw HTTP exchange over (connection reset, hang, huge body, ...) before anything else
   * happens; return true when it did.
   */
  socket?(req: IncomingMessage, res: ServerResponse, ex: Exchange): boolean;
}

/** Vendor rules that faults may turn off or bend. */
export interface Rules {
  merge: 'reference' | 'never' | 'always-conflict';
  uniqueNames: boolean;
}

export interface ServerState {
  spec: Spec;
  key: SpecKey;
  rules: Rules;
  /** The rule set requests are validated with and replies are checked against. */
  ruleSet: RuleSet;
  rateLimit: RateLimitOptions | false;
  clock: Clock;
  bigchange: Map<number, BigChange['schemas']['CreateContactGroup']>;
  nextBigChangeId: number;
  contacts: Map<number, EightByEight['schemas']['Contact']>;
  nextContactId: number;
  segments: Map<string, Eloqua['schemas']['ContactSegment']>;
  nextSegmentId: number;
  easify: Map<number, Easify['schemas']['ContactGroup']>;
  nextEasifyId: number;
  /** Per credential: start times of the accepted requests of the current window. */
  windows: Map<string, number[]>;
  /** Stateful rules the server applied: each merge, conflict and refused duplicate, by request index. */
  events: { kind: 'merge' | 'conflict' | 'duplicate'; index: number }[];
}

export interface RunningServer {
  key: SpecKey;
  /** What to pass as `--base-url`: origin plus the path of the spec's server URL. */
  baseUrl: string;
  origin: string;
  /** Requests received so far (any path, any method). */
  readonly requestCount: number;
  /** Replies that did not conform to the spec (status, content type, headers or body). */
  readonly violations: string[];
  /** Every request seen: method, path (with base path), status replied. */
  readonly log: { method: string; path: string; status: number; authorization?: string }[];
  state: ServerState;
  close(): Promise<void>;
}

export interface ServerOptions {
  faults?: Fault[];
  /** Rate limit per credential (Easify). Default: the spec's x-rate-limit; false disables it. */
  rateLimit?: RateLimitOptions | false;
  /** The time the rate limiter and the dates in answers read (default `Date.now`). */
  clock?: Clock;
  /** Enforce and produce only what the vendors document (see the module comment). */
  documentedOnly?: boolean;
}

// ---------------------------------------------------------------------------------------------
// Spec loading (once per process)
// ---------------------------------------------------------------------------------------------

const specCache = new Map<SpecKey, Promise<Spec>>();
const validators = new ValidatorCache();

export function specFor(key: SpecKey): Promise<Spec> {
  let spec = specCache.get(key);
  if (!spec) {
    spec = loadSpec(`${REPO_ROOT}${SPEC_FILES[key]}`).then((loaded) => {
      validators.register(loaded);
      return loaded;
    });
    specCache.set(key, spec);
  }
  return spec;
}

function requestSchema(op: Operation): JsonSchema {
  const schema = op.requestBody?.content.find((m) => m.mediaType === 'application/json')?.schema;
  if (!schema) throw new Error(`${op.operationId}: no application/json request schema`);
  return schema;
}

// ---------------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------------

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function header(ex: Exchange, name: string): string | undefined {
  const value = ex.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** `Bearer abc` -> { scheme: 'bearer', token: 'abc' }. */
function credentials(ex: Exchange): { scheme: string; token: string } | undefined {
  const value = header(ex, 'authorization');
  if (!value) return undefined;
  const match = /^([A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]*) +(\S.*)$/.exec(value.trim());
  if (!match) return undefined;
  return { scheme: match[1]!.toLowerCase(), token: match[2]!.trim() };
}

function isJsonMediaType(value: string | undefined): boolean {
  if (!value) return false;
  const media = value.split(';')[0]!.trim().toLowerCase();
  return media === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(media);
}

/** The top-level field an AJV error is about (`name`, `addresses`, ...); '' for the body itself. */
function fieldOf(error: ErrorObject): string {
  const segments = error.instancePath.split('/').filter(Boolean);
  if (segments.length > 0) return segments[0]!;
  if (error.keyword === 'required') return (error.params as { missingProperty: string }).missingProperty;
  return '';
}

/** AJV's errors of a failed `anyOf` (the summary and each branch's own), which vendors report as one rule. */
const inAnyOf = (error: ErrorObject): boolean => error.keyword === 'anyOf' || error.schemaPath.includes('/anyOf/');

export function hasNonAscii(value: unknown): boolean {
  if (typeof value === 'string') return /[^\x00-\x7f]/.test(value);
  if (Array.isArray(value)) return value.some(hasNonAscii);
  if (isObject(value)) return Object.values(value).some(hasNonAscii);
  return false;
}

/**
 * The value without the properties its schema calls read-only (a server ignores what a client may
 * not set), through nested objects and array items. Pass the schema as the server's rules read it.
 */
function writable(value: unknown, schema: JsonSchema): unknown {
  if (Array.isArray(value))
    return value.map((item) => (schema.items ? writable(item, schema.items as JsonSchema) : item));
  if (!isObject(value) || !schema.properties) return value;
  const out: Record<string, unknown> = {};
  for (const [name, item] of Object.entries(value)) {
    const property = schema.properties[name] as JsonSchema | undefined;
    if (property?.readOnly === true) continue;
    out[name] = property ? writable(item, property) : item;
  }
  return out;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Easify's `12-02-2024 03:13:35 AM`. */
function easifyDate(date: Date): string {
  const hours = date.getUTCHours();
  const h12 = hours % 12 === 0 ? 12 : hours % 12;
  return `${pad(date.getUTCDate())}-${pad(date.getUTCMonth() + 1)}-${date.getUTCFullYear()} ${pad(h12)}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} ${hours < 12 ? 'AM' : 'PM'}`;
}

// ---------------------------------------------------------------------------------------------
// Vendor error bodies
// ---------------------------------------------------------------------------------------------

type BigChangeProblem = BigChange['schemas']['ProblemDetails'];
type BigChangeValidation = BigChange['schemas']['ValidationProblemDetails'];
const PROBLEM = 'application/problem+json';

const BIGCHANGE_TYPES: Record<number, string> = {
  400: 'https://tools.ietf.org/html/rfc9110#section-15.5.1',
  401: 'https://tools.ietf.org/html/rfc9110#section-15.5.2',
  404: 'https://tools.ietf.org/html/rfc9110#section-15.5.5',
  422: 'https://tools.ietf.org/html/rfc9110#section-15.5.21',
};

export function bigchangeProblem(status: 400 | 401 | 404, title: string, detail: string): Reply {
  const body: BigChangeProblem = { type: BIGCHANGE_TYPES[status]!, title, status, detail };
  return { status, body, contentType: PROBLEM };
}

export function bigchangeValidation(errors: Record<string, string[]>): Reply {
  const body: BigChangeValidation = {
    type: BIGCHANGE_TYPES[422]!,
    title: 'One or more validation errors occurred.',
    status: 422,
    errors,
  };
  return { status: 422, body, contentType: PROBLEM };
}

type EightByEightError = EightByEight['schemas']['Error'];
export function eightByEightError(status: 400 | 401 | 409, code: number, message: string, now: number): Reply {
  const body: EightByEightError = { code, message, errorId: randomUUID(), timestamp: new Date(now).toISOString() };
  return { status, body };
}

type EloquaValidationError = Eloqua['schemas']['ValidationError'];
export function eloquaValidation(items: { property: string; requirement: string; value?: unknown }[]): Reply {
  const body: Eloqua['schemas']['ValidationErrors'] = items.map((item) => {
    const error: EloquaValidationError = {
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

export function eloquaMessage(status: 401 | 500, message: Eloqua['schemas']['ErrorMessage']): Reply {
  return { status, body: message };
}

export function easifyError(status: 401 | 429, message: string): Reply {
  const body: Easify['schemas']['Error'] = { status: false, message, errors: [] };
  return { status, body };
}

export function easifyValidation(errors: Record<string, string[]>): Reply {
  const first = Object.values(errors)[0]?.[0] ?? 'The given data was invalid.';
  const extra = Object.values(errors).flat().length - 1;
  const message = extra > 0 ? `${first} (and ${extra} more error${extra > 1 ? 's' : ''})` : first;
  const body: Easify['schemas']['ValidationError'] = { message, errors };
  return { status: 422, body };
}

// ---------------------------------------------------------------------------------------------
// Reference behaviours, per vendor
// ---------------------------------------------------------------------------------------------

function authenticate(ex: Exchange, server: ServerState): Reply | undefined {
  const given = credentials(ex);
  switch (ex.spec) {
    case 'bigchange':
      if (given?.scheme === 'bearer') return undefined;
      return bigchangeProblem(
        401,
        'Unauthorized',
        given ? 'The bearer token is invalid or has expired.' : 'A bearer token is required.',
      );
    case '8x8':
      if (given?.scheme === 'bearer') return undefined;
      return eightByEightError(401, 1100, 'Unauthorized', server.clock());
    case 'eloqua':
      if (given && (given.scheme === 'bearer' || given.scheme === 'basic')) return undefined;
      return eloquaMessage(401, 'Not authenticated.');
    case 'easify':
      if (given?.scheme === 'bearer') return undefined;
      return easifyError(401, 'Unauthenticated');
  }
}

/**
 * A sliding window per credential: a request is accepted while fewer than `limit` accepted requests
 * started in the last `periodMs`; throttled requests do not count (Laravel checks before it hits).
 */
function rateLimit(ex: Exchange, server: ServerState): Reply | undefined {
  if (!server.spec.rateLimit || server.rateLimit === false) return undefined;
  const { limit, periodMs } = server.rateLimit;
  const key = server.spec.rateLimit.scope === 'credential' ? (header(ex, 'authorization') ?? '') : '';
  const now = server.clock();
  const accepted = (server.windows.get(key) ?? []).filter((t) => now - t < periodMs);
  server.windows.set(key, accepted);
  const over = accepted.length >= limit;
  if (!over) accepted.push(now);
  ex.limitHeaders = { 'X-RateLimit-Limit': limit, 'X-RateLimit-Remaining': Math.max(0, limit - accepted.length) };
  if (!over) return undefined;
  const retryAfter = Math.max(1, Math.ceil((accepted[0]! + periodMs - now) / 1000));
  const template = server.spec.rateLimit.message ?? 'Too many requests. Try again in {retryAfter} seconds';
  const reply = easifyError(429, template.replace('{retryAfter}', String(retryAfter)));
  reply.headers = { 'Retry-After': retryAfter, ...ex.limitHeaders };
  return reply;
}

/** Whether the wire text of a parameter satisfies its schema under the server's rules. */
function parameterValid(text: string, schema: JsonSchema, server: ServerState): boolean {
  return validators.get(schema, server.ruleSet)(coerceText(text.trim(), schema));
}

function requiredHeaders(ex: Exchange, server: ServerState): Reply | undefined {
  for (const parameter of ex.operation.parameters) {
    if (parameter.in !== 'header' || !parameter.required) continue;
    const value = header(ex, parameter.name);
    // Only BigChange has a required header (Customer-Id).
    if (value !== undefined && parameterValid(value, parameter.schema, server)) continue;
    return bigchangeProblem(
      400,
      'Bad Request',
      value === undefined
        ? `The ${parameter.name} header is required.`
        : `The ${parameter.name} header must be an integer.`,
    );
  }
  return undefined;
}

function pathParameters(ex: Exchange, server: ServerState): Reply | undefined {
  for (const parameter of ex.operation.parameters) {
    if (parameter.in !== 'path') continue;
    const raw = ex.pathParams[parameter.name] ?? '';
    if (parameterValid(raw, parameter.schema, server)) continue;
    return ex.spec === '8x8'
      ? eightByEightError(400, 1001, `Provided accountId '${raw}' is not a valid account id`, server.clock())
      : bigchangeProblem(400, 'Bad Request', `The value '${raw}' is not valid for ${parameter.name}.`);
  }
  return undefined;
}

function bodyProblem(ex: Exchange, server: ServerState, reason: string): Reply {
  switch (ex.spec) {
    case 'bigchange':
      return bigchangeProblem(400, 'Bad Request', reason);
    case '8x8':
      return eightByEightError(400, 1000, reason, server.clock());
    case 'eloqua':
      return eloquaValidation([{ property: 'body', requirement: 'IsValidRequirement' }]);
    case 'easify':
      // Laravel reads no input from a body it cannot parse: the name is then missing.
      return easifyValidation({ name: ['The name field is required.'] });
  }
}

function parseBody(ex: Exchange, server: ServerState): Reply | undefined {
  const text = ex.rawBody.toString('utf8');
  // A body the vendor does not require may be left out: it is then no properties at all.
  if (text.trim() === '' && server.ruleSet === 'documented' && ex.operation.requestBody?.inferred?.required) {
    ex.body = {};
    return undefined;
  }
  if (!isJsonMediaType(header(ex, 'content-type'))) {
    return bodyProblem(
      ex,
      server,
      `Unsupported content type '${header(ex, 'content-type') ?? ''}': send application/json.`,
    );
  }
  if (text.trim() === '') return bodyProblem(ex, server, 'A non-empty request body is required.');
  try {
    ex.body = JSON.parse(text) as unknown;
  } catch {
    return bodyProblem(ex, server, 'The request body is not valid JSON.');
  }
  return undefined;
}

function bodyErrors(ex: Exchange, server: ServerState): ErrorObject[] {
  const validate = validators.get(requestSchema(ex.operation), server.ruleSet);
  return validate(ex.body) ? [] : validate.errors;
}

function validateBody(ex: Exchange, server: ServerState, errors: ErrorObject[]): Reply | undefined {
  if (errors.length === 0) return undefined;
  const byField = new Map<string, ErrorObject[]>();
  for (const error of errors) {
    const field = inAnyOf(error) && error.instancePath === '' ? '' : fieldOf(error);
    byField.set(field, [...(byField.get(field) ?? []), error]);
  }
  switch (ex.spec) {
    case 'bigchange': {
      const out: Record<string, string[]> = {};
      for (const [field, list] of byField) {
        // ASP.NET Core names the property as declared (Name) and reports each rule once.
        const label = field === 'name' ? 'Name' : field;
        out[field || 'body'] = [
          ...new Set(
            list.map((e) => {
              if (inAnyOf(e)) return 'At least one optional value must be provided.';
              if (e.keyword === 'required' || e.keyword === 'minLength') return `The ${label} field is required.`;
              return `The ${label || 'body'} value is invalid: ${formatAjvErrors([e])[0]}`;
            }),
          ),
        ];
      }
      return bigchangeValidation(out);
    }
    case '8x8': {
      const now = server.clock();
      if (errors.some((e) => e.instancePath === '/addresses/msisdn' && e.keyword === 'pattern'))
        return eightByEightError(400, 1002, 'Invalid MSISDN format (not E.164 international number)', now);
      if (errors.some((e) => (e.instancePath === '/addresses' && inAnyOf(e)) || fieldOf(e) === 'addresses'))
        return eightByEightError(400, 1000, 'addresses: at least one address should be provided', now);
      return eightByEightError(400, 1000, formatAjvErrors(errors).join('; '), now);
    }
    case 'eloqua':
      return eloquaValidation(
        [...byField].map(([field, list]) => ({
          property: field || 'body',
          requirement: list.some((e) => e.keyword === 'required') ? 'NotNullRequirement' : 'IsValidRequirement',
          value: isObject(ex.body) && field ? ex.body[field] : undefined,
        })),
      );
    case 'easify': {
      const out: Record<string, string[]> = {};
      for (const [field, list] of byField) {
        const key = field || 'name';
        out[key] = list.map((e) => {
          if (e.keyword === 'required' || e.keyword === 'minLength') return `The ${key} field is required.`;
          if (e.keyword === 'type') return `The ${key} field must be a string.`;
          if (e.keyword === 'maxLength') return `The ${key} field must not be greater than 255 characters.`;
          return `The ${key} field is invalid.`;
        });
      }
      return easifyValidation(out);
    }
  }
}

function handle(ex: Exchange, server: ServerState): Reply {
  const schema = requestSchema(ex.operation);
  ex.body = writable(ex.body, server.ruleSet === 'documented' ? (documentedOnly(schema) as JsonSchema) : schema);
  switch (ex.spec) {
    case 'bigchange':
      return ex.operation.operationId === 'createContactGroup'
        ? bigchangeCreate(ex, server)
        : bigchangeUpdate(ex, server);
    case '8x8':
      return eightByEightCreate(ex, server);
    case 'eloqua':
      return eloquaCreate(ex, server);
    case 'easify':
      return easifyCreate(ex, server);
  }
}

function bigchangeCreate(ex: Exchange, server: ServerState): Reply {
  const request = ex.body as BigChangeOps['createContactGroup']['requestBody']['content']['application/json'];
  const id = server.nextBigChangeId++;
  server.bigchange.set(id, { name: request.name });
  const body: BigChangeOps['createContactGroup']['responses'][201]['content']['application/json'] = { id };
  return { status: 201, body };
}

function bigchangeUpdate(ex: Exchange, server: ServerState): Reply {
  const request = ex.body as BigChangeOps['updateContactGroup']['requestBody']['content']['application/json'];
  const raw = ex.pathParams.contactGroupId ?? '';
  const stored = /^-?[0-9]+$/.test(raw) ? server.bigchange.get(Number(raw)) : undefined;
  if (!stored) return bigchangeProblem(404, 'Not Found', `Contact group ${raw} was not found.`);
  if (request.name !== undefined) stored.name = request.name;
  return { status: 204 };
}

type Contact = EightByEight['schemas']['Contact'];
type Addresses = EightByEight['schemas']['Addresses'];

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

function eightByEightCreate(ex: Exchange, server: ServerState): Reply {
  const request = ex.body as EightByEightOps['createContact']['requestBody']['content']['application/json'];
  const now = new Date(server.clock()).toISOString();
  const addresses = knownAddresses(request.addresses);
  const found = [...server.contacts.values()].filter((c) => matches(c.addresses, addresses));
  const groups = request.groups?.map((g) => ({
    id: g.id,
    contacts: 1,
    createdAt: now,
    name: `group ${g.id}`,
    isBlacklist: false,
  }));
  const fields = {
    ...(request.firstName !== undefined ? { firstName: request.firstName } : {}),
    ...(request.lastName !== undefined ? { lastName: request.lastName } : {}),
    ...(request.externalId !== undefined ? { externalId: request.externalId } : {}),
    ...(request.country !== undefined ? { country: request.country } : {}),
    ...(groups ? { groups } : {}),
  };
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
    const body: EightByEightOps['createContact']['responses'][200]['content']['application/json'] =
      structuredClone(target);
    return { status: 200, body };
  }
  const contact: Contact = {
    id: server.nextContactId++,
    createdAt: now,
    ...fields,
    addresses,
    customAttributes: { ...(request.customAttributes ?? {}) },
  };
  server.contacts.set(contact.id, contact);
  const body: EightByEightOps['createContact']['responses'][201]['content']['application/json'] =
    structuredClone(contact);
  return { status: 201, body };
}

/**
 * A missing or empty name is no name another record can have taken (Laravel runs no `unique` rule on
 * an empty string); only the documented-only server lets such a name through at all.
 */
const isName = (name: unknown): boolean => typeof name === 'string' && name !== '';

function eloquaCreate(ex: Exchange, server: ServerState): Reply {
  const request = ex.body as EloquaOps['createContactSegment']['requestBody']['content']['application/json'];
  if (
    server.rules.uniqueNames &&
    isName(request.name) &&
    [...server.segments.values()].some((s) => s.name === request.name)
  ) {
    server.events.push({ kind: 'duplicate', index: ex.index });
    return eloquaValidation([{ property: 'name', requirement: 'UniquenessRequirement', value: request.name }]);
  }
  const id = String(server.nextSegmentId++);
  const now = String(Math.floor(server.clock() / 1000));
  const segment: Eloqua['schemas']['ContactSegment'] = {
    type: 'ContactSegment',
    id,
    // Documented-only, a segment may come without a name: Oracle's definition requires none.
    ...(request.name !== undefined ? { name: request.name } : {}),
    permissions: ['Retrieve', 'Update', 'Delete', 'SetSecurity'],
    folderId: '1204',
    createdAt: now,
    createdBy: '11',
    updatedAt: now,
    updatedBy: '11',
    depth: 'complete',
    count: '0',
    isStale: request.isStale ?? 'false',
    elements: (request.elements ?? []).map((element, i) => ({ ...element, id: `${id}${i}` })),
  } as Eloqua['schemas']['ContactSegment'];
  server.segments.set(id, segment);
  const body: EloquaOps['createContactSegment']['responses'][201]['content']['application/json'] = segment;
  return { status: 201, body };
}

function easifyCreate(ex: Exchange, server: ServerState): Reply {
  const request = ex.body as EasifyOps['createContactGroup']['requestBody']['content']['application/json'];
  if (
    server.rules.uniqueNames &&
    isName(request.name) &&
    [...server.easify.values()].some((g) => g.name === request.name)
  ) {
    server.events.push({ kind: 'duplicate', index: ex.index });
    return easifyValidation({ name: ['The name has already been taken.'] });
  }
  const group: Easify['schemas']['ContactGroup'] = {
    id: server.nextEasifyId++,
    name: request.name,
    contacts_count: 0,
    shared_group: false,
    default_group: false,
    created_at: easifyDate(new Date(server.clock())),
  };
  server.easify.set(group.id, group);
  const body: EasifyOps['createContactGroup']['responses'][200]['content']['application/json'] = {
    status: true,
    message: 'Contact Group created successfully',
    data: group,
  };
  return { status: 200, body };
}

function finish(reply: Reply, ex: Exchange): Reply {
  const limitHeaders = ex.limitHeaders;
  if (limitHeaders && (reply.status === 200 || reply.status === 429))
    reply.headers = { ...limitHeaders, ...reply.headers };
  return reply;
}

const REFERENCE: Behaviours = {
  authenticate,
  rateLimit,
  requiredHeaders,
  pathParameters,
  parseBody,
  bodyErrors,
  validateBody,
  handle,
  finish,
};

const DEFAULT_RULES: Record<SpecKey, Rules> = {
  bigchange: { merge: 'reference', uniqueNames: false },
  '8x8': { merge: 'reference', uniqueNames: false },
  eloqua: { merge: 'reference', uniqueNames: true },
  easify: { merge: 'reference', uniqueNames: true },
};

function compose(faults: Fault[]): Behaviours {
  const behaviours: Behaviours = { ...REFERENCE };
  for (const fault of faults) {
    for (const [name, override] of Object.entries(fault.overrides ?? {}) as [
      BehaviourName,
      (next: unknown, ...args: unknown[]) => unknown,
    ][]) {
      const next = behaviours[name] as (...args: unknown[]) => unknown;
      (behaviours as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => override(next, ...args);
    }
  }
  return behaviours;
}

// ---------------------------------------------------------------------------------------------
// What the vendor documents of a reply (documented-only mode)
// ---------------------------------------------------------------------------------------------

/** The response a reply is checked against: under documented rules a body only we assume is not there. */
function documentedReply(op: Operation, status: number, rules: RuleSet): Response | undefined {
  const response = documentedResponse(op, status);
  if (!response || rules === 'all' || response.inferred?.content === undefined) return response;
  return { ...response, content: [] };
}

/** Whether only our assumption makes a response header required (its `required` is marked). */
function assumedRequired(spec: Spec, response: Response, name: string): boolean {
  const site = response.headers.find((h) => h.name === name);
  if (!site?.required) return false;
  const marks = headerMarks(spec, response, name);
  return marks?.required !== undefined;
}

/** The `x-inferred` of a documented response header, read where the header is written ($ref followed). */
function headerMarks(spec: Spec, response: Response, name: string): Record<string, string> | undefined {
  let node: unknown = spec.document;
  for (const token of response.pointer.split('/').slice(1)) {
    node = isObject(node) ? node[token.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined;
  }
  const headers = isObject(node) && isObject(node.headers) ? node.headers : undefined;
  const found = headers?.[name];
  return isObject(found) && isObject(found['x-inferred']) ? (found['x-inferred'] as Record<string, string>) : undefined;
}

/** The reply as a documented-only server sends it: no body the vendor does not document, no header only we require. */
function asDocumented(spec: Spec, op: Operation, reply: Reply): Reply {
  const response = documentedResponse(op, reply.status);
  if (!response) return reply;
  let out = reply;
  if (response.inferred?.content !== undefined) {
    const { body: _body, raw: _raw, contentType: _type, ...rest } = out;
    out = rest;
  }
  const dropped = Object.keys(out.headers ?? {}).filter((name) => assumedRequired(spec, response, name));
  if (dropped.length > 0)
    out = {
      ...out,
      headers: Object.fromEntries(Object.entries(out.headers ?? {}).filter(([n]) => !dropped.includes(n))),
    };
  return out;
}

// ---------------------------------------------------------------------------------------------
// Conformance of the replies (the reference server checks itself)
// ---------------------------------------------------------------------------------------------

function checkReply(
  server: ServerState,
  op: Operation,
  reply: Reply,
  contentType: string | undefined,
  bodyText: string,
): string[] {
  const { spec, ruleSet } = server;
  const problems: string[] = [];
  const where = `${op.operationId} ${reply.status}`;
  const response = documentedReply(op, reply.status, ruleSet);
  if (!response) return [`${where}: status not documented`];
  for (const h of response.headers) {
    const required = h.required && !(ruleSet === 'documented' && assumedRequired(spec, response, h.name));
    const sent = Object.entries(reply.headers ?? {}).find(([k]) => k.toLowerCase() === h.name.toLowerCase());
    if (!sent) {
      if (required) problems.push(`${where}: required header ${h.name} missing`);
      continue;
    }
    if (h.schema && !validators.get(h.schema, ruleSet)(coerceText(String(sent[1]), h.schema)))
      problems.push(`${where}: header ${h.name} ${String(sent[1])} invalid`);
  }
  if (response.content.length === 0) {
    if (bodyText !== '') problems.push(`${where}: a body where none is documented`);
    return problems;
  }
  const media = contentType?.split(';')[0]?.trim().toLowerCase();
  const documented = response.content.find((m) => m.mediaType === media);
  if (!documented) return [...problems, `${where}: content type ${contentType ?? '(none)'} not documented`];
  if (documented.schema) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(bodyText);
    } catch {
      return [...problems, `${where}: body is not JSON`];
    }
    const validate = validators.get(documented.schema, ruleSet);
    if (!validate(parsed)) problems.push(`${where}: ${formatAjvErrors(validate.errors).join(', ')}`);
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// The server
// ---------------------------------------------------------------------------------------------

function route(
  spec: Spec,
  basePath: string,
  method: string,
  url: string,
): { operation: Operation; path: string; params: Record<string, string> } | undefined {
  const pathname = url.split('?')[0] ?? '';
  if (!pathname.startsWith(basePath)) return undefined;
  const path = pathname.slice(basePath.length);
  for (const op of spec.operations) {
    if (op.method !== method.toLowerCase()) continue;
    const names: string[] = [];
    const pattern = op.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{([^}]+)\\?\}/g, (_, name: string) => {
      names.push(name);
      return '([^/]*)';
    });
    const match = new RegExp(`^${pattern}$`).exec(path);
    if (!match) continue;
    const params: Record<string, string> = {};
    names.forEach((name, i) => {
      let value = match[i + 1] ?? '';
      try {
        value = decodeURIComponent(value);
      } catch {
        /* keep it raw: the parameter check rejects it */
      }
      params[name] = value;
    });
    return { operation: op, path, params };
  }
  return undefined;
}

function readBody(req: IncomingMessage, limit = 25 * 1024 * 1024): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, reply: Reply): { contentType: string | undefined; text: string } {
  let text = '';
  let payload: string | Buffer | undefined;
  if (reply.raw !== undefined) payload = reply.raw;
  else if (reply.body !== undefined) payload = JSON.stringify(reply.body);
  const headers: Record<string, string | number> = { ...reply.headers };
  let contentType: string | undefined;
  if (payload !== undefined) {
    contentType = reply.contentType ?? 'application/json';
    headers['Content-Type'] = contentType;
    headers['Content-Length'] = Buffer.byteLength(payload);
    text = payload.toString();
  }
  res.writeHead(reply.status, headers);
  res.end(payload);
  return { contentType, text };
}

export async function startReferenceServer(key: SpecKey, options: ServerOptions = {}): Promise<RunningServer> {
  const spec = await specFor(key);
  const faults = options.faults ?? [];
  const behaviours = compose(faults);
  const rules: Rules = { ...DEFAULT_RULES[key] };
  for (const fault of faults) Object.assign(rules, fault.rules ?? {});
  const state: ServerState = {
    spec,
    key,
    rules,
    ruleSet: options.documentedOnly ? 'documented' : 'all',
    rateLimit:
      options.rateLimit !== undefined
        ? options.rateLimit
        : spec.rateLimit
          ? { limit: spec.rateLimit.limit, periodMs: spec.rateLimit.period * 1000 }
          : false,
    clock: options.clock ?? Date.now,
    bigchange: new Map(),
    nextBigChangeId: 10453,
    contacts: new Map(),
    nextContactId: 41764987,
    segments: new Map(),
    nextSegmentId: 1784,
    easify: new Map(),
    nextEasifyId: 2,
    windows: new Map(),
    events: [],
  };
  const basePath = serverBasePath(spec);
  const violations: string[] = [];
  const log: { method: string; path: string; status: number; authorization?: string }[] = [];
  let requestCount = 0;
  const sockets = new Set<Socket>();

  const server = createServer((req, res) => {
    requestCount += 1;
    const index = requestCount;
    void (async () => {
      const rawBody = await readBody(req);
      const method = req.method ?? 'GET';
      const url = req.url ?? '/';
      const found = route(spec, basePath, method, url);
      if (!found) {
        log.push({ method, path: url, status: 404 });
        res.writeHead(404, { 'Content-Type': 'text/plain' });
        res.end('no such route');
        return;
      }
      const ex: Exchange = {
        spec: key,
        operation: found.operation,
        method,
        path: found.path,
        pathParams: found.params,
        headers: req.headers,
        rawBody,
        index,
      };
      for (const fault of faults) {
        if (fault.socket?.(req, res, ex)) {
          log.push({ method, path: url, status: -1 });
          return;
        }
      }
      const reply =
        behaviours.authenticate(ex, state) ??
        behaviours.rateLimit(ex, state) ??
        behaviours.requiredHeaders(ex, state) ??
        behaviours.pathParameters(ex, state) ??
        behaviours.parseBody(ex, state) ??
        behaviours.validateBody(ex, state, behaviours.bodyErrors(ex, state)) ??
        behaviours.handle(ex, state);
      const finished = behaviours.finish(reply, ex, state);
      const final = options.documentedOnly ? asDocumented(spec, found.operation, finished) : finished;
      const sent = send(res, final);
      log.push({
        method,
        path: url,
        status: final.status,
        ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
      });
      for (const problem of checkReply(state, found.operation, final, sent.contentType, sent.text))
        violations.push(problem);
    })().catch((error: unknown) => {
      violations.push(`server error: ${(error as Error).stack ?? String(error)}`);
      if (!res.headersSent) {
        res.writeHead(500, { 'Content-Type': 'text/plain' });
        res.end('reference server crashed');
      } else res.destroy();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  // A request with a malformed URL or headers: answer 400 rather than leave the runner hanging.
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    key,
    origin,
    baseUrl: `${origin}${basePath}`,
    get requestCount() {
      return requestCount;
    },
    violations,
    log,
    state,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
