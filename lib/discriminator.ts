/**
 * OpenAPI's Discriminator Object: which values of its property name which schema. One home for the
 * generators (a value of the branch they build) and the validators (a branch chosen by its value).
 */
export interface Discriminator {
  propertyName: string;
  mapping?: Record<string, string>;
}

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
