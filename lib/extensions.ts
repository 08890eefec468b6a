/**
 * Typed readers for the project's OpenAPI extensions (documented in specs/README.md). This is the
 * only module that knows their shapes; a malformed extension is a SpecError naming where it is.
 */
import { SpecError } from './errors.js';

export interface StatusExample {
  status: string;
  example: string;
}

export interface ResourceExtension {
  collection: string;
  action: 'create' | 'update';
  /** JSON pointer to the record inside the 2xx body; '' is the whole body. */
  record: string;
  /** Property of the record holding its id (create only). */
  id?: string;
  unique?: { fields: string[] } & StatusExample;
  merge?: { on: string; merged: StatusExample; conflict: StatusExample };
}

export interface RateLimitExtension {
  limit: number;
  /** Seconds. */
  period: number;
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

export function readResource(raw: unknown, where: string): ResourceExtension | undefined {
  if (raw === undefined) return undefined;
  where = `${where} x-resource`;
  if (!isObject(raw)) fail(where, 'must be an object');
  const action = str(raw, 'action', where);
  if (action !== 'create' && action !== 'update') fail(where, '"action" must be "create" or "update"');
  const result: ResourceExtension = {
    collection: str(raw, 'collection', where),
    action,
    record: typeof raw.record === 'string' ? raw.record : '',
  };
  if (raw.id !== undefined) result.id = str(raw, 'id', where);
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

export function readErrorBody(raw: unknown, where: string): ErrorBodyExtension | undefined {
  if (raw === undefined) return undefined;
  where = `${where} x-error-body`;
  if (!isObject(raw)) fail(where, 'must be an object');
  const result: ErrorBodyExtension = {};
  for (const key of ['message', 'fieldErrors', 'errorId', 'timestamp', 'status'] as const) {
    if (raw[key] !== undefined) result[key] = str(raw, key, where);
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
