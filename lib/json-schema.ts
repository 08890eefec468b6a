/**
 * The slice of JSON Schema 2020-12 (plus OpenAPI's `nullable` and `discriminator`) this project reads.
 * openapi-typescript's SchemaObject is a discriminated union that makes generic walking awkward;
 * generators, checks and the mock only need this flat view of a dereferenced schema.
 *
 * 2020-12 also allows a boolean wherever a subschema goes (`items: false`, a property `false`). The
 * keywords that readers walk into are typed as objects for them; read a subschema through
 * lib/schema.ts's `subschema`, which maps `true`/`false` to schema objects.
 * After dereferencing, a recursive schema is an object reachable from itself: walk with a bound.
 */
export interface JsonSchema {
  type?: string | string[];
  /** OpenAPI 3.0: the value may also be null. */
  nullable?: boolean;
  title?: string;
  description?: string;
  format?: string;
  /** A string's bytes: their media type (a file in a form) and how they are encoded as text (`base64`). */
  contentMediaType?: string;
  contentEncoding?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  multipleOf?: number;
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  example?: unknown;
  examples?: unknown[];
  readOnly?: boolean;
  writeOnly?: boolean;
  properties?: Record<string, JsonSchema>;
  patternProperties?: Record<string, JsonSchema>;
  required?: string[];
  dependentRequired?: Record<string, string[]>;
  propertyNames?: JsonSchema;
  additionalProperties?: boolean | JsonSchema;
  unevaluatedProperties?: boolean | JsonSchema;
  minProperties?: number;
  maxProperties?: number;
  items?: JsonSchema;
  prefixItems?: JsonSchema[];
  contains?: JsonSchema;
  minContains?: number;
  maxContains?: number;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  allOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  not?: JsonSchema;
  if?: JsonSchema;
  then?: JsonSchema;
  else?: JsonSchema;
  /** OpenAPI: which property names the oneOf/anyOf branch; `mapping` values are `$ref` strings. */
  discriminator?: { propertyName: string; mapping?: Record<string, string> };
  $defs?: Record<string, JsonSchema>;
  $ref?: string;
  [extension: `x-${string}`]: unknown;
}
