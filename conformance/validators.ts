/**
 * The run's validators: lib's ValidatorCache compiles each schema once; this also keeps the wrapper
 * it returns, because checks ask for the same few validators on every response. Safe here because
 * every caller reads `errors` synchronously, right after validating.
 */
import type { JsonSchema } from '../lib/json-schema.js';
import { type SchemaValidator, ValidatorCache } from '../lib/validator.js';

export class RunValidators extends ValidatorCache {
  private readonly wrappers = new WeakMap<JsonSchema, SchemaValidator>();

  override get(schema: JsonSchema): SchemaValidator {
    let validator = this.wrappers.get(schema);
    if (!validator) {
      validator = super.get(schema);
      this.wrappers.set(schema, validator);
    }
    return validator;
  }
}
