/**
 * Validates a request against its operation with validators compiled once per schema: parameters
 * (strings from the wire coerced to their schema's type first) and the body by media type.
 */

import type { JsonSchema } from '../lib/json-schema.js';
import { isJsonMediaType, mediaTypeEssence, mediaTypeMatches } from '../lib/media-type.js';
import type { Operation, Parameter } from '../lib/spec.js';
import type { ValidatorCache } from '../lib/validator.js';
import { MAX_BODY_BYTES, parseJson, type RawBody } from './http-body.js';
import { type Violation, violationsFromAjv } from './violations.js';

export interface RequestParts {
  path: Record<string, string>;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
}

function primaryType(schema: JsonSchema): string | undefined {
  const type = schema.type;
  if (Array.isArray(type)) return type.find((t) => t !== 'null');
  return type;
}

/** Wire values are strings; numbers and booleans are only compared after conversion, as servers do. */
function coerce(raw: string, schema: JsonSchema): unknown {
  const type = primaryType(schema);
  if ((type === 'integer' || type === 'number') && /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(raw.trim()))
    return Number(raw);
  if (type === 'boolean' && (raw === 'true' || raw === 'false')) return raw === 'true';
  return raw;
}

function rawParameter(parameter: Parameter, parts: RequestParts): string | undefined {
  switch (parameter.in) {
    case 'path':
      return parts.path[parameter.name];
    case 'query':
      return parts.query.get(parameter.name) ?? undefined;
    case 'header': {
      const value = parts.headers[parameter.name.toLowerCase()];
      return Array.isArray(value) ? value.join(', ') : value;
    }
    case 'cookie': {
      const cookie = parts.headers.cookie;
      const header = Array.isArray(cookie) ? cookie.join('; ') : (cookie ?? '');
      const match = header
        .split(';')
        .map((c) => c.trim().split('='))
        .find(([name]) => name === parameter.name);
      return match ? match.slice(1).join('=') : undefined;
    }
  }
}

export function validateParameters(operation: Operation, parts: RequestParts, validators: ValidatorCache): Violation[] {
  const violations: Violation[] = [];
  for (const parameter of operation.parameters) {
    const raw = rawParameter(parameter, parts);
    const label = parameter.in === 'header' ? `${parameter.name} header` : parameter.name;
    if (raw === undefined || raw === '') {
      if (parameter.required)
        violations.push({
          location: parameter.in,
          field: parameter.name,
          kind: 'required',
          message: `${label} is required`,
        });
      continue;
    }
    const value = coerce(raw, parameter.schema);
    const validate = validators.get(parameter.schema);
    if (!validate(value)) {
      for (const v of violationsFromAjv(validate.errors, value, parameter.in, label))
        violations.push({ ...v, field: parameter.name, value: raw });
    }
  }
  return violations;
}

export type BodyOutcome = { ok: true; body: unknown } | { ok: false; violations: Violation[] };

const payloadViolation = (message: string): BodyOutcome => ({
  ok: false,
  violations: [{ location: 'payload', field: 'body', kind: 'invalid', message }],
});

/** Checks presence, media type and syntax of the body, then its schema. */
export function validateBody(
  operation: Operation,
  raw: RawBody,
  contentType: string | undefined,
  validators: ValidatorCache,
): BodyOutcome {
  const declared = operation.requestBody;
  if (raw.kind === 'too-large')
    return payloadViolation(`The request body is larger than ${MAX_BODY_BYTES / (1024 * 1024)} MB`);
  if (!declared) return { ok: true, body: undefined };
  if (raw.kind === 'empty') {
    return declared.required
      ? {
          ok: false,
          violations: [{ location: 'body', field: 'body', kind: 'required', message: 'The request body is required' }],
        }
      : { ok: true, body: undefined };
  }
  const actual = mediaTypeEssence(contentType);
  const media = declared.content.find((m) => mediaTypeMatches(m.mediaType, contentType));
  if (!media) {
    const accepted = declared.content.map((m) => m.mediaType).join(', ');
    return payloadViolation(`Content-Type ${actual || '(none)'} is not supported; send ${accepted}`);
  }
  let body: unknown = raw.bytes.toString('utf8');
  if (isJsonMediaType(actual)) {
    const parsed = parseJson(raw.bytes);
    if (!parsed.ok) return payloadViolation(`The request body is not valid JSON: ${parsed.reason}`);
    body = parsed.value;
  }
  if (!media.schema) return { ok: true, body };
  const validate = validators.get(media.schema);
  return validate(body)
    ? { ok: true, body }
    : { ok: false, violations: violationsFromAjv(validate.errors, body, 'body') };
}
