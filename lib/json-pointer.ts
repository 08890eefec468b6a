/** RFC 6901 JSON pointers: the extensions address places in bodies with them. */

function tokens(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new Error(`JSON pointer must start with "/": ${pointer}`);
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

export function getPointer(value: unknown, pointer: string): unknown {
  let current = value;
  for (const token of tokens(pointer)) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[token];
  }
  return current;
}

/** Sets the value at the pointer, creating objects on the way. The root ('') cannot be set. */
export function setPointer(target: unknown, pointer: string, value: unknown): void {
  const path = tokens(pointer);
  const last = path.pop();
  if (last === undefined) throw new Error('cannot set the root of a document through a pointer');
  let current = target as Record<string, unknown>;
  for (const token of path) {
    const next = current[token];
    if (next === null || typeof next !== 'object') current[token] = {};
    current = current[token] as Record<string, unknown>;
  }
  current[last] = value;
}
