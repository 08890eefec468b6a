/** AJV errors as people read them; no AJV code is loaded for this. */
import type { ErrorObject } from 'ajv';

/** `/data/contacts_count: must be integer` — one line per AJV error, readable by a person. */
export function formatAjvErrors(errors: readonly ErrorObject[], root = ''): string[] {
  return errors.map((error) => {
    let path = `${root}${error.instancePath}` || '/';
    let message = error.message ?? error.keyword;
    if (error.keyword === 'required') {
      path = `${root}${error.instancePath}/${(error.params as { missingProperty: string }).missingProperty}`;
      message = 'is required';
    } else if (error.keyword === 'additionalProperties') {
      path = `${root}${error.instancePath}/${(error.params as { additionalProperty: string }).additionalProperty}`;
      message = 'is not allowed (additional property)';
    } else if (error.keyword === 'enum') {
      message = `must be one of ${JSON.stringify((error.params as { allowedValues: unknown[] }).allowedValues)}`;
    } else if (error.keyword === 'const') {
      message = `must be ${JSON.stringify((error.params as { allowedValue: unknown }).allowedValue)}`;
    }
    return `${path}: ${message}`;
  });
}
