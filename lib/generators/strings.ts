/** `minLength`, `maxLength`, `pattern` (and `format` through formats.ts): strings at and past their bounds. */
import fc from 'fast-check';
import type { JsonSchema } from '../json-schema.js';
import { regex, scalarAccepts } from './check.js';
import { formatArbitrary, formatBoundaries, formatSamples, formatViolations, isStringFormat } from './formats.js';
import { type Ctx, guarded, type LocalVariant, UnsatisfiableSchemaError } from './schema.js';

/** Text outside ASCII, in the Basic Multilingual Plane plus one astral emoji (length counts code points). */
const NON_ASCII = 'Zoë Ñandú – Łódź 東京 Ωμέγα 🚀';
const WORD = 'conformance';
const RANDOM_STRING_CAP = 60;
/** Longer bounds are not worth a request body of that size. */
const LARGEST_BOUNDARY = 100_000;

const codePoints = (text: string): number => [...text].length;

function fit(text: string, schema: JsonSchema): string {
  const min = schema.minLength ?? 0;
  const max = schema.maxLength ?? Math.max(min, codePoints(text));
  let chars = [...text];
  while (chars.length < min) chars = chars.concat([...WORD]);
  return chars.slice(0, Math.max(min, Math.min(max, chars.length))).join('');
}

/** The string keywords alone: enum and const are judged by the caller. */
const stringPart = (flat: JsonSchema): JsonSchema => {
  const { enum: _e, const: _c, type: _t, ...rest } = flat;
  return { ...rest, type: 'string' };
};

/**
 * The pattern without what fast-check's stringMatching cannot build from: word boundaries (`\b`,
 * `\B`) and lookarounds are left out, `[\b]` is the backspace it means. What it matches is a
 * superset of the pattern's strings, near enough that most draws still match the pattern itself.
 * Undefined for a backreference, which no removal approximates.
 */
export function loosenedPattern(pattern: string): string | undefined {
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      const next = pattern[i + 1] ?? '';
      i++;
      if (/[1-9]/.test(next) || (next === 'k' && !inClass)) return undefined;
      if (next === 'b') out += inClass ? '\\x08' : '';
      else if (next !== 'B' || inClass) out += c + next;
    } else if (inClass) {
      if (c === ']') inClass = false;
      out += c;
    } else if (c === '[') {
      inClass = true;
      out += c;
    } else if (c === '(' && /^\?(=|!|<=|<!)/.test(pattern.slice(i + 1, i + 4))) {
      const end = groupEnd(pattern, i);
      if (end === undefined) return undefined;
      i = end;
    } else out += c;
  }
  return out;
}

/** The index of the `)` that closes the group opened at `open`, skipping escapes and classes. */
function groupEnd(pattern: string, open: number): number | undefined {
  let depth = 0;
  let inClass = false;
  for (let i = open; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
  }
  return undefined;
}

function stringMatching(source: string): fc.Arbitrary<string> | undefined {
  const compiled = regex(source);
  if (!compiled) return undefined;
  try {
    return fc.stringMatching(compiled);
  } catch {
    // fast-check throws at once on a regex feature it does not implement.
    return undefined;
  }
}

/** Building a stringMatching arbitrary is costly; the same few patterns are sampled again and again. */
const patternArbitraries = new Map<string, fc.Arbitrary<string> | undefined>();

/**
 * Strings drawn to match the pattern. Where fast-check cannot build from the pattern as written, the
 * draws come from a loosened pattern: callers keep only those the pattern itself accepts.
 * Undefined when neither can be built.
 */
export function patternArbitrary(pattern: string): fc.Arbitrary<string> | undefined {
  if (!patternArbitraries.has(pattern)) {
    const loosened = regex(pattern) ? loosenedPattern(pattern) : undefined;
    const arbitrary =
      stringMatching(pattern) ??
      (loosened !== undefined && loosened !== pattern ? stringMatching(loosened) : undefined);
    patternArbitraries.set(pattern, arbitrary);
  }
  return patternArbitraries.get(pattern);
}

/** One top-level piece of a pattern: an atom and how many times it may repeat. */
interface Piece {
  atom: string;
  min: number;
  max: number;
  /** The quantifier as written, lazy mark included (`''` for none). */
  quantifier: string;
}

/** How many times a quantifier (`+`, `{2,}`, `*?`, none) lets its atom repeat. */
function repeats(quantifier: string): [number, number] {
  // A trailing `?` after another quantifier only makes it lazy.
  const q = quantifier.length > 1 ? quantifier.replace(/\?$/, '') : quantifier;
  if (q === '') return [1, 1];
  if (q === '?') return [0, 1];
  if (q === '*') return [0, Infinity];
  if (q === '+') return [1, Infinity];
  const [, low, comma, high] = /^\{(\d+)(,(\d*))?\}$/.exec(q)!;
  return [Number(low), comma === undefined ? Number(low) : high ? Number(high) : Infinity];
}

/** The pieces of `^...$` when it is a plain sequence of atoms (no group, no alternation); else undefined. */
function pieces(pattern: string): Piece[] | undefined {
  if (!pattern.startsWith('^') || !pattern.endsWith('$') || pattern.endsWith('\\$')) return undefined;
  const body = pattern.slice(1, -1);
  const out: Piece[] = [];
  let i = 0;
  while (i < body.length) {
    let atom: string;
    const c = body[i]!;
    if (c === '\\') {
      if (/[1-9kbBpPuxc]/.test(body[i + 1] ?? '')) return undefined;
      atom = body.slice(i, i + 2);
    } else if (c === '[') {
      let end = i + 1;
      if (body[end] === '^') end++;
      if (body[end] === ']') end++;
      while (end < body.length && body[end] !== ']') end += body[end] === '\\' ? 2 : 1;
      if (end >= body.length) return undefined;
      atom = body.slice(i, end + 1);
    } else if ('()|^$*+?{}'.includes(c)) return undefined;
    else atom = c;
    i += atom.length;
    const quantifier = /^(?:[*+?]|\{(\d+)(,(\d*))?\})\??/.exec(body.slice(i))?.[0] ?? '';
    i += quantifier.length;
    const [min, max] = repeats(quantifier);
    out.push({ atom, min, max, quantifier });
  }
  return out;
}

/**
 * The pattern with its one open-ended repetition bounded to what the length allows
 * (`^[0-9a-f]+$` with length 40: `^[0-9a-f]{40,40}$`): its strings are some of the pattern's, all of
 * the right length, where drawing from `+` and keeping those of the length almost never finds one.
 * Undefined unless the pattern is a plain sequence of atoms with exactly one such repetition.
 */
export function lengthBoundedPattern(pattern: string, minLength: number, maxLength: number): string | undefined {
  const parts = pieces(pattern);
  if (!parts) return undefined;
  const open = parts.filter((p) => p.max === Infinity);
  if (open.length !== 1) return undefined;
  const rest = parts.filter((p) => p !== open[0]);
  const fixedMin = rest.reduce((sum, p) => sum + p.min, 0);
  const fixedMax = rest.reduce((sum, p) => sum + p.max, 0);
  const low = Math.max(open[0]!.min, minLength - fixedMax);
  const high = maxLength - fixedMin;
  if (!Number.isFinite(high) || high < low) return undefined;
  return `^${parts.map((p) => (p === open[0] ? `${p.atom}{${low},${high}}` : `${p.atom}${p.quantifier}`)).join('')}$`;
}

/** Strings matching the pattern within the length bounds, deterministic for a seed. */
export function matchingStrings(schema: JsonSchema, seed: number, count: number): string[] {
  const compiled = schema.pattern === undefined ? undefined : regex(schema.pattern);
  if (!compiled || schema.pattern === undefined) return [];
  const min = schema.minLength ?? 0;
  const max = schema.maxLength ?? Infinity;
  const bounded = schema.maxLength === undefined ? undefined : lengthBoundedPattern(schema.pattern, min, max);
  const found: string[] = [];
  for (const source of [schema.pattern, bounded]) {
    const arbitrary = source === undefined ? undefined : patternArbitrary(source);
    if (!arbitrary) continue;
    for (const s of fc.sample(arbitrary, { seed, numRuns: count * 20 })) {
      const length = codePoints(s);
      if (length >= min && length <= max && !found.includes(s) && compiled.test(s)) found.push(s);
      if (found.length >= count) return found;
    }
  }
  return found;
}

/** A valid string for the folded schema, or UnsatisfiableSchemaError naming the keyword that stops it. */
export function sampleString(flat: JsonSchema, ctx: Ctx): string {
  const min = flat.minLength ?? 0;
  if (flat.maxLength !== undefined && flat.maxLength < min)
    throw new UnsatisfiableSchemaError(
      ctx.pointer,
      'maxLength',
      `maxLength ${flat.maxLength} is below minLength ${min}`,
    );
  const part = stringPart(flat);
  const ok = (s: string): boolean => scalarAccepts(part, s) === true;
  if (flat.format !== undefined && isStringFormat(flat.format)) {
    const found =
      formatSamples(flat.format, part)[0] ??
      fc.sample(formatArbitrary(flat.format, part, ''), { seed: ctx.seed, numRuns: 30 }).find(ok);
    if (found === undefined)
      throw new UnsatisfiableSchemaError(
        ctx.pointer,
        'format',
        `no "${flat.format}" value fits the length and pattern`,
      );
    return found;
  }
  if (flat.pattern !== undefined) {
    if (!regex(flat.pattern))
      throw new UnsatisfiableSchemaError(
        ctx.pointer,
        'pattern',
        `pattern ${flat.pattern} is not a valid regular expression`,
      );
    const word = fit(WORD, flat);
    const found = ok(word) ? word : matchingStrings(flat, ctx.seed, 1).find(ok);
    if (found === undefined)
      throw new UnsatisfiableSchemaError(
        ctx.pointer,
        'pattern',
        `no string matching ${flat.pattern} of the allowed length was found`,
      );
    return found;
  }
  return fit(WORD, flat);
}

export function stringBoundaries(flat: JsonSchema, seed: number): LocalVariant[] {
  if (flat.format !== undefined && isStringFormat(flat.format)) return formatBoundaries(flat.format, stringPart(flat));
  if (flat.pattern !== undefined)
    return matchingStrings(flat, seed, 3).map((value) => ({ label: 'matches pattern', value, keyword: 'pattern' }));
  const variants: LocalVariant[] = [];
  const min = flat.minLength ?? 0;
  variants.push({
    label: `minLength ${min}`,
    value: fit(min === 0 ? '' : 'A', { ...flat, maxLength: min }),
    keyword: 'minLength',
  });
  if (flat.maxLength !== undefined && flat.maxLength <= LARGEST_BOUNDARY) {
    variants.push({
      label: `maxLength ${flat.maxLength}`,
      value: fit('M'.repeat(flat.maxLength), flat),
      keyword: 'maxLength',
    });
  }
  variants.push({ label: 'non-ASCII text', value: fit(NON_ASCII, flat), keyword: 'type' });
  return variants;
}

export function stringViolations(flat: JsonSchema): LocalVariant[] {
  const variants: LocalVariant[] = [];
  const min = flat.minLength ?? 0;
  if (min > 0) variants.push({ label: `below minLength ${min}`, value: 'B'.repeat(min - 1), keyword: 'minLength' });
  if (flat.maxLength !== undefined && flat.maxLength < LARGEST_BOUNDARY) {
    variants.push({
      label: `above maxLength ${flat.maxLength}`,
      value: 'L'.repeat(flat.maxLength + 1),
      keyword: 'maxLength',
    });
  }
  if (flat.pattern !== undefined) {
    const compiled = regex(flat.pattern);
    const length = Math.max(min, Math.min(flat.maxLength ?? 3, 3));
    const candidate = ['!', '~', ' ', 'z', '0', 'é']
      .map((c) => c.repeat(length))
      .find((s) => compiled && !compiled.test(s));
    if (candidate !== undefined)
      variants.push({ label: `pattern ${flat.pattern} mismatch`, value: candidate, keyword: 'pattern' });
  }
  if (flat.format !== undefined) variants.push(...formatViolations(flat.format));
  return variants;
}

/** Random valid strings; `fallback` (a valid sample) stands in for a draw that misses a keyword. */
export function stringArbitrary(flat: JsonSchema, fallback: string): fc.Arbitrary<string> {
  const part = stringPart(flat);
  if (flat.format !== undefined && isStringFormat(flat.format)) return formatArbitrary(flat.format, part, fallback);
  const min = flat.minLength ?? 0;
  const max = flat.maxLength ?? Math.max(min, RANDOM_STRING_CAP);
  const ok = (s: string): boolean => scalarAccepts(part, s) === true;
  if (flat.pattern !== undefined) {
    const bounded = flat.maxLength === undefined ? undefined : lengthBoundedPattern(flat.pattern, min, flat.maxLength);
    const matching = (bounded !== undefined ? patternArbitrary(bounded) : undefined) ?? patternArbitrary(flat.pattern);
    return matching ? guarded(matching, ok, fallback) : fc.constant(fallback);
  }
  // Servers commonly trim input, so edge whitespace would turn a valid value into an empty one.
  const text = fc.string({
    minLength: min,
    maxLength: Math.min(max, Math.max(min, RANDOM_STRING_CAP)),
    unit: 'grapheme-composite',
  });
  return guarded(text, (s) => s.trim() === s && ok(s), fallback);
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
