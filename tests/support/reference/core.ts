/**
 * What every vendor of the reference server shares: the wire types of an exchange and a reply, the
 * pipeline's behaviours a fault can replace, the server's state, and small readers of a request.
 * Each vendor module (bigchange.ts, eight-by-eight.ts, eloqua.ts, easify.ts) implements `Vendor`:
 * its own credentials, error bodies and operations, written from the vendor's documentation as the
 * specs record it — not from the mock, which serves any spec from its declarations.
 */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import type { ErrorObject } from 'ajv';
import type { JsonSchema } from '../../../lib/json-schema.js';
import { documentedOnly } from '../../../lib/provenance.js';
import { loadSpec, type Operation, type Parameter, type Spec } from '../../../lib/spec.js';
import { type RuleSet, ValidatorCache } from '../../../lib/validator.js';
import { coerceText } from '../../../lib/wire.js';
import type { BigChangeStore } from './bigchange.js';
import type { EasifyStore } from './easify.js';
import type { EightByEightStore } from './eight-by-eight.js';
import type { EloquaStore } from './eloqua.js';

export type SpecKey = 'bigchange' | '8x8' | 'eloqua' | 'easify';
export const SPEC_KEYS: readonly SpecKey[] = ['bigchange', '8x8', 'eloqua', 'easify'];

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

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
  /** The raw query string, without its `?`. */
  rawQuery: string;
  /** The operation's query parameters the request carries, read by their style and schema. */
  query: Record<string, unknown>;
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

/** A parameter the request lacks (`raw` undefined) or carries in a form its schema refuses. */
export interface ParameterProblem {
  parameter: Parameter;
  raw: string | undefined;
}

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
  /** Reads the query parameters into `ex.query`; rejects missing required ones and malformed ones. */
  queryParameters(ex: Exchange, server: ServerState): Reply | undefined;
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
  /** The path of the spec's server URL (`/api/v2`), which links in answers start with. */
  basePath: string;
  bigchange: BigChangeStore;
  eightByEight: EightByEightStore;
  eloqua: EloquaStore;
  easify: EasifyStore;
  /** Per credential: start times of the accepted requests of the current window. */
  windows: Map<string, number[]>;
  /** Stateful rules the server applied: each merge, conflict and refused duplicate, by request index. */
  events: { kind: 'merge' | 'conflict' | 'duplicate'; index: number }[];
}

/** What the stores hold: a record per collection and id, for tests that look behind the API. */
export interface StoredRecord {
  collection: string;
  id: number | string;
}

/** One vendor's side of the pipeline: its credentials, its error bodies and its operations. */
export interface Vendor {
  authenticate(ex: Exchange, server: ServerState): Reply | undefined;
  /** The answer when the rate limit is over, with the vendor's message. */
  throttled?(message: string): Reply;
  /**
   * The refusal of missing or malformed parameters (header, path or query: one location at a time);
   * undefined when the server reads past them (a malformed value is then absent).
   */
  parameterProblem(ex: Exchange, server: ServerState, problems: ParameterProblem[]): Reply | undefined;
  /** The refusal of a body that cannot be read (media type, empty, not JSON). */
  bodyProblem(ex: Exchange, server: ServerState, reason: string): Reply;
  /** The refusal of a body that breaks the rules. */
  validation(ex: Exchange, server: ServerState, errors: ErrorObject[]): Reply;
  /** Each operation of the spec, by operationId, on a request that passed every check before it. */
  operations: Record<string, (ex: Exchange, server: ServerState) => Reply>;
  /** Everything the vendor's stores hold. */
  records(server: ServerState): StoredRecord[];
}

// ---------------------------------------------------------------------------------------------
// Spec loading (once per process)
// ---------------------------------------------------------------------------------------------

const specCache = new Map<SpecKey, Promise<Spec>>();
export const validators = new ValidatorCache();

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

/** The JSON schema of the operation's request body, if it has one. */
export function requestSchema(op: Operation): JsonSchema | undefined {
  return op.requestBody?.content.find((m) => m.mediaType === 'application/json')?.schema;
}

/** The schema of a named component, for rules a vendor applies to a stored record. */
export function componentSchema(spec: Spec, name: string): JsonSchema {
  const schemas = (spec.document as { components?: { schemas?: Record<string, JsonSchema> } }).components?.schemas;
  const schema = schemas?.[name];
  if (!schema) throw new Error(`${spec.name}: no schema ${name}`);
  return schema;
}

/** Whether a value satisfies a schema under the server's rules. */
export function satisfies(server: ServerState, schema: JsonSchema, value: unknown): ErrorObject[] {
  const validate = validators.get(schema, server.ruleSet);
  return validate(value) ? [] : validate.errors;
}

// ---------------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------------

export const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export function header(ex: Exchange, name: string): string | undefined {
  const value = ex.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** `Bearer abc` -> { scheme: 'bearer', token: 'abc' }. */
export function credentials(ex: Exchange): { scheme: string; token: string } | undefined {
  const value = header(ex, 'authorization');
  if (!value) return undefined;
  const match = /^([A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]*) +(\S.*)$/.exec(value.trim());
  if (!match) return undefined;
  return { scheme: match[1]!.toLowerCase(), token: match[2]!.trim() };
}

/** The top-level field an AJV error is about (`name`, `addresses`, ...); '' for the body itself. */
export function fieldOf(error: ErrorObject): string {
  const segments = error.instancePath.split('/').filter(Boolean);
  if (segments.length > 0) return segments[0]!;
  if (error.keyword === 'required') return (error.params as { missingProperty: string }).missingProperty;
  if (error.keyword === 'dependentRequired') return (error.params as { missingProperty: string }).missingProperty;
  return '';
}

/** AJV's errors of a failed `anyOf` (the summary and each branch's own), which vendors report as one rule. */
export const inAnyOf = (error: ErrorObject): boolean =>
  error.keyword === 'anyOf' || error.schemaPath.includes('/anyOf/');

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
export function writable(value: unknown, schema: JsonSchema): unknown {
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

/** The schema as the server's rules read it: without the inferred rules when only documented ones apply. */
export function underRules<T>(server: ServerState, schema: T): T {
  return server.ruleSet === 'documented' ? documentedOnly(schema) : schema;
}

/** Whether the wire text of a parameter satisfies its schema under the server's rules. */
export function parameterValid(text: string, schema: JsonSchema, server: ServerState): boolean {
  return validators.get(schema, server.ruleSet)(coerceText(text.trim(), schema));
}

/** The record id a path or query parameter names, when it is the decimal text of an integer. */
export function integerId(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : undefined;
  if (typeof value !== 'string' || !/^-?[0-9]+$/.test(value.trim())) return undefined;
  const id = Number(value.trim());
  return Number.isSafeInteger(id) ? id : undefined;
}

/** A page of `items`: `page` counted from `first`, `size` items each. */
export function pageOf<T>(items: readonly T[], page: number, size: number, first: number): T[] {
  const start = (page - first) * size;
  return start < 0 ? [] : items.slice(start, start + size);
}
