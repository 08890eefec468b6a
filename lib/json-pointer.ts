/** RFC 6901 JSON pointers: the extensions, links and reports address places in documents with them. */
import { isObject } from './json.js';

/** One reference token escaped: `a/b~c` -> `a~1b~0c`. */
export function escapeToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** One reference token unescaped: `a~1b~0c` -> `a/b~c` (`~1` first would turn `~01` into `/`). */
export function unescapeToken(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** `/a~1b/0` -> `['a/b', '0']`; `''` is the whole document. */
export function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new Error(`JSON pointer must start with "/": ${pointer}`);
  return pointer.slice(1).split('/').map(unescapeToken);
}

/** `['a/b', 0]` -> `/a~1b/0`. */
export function formatPointer(tokens: readonly (string | number)[]): string {
  return tokens.map((token) => `/${escapeToken(String(token))}`).join('');
}

/** `/a` + `b/c` -> `/a/b~1c`. */
export function appendPointer(pointer: string, token: string | number): string {
  return `${pointer}/${escapeToken(String(token))}`;
}

function child(container: unknown, token: string): unknown {
  if (Array.isArray(container)) return /^(0|[1-9]\d*)$/.test(token) ? container[Number(token)] : undefined;
  return isObject(container) && Object.hasOwn(container, token) ? container[token] : undefined;
}

export function getPointer(value: unknown, pointer: string): unknown {
  let current = value;
  for (const token of parsePointer(pointer)) {
    current = child(current, token);
    if (current === undefined) return undefined;
  }
  return current;
}

/** Sets the value at the pointer, creating objects on the way. The root ('') cannot be set. */
export function setPointer(target: unknown, pointer: string, value: unknown): void {
  const path = parsePointer(pointer);
  const last = path.pop();
  if (last === undefined) throw new Error('cannot set the root of a document through a pointer');
  let current = target as Record<string, unknown>;
  for (const token of path) {
    let next = child(current, token);
    if (next === null || typeof next !== 'object') {
      next = {};
      Object.defineProperty(current, token, { value: next, enumerable: true, writable: true, configurable: true });
    }
    current = next as Record<string, unknown>;
  }
  // defineProperty, not assignment: a token such as `__proto__` must become an own property.
  Object.defineProperty(current, last, { value, enumerable: true, writable: true, configurable: true });
}

/** Removes the value at the pointer; nothing happens when it is not there. */
export function deletePointer(target: unknown, pointer: string): void {
  const path = parsePointer(pointer);
  const last = path.pop();
  if (last === undefined) return;
  let current = target;
  for (const token of path) current = child(current, token);
  if (Array.isArray(current) && /^(0|[1-9]\d*)$/.test(last)) current.splice(Number(last), 1);
  else if (isObject(current) && Object.hasOwn(current, last)) delete current[last];
}
