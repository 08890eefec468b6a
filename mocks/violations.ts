/**
 * A violation is one thing wrong with a request, in the terms the vendors' error bodies use: the
 * field it concerns, what kind of requirement failed, and a readable message naming it.
 */
import type { ErrorObject } from 'ajv';
import { escapeToken, getPointer, parsePointer } from '../lib/json-pointer.js';
import type { Cause } from './responses.js';

export type ViolationKind = 'required' | 'invalid' | 'duplicate';

/** Where the violation was found; `payload` is the body as bytes (unparseable, wrong type, too large). */
export type ViolationLocation = 'body' | 'payload' | 'path' | 'query' | 'header' | 'cookie';

export interface Violation {
  location: ViolationLocation;
  /** What went wrong, when the kind alone does not say (an unparseable body, an unsupported media type). */
  cause?: Cause;
  /** Dotted path of a body property (`addresses.msisdn`), a parameter name, or `body` for the whole body. */
  field: string;
  kind: ViolationKind;
  message: string;
  /** The offending value, when the request had one. */
  value?: unknown;
  /** For "needs at least one of": the fields (dotted) any one of which would do. */
  alternatives?: string[];
}

/** What went wrong in one violation, in the words `x-error-body` maps examples and sentences to. */
export function violationCause(violation: Violation): Cause {
  if (violation.cause) return violation.cause;
  return violation.kind === 'required' ? 'required' : violation.kind === 'duplicate' ? 'duplicate' : 'invalid';
}

/** `/addresses/msisdn` -> `addresses.msisdn`; the root is `body`. */
function fieldName(instancePath: string, child?: string): string {
  const parts = parsePointer(instancePath);
  if (child !== undefined) parts.push(child);
  return parts.length === 0 ? 'body' : parts.join('.');
}

/** What a message says about a rule only we inferred. */
export const INFERRED_NOTE = ' (inferred: not stated by the vendor)';

/**
 * The errors of a failed `anyOf`/`oneOf` collapsed into one: its branches' errors say what each
 * alternative wanted, which reads as several problems when it is one ("needs one of ...").
 */
function collapseAlternatives(errors: readonly ErrorObject[]): { error: ErrorObject; missing?: string[] }[] {
  const alternatives = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf');
  const inside = (e: ErrorObject, alt: ErrorObject) => e !== alt && e.schemaPath.startsWith(`${alt.schemaPath}/`);
  const out: { error: ErrorObject; missing?: string[] }[] = [];
  for (const error of errors) {
    if (alternatives.some((alt) => inside(error, alt))) continue;
    if (error.keyword === 'anyOf' || error.keyword === 'oneOf') {
      const branches = errors.filter((e) => inside(e, error));
      const missing = branches.every((e) => e.keyword === 'required' && e.instancePath === error.instancePath)
        ? branches.map((e) => (e.params as { missingProperty: string }).missingProperty)
        : undefined;
      out.push({ error, ...(missing && missing.length > 0 ? { missing } : {}) });
    } else out.push({ error });
  }
  return out;
}

/**
 * AJV errors on a body (or a parameter, with `label` naming it) as violations, one per failed rule.
 * `inferred` says which errors break a rule the vendor does not state; their messages say so.
 */
export function violationsFromAjv(
  errors: readonly ErrorObject[],
  root: unknown,
  location: ViolationLocation,
  label?: string,
  inferred: (error: ErrorObject) => boolean = () => false,
): Violation[] {
  const seen = new Set<string>();
  const result: Violation[] = [];
  for (const { error, missing } of collapseAlternatives(errors)) {
    let violation: Violation;
    const note = inferred(error) ? INFERRED_NOTE : '';
    if (error.keyword === 'required') {
      const missingProperty = (error.params as { missingProperty: string }).missingProperty;
      const field = label ?? fieldName(error.instancePath, missingProperty);
      violation = { location, field, kind: 'required', message: `${field} is required${note}` };
    } else if (missing) {
      const field = label ?? fieldName(error.instancePath);
      violation = {
        location,
        field,
        kind: 'required',
        message: `${field} needs at least one of ${missing.join(', ')}${note}`,
        alternatives: missing.map((name) => fieldName(error.instancePath, name)),
      };
    } else if (error.keyword === 'additionalProperties') {
      const extra = (error.params as { additionalProperty: string }).additionalProperty;
      const field = label ?? fieldName(error.instancePath, extra);
      violation = {
        location,
        field,
        kind: 'invalid',
        // A form field with no name (`a=1&=2`) is named as such, not as an empty word.
        message: `${extra === '' && label === undefined ? 'a field with no name' : field} is not an allowed property${note}`,
        value: getPointer(root, `${error.instancePath}/${escapeToken(extra)}`),
      };
    } else {
      const field = label ?? fieldName(error.instancePath);
      let detail = error.message ?? `fails ${error.keyword}`;
      if (error.keyword === 'enum')
        detail = `must be one of ${JSON.stringify((error.params as { allowedValues: unknown[] }).allowedValues)}`;
      if (error.keyword === 'const')
        detail = `must be ${JSON.stringify((error.params as { allowedValue: unknown }).allowedValue)}`;
      const value = getPointer(root, error.instancePath);
      violation = {
        location,
        field,
        kind: 'invalid',
        message: `${field} ${detail}${note}`,
        ...(value !== undefined ? { value } : {}),
      };
    }
    // allOf/anyOf branches can report the same failure twice.
    if (seen.has(violation.message)) continue;
    seen.add(violation.message);
    result.push(violation);
  }
  return result;
}

/** `name is required; email must match format "email"`: every problem, as a vendor's message field shows them. */
export function summarize(violations: readonly Violation[]): string {
  if (violations.length === 0) return 'The request is invalid';
  return violations.map((v) => v.message).join('; ');
}
