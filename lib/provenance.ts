/**
 * Which rules of a spec the vendor states and which we inferred (`x-inferred`: keyword -> reason on
 * the node that carries the keyword, see specs/README.md). The mock and the runner enforce both by
 * default; a rule set of `documented` leaves the inferred ones out, and a violation or response that
 * breaks only inferred rules tests an assumption instead of failing the contract.
 */
import type { ErrorObject } from 'ajv';
import { isObject, type JsonObject } from './json.js';
import { appendPointer } from './json-pointer.js';

export const INFERRED = 'x-inferred';

/** One assumption of a spec: the keyword `keyword` at `pointer` (the node carrying the mark). */
export interface Assumption {
  pointer: string;
  keyword: string;
  reason: string;
}

function inferredOf(node: unknown): Record<string, string> | undefined {
  if (!isObject(node)) return undefined;
  const marks = node[INFERRED];
  return isObject(marks) ? (marks as Record<string, string>) : undefined;
}

/** Keywords that are not rules (the node's own bookkeeping); marking them changes nothing to remove. */
const NOT_RULES = new Set(['response', 'content']);

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
    const marks = inferredOf(value);
    for (const [key, child] of Object.entries(value)) {
      if (marks !== undefined && Object.hasOwn(marks, key) && !NOT_RULES.has(key)) continue;
      Object.defineProperty(out, key, { value: copy(child), enumerable: true, writable: true, configurable: true });
    }
    return out;
  };
  return copy(node) as T;
}

/** Every assumption of a document, in document order. */
export function assumptionsOf(source: JsonObject): Assumption[] {
  const found: Assumption[] = [];
  const walk = (node: unknown, pointer: string): void => {
    if (Array.isArray(node)) {
      for (const [index, item] of node.entries()) walk(item, appendPointer(pointer, index));
    }
    if (!isObject(node)) return;
    const marks = inferredOf(node);
    if (marks) for (const [keyword, reason] of Object.entries(marks)) found.push({ pointer, keyword, reason });
    for (const [key, child] of Object.entries(node)) if (key !== INFERRED) walk(child, appendPointer(pointer, key));
  };
  walk(source, '');
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

/** AJV reports a missing property as `required` and an extra one as `additionalProperties`, as marked. */
function markedKeyword(error: ErrorObject): string {
  return error.keyword;
}

/**
 * The assumption an AJV error (compiled with `verbose`) breaks, or undefined when the rule it
 * reports is documented. `pointers` names the node the error's schema is.
 */
export function assumptionOf(error: ErrorObject, pointers: WeakMap<object, string>): Assumption | undefined {
  const node = error.parentSchema;
  const marks = inferredOf(node);
  const keyword = markedKeyword(error);
  if (!marks || !Object.hasOwn(marks, keyword)) return undefined;
  const pointer = isObject(node) ? pointers.get(node) : undefined;
  return pointer === undefined ? undefined : { pointer, keyword, reason: marks[keyword]! };
}
