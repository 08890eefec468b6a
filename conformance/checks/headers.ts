/** `response_headers`: documented required headers are present, and every documented header present is valid. */
import { formatAjvErrors } from '../../lib/ajv-errors.js';
import { type Assumption, inferredOnly } from '../../lib/provenance.js';
import type { Check } from '../types.js';
import { headerAsRead, headerRequiredAssumption } from './support.js';

export const responseHeaders: Check = ({ spec, response, documented, validators, rules }) => {
  if (!response || !documented || documented.headers.length === 0) return 'skip';
  const errors: string[] = [];
  // The inferred rules each error breaks; undefined once an error breaks a documented rule.
  let assumptions: Assumption[] | undefined = [];
  for (const header of documented.headers) {
    const value = response.headers[header.name.toLowerCase()];
    if (value === undefined) {
      if (!header.required) continue;
      const assumed = headerRequiredAssumption(spec, documented, header.name);
      if (assumed && rules === 'documented') continue;
      errors.push(`${header.name}: is required`);
      assumptions = assumed && assumptions ? [...assumptions, assumed] : undefined;
      continue;
    }
    if (!header.schema) continue;
    const validate = validators.get(header.schema, rules);
    if (validate(headerAsRead(header, header.schema, value))) continue;
    errors.push(...formatAjvErrors(validate.errors, header.name));
    const assumed = inferredOnly(spec.source, validate.errors);
    assumptions = assumed && assumptions ? [...assumptions, ...assumed] : undefined;
  }
  if (errors.length === 0) return;
  return {
    message: `documented headers of ${response.status} missing or invalid`,
    expected: documented.headers.map((h) => `${h.name}${h.required ? ' (required)' : ''}`).join(', '),
    actual: errors.join('; '),
    errors,
    key: `${documented.status} ${errors.map((e) => e.split(':')[0]).join(', ')}`,
    ...(assumptions && assumptions.length > 0 ? { assumptions } : {}),
  };
};
