/**
 * Which rules of a spec the vendor states and which we inferred (`x-inferred`: keyword -> reason on
 * the node that carries the keyword, see specs/README.md). The mock and the runner enforce both by
 * default; a rule set of `documented` leaves the inferred ones out, and a violation or response that
 * breaks only inferred rules tests an assumption instead of failing the contract.
 */
import type { ErrorObject } from 'ajv';
import { isObject, type JsonObject } from './json.js';
import { appendPointer, getPointer } from './json-pointer.js';
import type { Response, Spec } from './spec.js';

export const INFERRED = 'x-inferred';

/** One assumption of a spec: the keyword `keyword` at `pointer` (the node carrying the mark); shared, so read-only. */
export interface Assumption {
  readonly pointer: string;
  readonly keyword: string;
  readonly reason: string;
}

function inferredOf(node: unknown): Record<string, string> | undefined {
  if (!isObject(node)) return undefined;
  const marks = node[INFERRED];
  return isObject(marks) ? (marks as Record<string, string>) : undefined;
}

/** Keywords that are not rules (the node's own bookkeeping); marking them changes nothing to remove. */
const NOT_RULES = new Set(['response', 'content', 'mediaType']);

/**
 * A copy without the inferred rules: at each node carrying `x-inferred`, the keywords it names are
 * removed. Works on a whole document or a single (possibly recursive) schema.
 */
export function documentedOnly<T>(node: T): T {
  const copies = new Map<object, unknown>();
  const copy = (value: unknown): unknown => {
    if (value === null || typeof value !== 'object') return value;
    const done = copies.get(value);
    if (done !== undefined) return done;
    if (Array.isArray(value)) {
      const out: unknown[] = [];
      copies.set(value, out);
      for (const item of value) out.push(copy(item));
      return out;
    }
    const out: JsonObject = {};
    copies.set(value, out);
    for (const [key, child] of documentedEntries(value))
      Object.defineProperty(out, key, { value: copy(child), enumerable: true, writable: true, configurable: true });
    return out;
  };
  return copy(node) as T;
}

/** One node's own members without the inferred rules it carries (its members themselves are not looked into). */
export function documentedEntries(node: object): [string, unknown][] {
  const marks = inferredOf(node);
  const entries = Object.entries(node);
  return marks === undefined ? entries : entries.filter(([key]) => !Object.hasOwn(marks, key) || NOT_RULES.has(key));
}

const assumptionsBySource = new WeakMap<JsonObject, readonly Assumption[]>();

/** Every assumption of a document, in document order; walked once per document. */
export function assumptionsOf(source: JsonObject): readonly Assumption[] {
  let known = assumptionsBySource.get(source);
  if (!known) {
    known = Object.freeze(walkAssumptions(source).map((assumption) => Object.freeze(assumption)));
    assumptionsBySource.set(source, known);
  }
  return known;
}

/** Members whose keys are names (of properties, of schemas), not keywords: `x-tag` there is a property, not an extension. */
const NAME_MAPS = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas', 'schemas']);

/**
 * The members of a node to look into for rules, each with whether its own keys are names. An
 * extension's value is the tools' data (a mock's seed records), not a rule a server is judged by.
 */
function ruleMembers(node: JsonObject, names: boolean): [string, unknown, boolean][] {
  return Object.entries(node).flatMap(([key, child]): [string, unknown, boolean][] =>
    key === INFERRED || (!names && key.startsWith('x-')) ? [] : [[key, child, !names && NAME_MAPS.has(key)]],
  );
}

function walkAssumptions(source: JsonObject): Assumption[] {
  const found: Assumption[] = [];
  const walk = (node: unknown, pointer: string, names: boolean): void => {
    if (Array.isArray(node)) {
      for (const [index, item] of node.entries()) walk(item, appendPointer(pointer, index), false);
    }
    if (!isObject(node)) return;
    const marks = names ? undefined : inferredOf(node);
    if (marks) for (const [keyword, reason] of Object.entries(marks)) found.push({ pointer, keyword, reason });
    for (const [key, child, map] of ruleMembers(node, names)) walk(child, appendPointer(pointer, key), map);
  };
  walk(source, '', false);
  return found;
}

/** Object of a document -> its JSON pointer, for naming the node an AJV error comes from. */
export function pointersOf(source: JsonObject): WeakMap<object, string> {
  const pointers = new WeakMap<object, string>();
  const walk = (node: unknown, pointer: string): void => {
    if (node === null || typeof node !== 'object' || pointers.has(node)) return;
    pointers.set(node, pointer);
    if (Array.isArray(node)) for (const [index, item] of node.entries()) walk(item, appendPointer(pointer, index));
    else for (const [key, child] of Object.entries(node)) walk(child, appendPointer(pointer, key));
  };
  walk(source, '');
  return pointers;
}

/**
 * The assumption an AJV error (compiled with `verbose`) breaks, or undefined when the rule it
 * reports is documented. `pointers` names the node the error's schema is.
 */
export function assumptionOf(error: ErrorObject, pointers: WeakMap<object, string>): Assumption | undefined {
  const node = error.parentSchema;
  const marks = inferredOf(node);
  const keyword = error.keyword;
  if (!marks || !Object.hasOwn(marks, keyword)) return undefined;
  const pointer = isObject(node) ? pointers.get(node) : undefined;
  return pointer === undefined ? undefined : { pointer, keyword, reason: marks[keyword]! };
}

/**
 * The assumptions of a schema that a value reached: a mark counts when the value has something at
 * the marked node (a present property, an item, the object whose `required` is marked). Followed
 * through `properties`, `items`, `prefixItems`, `allOf` and `$ref`; branches of `oneOf`/`anyOf` are
 * not, since which one applies is the validator's business.
 */
export function reachedAssumptions(source: JsonObject, pointer: string, value: unknown): Assumption[] {
  const walk = walkOf(source);
  const root = nodeAt(source, pointer);
  // Most answers are judged against schemas with no mark anywhere below them: nothing to walk.
  if (!isObject(root) || !walk(root).marked) return [];
  // A value with nothing inside reaches the same marks whatever it is: those are looked up once.
  const scalar = value !== undefined && (value === null || typeof value !== 'object');
  const memo = scalar ? scalarReach(source) : undefined;
  const known = memo?.get(pointer);
  if (known) return known;
  const found: Assumption[] = [];
  const seen = new Set<Assumption>();
  const visit = (node: unknown, instance: unknown, depth: number): void => {
    if (!isObject(node) || instance === undefined || depth > 32) return;
    const step = walk(node);
    if (!step.marked) return;
    if (step.target !== undefined) visit(step.target, instance, depth + 1);
    for (const assumption of step.own) {
      if (!seen.has(assumption)) {
        seen.add(assumption);
        found.push(assumption);
      }
    }
    for (const part of Array.isArray(node.allOf) ? node.allOf : []) visit(part, instance, depth + 1);
    if (isObject(instance) && isObject(node.properties)) {
      for (const name in node.properties) {
        if (Object.hasOwn(instance, name)) visit(node.properties[name], instance[name], depth + 1);
      }
    }
    if (Array.isArray(instance)) {
      const prefix = Array.isArray(node.prefixItems) ? node.prefixItems : [];
      const count = Math.min(instance.length, 20);
      for (let index = 0; index < count; index++) {
        visit(index < prefix.length ? prefix[index] : node.items, instance[index], depth + 1);
      }
    }
  };
  visit(root, value, 0);
  memo?.set(pointer, found);
  return found;
}

/** What the walk of reachedAssumptions needs of one schema node, found once per node. */
interface WalkStep {
  /** The node a local `$ref` of it leads to. */
  target: unknown;
  /** Its own marks, as assumptions (the same objects every time). */
  own: readonly Assumption[];
  /** Whether it or anything the walk can reach from it carries marks; false: nothing there to walk. */
  marked: boolean;
}

const walksBySource = new WeakMap<JsonObject, (node: JsonObject) => WalkStep>();

function walkOf(source: JsonObject): (node: JsonObject) => WalkStep {
  let walk = walksBySource.get(source);
  if (walk) return walk;
  const pointers = sourcePointers(source);
  const steps = new WeakMap<object, WalkStep>();
  const targetOf = (node: JsonObject): unknown => {
    if (typeof node.$ref !== 'string' || !node.$ref.startsWith('#')) return undefined;
    try {
      return nodeAt(source, decodeURIComponent(node.$ref.slice(1)));
    } catch {
      return undefined; // A broken reference leads nowhere.
    }
  };
  const children = (node: JsonObject): unknown[] => [
    targetOf(node),
    ...(Array.isArray(node.allOf) ? node.allOf : []),
    ...(isObject(node.properties) ? Object.values(node.properties) : []),
    ...(Array.isArray(node.prefixItems) ? node.prefixItems : []),
    node.items,
  ];
  // Searched with a stack of its own, not by recursion: a chain of `$ref`s may be longer than the call
  // stack, and a cycle is simply seen twice. A node already known answers for everything below it.
  const marksFrom = (start: JsonObject): boolean => {
    const seen = new Set<object>();
    const stack: unknown[] = [start];
    while (stack.length > 0) {
      const node = stack.pop();
      if (!isObject(node) || seen.has(node)) continue;
      seen.add(node);
      const known = node === start ? undefined : steps.get(node);
      if (known) {
        if (known.marked) return true;
        continue;
      }
      if (inferredOf(node)) return true;
      stack.push(...children(node));
    }
    return false;
  };
  walk = (node: JsonObject): WalkStep => {
    let made = steps.get(node);
    if (made) return made;
    const marks = inferredOf(node);
    const at = pointers.get(node);
    const own =
      marks && at !== undefined
        ? Object.entries(marks).map(([keyword, reason]) => Object.freeze({ pointer: at, keyword, reason }))
        : [];
    made = { target: targetOf(node), own, marked: marksFrom(node) };
    steps.set(node, made);
    return made;
  };
  walksBySource.set(source, walk);
  return walk;
}

const scalarBySource = new WeakMap<JsonObject, Map<string, Assumption[]>>();

function scalarReach(source: JsonObject): Map<string, Assumption[]> {
  let memo = scalarBySource.get(source);
  if (!memo) scalarBySource.set(source, (memo = new Map()));
  return memo;
}

/** The node at `pointer` in a parsed document, looked up once per document and pointer. Throws as getPointer does. */
export const nodeAt = perPointer(getPointer as (source: JsonObject, pointer: string) => unknown);

/**
 * Whether an inferred rule can be reached from the node at `pointer`: a mark on it, below it, or
 * behind a local `$ref` on the way. Where none can, the schema's documented rules are all its rules.
 * A reference into another document cannot be followed here and counts as reaching one.
 */
export const marksReachable = perPointer(searchMarks);

function searchMarks(source: JsonObject, pointer: string): boolean {
  const seen = new Set<object>();
  // A stack of its own, not recursion: a chain of `$ref`s may be longer than the call stack.
  const stack: [unknown, boolean][] = [[nodeAt(source, pointer), false]];
  while (stack.length > 0) {
    const [node, names] = stack.pop()!;
    if (node === null || typeof node !== 'object' || seen.has(node)) continue;
    seen.add(node);
    if (Array.isArray(node)) {
      for (const item of node) stack.push([item, false]);
      continue;
    }
    if (!names && inferredOf(node)) return true;
    for (const [key, child, map] of ruleMembers(node as JsonObject, names)) {
      if (!names && key === '$ref' && typeof child === 'string') {
        if (!child.startsWith('#')) return true;
        try {
          stack.push([nodeAt(source, decodeURIComponent(child.slice(1))), false]);
        } catch {
          // A broken reference leads nowhere.
        }
      } else stack.push([child, map]);
    }
  }
  return false;
}

const pointersBySource = new WeakMap<JsonObject, WeakMap<object, string>>();

/**
 * The assumptions AJV errors (from a validator compiled into `source`) break, when every error is of
 * an inferred rule; undefined when any documented rule is broken too.
 */
export function inferredOnly(source: JsonObject, errors: readonly ErrorObject[]): Assumption[] | undefined {
  let pointers = pointersBySource.get(source);
  if (!pointers) pointersBySource.set(source, (pointers = pointersOf(source)));
  const found: Assumption[] = [];
  for (const error of errors) {
    const assumption = assumptionOf(error, pointers);
    if (!assumption) {
      // AJV adds a summary error for a failed oneOf/anyOf/if/not; the branch errors carry the rules.
      if (['oneOf', 'anyOf', 'if', 'not'].includes(error.keyword)) continue;
      return undefined;
    }
    if (!found.some((a) => a.pointer === assumption.pointer && a.keyword === assumption.keyword))
      found.push(assumption);
  }
  return found.length > 0 ? found : undefined;
}

/**
 * Where the marks of the node at `pointer` are written: the node itself, or, when it is a `$ref`
 * without marks of its own, its target (a `$ref`'s sibling keys win over the target's, as in
 * lib/dereference.ts). A shared response (`$ref: '#/components/responses/Unauthorized'`) carries
 * its marks at the component, and that is where its assumptions are decided and removed.
 */
// Asked for every answer's response and headers: a document's answers are computed once.
export const markedPointer = perPointer(resolveMarked);

/** `compute` asked once per document and pointer: answers are judged against the same few places thousands of times. */
function perPointer<T>(
  compute: (source: JsonObject, pointer: string) => T,
): (source: JsonObject, pointer: string) => T {
  const bySource = new WeakMap<JsonObject, Map<string, T>>();
  return (source, pointer) => {
    let known = bySource.get(source);
    if (!known) bySource.set(source, (known = new Map()));
    if (!known.has(pointer)) known.set(pointer, compute(source, pointer));
    return known.get(pointer) as T;
  };
}

function resolveMarked(source: JsonObject, pointer: string): string {
  let at = pointer;
  for (let hops = 0; hops < 32; hops++) {
    const node = nodeAt(source, at);
    if (!isObject(node) || inferredOf(node) || typeof node.$ref !== 'string' || !node.$ref.startsWith('#')) return at;
    at = decodeURIComponent(node.$ref.slice(1));
  }
  return at;
}

/** The pointers of a document's nodes, computed once per document. */
export function sourcePointers(source: JsonObject): WeakMap<object, string> {
  let pointers = pointersBySource.get(source);
  if (!pointers) pointersBySource.set(source, (pointers = pointersOf(source)));
  return pointers;
}

/** The assumption a response's `x-inferred` mark makes about it (`content`, `response`, `mediaType`). */
export function responseAssumption(
  spec: Spec,
  response: Response,
  keyword: 'content' | 'response' | 'mediaType',
): Assumption[] | undefined {
  const reason = response.inferred?.[keyword];
  return reason === undefined
    ? undefined
    : [{ pointer: markedPointer(spec.source, response.pointer), keyword, reason }];
}
