/** `response_headers`: documented required headers are present, and every documented header present is valid. */
import { formatAjvErrors } from '../../lib/ajv-errors.js';
import { coerceText } from '../../lib/wire.js';
import type { Check } from '../types.js';

export const responseHeaders: Check = ({ response, documented, validators, rules }) => {
  if (!response || !documented || documented.headers.length === 0) return 'skip';
  const errors: string[] = [];
  for (const header of documented.headers) {
    const value = response.headers[header.name.toLowerCase()];
    if (value === undefined) {
      if (header.required) errors.push(`${header.name}: is required`);
      continue;
    }
    if (!header.schema) continue;
    const validate = validators.get(header.schema, rules);
    if (!validate(coerceText(value, header.schema))) errors.push(...formatAjvErrors(validate.errors, header.name));
  }
  if (errors.length === 0) return;
  return {
    message: `documented headers of ${response.status} missing or invalid`,
    expected: documented.headers.map((h) => `${h.name}${h.required ? ' (required)' : ''}`).join(', '),
    actual: errors.join('; '),
    errors,
    key: `${documented.status} ${errors.map((e) => e.split(':')[0]).join(', ')}`,
  };
};
