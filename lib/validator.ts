/**
 * One AJV (draft 2020-12 + formats) per process and a cache of compiled validators, so each schema is
 * compiled once however many requests or cases use it.
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule, { type FormatsPlugin } from 'ajv-formats';
import type { JsonSchema } from './json-schema.js';

// ajv-formats is CommonJS; under ESM its callable is the default export's default.
const addFormats: FormatsPlugin =
  (addFormatsModule as unknown as { default?: FormatsPlugin }).default ??
  (addFormatsModule as unknown as FormatsPlugin);

export interface SchemaValidator {
  (value: unknown): boolean;
  errors: ErrorObject[];
}

function createAjv(): Ajv2020 {
  // strict: false because OpenAPI schemas carry annotations AJV does not know (example, x-...).
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
  addFormats(ajv);
  // OpenAPI's numeric formats are annotations AJV would otherwise reject as unknown.
  for (const format of ['int32', 'int64', 'float', 'double', 'byte', 'binary', 'password']) ajv.addFormat(format, true);
  return ajv;
}

export class ValidatorCache {
  private readonly ajv = createAjv();
  private readonly compiled = new WeakMap<JsonSchema, ValidateFunction>();

  get(schema: JsonSchema): SchemaValidator {
    let validate = this.compiled.get(schema);
    if (!validate) {
      validate = this.ajv.compile(schema);
      this.compiled.set(schema, validate);
    }
    const fn = validate;
    const wrapper = ((value: unknown) => {
      const ok = fn(value) as boolean;
      wrapper.errors = ok ? [] : [...(fn.errors ?? [])];
      return ok;
    }) as SchemaValidator;
    wrapper.errors = [];
    return wrapper;
  }
}

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
