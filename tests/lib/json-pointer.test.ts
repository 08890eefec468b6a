/** lib/json-pointer.ts: RFC 6901 pointers, escaped, unescaped, read, written and removed the same way everywhere. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  appendPointer,
  deletePointer,
  escapeToken,
  formatPointer,
  getPointer,
  parsePointer,
  setPointer,
  unescapeToken,
} from '../../lib/json-pointer.js';

describe('escaping', () => {
  it('escapes ~ as ~0 and / as ~1', () => {
    expect(escapeToken('a/b~c')).toBe('a~1b~0c');
    expect(escapeToken('~1')).toBe('~01');
    expect(escapeToken('plain')).toBe('plain');
  });

  it('unescapes ~1 before ~0, so ~01 is a literal ~1', () => {
    expect(unescapeToken('a~1b~0c')).toBe('a/b~c');
    expect(unescapeToken('~01')).toBe('~1');
  });

  it('any token survives escaping and unescaping', () => {
    fc.assert(fc.property(fc.string(), (token) => unescapeToken(escapeToken(token)) === token));
  });

  it('an escaped token holds no / and no ~ outside an escape', () => {
    fc.assert(fc.property(fc.string(), (token) => !/\/|~(?![01])/.test(escapeToken(token))));
  });
});

describe('parse and format', () => {
  it('the empty pointer is the whole document; "/" is the key ""', () => {
    expect(parsePointer('')).toEqual([]);
    expect(parsePointer('/')).toEqual(['']);
  });

  it('splits on / and unescapes each token', () => {
    expect(parsePointer('/paths/~1things~1{id}/get')).toEqual(['paths', '/things/{id}', 'get']);
  });

  it('refuses a pointer that does not start with /', () => {
    expect(() => parsePointer('paths')).toThrow('JSON pointer must start with "/": paths');
  });

  it('formats tokens and appends one, escaped', () => {
    expect(formatPointer(['paths', '/things', 0])).toBe('/paths/~1things/0');
    expect(appendPointer('/paths', '/things/{id}')).toBe('/paths/~1things~1{id}');
    expect(appendPointer('', 3)).toBe('/3');
  });

  it('format and parse are inverse', () => {
    fc.assert(
      fc.property(fc.array(fc.string()), (tokens) => {
        expect(parsePointer(formatPointer(tokens))).toEqual(tokens);
      }),
    );
  });
});

describe('getPointer', () => {
  const doc = { a: { 'b/c': [10, { 'd~e': 'deep' }] }, empty: { '': 'blank key' }, nothing: null };

  it('walks objects and arrays, escaped tokens included', () => {
    expect(getPointer(doc, '')).toBe(doc);
    expect(getPointer(doc, '/a/b~1c/0')).toBe(10);
    expect(getPointer(doc, '/a/b~1c/1/d~0e')).toBe('deep');
    expect(getPointer(doc, '/empty/')).toBe('blank key');
  });

  it('is undefined for what is not there', () => {
    expect(getPointer(doc, '/missing/x')).toBeUndefined();
    expect(getPointer(doc, '/nothing/x')).toBeUndefined();
    expect(getPointer(doc, '/a/b~1c/2')).toBeUndefined();
    expect(getPointer('text', '/0')).toBeUndefined();
  });

  it('reads array indexes only in their canonical form', () => {
    expect(getPointer([5, 6], '/1')).toBe(6);
    expect(getPointer([5, 6], '/01')).toBeUndefined();
    expect(getPointer([5, 6], '/-')).toBeUndefined();
    expect(getPointer([5, 6], '/length')).toBeUndefined();
  });

  it('never reaches inherited members', () => {
    expect(getPointer({}, '/constructor')).toBeUndefined();
    expect(getPointer({}, '/__proto__')).toBeUndefined();
    expect(getPointer({ a: {} }, '/a/toString')).toBeUndefined();
  });
});

describe('setPointer', () => {
  it('sets a value, making the objects on the way', () => {
    const doc: Record<string, unknown> = { keep: 1 };
    setPointer(doc, '/data/a~1b/name', 'x');
    expect(doc).toEqual({ keep: 1, data: { 'a/b': { name: 'x' } } });
  });

  it('replaces a value that is in the way of the path', () => {
    const doc: Record<string, unknown> = { data: 'text' };
    setPointer(doc, '/data/id', 7);
    expect(doc).toEqual({ data: { id: 7 } });
  });

  it('writes into arrays by index', () => {
    const doc = { items: [{ id: 1 }, { id: 2 }] };
    setPointer(doc, '/items/1/id', 20);
    expect(doc.items).toEqual([{ id: 1 }, { id: 20 }]);
  });

  it('makes __proto__ an own property and leaves every prototype alone', () => {
    const doc: Record<string, unknown> = {};
    setPointer(doc, '/__proto__/polluted', true);
    expect(Object.hasOwn(doc, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(doc)).toBe(Object.prototype);
  });

  it('cannot set the root', () => {
    expect(() => setPointer({}, '', 1)).toThrow('cannot set the root of a document through a pointer');
  });
});

describe('deletePointer', () => {
  it('removes a property named by an escaped token', () => {
    const doc = { 'a/b': 1, '~': 2, c: 3 };
    deletePointer(doc, '/a~1b');
    deletePointer(doc, '/~0');
    expect(doc).toEqual({ c: 3 });
  });

  it('removes an array item, closing the gap', () => {
    const doc = { list: ['a', 'b', 'c'] };
    deletePointer(doc, '/list/1');
    expect(doc.list).toEqual(['a', 'c']);
  });

  it('does nothing when the value is not there, or for the root', () => {
    const doc = { a: { b: 1 }, list: [1] };
    deletePointer(doc, '/x/y');
    deletePointer(doc, '/a/c');
    deletePointer(doc, '/list/01');
    deletePointer(doc, '/list/5');
    deletePointer(doc, '');
    expect(doc).toEqual({ a: { b: 1 }, list: [1] });
  });

  it('never deletes inherited members', () => {
    const doc = {};
    deletePointer(doc, '/toString');
    expect(typeof Object.prototype.toString).toBe('function');
  });

  it('removes what setPointer wrote, whatever the tokens', () => {
    fc.assert(
      fc.property(fc.array(fc.string(), { minLength: 1, maxLength: 4 }), (tokens) => {
        const pointer = formatPointer(tokens);
        const doc: Record<string, unknown> = {};
        setPointer(doc, pointer, 'value');
        expect(getPointer(doc, pointer)).toBe('value');
        deletePointer(doc, pointer);
        expect(getPointer(doc, pointer)).toBeUndefined();
      }),
    );
  });
});
