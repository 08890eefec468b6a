/** `type` (arrays of types, OpenAPI's `nullable`), `const` and `enum` of any JSON type. */
import type { JsonSchema } from '../json-schema.js';
import { allowedValues, declaredTypes, jsonEqual, jsonType, type SchemaType, typeAllows } from '../schema.js';
import { type Ctx, type LocalVariant, UnsatisfiableSchemaError } from './schema.js';

/** One value of another type per declared type, the usual first. */
const WRONG_TYPE: Record<SchemaType, unknown> = {
  string: 12345,
  integer: 'not-a-number',
  number: 'not-a-number',
  boolean: 'not-a-boolean',
  object: 'not-an-object',
  array: 'not-an-array',
  null: 'not-null',
};
const ANY_TYPE: unknown[] = ['text', 12345, 0.5, true, { key: 'value' }, ['item'], null];

/** The first const/enum value `ok` accepts; undefined when the schema has neither. */
export function literalSample(
  flat: JsonSchema,
  ok: (value: unknown) => boolean,
  ctx: Ctx,
): { value: unknown } | undefined {
  const values = allowedValues(flat);
  if (!values) return undefined;
  const index = values.findIndex((v) => ok(v));
  if (index < 0) {
    const keyword = flat.const !== undefined ? 'const' : 'enum';
    throw new UnsatisfiableSchemaError(
      ctx.pointer,
      keyword,
      `no ${keyword} value satisfies the schema's other keywords`,
    );
  }
  return { value: structuredClone(values[index]) };
}

export function literalBoundaries(flat: JsonSchema, ok: (value: unknown) => boolean): LocalVariant[] {
  const variants: LocalVariant[] = [];
  if (flat.enum) {
    for (const value of flat.enum.filter((v) => ok(v)))
      variants.push({ label: `enum value ${JSON.stringify(value)}`, value: structuredClone(value), keyword: 'enum' });
  }
  const types = declaredTypes(flat);
  if (types?.has('null') && types.size > 1 && ok(null))
    variants.push({ label: 'null (nullable)', value: null, keyword: 'type' });
  return variants;
}

export function literalViolations(flat: JsonSchema): LocalVariant[] {
  const variants: LocalVariant[] = [];
  const types = declaredTypes(flat);
  if (types && types.size > 0) {
    const main = [...types].find((t) => t !== 'null') ?? 'null';
    const wrong = [WRONG_TYPE[main], ...ANY_TYPE].find((v) => !typeAllows(types, jsonType(v)));
    if (wrong !== undefined && wrong !== null)
      variants.push({ label: `wrong type (${jsonType(wrong)} instead of ${main})`, value: wrong, keyword: 'type' });
  }
  const values = allowedValues(flat);
  if (values) {
    const sameTypeFirst = [...ANY_TYPE.filter((v) => !types || typeAllows(types, jsonType(v))), ...ANY_TYPE];
    const candidates = [
      ...values.map((v) =>
        typeof v === 'string' ? `${v}-not-allowed` : typeof v === 'number' ? v + 987654321 : undefined,
      ),
      'not-in-enum',
      987654321,
      ...sameTypeFirst,
    ];
    const outside = candidates.find((c) => c !== undefined && !values.some((v) => jsonEqual(v, c)));
    const keyword = flat.const !== undefined ? 'const' : 'enum';
    if (outside !== undefined)
      variants.push({
        label: keyword === 'const' ? `not the const ${JSON.stringify(flat.const)}` : 'value outside enum',
        value: outside,
        keyword,
      });
  }
  return variants;
}
