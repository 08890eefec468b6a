/**
 * `oneOf`, `anyOf`, `allOf` members that do not fold, `not`, `if`/`then`/`else` and OpenAPI's
 * `discriminator`. A composed schema is read as options, each a plain schema (the rest of the node
 * with one branch folded in) and a test only a validator can make (no other branch accepts the
 * value, `not` rejects it, `if` holds or fails). Values come from the walker; the test picks.
 *
 * Discriminator rule: the values naming a branch are lib/discriminator.ts's, the branch named by its
 * name under `components/schemas`, else its `title`. A branch that leaves the property open gets its
 * first value written into its values, and takes only those values, as the validators read it: so
 * branches that overlap (OpenAPI's own Cat, Dog and Lizard) each still have values of their own.
 */
import fc from 'fast-check';
import { componentName } from '../dereference.js';
import { branchValues } from '../discriminator.js';
import { isObject } from '../json.js';
import type { JsonSchema } from '../json-schema.js';
import { ANY, conjunction, flatten, subschema, without } from '../schema.js';
import { itemSchemaAt } from './arrays.js';
import { accepts } from './check.js';
import { propertySchema } from './objects.js';
import {
  type Ctx,
  firstOf,
  type LocalVariant,
  SHALLOW_DEPTH,
  UnsatisfiableSchemaError,
  valueKey,
  type Walker,
} from './schema.js';

export const isComposed = (flat: JsonSchema): boolean =>
  flat.oneOf !== undefined ||
  flat.anyOf !== undefined ||
  flat.not !== undefined ||
  flat.if !== undefined ||
  flat.allOf !== undefined;

interface Option {
  schema: JsonSchema;
  ok: (value: unknown) => boolean;
  label: string;
  keyword: string;
  /** The discriminator value this option's objects carry, when the branch leaves it open. */
  tag?: { property: string; value: string };
}

interface Split {
  keyword: string;
  rest: JsonSchema;
  options: Option[];
  /** Schemas a value must all fail to be rejected by this node's own keyword. */
  branches: JsonSchema[];
}

const ATTEMPTS = 6;

/** The values naming a branch, and whether it takes only them because the discriminator says so. */
function discriminatorKeys(flat: JsonSchema, branch: JsonSchema): { pinned: boolean; keys: string[] } {
  const { values, pinned } = branchValues(flat.discriminator!, branch, componentName(branch) ?? branch.title, (n) => n);
  return { pinned, keys: values };
}

const splits = new WeakMap<JsonSchema, Split>();

function split(flat: JsonSchema): Split {
  const known = splits.get(flat);
  if (known) return known;
  let result: Split;
  const key = flat.oneOf ? 'oneOf' : flat.anyOf ? 'anyOf' : undefined;
  if (key) {
    const branches = flat[key]!.map(subschema);
    const rest = without(flat, key, 'discriminator');
    const discs = branches.map((branch) => (flat.discriminator ? discriminatorKeys(flat, branch) : undefined));
    const chosen = branches.map((branch, i) => {
      const disc = discs[i];
      return disc?.pinned
        ? conjunction(branch, { properties: { [flat.discriminator!.propertyName]: { enum: disc.keys } } })
        : branch;
    });
    const options = branches.map((branch, i): Option => {
      const disc = discs[i];
      const key0 = disc?.keys[0];
      const option: Option = {
        schema: conjunction(rest, branch),
        ok: (v) =>
          accepts(chosen[i]!, v) && (key === 'anyOf' || chosen.every((other, j) => j === i || !accepts(other, v))),
        label: `${key} branch ${i + 1}${key0 !== undefined ? ` (${flat.discriminator!.propertyName} ${JSON.stringify(key0)})` : ''}`,
        keyword: disc ? 'discriminator' : key,
      };
      if (disc?.pinned && key0 !== undefined) {
        const property = flat.discriminator!.propertyName;
        option.tag = { property, value: key0 };
        // The branch's values carry its key: no boundary or random value of the property replaces it.
        option.schema = conjunction(option.schema, { properties: { [property]: { const: key0 } } });
      }
      return option;
    });
    result = { keyword: key, rest, options, branches: chosen };
  } else if (flat.if !== undefined) {
    const condition = subschema(flat.if);
    const rest = without(flat, 'if', 'then', 'else');
    const then = flat.then === undefined ? ANY : subschema(flat.then);
    const otherwise = flat.else === undefined ? ANY : subschema(flat.else);
    result = {
      keyword: 'if',
      rest,
      branches: [],
      options: [
        {
          schema: conjunction(conjunction(rest, condition), then),
          ok: (v) => accepts(condition, v) && accepts(then, v),
          label: '"if" holds and "then" applies',
          keyword: 'then',
        },
        {
          schema: conjunction(rest, otherwise),
          ok: (v) => !accepts(condition, v) && accepts(otherwise, v),
          label: '"if" fails and "else" applies',
          keyword: 'else',
        },
      ],
    };
  } else if (flat.not !== undefined) {
    const excluded = subschema(flat.not);
    const rest = without(flat, 'not');
    result = {
      keyword: 'not',
      rest,
      branches: [],
      options: [{ schema: rest, ok: (v) => !accepts(excluded, v), label: 'outside "not"', keyword: 'not' }],
    };
  } else {
    const parts = (flat.allOf ?? []).map(subschema);
    const rest = without(flat, 'allOf');
    result = {
      keyword: 'allOf',
      rest,
      branches: [],
      options: [
        { schema: rest, ok: (v) => parts.every((p) => accepts(p, v)), label: 'every allOf member', keyword: 'allOf' },
      ],
    };
  }
  splits.set(flat, result);
  return result;
}

const REASONS: Record<string, string> = {
  oneOf: '"oneOf": no branch has a value the other branches reject',
  anyOf: '"anyOf": no branch has a value the generators can make',
  if: '"if"/"then"/"else" leave no value the generators can make',
  not: '"not" excludes every value the generators can make',
  allOf: '"allOf" members the generators cannot combine',
};

const costs = new WeakMap<JsonSchema, number>();
const costing = new WeakSet<JsonSchema>();

/** How many levels a value of the schema must nest at least (Infinity: only through recursion). */
export function nesting(raw: JsonSchema): number {
  const schema = subschema(raw);
  const known = costs.get(schema);
  if (known !== undefined) return known;
  if (costing.has(schema)) return Infinity;
  costing.add(schema);
  const flat = flatten(schema);
  let cost = 0;
  if (isComposed(flat)) cost = Math.min(...split(flat).options.map((o) => nesting(o.schema)));
  else if (flat.required?.length)
    cost = 1 + Math.max(...flat.required.map((name) => nesting(propertySchema(flat, name))));
  else if ((flat.minItems ?? 0) > 0 || flat.contains !== undefined) cost = 1 + nesting(itemSchemaAt(flat, 0));
  costing.delete(schema);
  costs.set(schema, cost);
  return cost;
}

function tagged(option: Option, value: unknown): unknown {
  if (!option.tag || !isObject(value)) return value;
  const withTag = { ...value, [option.tag.property]: option.tag.value };
  return option.ok(withTag) && accepts(option.schema, withTag) ? withTag : value;
}

/**
 * The first candidate a branch accepts: a search (sampling, then validating each candidate) that a
 * plan asks for again at every case built on the same body, with the same answer for the same seed
 * and depth. Kept per branch; callers get their own copy, since cases stamp values in place.
 */
function valueFor(option: Option, ctx: Ctx, walker: Walker): unknown | undefined {
  let known = found.get(option);
  if (!known) found.set(option, (known = new Map()));
  const key = `${ctx.seed} ${ctx.depth} ${ctx.full}`;
  if (!known.has(key)) {
    let value = firstOf(walker.candidates(option.schema, ctx, ATTEMPTS), option.ok);
    // Every writable property at once can be what the branch forbids (`not: {required: [a, b]}`
    // beside `anyOf` of each): then the required ones only.
    if (value === undefined && ctx.full)
      value = firstOf(walker.candidates(option.schema, { ...ctx, full: false }, ATTEMPTS), option.ok);
    known.set(key, value === undefined ? undefined : tagged(option, value));
  }
  const value = known.get(key);
  return value === undefined ? undefined : structuredClone(value);
}

const found = new WeakMap<Option, Map<string, unknown>>();

export function sampleComposed(flat: JsonSchema, ctx: Ctx, walker: Walker): unknown {
  const { keyword, options } = split(flat);
  const ordered =
    ctx.depth >= SHALLOW_DEPTH ? [...options].sort((a, b) => nesting(a.schema) - nesting(b.schema)) : options;
  let deeper: UnsatisfiableSchemaError | undefined;
  let tried = false;
  for (const option of ordered) {
    try {
      walker.sample(option.schema, ctx);
      tried = true;
    } catch (error) {
      if (!(error instanceof UnsatisfiableSchemaError)) throw error;
      deeper ??= error;
      continue;
    }
    const value = valueFor(option, ctx, walker);
    if (value !== undefined) return value;
  }
  if (!tried && deeper) throw deeper;
  throw new UnsatisfiableSchemaError(ctx.pointer, keyword, REASONS[keyword]!);
}

/** The option the value takes, as a plain schema to walk into (undefined: none does). */
export function effective(flat: JsonSchema, value: unknown): JsonSchema | undefined {
  return split(flat).options.find((o) => o.ok(value))?.schema;
}

export function composedBoundaries(flat: JsonSchema, ctx: Ctx, walker: Walker): LocalVariant[] {
  const { options, keyword } = split(flat);
  if (keyword === 'not' || keyword === 'allOf') return [];
  const variants: LocalVariant[] = [];
  for (const option of options) {
    const value = valueFor(option, ctx, walker);
    if (value !== undefined) variants.push({ label: option.label, value, keyword: option.keyword });
  }
  return variants;
}

function* concat(...parts: Iterable<unknown>[]): Generator<unknown> {
  for (const part of parts) yield* part;
}

const OTHER_VALUES: unknown[] = ['not-matching', 12345, 0.5, true, null, { key: 'value' }, ['item'], {}, []];

export function composedViolations(flat: JsonSchema, value: unknown, ctx: Ctx, walker: Walker): LocalVariant[] {
  const { keyword, rest, branches } = split(flat);
  const variants: LocalVariant[] = [];
  // Minimal values (required properties only) break `then`/`else`/`allOf` requirements more often.
  const valuesOf = (schema: JsonSchema): Iterable<unknown> =>
    concat(walker.candidates(schema, { ...ctx, full: false }, ATTEMPTS), walker.candidates(schema, ctx, ATTEMPTS));
  const restValues = (): Iterable<unknown> => valuesOf(rest);
  if (keyword === 'oneOf' || keyword === 'anyOf') {
    const rejected = (v: unknown): boolean => branches.every((b) => !accepts(b, v));
    if (flat.discriminator && isObject(value)) {
      const bad = { ...value, [flat.discriminator.propertyName]: 'not-a-known-type' };
      if (rejected(bad))
        variants.push({
          label: `discriminator ${flat.discriminator.propertyName} "not-a-known-type" no branch accepts`,
          value: bad,
          keyword: 'discriminator',
        });
    }
    const none = firstOf(concat(restValues(), OTHER_VALUES), rejected);
    if (none !== undefined) variants.push({ label: `a value no ${keyword} branch accepts`, value: none, keyword });
    if (keyword === 'oneOf') {
      for (let i = 0; i < Math.min(branches.length, 3) && variants.length < 3; i++)
        for (let j = i + 1; j < Math.min(branches.length, 3); j++) {
          const both = conjunction(conjunction(rest, branches[i]!), branches[j]!);
          const twice = firstOf(
            walker.candidates(both, ctx, 2),
            (v) => accepts(branches[i]!, v) && accepts(branches[j]!, v),
          );
          if (twice !== undefined) {
            variants.push({ label: `a value oneOf branches ${i + 1} and ${j + 1} both accept`, value: twice, keyword });
            break;
          }
        }
    }
  } else if (keyword === 'not') {
    const excluded = subschema(flat.not);
    const hit = firstOf(concat(valuesOf(conjunction(rest, excluded)), valuesOf(excluded)), (v) => accepts(excluded, v));
    if (hit !== undefined) variants.push({ label: 'a value "not" excludes', value: hit, keyword: 'not' });
  } else if (keyword === 'if') {
    const condition = subschema(flat.if);
    if (flat.then !== undefined) {
      const then = subschema(flat.then);
      const hit = firstOf(valuesOf(conjunction(rest, condition)), (v) => accepts(condition, v) && !accepts(then, v));
      if (hit !== undefined) variants.push({ label: '"if" holds but "then" fails', value: hit, keyword: 'then' });
    }
    if (flat.else !== undefined) {
      const otherwise = subschema(flat.else);
      const hit = firstOf(restValues(), (v) => !accepts(condition, v) && !accepts(otherwise, v));
      if (hit !== undefined) variants.push({ label: '"if" fails and "else" fails', value: hit, keyword: 'else' });
    }
  } else {
    const parts = (flat.allOf ?? []).map(subschema);
    const hit = firstOf(restValues(), (v) => parts.some((p) => !accepts(p, v)));
    if (hit !== undefined) variants.push({ label: 'a value one allOf member rejects', value: hit, keyword: 'allOf' });
  }
  const seen = new Set<string>();
  return variants.filter((v) => !seen.has(valueKey(v.value)) && seen.add(valueKey(v.value)));
}

export function composedArbitrary(
  flat: JsonSchema,
  ctx: Ctx,
  walker: Walker,
  fallback: unknown,
): fc.Arbitrary<unknown> {
  const arbitraries: fc.Arbitrary<unknown>[] = [];
  for (const option of split(flat).options) {
    const good = valueFor(option, ctx, walker);
    if (good === undefined) continue;
    try {
      arbitraries.push(walker.arbitrary(option.schema, ctx).map((v) => (option.ok(v) ? tagged(option, v) : good)));
    } catch (error) {
      if (!(error instanceof UnsatisfiableSchemaError)) throw error;
    }
  }
  return arbitraries.length > 0 ? fc.oneof(...arbitraries) : fc.constant(fallback);
}
