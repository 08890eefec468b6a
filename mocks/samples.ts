/**
 * A value made from a schema, for answers the spec documents without a usable example: the same
 * generators the runner's cases use (lib/generators), so the value fits the schema by construction.
 */

import { sampleValue, UnsatisfiableSchemaError } from '../lib/generators/values.js';
import type { JsonSchema } from '../lib/json-schema.js';

/** A value of the schema (the status seeds it, so one status always gets the same value); undefined when none exists. */
export function sampleFrom(schema: JsonSchema, seed: number): unknown {
  try {
    return sampleValue(schema, seed, true);
  } catch (error) {
    if (error instanceof UnsatisfiableSchemaError) return undefined;
    throw error;
  }
}
