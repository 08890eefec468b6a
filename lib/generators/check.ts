/**
 * Whether a value satisfies a schema, for the decisions only a validator can make: which `oneOf`
 * branch a value takes, whether `not`, `if` or `contains` accepts it, whether an authored example
 * still fits. Compiled once per schema (lib/validator.ts). Scalars against a folded schema are
 * judged here directly, without compiling.
 */
import addFormatsModule, { type FormatsPlugin } from 'ajv-formats';
import type { JsonSchema } from '../json-schema.js';
import { allowedValues, declaredTypes, isNothing, jsonEqual, jsonType, patternRegExp, typeAllows } from '../schema.js';
import { inInt64Range, MULTIPLE_OF_PRECISION, ValidatorCache } from '../validator.js';

const formatsPlugin: FormatsPlugin =
  (addFormatsModule as unknown as { default?: FormatsPlugin }).default ??
  (addFormatsModule as unknown as FormatsPlugin);

const validators = new ValidatorCache({ yesOrNo: true });

export function accepts(schema: JsonSchema, value: unknown): boolean {
  return !isNothing(schema) && validators.get(schema, 'all', 'request')(value);
}

type FormatCheck = (value: unknown) => boolean;
const formatChecks = new Map<string, FormatCheck | undefined>();

/** How AJV judges `format`: undefined for a format it does not know (then it accepts anything). */
export function formatCheck(format: string): FormatCheck | undefined {
  if (formatChecks.has(format)) return formatChecks.get(format);
  let check: FormatCheck | undefined;
  if (format === 'int64') check = (v) => typeof v !== 'number' || inInt64Range(v);
  else {
    try {
      const definition = formatsPlugin.get(format as never) as unknown;
      const forType =
        (type: string, test: (v: never) => boolean): FormatCheck =>
        (v) =>
          (type === 'number' ? typeof v !== 'number' : typeof v !== 'string') || test(v as never);
      if (definition === true) check = () => true;
      else if (definition instanceof RegExp) check = forType('string', (v: string) => definition.test(v));
      else if (typeof definition === 'function') check = forType('string', definition as (v: string) => boolean);
      else if (definition && typeof definition === 'object') {
        const { type = 'string', validate } = definition as {
          type?: string;
          validate: RegExp | ((v: never) => boolean);
        };
        check = forType(type, validate instanceof RegExp ? (v: string) => validate.test(v) : validate);
      }
    } catch {
      check = undefined;
    }
  }
  formatChecks.set(format, check);
  return check;
}

const codePoints = (text: string): number => [...text].length;

const regexes = new Map<string, RegExp | undefined>();
export function regex(pattern: string): RegExp | undefined {
  if (!regexes.has(pattern)) {
    try {
      regexes.set(pattern, patternRegExp(pattern));
    } catch {
      regexes.set(pattern, undefined);
    }
  }
  return regexes.get(pattern);
}

/** AJV's multipleOf test: the quotient must be an integer, within the precision a double allows it. */
export const isMultiple = (value: number, of: number): boolean =>
  of !== 0 && Math.abs(Math.round(value / of) - value / of) <= 10 ** -MULTIPLE_OF_PRECISION;

/**
 * Whether a scalar satisfies the folded schema's own keywords (type, const/enum, string and number
 * keywords, format); composition keywords are not looked at. undefined for objects and arrays.
 */
export function scalarAccepts(flat: JsonSchema, value: unknown): boolean | undefined {
  if (typeof value === 'object' && value !== null) return undefined;
  const types = declaredTypes(flat);
  if (types && !typeAllows(types, jsonType(value))) return false;
  const values = allowedValues(flat);
  if (values && !values.some((v) => jsonEqual(v, value))) return false;
  if (flat.format !== undefined && !(formatCheck(flat.format)?.(value) ?? true)) return false;
  if (typeof value === 'string') {
    const length = codePoints(value);
    if (flat.minLength !== undefined && length < flat.minLength) return false;
    if (flat.maxLength !== undefined && length > flat.maxLength) return false;
    if (flat.pattern !== undefined && !(regex(flat.pattern)?.test(value) ?? false)) return false;
  }
  if (typeof value === 'number') {
    if (flat.minimum !== undefined && value < flat.minimum) return false;
    if (flat.maximum !== undefined && value > flat.maximum) return false;
    if (flat.exclusiveMinimum !== undefined && value <= flat.exclusiveMinimum) return false;
    if (flat.exclusiveMaximum !== undefined && value >= flat.exclusiveMaximum) return false;
    if (flat.multipleOf !== undefined && !isMultiple(value, flat.multipleOf)) return false;
  }
  return true;
}

/** A value against a folded schema without composition: scalars directly, the rest through AJV. */
export function plainAccepts(flat: JsonSchema, value: unknown): boolean {
  return scalarAccepts(flat, value) ?? accepts(flat, value);
}
