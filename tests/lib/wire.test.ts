/** lib/wire.ts: parameters by style and explode, written by the runner and read by the mock. */
import { createRequire } from 'node:module';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { JsonSchema } from '../../lib/json-schema.js';
import {
  coerceText,
  parameterText,
  propertySchema,
  type ReadResult,
  readParameter,
  readsQueryName,
  renderQuery,
  schemaShape,
  serializeCookie,
  serializeHeader,
  serializePath,
  serializeQuery,
  type WireParameter,
} from '../../lib/wire.js';

const STRING: JsonSchema = { type: 'string' };
const STRINGS: JsonSchema = { type: 'array', items: STRING };
const RGB: JsonSchema = {
  type: 'object',
  properties: { R: { type: 'integer' }, G: { type: 'integer' }, B: { type: 'integer' } },
};

/** What the server reads after the runner wrote `value` for `parameter`, whatever its location. */
function roundTrip(parameter: WireParameter, value: unknown): ReadResult {
  switch (parameter.in) {
    case 'path':
      return readParameter(parameter, { path: { [parameter.name]: serializePath(parameter, value) } });
    case 'query':
      return readParameter(parameter, { query: renderQuery([[parameter, value]]) });
    case 'header':
      return readParameter(parameter, {
        headers: { [parameter.name.toLowerCase()]: serializeHeader(parameter, value) },
      });
    case 'cookie':
      return readParameter(parameter, { headers: { cookie: serializeCookie(parameter, value) } });
  }
}

describe('a deepObject parameter that may also be a plain value', () => {
  it("reads `created=1` as the integer and `created[gt]=1` as the object (Stripe's created)", () => {
    const schema: JsonSchema = {
      anyOf: [{ type: 'object', properties: { gt: { type: 'integer' } } }, { type: 'integer' }],
    };
    const parameter: WireParameter = { name: 'created', in: 'query', schema, style: 'deepObject', explode: true };
    expect(readParameter(parameter, { query: 'created=1' })).toEqual({ present: true, value: 1 });
    expect(readParameter(parameter, { query: 'created%5Bgt%5D=1' })).toEqual({ present: true, value: { gt: 1 } });
    expect(roundTrip(parameter, 7)).toEqual({ present: true, value: 7 });
  });
});

describe('an array that may be null', () => {
  const kinds: JsonSchema[] = [
    { anyOf: [{ type: 'array', items: { type: 'string', enum: ['A', 'B'] } }, { type: 'null' }] },
    { type: ['array', 'null'], items: { type: 'string', enum: ['A', 'B'] } },
  ];
  for (const [i, schema] of kinds.entries()) {
    it(`reads the empty text as null, whichever way null is allowed (${i})`, () => {
      for (const explode of [true, false]) {
        const parameter: WireParameter = { name: 'kind', in: 'query', schema, style: 'form', explode };
        expect(roundTrip(parameter, null)).toEqual({ present: true, value: null });
        expect(roundTrip(parameter, ['A', 'B'])).toEqual({ present: true, value: ['A', 'B'] });
      }
    });
  }
  it('an array that may not be null reads the empty text as no items', () => {
    const parameter: WireParameter = { name: 'kind', in: 'query', schema: STRINGS, style: 'form', explode: false };
    expect(readParameter(parameter, { query: 'kind=' })).toEqual({ present: true, value: [] });
  });
});

describe('the Style Examples table of OpenAPI 3.1', () => {
  // OpenAPI 3.1.1 (and 3.1.2), "Style Examples", row by row: style, explode, then the undefined, string,
  // array and object columns (null for n/a). 3.1.0 printed `.blue.black.brown` and `.R.100.G.200.B.150`
  // for label without explode; 3.1.1 corrected that row to RFC 6570's `,`.
  const table: [string, boolean, string | null, string | null, string | null, string | null][] = [
    ['matrix', false, ';color', ';color=blue', ';color=blue,black,brown', ';color=R,100,G,200,B,150'],
    ['matrix', true, ';color', ';color=blue', ';color=blue;color=black;color=brown', ';R=100;G=200;B=150'],
    ['label', false, '.', '.blue', '.blue,black,brown', '.R,100,G,200,B,150'],
    ['label', true, '.', '.blue', '.blue.black.brown', '.R=100.G=200.B=150'],
    ['simple', false, '', 'blue', 'blue,black,brown', 'R,100,G,200,B,150'],
    ['simple', true, '', 'blue', 'blue,black,brown', 'R=100,G=200,B=150'],
    ['form', false, 'color=', 'color=blue', 'color=blue,black,brown', 'color=R,100,G,200,B,150'],
    ['form', true, 'color=', 'color=blue', 'color=blue&color=black&color=brown', 'R=100&G=200&B=150'],
    ['spaceDelimited', false, null, null, 'color=blue%20black%20brown', 'color=R%20100%20G%20200%20B%20150'],
    ['spaceDelimited', true, null, null, null, null],
    ['pipeDelimited', false, null, null, 'color=blue%7Cblack%7Cbrown', 'color=R%7C100%7CG%7C200%7CB%7C150'],
    ['pipeDelimited', true, null, null, null, null],
    ['deepObject', false, null, null, null, null],
    ['deepObject', true, null, null, null, 'color%5BR%5D=100&color%5BG%5D=200&color%5BB%5D=150'],
  ];
  // The undefined column reads back as null where the schema tries null before string.
  const columns: [string, JsonSchema, unknown][] = [
    ['undefined', { type: ['null', 'string'] }, null],
    ['string', STRING, 'blue'],
    ['array', STRINGS, ['blue', 'black', 'brown']],
    ['object', RGB, { R: 100, G: 200, B: 150 }],
  ];
  const pathStyles = new Set(['matrix', 'label', 'simple']);

  for (const [style, explode, ...cells] of table) {
    for (const [i, [column, schema, value]] of columns.entries()) {
      const expected = cells[i];
      if (expected === null || expected === undefined) continue;
      it(`${style}, explode ${explode}, ${column}: ${expected || '(empty)'}`, () => {
        const location = pathStyles.has(style) ? 'path' : 'query';
        const parameter: WireParameter = { name: 'color', in: location, schema, style, explode };
        const text = location === 'path' ? serializePath(parameter, value) : renderQuery([[parameter, value]]);
        expect(text).toBe(expected);
        const source = location === 'path' ? { path: { color: text } } : { query: text };
        expect(readParameter(parameter, source)).toEqual({ present: true, value });
        if (style === 'simple') {
          const header: WireParameter = { ...parameter, in: 'header' };
          expect(serializeHeader(header, value)).toBe(expected);
          expect(readParameter(header, { headers: { color: expected } })).toEqual({ present: true, value });
        }
      });
    }
  }

  it('shows the query pairs before URL-encoding', () => {
    const query = (style: string, explode: boolean, value: unknown, schema = STRINGS) =>
      serializeQuery({ name: 'color', in: 'query', schema, style, explode }, value);
    expect(query('form', false, ['blue', 'black', 'brown'])).toEqual([['color', 'blue,black,brown']]);
    expect(query('form', true, ['blue', 'black'])).toEqual([
      ['color', 'blue'],
      ['color', 'black'],
    ]);
    expect(query('spaceDelimited', false, ['blue', 'black'])).toEqual([['color', 'blue black']]);
    expect(query('pipeDelimited', false, { R: 100, G: 200 }, RGB)).toEqual([['color', 'R|100|G|200']]);
    expect(query('deepObject', true, { R: 100, G: 200 }, RGB)).toEqual([
      ['color[R]', '100'],
      ['color[G]', '200'],
    ]);
  });
});

describe('Appendix C of OpenAPI 3.1: RFC 6570-based serialization', () => {
  const formulas: WireParameter = {
    name: 'formulas',
    in: 'query',
    schema: { type: 'object', additionalProperties: { type: 'string' } },
    explode: true,
  };
  const words: WireParameter = { name: 'words', in: 'query', schema: STRINGS };

  it('C.4.1: an exploded map and a form array', () => {
    const query = renderQuery([
      [formulas, { a: 'x+y', b: 'x/y', c: 'x^y' }],
      [{ ...words, explode: false }, ['math', 'is', 'fun']],
    ]);
    expect(query).toBe('a=x%2By&b=x%2Fy&c=x%5Ey&words=math,is,fun');
    const others = new Set(['words']);
    expect(readParameter(formulas, { query }, others)).toEqual({
      present: true,
      value: { a: 'x+y', b: 'x/y', c: 'x^y' },
    });
  });

  it('C.4.2: allowReserved passes reserved characters and pre-encoded triples, spaceDelimited uses %20', () => {
    const query = renderQuery([
      [
        { ...formulas, allowReserved: true },
        { a: 'x%2By', b: 'x/y', c: 'x^y' },
      ],
      [{ ...words, style: 'spaceDelimited', explode: false }, ['math', 'is', 'fun']],
    ]);
    expect(query).toBe('a=x%2By&b=x/y&c=x%5Ey&words=math%20is%20fun');
    const spaced: WireParameter = { ...words, style: 'spaceDelimited', explode: false };
    expect(readParameter(spaced, { query })).toEqual({ present: true, value: ['math', 'is', 'fun'] });
  });

  it('C.4.3: an empty exploded object sends nothing', () => {
    expect(
      renderQuery([
        [formulas, {}],
        [{ ...words, explode: false }, ['hello', 'world']],
      ]),
    ).toBe('words=hello,world');
    expect(readParameter(formulas, { query: 'words=hello,world' }, new Set(['words']))).toEqual({ present: false });
  });

  it('C.4.4: a name that is not a URI Template variable name is percent-encoded', () => {
    const love: WireParameter = { name: '❤️', in: 'query', schema: STRING };
    expect(renderQuery([[love, 'love!']])).toBe('%E2%9D%A4%EF%B8%8F=love%21');
    expect(readParameter(love, { query: '%E2%9D%A4%EF%B8%8F=love%21' })).toEqual({ present: true, value: 'love!' });
  });

  it('allowReserved still encodes what a query string cannot carry raw, and the list delimiter in a value', () => {
    const reserved: WireParameter = { name: 'q', in: 'query', schema: STRING, allowReserved: true };
    expect(renderQuery([[reserved, ":/?@!$'()*,;[]#&+= %"]])).toBe("q=:/?@!$'()*,;%5B%5D%23%26%2B%3D%20%25");
    // A triplet the value already holds is kept, in its own case; a `%` that starts none is encoded.
    expect(renderQuery([[reserved, 'a%0ab%~']])).toBe('q=a%0ab%25~');
    const list: WireParameter = { name: 'q', in: 'query', schema: STRINGS, explode: false, allowReserved: true };
    expect(renderQuery([[list, ['a,b', 'c/d']]])).toBe('q=a%2Cb,c/d');
    expect(readParameter(list, { query: 'q=a%2Cb,c/d' })).toEqual({ present: true, value: ['a,b', 'c/d'] });
  });
});

describe('coerceText', () => {
  const integer: JsonSchema = { type: 'integer' };
  const number: JsonSchema = { type: 'number' };

  it('reads integers strictly: -?digits within safe integers', () => {
    expect(coerceText('42', integer)).toBe(42);
    expect(coerceText('-7', integer)).toBe(-7);
    expect(coerceText('007', integer)).toBe(7);
    expect(coerceText('9007199254740991', integer)).toBe(9007199254740991);
    for (const text of ['0x1A', '1.0', '1e3', ' 1', '1 ', '', '+1', '9007199254740993', 'Infinity', '1_000'])
      expect(coerceText(text, integer), text).toBe(text);
  });

  it('reads numbers by the JSON number grammar', () => {
    expect(coerceText('1.5', number)).toBe(1.5);
    expect(coerceText('-0.25e-3', number)).toBe(-0.00025);
    expect(coerceText('1E+21', number)).toBe(1e21);
    for (const text of ['0x1A', 'Infinity', '-Infinity', 'NaN', '', ' ', ' 1', '01', '.5', '5.', '+5', '1e400', '0b1'])
      expect(coerceText(text, number), text).toBe(text);
  });

  it('reads booleans as true and false only, and null as the empty text', () => {
    const boolean: JsonSchema = { type: 'boolean' };
    expect(coerceText('true', boolean)).toBe(true);
    expect(coerceText('false', boolean)).toBe(false);
    for (const text of ['TRUE', 'True', '1', '0', 'yes', '']) expect(coerceText(text, boolean), text).toBe(text);
    expect(coerceText('', { type: ['integer', 'null'] })).toBeNull();
    expect(coerceText('null', { type: ['integer', 'null'] })).toBe('null');
    expect(coerceText('', { type: 'null' })).toBeNull();
  });

  it('tries type lists and oneOf/anyOf branches in the order written', () => {
    expect(coerceText('5', { type: ['integer', 'null'] })).toBe(5);
    expect(coerceText('5', { type: ['integer', 'string'] })).toBe(5);
    expect(coerceText('5', { type: ['string', 'integer'] })).toBe('5');
    expect(coerceText('', { type: ['string', 'null'] })).toBe('');
    expect(coerceText('', { type: ['null', 'string'] })).toBeNull();
    const either: JsonSchema = { oneOf: [{ type: 'integer' }, { type: 'boolean' }] };
    expect(coerceText('3', either)).toBe(3);
    expect(coerceText('true', either)).toBe(true);
    expect(coerceText('x', either)).toBe('x');
    expect(coerceText('3', { anyOf: [{ type: 'string' }, { type: 'integer' }] })).toBe('3');
    expect(coerceText('3', { allOf: [{ minimum: 1 }, { type: 'integer' }] })).toBe(3);
  });

  it('gives the enum or const member written as the text, when there is no type', () => {
    const mixed: JsonSchema = { enum: ['red', 7, true, null] };
    expect(coerceText('7', mixed)).toBe(7);
    expect(coerceText('true', mixed)).toBe(true);
    expect(coerceText('', mixed)).toBeNull();
    expect(coerceText('red', mixed)).toBe('red');
    expect(coerceText('8', mixed)).toBe('8');
    expect(coerceText('1', { enum: [1, '1'] })).toBe(1);
    expect(coerceText('false', { const: false })).toBe(false);
    expect(coerceText('7', { type: 'string', enum: ['7'] })).toBe('7');
  });

  it('leaves text alone for strings, containers and schemas without a type', () => {
    expect(coerceText('12', STRING)).toBe('12');
    expect(coerceText('12', {})).toBe('12');
    expect(coerceText('[1]', STRINGS)).toBe('[1]');
  });
});

describe('parameterText', () => {
  it('writes primitives as wire text, null as empty, containers as JSON', () => {
    expect(parameterText('a b')).toBe('a b');
    expect(parameterText(1.5)).toBe('1.5');
    expect(parameterText(1e21)).toBe('1e+21');
    expect(parameterText(false)).toBe('false');
    expect(parameterText(null)).toBe('');
    expect(parameterText(undefined)).toBe('');
    expect(parameterText({ a: [1] })).toBe('{"a":[1]}');
  });
});

describe('readParameter', () => {
  const query = (name: string, schema: JsonSchema, extra: Partial<WireParameter> = {}): WireParameter => ({
    name,
    in: 'query',
    schema,
    ...extra,
  });

  it('says absent when the request does not carry the parameter', () => {
    expect(readParameter(query('a', STRING), { query: 'b=1' })).toEqual({ present: false });
    expect(readParameter(query('a', STRING), {})).toEqual({ present: false });
    expect(readParameter({ name: 'id', in: 'path', schema: STRING }, { path: {} })).toEqual({ present: false });
    expect(readParameter({ name: 'X-A', in: 'header', schema: STRING }, { headers: {} })).toEqual({ present: false });
    expect(readParameter({ name: 'a', in: 'cookie', schema: STRING }, { headers: { cookie: 'b=1' } })).toEqual({
      present: false,
    });
  });

  it('reads path text still percent-encoded: a %2C inside a value is not a delimiter', () => {
    const id: WireParameter = { name: 'ids', in: 'path', schema: STRINGS };
    expect(serializePath(id, ['a,b', 'c/d', 'é'])).toBe('a%2Cb,c%2Fd,%C3%A9');
    expect(readParameter(id, { path: { ids: 'a%2Cb,c%2Fd,%C3%A9' } })).toEqual({
      present: true,
      value: ['a,b', 'c/d', 'é'],
    });
    const plus: WireParameter = { name: 'p', in: 'path', schema: STRING };
    expect(readParameter(plus, { path: { p: 'a+b' } })).toEqual({ present: true, value: 'a+b' });
  });

  it('decodes + as a space in query strings, and malformed escapes leniently', () => {
    const q = query('q', STRING);
    expect(readParameter(q, { query: '?q=a+b%20c' })).toEqual({ present: true, value: 'a b c' });
    expect(readParameter(q, { query: 'q=100%' })).toEqual({ present: true, value: '100%' });
    expect(readParameter(q, { query: 'q=%zz%E2%82' })).toEqual({ present: true, value: '%zz\uFFFD' });
    expect(readParameter(q, { query: 'q' })).toEqual({ present: true, value: '' });
  });

  it('reads URLSearchParams too, which have decoded their values already', () => {
    const list = query('c', STRINGS, { explode: false });
    expect(readParameter(list, { query: new URLSearchParams('c=a,b&c=x') })).toEqual({
      present: true,
      value: ['x'],
    });
    expect(readParameter(list, { query: new URLSearchParams('c=a%2Cb') })).toEqual({
      present: true,
      value: ['a', 'b'],
    });
    expect(readParameter(list, { query: 'c=a%2Cb' })).toEqual({ present: true, value: ['a,b'] });
  });

  it('reads a primitive sent twice as the list of both, so the validator reports it', () => {
    expect(readParameter(query('limit', { type: 'integer' }), { query: 'limit=1&limit=2' })).toEqual({
      present: true,
      value: [1, 2],
    });
  });

  it('takes only declared properties for an exploded object, and a map takes what others leave', () => {
    const rgb = query('color', RGB);
    expect(readParameter(rgb, { query: 'R=1&X=2&B=3' })).toEqual({ present: true, value: { R: 1, B: 3 } });
    const map = query('filter', { type: 'object', additionalProperties: { type: 'integer' } });
    const text = 'a=1&b=2&limit=10&api_key=k';
    expect(readParameter(map, { query: text }, new Set(['limit', 'api_key']))).toEqual({
      present: true,
      value: { a: 1, b: 2 },
    });
    expect(readsQueryName(map, 'limit', new Set(['limit']))).toBe(false);
    expect(readsQueryName(map, 'a', new Set(['limit']))).toBe(true);
    expect(readsQueryName(rgb, 'X')).toBe(false);
  });

  it('nests deepObject keys, with indexed, appended and repeated arrays', () => {
    const filter = query(
      'filter',
      {
        type: 'object',
        properties: {
          name: STRING,
          ids: { type: 'array', items: { type: 'integer' } },
          tags: STRINGS,
          range: { type: 'object', properties: { min: { type: 'number' }, max: { type: 'number' } } },
        },
      },
      { style: 'deepObject' },
    );
    const text =
      'filter%5Bname%5D=a+b&filter[ids][1]=8&filter[ids][0]=7&filter[tags][]=x&filter[tags][]=y&filter[range][min]=1.5&other=1';
    expect(readParameter(filter, { query: text })).toEqual({
      present: true,
      value: { name: 'a b', ids: [7, 8], tags: ['x', 'y'], range: { min: 1.5 } },
    });
    expect(readParameter(filter, { query: 'filter[ids]=1&filter[ids]=2' })).toEqual({
      present: true,
      value: { ids: [1, 2] },
    });
    const value = { name: 'n', ids: [1, 2], range: { min: 0, max: 9 } };
    expect(renderQuery([[filter, value]])).toBe(
      'filter%5Bname%5D=n&filter%5Bids%5D%5B0%5D=1&filter%5Bids%5D%5B1%5D=2&filter%5Brange%5D%5Bmin%5D=0&filter%5Brange%5D%5Bmax%5D=9',
    );
    expect(roundTrip(filter, value)).toEqual({ present: true, value });
    expect(readsQueryName(filter, 'filter[a][b]')).toBe(true);
    expect(readsQueryName(filter, 'filter[a]x')).toBe(false);
    expect(readsQueryName(filter, 'filterx')).toBe(false);
  });

  it('does not read deepObject keys nested deeper than 32 levels', () => {
    const deep = query('f', {}, { style: 'deepObject' });
    expect(readParameter(deep, { query: `f${'[a]'.repeat(20_000)}=1` })).toEqual({ present: false });
    expect(readParameter(deep, { query: `f${'[a]'.repeat(32)}=1&f[b]=2` })).toMatchObject({
      present: true,
      value: { b: '2' },
    });
    expect(readsQueryName(deep, `f${'[a]'.repeat(33)}`)).toBe(false);
  });

  it('keeps __proto__ an ordinary key', () => {
    const map = query('m', { type: 'object', additionalProperties: true }, { style: 'deepObject' });
    const read = readParameter(map, { query: 'm[__proto__][polluted]=1&m[constructor][prototype][x]=2' });
    expect(read.present && Object.keys(read.value as object)).toEqual(['__proto__', 'constructor']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const exploded = query('e', { type: 'object' });
    const flat = readParameter(exploded, { query: '__proto__=1' });
    expect(flat.present && Object.getPrototypeOf(flat.value)).toBe(Object.prototype);
    expect(flat.present && Object.hasOwn(flat.value as object, '__proto__')).toBe(true);
  });

  it('reads headers in any case, several field lines as one list, items trimmed', () => {
    const tags: WireParameter = { name: 'X-Tags', in: 'header', schema: { type: 'array', items: { type: 'integer' } } };
    expect(readParameter(tags, { headers: { 'x-tags': ['1, 2', '3'] } })).toEqual({ present: true, value: [1, 2, 3] });
    expect(readParameter(tags, { headers: { 'X-TAGS': ' 4 ,5' } })).toEqual({ present: true, value: [4, 5] });
    expect(readParameter(tags, { headers: { 'x-tags': '' } })).toEqual({ present: true, value: [] });
    const rgb: WireParameter = { name: 'X-Color', in: 'header', schema: RGB, explode: true };
    expect(readParameter(rgb, { headers: { 'x-color': 'R=1, G=2' } })).toEqual({
      present: true,
      value: { R: 1, G: 2 },
    });
  });

  it('reads cookies: pairs split by ;, values percent-decoded (no + rule) or double-quoted', () => {
    const session: WireParameter = { name: 'session', in: 'cookie', schema: STRING };
    const headers = { cookie: 'theme=dark; session="a+b%3Bc"; other=1' };
    expect(readParameter(session, { headers })).toEqual({ present: true, value: 'a+b;c' });
    const ids: WireParameter = { name: 'ids', in: 'cookie', schema: { type: 'array', items: { type: 'integer' } } };
    expect(serializeCookie(ids, [1, 2])).toBe('ids=1; ids=2');
    expect(serializeCookie({ ...ids, explode: false }, [1, 2])).toBe('ids=1,2');
    expect(readParameter(ids, { headers: { cookie: ['ids=1', 'ids=2'] } })).toEqual({ present: true, value: [1, 2] });
    expect(serializeCookie({ name: 'c', in: 'cookie', schema: RGB }, { R: 1, G: 2 })).toBe('R=1; G=2');
    expect(serializeCookie(session, 'a b;c')).toBe('session=a%20b%3Bc');
  });

  it('reads text that does not fit its style as text, for the validator to report', () => {
    const odd: WireParameter = { name: 'c', in: 'path', schema: RGB };
    expect(readParameter(odd, { path: { c: 'R,100,G' } })).toEqual({ present: true, value: 'R,100,G' });
    const exploded: WireParameter = { ...odd, explode: true };
    expect(readParameter(exploded, { path: { c: 'R=1,G' } })).toEqual({ present: true, value: 'R=1,G' });
    const matrix: WireParameter = { name: 'c', in: 'path', schema: STRINGS, style: 'matrix', explode: true };
    expect(readParameter(matrix, { path: { c: ';c=a;d=b' } })).toEqual({ present: true, value: ';c=a;d=b' });
    const label: WireParameter = { name: 'n', in: 'path', schema: { type: 'integer' }, style: 'label' };
    expect(readParameter(label, { path: { n: '.5' } })).toEqual({ present: true, value: 5 });
    expect(readParameter(label, { path: { n: '5' } })).toEqual({ present: true, value: 5 });
    expect(readParameter(label, { path: { n: '.0x5' } })).toEqual({ present: true, value: '0x5' });
  });

  it('falls back to the location default for a style the location does not allow', () => {
    const matrixQuery = query('c', STRINGS, { style: 'matrix' });
    expect(renderQuery([[matrixQuery, ['a', 'b']]])).toBe('c=a&c=b');
    const formPath: WireParameter = { name: 'c', in: 'path', schema: STRINGS, style: 'form' };
    expect(serializePath(formPath, ['a', 'b'])).toBe('a,b');
  });

  it('reads nested containers as JSON text by the item schema', () => {
    const nested: WireParameter = {
      name: 'n',
      in: 'query',
      schema: { type: 'array', items: { type: 'array', items: { type: 'integer' } } },
    };
    expect(renderQuery([[nested, [[1, 2], [3]]]])).toBe('n=%5B1%2C2%5D&n=%5B3%5D');
    expect(roundTrip(nested, [[1, 2], [3]])).toEqual({ present: true, value: [[1, 2], [3]] });
  });
});

// ---------------------------------------------------------------------------------------------------
// Prism's deserializers, read as the model where the spec leaves room (they split; Ajv coerces after).

type PrismDeserialize = (name: string, parameters: object, schema?: JsonSchema, explode?: boolean) => unknown;
const prism = createRequire(import.meta.url)('@stoplight/prism-http/dist/validator/deserializers/index.js') as Record<
  'path' | 'query' | 'header',
  Record<string, PrismDeserialize>
>;

describe('agreement with Prism 5 deserializers', () => {
  const OBJECT: JsonSchema = { type: 'object', properties: { R: STRING, G: STRING } };
  const ours = (parameter: WireParameter, text: string): unknown => {
    const read = readParameter(parameter, { path: { c: text } });
    return read.present ? read.value : undefined;
  };

  it('splits path texts the same way', () => {
    const cases: [string, boolean, JsonSchema, string][] = [
      ['simple', false, STRINGS, 'a,b'],
      ['simple', false, OBJECT, 'R,1,G,2'],
      ['simple', true, OBJECT, 'R=1,G=2'],
      ['label', false, STRINGS, '.a,b'],
      ['label', true, STRINGS, '.a.b'],
      ['label', false, OBJECT, '.R,1,G,2'],
      ['matrix', false, STRINGS, ';c=a,b'],
      ['matrix', true, STRINGS, ';c=a;c=b'],
      ['matrix', false, OBJECT, ';c=R,1,G,2'],
      ['matrix', true, OBJECT, ';R=1;G=2'],
      ['matrix', false, STRING, ';c=x'],
      ['simple', false, STRINGS, ''],
    ];
    for (const [style, explode, schema, text] of cases) {
      const theirs = prism.path[style]!('c', { c: text }, schema, explode);
      expect(ours({ name: 'c', in: 'path', schema, style, explode }, text), `${style} ${explode} ${text}`).toEqual(
        theirs,
      );
    }
  });

  it('reads query lists the same way, given an explicit explode', () => {
    const q = (style: string, explode: boolean, schema: JsonSchema, text: string) => {
      const read = readParameter({ name: 'c', in: 'query', schema, style, explode }, { query: text });
      return read.present ? read.value : undefined;
    };
    const params = (text: string): Record<string, string | string[]> => {
      const out: Record<string, string | string[]> = {};
      for (const [name, value] of new URLSearchParams(text)) {
        const before = out[name];
        out[name] = before === undefined ? value : [before, value].flat();
      }
      return out;
    };
    const cases: [string, boolean, JsonSchema, string][] = [
      ['form', true, STRINGS, 'c=a&c=b'],
      ['form', false, STRINGS, 'c=a,b'],
      ['form', false, OBJECT, 'c=R,1,G,2'],
      ['form', true, OBJECT, 'R=1&G=2&x=3'],
      ['pipeDelimited', false, STRINGS, 'c=a|b'],
      ['deepObject', true, OBJECT, 'c[R]=1&c[G]=2'],
    ];
    for (const [style, explode, schema, text] of cases)
      expect(q(style, explode, schema, text), `${style} ${text}`).toEqual(
        prism.query[style]!('c', params(text), schema, explode),
      );
  });

  it('differs where Prism departs from the spec', () => {
    // Prism reads an absent explode as false, even for form: repeated keys become the last one, split.
    expect(prism.query.form!('c', { c: ['a', 'b'] }, STRINGS, false)).toEqual(['b']);
    expect(readParameter({ name: 'c', in: 'query', schema: STRINGS }, { query: 'c=a&c=b' })).toEqual({
      present: true,
      value: ['a', 'b'],
    });
    // Prism splits spaceDelimited on a literal "%20", which a decoded value never holds.
    expect(prism.query.spaceDelimited!('c', { c: 'a b' }, STRINGS, false)).toEqual(['a b']);
    // Prism splits an exploded label object on "," instead of ".".
    expect(prism.path.label!('c', { c: '.R=1.G=2' }, OBJECT, true)).toEqual({ R: '1.G' });
    expect(ours({ name: 'c', in: 'path', schema: OBJECT, style: 'label', explode: true }, '.R=1.G=2')).toEqual({
      R: '1',
      G: '2',
    });
    // Prism throws on a label or matrix text without its prefix; it is read leniently here.
    expect(() => prism.path.label!('c', { c: 'a' }, STRINGS, false)).toThrow();
  });
});

// ---------------------------------------------------------------------------------------------------
// Round trips: whatever the runner writes, the mock reads back as the same value.

interface Combination {
  in: WireParameter['in'];
  style: string;
  explode: boolean;
  allowReserved?: boolean;
}

const COMBINATIONS: Combination[] = [
  ...['simple', 'label', 'matrix'].flatMap((style) =>
    [false, true].map((explode) => ({ in: 'path' as const, style, explode })),
  ),
  ...['form', 'spaceDelimited', 'pipeDelimited'].flatMap((style) =>
    [false, true].map((explode) => ({ in: 'query' as const, style, explode })),
  ),
  { in: 'query', style: 'deepObject', explode: true },
  { in: 'query', style: 'form', explode: false, allowReserved: true },
  { in: 'query', style: 'form', explode: true, allowReserved: true },
  { in: 'header', style: 'simple', explode: false },
  { in: 'header', style: 'simple', explode: true },
  { in: 'cookie', style: 'form', explode: false },
  { in: 'cookie', style: 'form', explode: true },
];

/** Text full of delimiters, escapes and non-ASCII, next to plain characters. */
const UNIT = fc.oneof(
  fc.constantFrom(',', ';', '=', '.', '%', '%2C', '%41', '+', '&', '[', ']', ' ', '|', '#', '?', '/', '"', "'"),
  fc.constantFrom('é', '❤️', '😀', '\u00a0', '~', '*', '(', ')', '!', '$', ':', '@'),
  fc.string({ minLength: 1, maxLength: 1 }),
);

/**
 * What a value may hold in a combination: headers are not encoded (no `,`, `=` or spaces in lists),
 * spaceDelimited and pipeDelimited cannot tell their delimiter inside a value, reserved expansion
 * passes percent-escapes through.
 */
function textFits(combination: Combination, text: string, role: 'primitive' | 'item' | 'key'): boolean {
  if (combination.in === 'header') return /^[!-~]*$/.test(text) && (role === 'primitive' || !/[,=]/.test(text));
  if (combination.allowReserved && text.includes('%')) return false;
  if (combination.explode || role === 'primitive') return !(combination.style === 'deepObject' && /[[\]]/.test(text));
  if (combination.style === 'spaceDelimited') return !text.includes(' ');
  if (combination.style === 'pipeDelimited') return !text.includes('|');
  return true;
}

const text = (combination: Combination, role: 'primitive' | 'item' | 'key') =>
  fc.string({ unit: UNIT, maxLength: 6 }).filter((t) => textFits(combination, t, role));

const PRIMITIVES: [JsonSchema, (c: Combination, role: 'primitive' | 'item') => fc.Arbitrary<unknown>][] = [
  [STRING, (c, role) => text(c, role)],
  [{ type: 'integer' }, () => fc.maxSafeInteger()],
  [{ type: 'number' }, () => fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => (n === 0 ? 0 : n))],
  [{ type: 'boolean' }, () => fc.boolean()],
  [{ type: ['integer', 'null'] }, () => fc.option(fc.integer(), { nil: null })],
  [{ enum: ['red', 7, true, null] }, () => fc.constantFrom('red', 7, true, null)],
];

/** A schema and a value of it; arrays and objects are never empty, an array is never one empty text. */
function schemaAndValue(combination: Combination): fc.Arbitrary<[JsonSchema, unknown]> {
  const primitive = fc.constantFrom(...PRIMITIVES);
  const primitives = primitive.chain(([schema, values]) =>
    values(combination, 'primitive').map((v): [JsonSchema, unknown] => [schema, v]),
  );
  const arrays = primitive.chain(([items, values]) =>
    fc
      .array(values(combination, 'item'), { minLength: 1, maxLength: 4 })
      .filter((list) => list.length > 1 || parameterText(list[0]) !== '')
      .map((list): [JsonSchema, unknown] => [{ type: 'array', items }, list]),
  );
  const objects = fc
    .uniqueArray(fc.oneof(text(combination, 'key'), fc.constant('__proto__')), { minLength: 1, maxLength: 4 })
    .chain((keys) =>
      fc
        .tuple(...keys.map(() => primitive))
        .chain((schemas) =>
          fc
            .tuple(...schemas.map(([, values]) => values(combination, 'item')))
            .map((values): [JsonSchema, unknown] => [
              { type: 'object', properties: Object.fromEntries(keys.map((key, i) => [key, schemas[i]![0]])) },
              Object.fromEntries(keys.map((key, i) => [key, values[i]])),
            ]),
        ),
    );
  if (combination.style === 'deepObject') return objects;
  if (combination.style === 'spaceDelimited' || combination.style === 'pipeDelimited') return fc.oneof(arrays, objects);
  return fc.oneof(primitives, arrays, objects);
}

// RFC 3986 §2.1: a percent-encoded triplet's hex digits may be of either case (allowReserved passes a
// value's own `%0a` through as it is).
const RFC3986_QUERY = /^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9A-Fa-f]{2})*$/;
const DOT_SEGMENTS = new Set(['.', '%2e', '..', '.%2e', '%2e.', '%2e%2e']);
const RFC3986_SEGMENT = /^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@]|%[0-9A-Fa-f]{2})*$/;

describe('round trips, for every location, style and explode', () => {
  for (const combination of COMBINATIONS) {
    const label = `${combination.in} ${combination.style} explode ${combination.explode}${combination.allowReserved ? ' allowReserved' : ''}`;
    it(label, () => {
      fc.assert(
        fc.property(schemaAndValue(combination), ([schema, value]) => {
          const parameter: WireParameter = { name: 'p', ...combination, schema };
          expect(roundTrip(parameter, value)).toEqual({ present: true, value });
        }),
        { numRuns: 300 },
      );
    });
  }

  it('nests arrays and objects inside objects, except in headers', () => {
    const schema: JsonSchema = {
      type: 'object',
      properties: {
        list: { type: 'array', items: { type: 'integer' } },
        inner: { type: 'object', properties: { a: { type: 'integer' }, b: { type: 'boolean' } } },
      },
    };
    const value = fc.record({
      list: fc.array(fc.integer(), { minLength: 1, maxLength: 3 }),
      inner: fc.record({ a: fc.integer(), b: fc.boolean() }),
    });
    fc.assert(
      fc.property(fc.constantFrom(...COMBINATIONS.filter((c) => c.in !== 'header')), value, (combination, v) => {
        expect(roundTrip({ name: 'p', ...combination, schema }, v)).toEqual({ present: true, value: v });
      }),
      { numRuns: 500 },
    );
  });

  it('writes only what RFC 3986 allows in a path segment and a query, which URL parsing leaves alone', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...COMBINATIONS.filter((c) => c.in === 'path' || c.in === 'query')),
        fc.constantFrom(...COMBINATIONS).chain((c) => schemaAndValue(c)),
        (combination, [schema, value]) => {
          const parameter: WireParameter = { name: 'p q', ...combination, schema };
          if (combination.in === 'path') {
            const segment = serializePath(parameter, value);
            expect(segment).toMatch(RFC3986_SEGMENT);
            // URLs drop `.` and `..` segments: a path parameter cannot be exactly that (see lib/wire.ts).
            if (!DOT_SEGMENTS.has(segment.toLowerCase()))
              expect(new URL(`http://h/x/${segment}`).pathname).toBe(`/x/${segment}`);
          } else {
            const query = renderQuery([[parameter, value]]);
            expect(query).toMatch(RFC3986_QUERY);
            if (query !== '' && !combination.allowReserved)
              expect(new URL(`http://h/?${query}`).search).toBe(`?${query}`);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('reads any text in any style without throwing', () => {
    const schemas = [STRING, STRINGS, RGB, { type: 'integer' }, { type: 'object' }, {}] as JsonSchema[];
    fc.assert(
      fc.property(
        fc.constantFrom(...COMBINATIONS),
        fc.constantFrom(...schemas),
        fc.string({ unit: fc.oneof(UNIT, fc.constantFrom('%E2%82', '%', '%F', '\uD800', '.', 'p', 'p=', ';p')) }),
        (combination, schema, raw) => {
          const parameter: WireParameter = { name: 'p', ...combination, schema };
          const sources = [
            { path: { p: raw } },
            { query: raw },
            { query: `p=${raw}&p[${raw}]=${raw}` },
            { headers: { p: raw, cookie: raw } },
            { headers: { p: [raw, raw], cookie: `p=${raw}; p=${raw}` } },
          ];
          for (const source of sources) expect(() => readParameter(parameter, source)).not.toThrow();
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('schemaShape of a schema typed by its branches', () => {
  it("an object's properties are those of every object branch, each as the first branch declaring it says", () => {
    const base: JsonSchema = { properties: { name: STRING, price: { type: 'integer' } } };
    const beverage: JsonSchema = { allOf: [{ type: 'object', properties: { volume: { type: 'number' } } }, base] };
    const dessert: JsonSchema = { allOf: [{ type: 'object', properties: { calories: { type: 'number' } } }, base] };
    const item = schemaShape({ oneOf: [beverage, dessert] });
    expect(item.kind).toBe('object');
    for (const [name, type] of [
      ['name', 'string'],
      ['price', 'integer'],
      ['volume', 'number'],
      ['calories', 'number'],
    ])
      expect(propertySchema(item, name!).type).toBe(type);
    expect(schemaShape({ anyOf: [{ type: 'array', items: STRING }, RGB] }).kind).toBe('array');
  });
});

describe('a parameter described by content (one text of its media type), not by a schema', () => {
  const filter: WireParameter = {
    name: 'q',
    in: 'query',
    schema: { type: 'object', properties: { a: { type: 'integer' } } },
    contentType: 'application/json',
  };

  it('is written as its JSON text, percent-encoded, in the query, the path, a header and a cookie', () => {
    expect(renderQuery([[filter, { a: 1 }]])).toBe('q=%7B%22a%22%3A1%7D');
    expect(serializePath({ ...filter, in: 'path', schema: STRING }, 'a')).toBe('%22a%22');
    expect(serializeHeader({ ...filter, in: 'header' }, { a: 1 })).toBe('{"a":1}');
    expect(serializeCookie({ ...filter, in: 'cookie' }, { a: 1 })).toBe('q=%7B%22a%22%3A1%7D');
  });

  it('is read back as the value its text says; a text that is not JSON says so', () => {
    expect(readParameter(filter, { query: 'q=%7B%22a%22%3A1%7D&a=2' })).toEqual({ present: true, value: { a: 1 } });
    expect(readParameter(filter, { query: 'a=1' })).toEqual({ present: false });
    expect(readParameter({ ...filter, in: 'path', schema: STRING }, { path: { q: '%22a%22' } })).toEqual({
      present: true,
      value: 'a',
    });
    expect(readParameter({ ...filter, in: 'path', schema: STRING }, { path: { q: 'a' } })).toEqual({
      present: true,
      value: 'a',
      malformed: 'is not valid JSON',
    });
    expect(readParameter({ ...filter, in: 'header' }, { headers: { q: '{"a":1}' } })).toEqual({
      present: true,
      value: { a: 1 },
    });
  });
});
