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

/** Signed 64-bit: 2^63 − 1 is not a double, so the upper bound is checked as "below 2^63". */
const INT64 = {
  type: 'number' as const,
  validate: (value: number) => Number.isInteger(value) && value >= -(2 ** 63) && value < 2 ** 63,
};

/**
 * AJV for draft 2020-12 with every ajv-formats format, including OpenAPI's: int32 (range), byte
 * (base64), float/double (any number), binary/password (any string). ajv-formats' int64 checks
 * integer-ness only; ours adds the range.
 */
export function createAjv(): Ajv2020 {
  // strict: false because OpenAPI schemas carry annotations AJV does not know (example, x-...).
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
  addFormats(ajv);
  ajv.addFormat('int64', INT64);
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
