/**
 * OpenAPI's Discriminator Object: which values of its property name which schema. One home for the
 * generators (a value of the branch they build) and the validators (a branch chosen by its value);
 * both read a branch through `resolve`, which follows a `$ref` (the generators' schemas have none left).
 */
import { isObject } from './json.js';

export interface Discriminator {
  propertyName: string;
  mapping?: Record<string, string>;
}

export type Resolve = (node: unknown) => unknown;

/**
 * The values naming a schema: the `mapping` keys whose value, a reference
 * (`#/components/schemas/Dog`) or a bare name (`Dog`), ends in its `name`, and those of the values its
 * property `allowed` of its own (`const`, `enum`) that are text; when neither gives one and the property
 * is open, its own name (the implicit mapping). None for an unnamed schema no mapping key names.
 */
export function discriminatorValues(
  discriminator: Discriminator,
  name: string | undefined,
  allowed: readonly unknown[] | undefined,
): string[] {
  const names = (ref: string) => name !== undefined && ref.split('/').pop() === name;
  const values = Object.entries(discriminator.mapping ?? {})
    .filter(([key, ref]) => allowed?.includes(key) || names(ref))
    .map(([key]) => key);
  for (const value of allowed ?? []) if (typeof value === 'string' && !values.includes(value)) values.push(value);
  if (values.length === 0 && allowed === undefined && name !== undefined) values.push(name);
  return values;
}

/** The schemas a branch gives its property: under `properties`, in the branch and its `allOf` parts at any depth. */
function propertySchemas(branch: unknown, property: string, resolve: Resolve, seen = new Set<unknown>()): unknown[] {
  const schema = resolve(branch);
  if (!isObject(schema) || seen.has(schema)) return [];
  seen.add(schema);
  const own =
    isObject(schema.properties) && schema.properties[property] !== undefined ? [schema.properties[property]] : [];
  const parts = Array.isArray(schema.allOf) ? schema.allOf : [];
  return [...own, ...parts.flatMap((part) => propertySchemas(part, property, resolve, seen))];
}

/** The values a schema allows by `const` or `enum`, its own or an `allOf` part's; undefined when it leaves them open. */
function allowedBy(node: unknown, resolve: Resolve, seen = new Set<unknown>()): readonly unknown[] | undefined {
  const schema = resolve(node);
  if (!isObject(schema) || seen.has(schema)) return undefined;
  seen.add(schema);
  if (schema.const !== undefined) return [schema.const];
  if (Array.isArray(schema.enum)) return schema.enum;
  for (const part of Array.isArray(schema.allOf) ? schema.allOf : []) {
    const values = allowedBy(part, resolve, seen);
    if (values) return values;
  }
  return undefined;
}

/**
 * A branch of a discriminated `oneOf`/`anyOf`: the values naming it, and whether it is chosen by them
 * only because the discriminator says so (`pinned`): its property is open text. A branch that says its
 * values itself, or gives the property no text, is judged as it stands.
 */
export function branchValues(
  discriminator: Discriminator,
  branch: unknown,
  name: string | undefined,
  resolve: Resolve,
): { values: string[]; pinned: boolean } {
  const schemas = propertySchemas(branch, discriminator.propertyName, resolve);
  const allowed = schemas.map((s) => allowedBy(s, resolve)).find((v) => v !== undefined);
  const values = discriminatorValues(discriminator, name, allowed);
  const text = (type: unknown) =>
    type === undefined || type === 'string' || (Array.isArray(type) && type.includes('string'));
  const open =
    allowed === undefined && schemas.every((s) => text((resolve(s) as { type?: unknown } | undefined)?.type));
  return { values, pinned: open && values.length > 0 };
}
