/** JSON values as the specs, the bodies and the stored records hold them. */
export type JsonObject = Record<string, unknown>;

/** A plain JSON object: not null, not an array. */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Freezes every object and array reachable from the value (cycles included; a Map's values, not
 * the Map): a model shared by many readers fails loudly where one of them would write into it.
 */
export function deepFreeze<T>(value: T): T {
  const seen = new Set<object>();
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const node = stack.pop();
    if (typeof node !== 'object' || node === null || seen.has(node)) continue;
    seen.add(node);
    if (node instanceof WeakMap) continue;
    if (node instanceof Map) stack.push(...node.values());
    else stack.push(...Object.values(node));
    Object.freeze(node);
  }
  return value;
}

/**
 * Own enumerable property only: a key such as `constructor` or `toString` must never reach an
 * inherited member of Object.prototype.
 */
export function own<T>(record: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;
}

/**
 * Whether the arrays and objects of JSON text nest deeper than `limit`, told without parsing it (a
 * bracket inside a string does not count; the text need not be valid JSON): both sides refuse such
 * text before JSON.parse and every later walk of the value has to survive it.
 */
export function nestedDeeperThan(text: string, limit: number): boolean {
  if (text.length <= limit) return false;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}
