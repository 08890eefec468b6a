/**
 * Validates a request against its operation with validators compiled once per schema: parameters
 * (read from the wire by their style, lib/wire.ts) and the body by media type (JSON, any `+json`,
 * form-urlencoded and multipart, lib/form.ts). Violations of rules the vendor does not state are
 * still violations, and their messages say so; under the documented rule set they are not checked.
 */
import type { ErrorObject } from 'ajv';
import { decodeMultipart, decodeUrlEncoded, describesFields, type FormResult } from '../lib/form.js';
import { isJsonMediaType, mediaTypeEssence, mediaTypeMatches } from '../lib/media-type.js';
import { assumptionOf, sourcePointers } from '../lib/provenance.js';
import type { MediaType, Operation, Spec } from '../lib/spec.js';
import type { RuleSet, ValidatorCache } from '../lib/validator.js';
import { readParameter, type WireSource } from '../lib/wire.js';
import { MAX_BODY_BYTES, parseJson, type RawBody } from './http-body.js';
import { type Violation, violationsFromAjv } from './violations.js';

export interface ValidationContext {
  spec: Spec;
  validators: ValidatorCache;
  rules: RuleSet;
}

/** Which AJV errors break a rule only we inferred: their messages say so. */
function inferredErrors(spec: Spec): (error: ErrorObject) => boolean {
  const pointers = sourcePointers(spec.source);
  return (error) => assumptionOf(error, pointers) !== undefined;
}

export interface ParameterValues {
  /** Parameter name -> the value read from the wire, for the parameters the request carried. */
  values: Record<string, unknown>;
  violations: Violation[];
}

export function validateParameters(
  operation: Operation,
  source: WireSource,
  context: ValidationContext,
): ParameterValues {
  const violations: Violation[] = [];
  const values: Record<string, unknown> = {};
  const otherQueryNames = new Set(operation.parameters.filter((p) => p.in === 'query').map((p) => p.name));
  for (const parameter of operation.parameters) {
    const label = parameter.in === 'header' ? `${parameter.name} header` : parameter.name;
    const read = readParameter(parameter, source, otherQueryNames);
    if (read.present && read.malformed !== undefined) {
      violations.push({
        location: parameter.in,
        field: parameter.name,
        kind: 'invalid',
        message: `${label} ${read.malformed}`,
        value: read.value,
      });
      continue;
    }
    if (!read.present) {
      if (parameter.required) {
        violations.push({
          location: parameter.in,
          field: parameter.name,
          kind: 'required',
          message: `${label} is required`,
        });
      }
      continue;
    }
    values[parameter.name] = read.value;
    const validate = context.validators.get(parameter.schema, context.rules);
    if (!validate(read.value)) {
      for (const v of violationsFromAjv(
        validate.errors,
        read.value,
        parameter.in,
        label,
        inferredErrors(context.spec),
      )) {
        violations.push({ ...v, field: parameter.name, value: read.value });
      }
    }
  }
  return { values, violations };
}

export type BodyOutcome = { ok: true; body: unknown; media?: MediaType } | { ok: false; violations: Violation[] };

const payloadViolation = (message: string, cause: Violation['cause']): BodyOutcome => ({
  ok: false,
  violations: [{ location: 'payload', field: 'body', kind: 'invalid', message, ...(cause ? { cause } : {}) }],
});

function isForm(mediaType: string): 'urlencoded' | 'multipart' | undefined {
  const essence = mediaTypeEssence(mediaType);
  if (essence === 'application/x-www-form-urlencoded') return 'urlencoded';
  if (essence === 'multipart/form-data') return 'multipart';
  return undefined;
}

/** Checks presence, media type and syntax of the body, then its schema. */
export async function validateBody(
  operation: Operation,
  raw: RawBody,
  contentType: string | undefined,
  context: ValidationContext,
): Promise<BodyOutcome> {
  const declared = operation.requestBody;
  if (raw.kind === 'too-large') {
    return payloadViolation(`The request body is larger than ${MAX_BODY_BYTES / (1024 * 1024)} MB`, 'too-large');
  }
  if (!declared) return { ok: true, body: undefined };
  const required =
    declared.required === true && !(context.rules === 'documented' && declared.inferred?.required !== undefined);
  const missing = (): BodyOutcome => {
    const note = declared.inferred?.required !== undefined ? ' (inferred: not stated by the vendor)' : '';
    return {
      ok: false,
      violations: [
        {
          location: 'body',
          field: 'body',
          kind: 'required',
          message: `The request body is required${note}`,
          cause: 'empty',
        },
      ],
    };
  };
  if (raw.kind === 'empty') return required ? missing() : { ok: true, body: undefined };
  const actual = mediaTypeEssence(contentType);
  const media = declared.content.find((m) => mediaTypeMatches(m.mediaType, contentType));
  if (!media) {
    const accepted = declared.content.map((m) => m.mediaType).join(', ');
    return payloadViolation(`Content-Type ${actual || '(none)'} is not supported; send ${accepted}`, 'unsupported');
  }
  let body: unknown = raw.bytes.toString('utf8');
  const form = isForm(actual);
  if (isJsonMediaType(actual)) {
    const parsed = parseJson(raw.bytes);
    if (!parsed.ok) return payloadViolation(`The request body is not valid JSON: ${parsed.reason}`, 'malformed');
    body = parsed.value;
  } else if (form && media.schema) {
    const decoded: FormResult =
      form === 'urlencoded'
        ? decodeUrlEncoded(raw.bytes.toString('latin1'), media.schema, media.encoding)
        : await decodeMultipart(raw.bytes, contentType ?? '', media.schema, media.encoding);
    if (!decoded.ok) return payloadViolation(`The form body cannot be read: ${decoded.reason}`, 'malformed');
    // A form of no field (a multipart body of no part) carries nothing: as an empty body, no body.
    if (required && Object.keys(decoded.value).length === 0) return missing();
    body = decoded.value;
    // A form whose schema is the one file it carries says nothing of its fields: any well-formed form is it.
    if (!describesFields(media.schema)) return { ok: true, body, media };
  }
  if (!media.schema) return { ok: true, body, media };
  const validate = context.validators.get(media.schema, context.rules, 'request');
  return validate(body)
    ? { ok: true, body, media }
    : {
        ok: false,
        violations: violationsFromAjv(validate.errors, body, 'body', undefined, inferredErrors(context.spec)),
      };
}
