/** `minLength`, `maxLength`, `pattern`: the valid boundaries and single violations of strings. */
import fc from 'fast-check';
import type { JsonSchema } from '../../lib/json-schema.js';
import type { Variant } from './schema.js';

/** Text outside ASCII, in the Basic Multilingual Plane plus one astral emoji (length counts code points). */
const NON_ASCII = 'Zoë Ñandú – Łódź 東京 Ωμέγα 🚀';
const WORD = 'conformance';

const codePoints = (text: string): number => [...text].length;

function fit(text: string, schema: JsonSchema): string {
  const min = schema.minLength ?? 0;
  const max = schema.maxLength ?? Math.max(min, codePoints(text));
  let chars = [...text];
  while (chars.length < min) chars = chars.concat([...WORD]);
  return chars.slice(0, Math.max(min, Math.min(max, chars.length))).join('');
}

function compile(pattern: string): RegExp | undefined {
  try {
    return new RegExp(pattern, 'u');
  } catch {
    return undefined;
  }
}

/** Building a stringMatching arbitrary is costly; the same few patterns are sampled again and again. */
const patternArbitraries = new Map<string, fc.Arbitrary<string>>();

export function patternArbitrary(pattern: string): fc.Arbitrary<string> | undefined {
  let arbitrary = patternArbitraries.get(pattern);
  if (!arbitrary) {
    const regex = compile(pattern);
    if (!regex) return undefined;
    arbitrary = fc.stringMatching(regex);
    patternArbitraries.set(pattern, arbitrary);
  }
  return arbitrary;
}

/** Strings matching the pattern within the length bounds, deterministic for a seed. */
export function matchingStrings(schema: JsonSchema, seed: number, count: number): string[] {
  const arbitrary = schema.pattern === undefined ? undefined : patternArbitrary(schema.pattern);
  if (!arbitrary) return [];
  const min = schema.minLength ?? 0;
  const max = schema.maxLength ?? Infinity;
  const found: string[] = [];
  const samples = fc.sample(arbitrary, { seed, numRuns: count * 20 });
  for (const s of samples) {
    const length = codePoints(s);
    if (length >= min && length <= max && !found.includes(s)) found.push(s);
    if (found.length >= count) break;
  }
  return found;
}

export function sampleString(schema: JsonSchema, seed: number): string {
  if (schema.pattern !== undefined) return matchingStrings(schema, seed, 1)[0] ?? fit(WORD, schema);
  return fit(WORD, schema);
}

export function stringBoundaries(schema: JsonSchema, seed: number): Variant[] {
  const variants: Variant[] = [];
  const min = schema.minLength ?? 0;
  if (schema.pattern !== undefined) {
    for (const value of matchingStrings(schema, seed, 3)) variants.push({ label: 'matches pattern', value });
    return variants;
  }
  variants.push({ label: `minLength ${min}`, value: fit(min === 0 ? '' : 'A', { ...schema, maxLength: min }) });
  if (schema.maxLength !== undefined && schema.maxLength <= 100_000) {
    variants.push({ label: `maxLength ${schema.maxLength}`, value: fit('M'.repeat(schema.maxLength), schema) });
  }
  if (!schema.format) variants.push({ label: 'non-ASCII text', value: fit(NON_ASCII, schema) });
  return variants;
}

export function stringViolations(schema: JsonSchema): Variant[] {
  const variants: Variant[] = [];
  const min = schema.minLength ?? 0;
  if (min > 0) variants.push({ label: `below minLength ${min}`, value: 'B'.repeat(min - 1) });
  if (schema.maxLength !== undefined && schema.maxLength < 1_000_000) {
    variants.push({ label: `above maxLength ${schema.maxLength}`, value: 'L'.repeat(schema.maxLength + 1) });
  }
  if (schema.pattern !== undefined) {
    const regex = compile(schema.pattern);
    const length = Math.max(min, Math.min(schema.maxLength ?? 3, 3));
    const candidate = ['!', '~', ' ', 'z', '0'].map((c) => c.repeat(length)).find((s) => !regex?.test(s));
    if (candidate !== undefined) variants.push({ label: `pattern ${schema.pattern} mismatch`, value: candidate });
  }
  return variants;
}

/**
 * A variant of `value` that is unique to `tag` and keeps its length (so a boundary case stays a
 * boundary): the tail is overwritten by the tag, or by the stamp's ideograph when the value is too short.
 * Candidates are returned best first; the caller keeps the first its validator accepts.
 */
export function stampedStrings(value: string, tag: { text: string; digits: string; char: string }): string[] {
  const chars = [...value];
  const overwrite = (stamp: string): string | undefined =>
    chars.length > stamp.length ? chars.slice(0, chars.length - stamp.length).join('') + stamp : undefined;
  const candidates = [overwrite(`~${tag.text}`), overwrite(tag.digits)];
  if (chars.length === 0) candidates.push(tag.text);
  if (chars.length > 0 && chars.length <= tag.text.length) {
    candidates.push(chars.slice(0, chars.length - 1).join('') + tag.char);
  }
  return candidates.filter((c): c is string => c !== undefined);
}
