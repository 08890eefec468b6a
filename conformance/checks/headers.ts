/** `response_headers`: documented required headers are present, and every documented header present is valid. */
import type { ResponseHeader } from '../../lib/spec.js';
import { formatAjvErrors } from '../../lib/validator.js';
import { fromWire } from '../cases/request.js';
import type { Check } from '../types.js';

/** Wire names (lower case, as undici delivers them), computed once per documented header. */
const wireNames = new WeakMap<ResponseHeader, string>();

function wireName(header: ResponseHeader): string {
  let name = wireNames.get(header);
  if (name === undefined) wireNames.set(header, (name = header.name.toLowerCase()));
  return name;
}

export const responseHeaders: Check = ({ response, documented, validators }) => {
  if (!response || !documented || documented.headers.length === 0) return 'skip';
  let errors: string[] | undefined;
  for (const header of documented.headers) {
    const value = response.headers[wireName(header)];
    if (value === undefined) {
      if (header.required) (errors ??= []).push(`${header.name}: is required`);
      continue;
    }
    if (!header.schema) continue;
    const validate = validators.get(header.schema);
    if (!validate(fromWire(value, header.schema)))
      (errors ??= []).push(...formatAjvErrors(validate.errors, header.name));
  }
  if (!errors) return;
  return {
    message: `documented headers of ${response.status} missing or invalid`,
    expected: documented.headers.map((h) => `${h.name}${h.required ? ' (required)' : ''}`).join(', '),
    actual: errors.join('; '),
    errors,
  };
};
