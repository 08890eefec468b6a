/**
 * A violation is one thing wrong with a request, in the terms the vendors' error bodies use: the
 * field it concerns, what kind of requirement failed, and a readable message naming it.
 */
import type { ErrorObject } from 'ajv';
import { escapeToken, getPointer, parsePointer } from '../lib/json-pointer.js';

export type ViolationKind = 'required' | 'invalid' | 'duplicate';

/** Where the violation was found; `payload` is the body as bytes (unparseable, wrong type, too large). */
export type ViolationLocation = 'body' | 'payload' | 'path' | 'query' | 'header' | 'cookie';

export interface Violation {
  location: ViolationLocation;
  /** Dotted path of a body property (`addresses.msisdn`), a parameter name, or `body` for the whole body. */
  field: string;
  kind: ViolationKind;
  message: string;
  /** The offending value, when the request had one. */
  value?: unknown;
}

/** `/addresses/msisdn` -> `addresses.msisdn`; the root is `body`. */
function fieldName(instancePath: string, child?: string): string {
  const parts = parsePointer(instancePath);
  if (child !== undefined) parts.push(child);
  return parts.length === 0 ? 'body' : parts.join('.');
}

/** AJV errors on a body (or a parameter, with `label` naming it) as violations, one per failed keyword. */
export function violationsFromAjv(
  errors: readonly ErrorObject[],
  root: unknown,
  location: ViolationLocation,
  label?: string,
): Violation[] {
  const seen = new Set<string>();
  const result: Violation[] = [];
  for (const error of errors) {
    let violation: Violation;
    if (error.keyword === 'required') {
      const missing = (error.params as { missingProperty: string }).missingProperty;
      const field = label ?? fieldName(error.instancePath, missing);
      violation = { location, field, kind: 'required', message: `${field} is required` };
    } else if (error.keyword === 'additionalProperties') {
      const extra = (error.params as { additionalProperty: string }).additionalProperty;
      const field = label ?? fieldName(error.instancePath, extra);
      violation = {
        location,
        field,
        kind: 'invalid',
        message: `${field} is not an allowed property`,
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
        message: `${field} ${detail}`,
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

/** `name is required (and 2 more problems)`: the one-line summary a vendor puts in its message field. */
export function summarize(violations: readonly Violation[]): string {
  const [first, ...rest] = violations;
  if (!first) return 'The request is invalid';
  return rest.length === 0
    ? first.message
    : `${first.message} (and ${rest.length} more problem${rest.length === 1 ? '' : 's'})`;
}
