/** lib/form.ts: urlencoded and multipart bodies by the Encoding Object, written by the runner, read by the mock. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeMultipart,
  decodeUrlEncoded,
  describesFields,
  encodeMultipart,
  encodeUrlEncoded,
  type FormEncodings,
  type FormResult,
} from '../../lib/form.js';
import type { JsonSchema } from '../../lib/json-schema.js';

const STRING: JsonSchema = { type: 'string' };

/** The parts of a multipart body as the platform reads them, with their file names and types. */
async function platformParts(body: Buffer, contentType: string) {
  const form = await new Response(body, { headers: { 'content-type': contentType } }).formData();
  const parts: { name: string; value: string; filename?: string; type?: string }[] = [];
  for (const [name, value] of form) {
    if (typeof value === 'string') parts.push({ name, value });
    else
      parts.push({
        name,
        value: Buffer.from(await value.arrayBuffer()).toString('latin1'),
        filename: value.name,
        type: value.type,
      });
  }
  return parts;
}

/** The head of each part, as written: `name` and the header lines after it. */
const partHeads = (body: Buffer): string[] =>
  body
    .toString('latin1')
    .split(/--form-[0-9a-f-]+(?:--)?\r\n/)
    .filter((part) => part !== '')
    .map((part) => part.split('\r\n\r\n')[0]!);

describe('application/x-www-form-urlencoded: the examples of OpenAPI 3.1.1', () => {
  const ADDRESS_FORM: JsonSchema = {
    type: 'object',
    properties: { id: { type: 'string', format: 'uuid' }, address: { type: 'object', properties: {} } },
  };
  const address = { streetAddress: '123 Example Dr.', city: 'Somewhere', state: 'CA', zip: '99999+1234' };
  const id = 'f81d4fae-7dec-11d0-a765-00a0c91e6bf6';

  it('URL Encoded Form with JSON Values: complex values are JSON, primitives text', () => {
    const body = encodeUrlEncoded({ id, address }, ADDRESS_FORM);
    expect(body).toBe(
      'id=f81d4fae-7dec-11d0-a765-00a0c91e6bf6&address=%7B%22streetAddress%22%3A%22123+Example+Dr.%22%2C%22city%22%3A%22Somewhere%22%2C%22state%22%3A%22CA%22%2C%22zip%22%3A%2299999%2B1234%22%7D',
    );
    expect(decodeUrlEncoded(body, ADDRESS_FORM)).toEqual({ ok: true, value: { id, address } });
  });

  it('the id serialized as application/json instead of text/plain', () => {
    const encoding: FormEncodings = { id: { contentType: 'application/json' } };
    expect(encodeUrlEncoded({ id }, ADDRESS_FORM, encoding)).toBe('id=%22f81d4fae-7dec-11d0-a765-00a0c91e6bf6%22');
    expect(decodeUrlEncoded('id=%22f81d4fae-7dec-11d0-a765-00a0c91e6bf6%22', ADDRESS_FORM, encoding)).toEqual({
      ok: true,
      value: { id },
    });
  });

  it('URL Encoded Form with Binary Values: base64url text, padding percent-encoded', () => {
    const schema: JsonSchema = {
      type: 'object',
      properties: { name: STRING, icon: { type: 'string', contentEncoding: 'base64url' } as JsonSchema },
    };
    const encoding: FormEncodings = { icon: { contentType: 'image/png, image/jpeg' } };
    const icon =
      'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAABGdBTUEAALGPC_xhBQAAADhlWElmTU0AKgAAAAgAAYdpAAQAAAABAAAAGgAAAAAAAqACAAQAAAABAAAAAqADAAQAAAABAAAAAgAAAADO0J6QAAAAEElEQVQIHWP8zwACTGCSAQANHQEDqtPptQAAAABJRU5ErkJggg==';
    const body = encodeUrlEncoded({ name: 'example', icon }, schema, encoding);
    expect(body).toBe(`name=example&icon=${icon.slice(0, -2)}%3D%3D`);
    expect(decodeUrlEncoded(body, schema, encoding)).toEqual({ ok: true, value: { name: 'example', icon } });
  });
});

describe('application/x-www-form-urlencoded', () => {
  const SCHEMA: JsonSchema = {
    type: 'object',
    properties: {
      primitive: STRING,
      count: { type: 'integer' },
      array: { type: 'array', items: STRING },
      object: { type: 'object', properties: { foo: STRING, bar: { type: 'integer' } } },
      filter: { type: 'object', properties: { a: STRING, b: { type: 'boolean' } } },
      csv: { type: 'array', items: { type: 'integer' } },
    },
  };

  it('repeats the field of an array, one per item, by default', () => {
    const body = encodeUrlEncoded({ array: ['a b', 'c'], count: 3 }, SCHEMA);
    expect(body).toBe('array=a+b&array=c&count=3');
    expect(decodeUrlEncoded(body, SCHEMA)).toEqual({ ok: true, value: { array: ['a b', 'c'], count: 3 } });
    expect(decodeUrlEncoded('array=x', SCHEMA)).toEqual({ ok: true, value: { array: ['x'] } });
  });

  it('serializes properties with style, explode or allowReserved as query parameters', () => {
    // The readme.io oas-examples "schema-encoding-style" form, plus deepObject and a non-exploded list.
    const encoding: FormEncodings = {
      primitive: { style: 'form' },
      array: { style: 'form' },
      object: { style: 'form' },
      filter: { style: 'deepObject', explode: true },
      csv: { explode: false },
    };
    const value = {
      primitive: 'x y',
      array: ['a', 'b'],
      object: { foo: 'f', bar: 2 },
      filter: { a: 'z', b: true },
      csv: [1, 2],
    };
    const body = encodeUrlEncoded(value, SCHEMA, encoding);
    expect(body).toBe('primitive=x%20y&array=a&array=b&foo=f&bar=2&filter%5Ba%5D=z&filter%5Bb%5D=true&csv=1,2');
    expect(decodeUrlEncoded(body, SCHEMA, encoding)).toEqual({ ok: true, value });
  });

  it('keeps fields the schema does not declare, for additionalProperties to judge', () => {
    expect(decodeUrlEncoded('count=1&extra=a&extra=b&other=', SCHEMA)).toEqual({
      ok: true,
      value: { count: 1, extra: ['a', 'b'], other: '' },
    });
    const map: JsonSchema = { type: 'object', additionalProperties: { type: 'integer' } };
    expect(decodeUrlEncoded('a=1&b=x', map)).toEqual({ ok: true, value: { a: 1, b: 'x' } });
    const styled: FormEncodings = { filter: { style: 'deepObject' } };
    expect(decodeUrlEncoded('filter[a]=1&filter[b]=false&x=2', SCHEMA, styled)).toEqual({
      ok: true,
      value: { filter: { a: '1', b: false }, x: '2' },
    });
  });

  it('reads each styled property from its own fields, a property whose name has a bracket from all of them', () => {
    const schema: JsonSchema = {
      type: 'object',
      properties: {
        'a[b]': { type: 'object', properties: { c: { type: 'string' } } },
        a: { type: 'object', properties: { x: { type: 'string' } } },
        n: { type: 'integer' },
      },
    };
    const encoding: FormEncodings = { 'a[b]': { style: 'deepObject' }, a: { style: 'deepObject' } };
    // `a[b][c]` is both `a[b]`'s `c` and `a`'s `b.c`: each property reads it as the whole body has it.
    expect(decodeUrlEncoded('a%5Bb%5D%5Bc%5D=1&a[x]=2&n=3&z[1]=4', schema, encoding)).toEqual({
      ok: true,
      value: { 'a[b]': { c: '1' }, a: { b: { c: '1' }, x: '2' }, n: 3, 'z[1]': '4' },
    });
    const questioned: JsonSchema = { type: 'object', properties: { '?b': { type: 'object' }, a: { type: 'string' } } };
    expect(decodeUrlEncoded('a=1&?b[x]=2', questioned, { '?b': { style: 'deepObject' } })).toEqual({
      ok: true,
      value: { '?b': { x: '2' }, a: '1' },
    });
  });

  it('coerces primitives strictly, so the validator sees what was sent', () => {
    expect(decodeUrlEncoded('count=0x1A', SCHEMA)).toEqual({ ok: true, value: { count: '0x1A' } });
    expect(decodeUrlEncoded('count=1&count=2', SCHEMA)).toEqual({ ok: true, value: { count: [1, 2] } });
  });

  it('fails in one line on a JSON field that is not JSON, and reads broken escapes leniently', () => {
    const result = decodeUrlEncoded('object=%7Bnope', SCHEMA);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(/^object is not valid JSON: [^\n]+$/);
    expect(decodeUrlEncoded('primitive=100%&count=%zz', SCHEMA)).toEqual({
      ok: true,
      value: { primitive: '100%', count: '%zz' },
    });
  });

  it('keeps __proto__ an ordinary field', () => {
    const result = decodeUrlEncoded('__proto__=1&constructor=2', { type: 'object' });
    expect(result.ok && Object.keys(result.value)).toEqual(['__proto__', 'constructor']);
    expect(result.ok && Object.getPrototypeOf(result.value)).toBe(Object.prototype);
  });
});

describe('multipart/form-data: the examples of OpenAPI 3.1.1', () => {
  const ADDRESS: JsonSchema = { type: 'object', properties: { street: STRING, zip: STRING } };

  it('Basic Multipart Form: text, a file for an untyped schema, JSON parts for an array of objects', async () => {
    const schema: JsonSchema = {
      type: 'object',
      properties: {
        id: { type: 'string', format: 'uuid' },
        profileImage: {},
        addresses: { type: 'array', items: ADDRESS },
      },
    };
    const value = {
      id: 'f81d4fae-7dec-11d0-a765-00a0c91e6bf6',
      profileImage: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff]),
      addresses: [
        { street: '1 A St', zip: '1' },
        { street: '2 B St', zip: '2' },
      ],
    };
    const { body, contentType } = encodeMultipart(value, schema);
    expect(contentType).toMatch(/^multipart\/form-data; boundary=form-[0-9a-f-]+$/);
    expect(partHeads(body)).toEqual([
      'Content-Disposition: form-data; name="id"',
      'Content-Disposition: form-data; name="profileImage"; filename="profileImage"\r\nContent-Type: application/octet-stream',
      'Content-Disposition: form-data; name="addresses"\r\nContent-Type: application/json',
      'Content-Disposition: form-data; name="addresses"\r\nContent-Type: application/json',
    ]);
    expect(await decodeMultipart(body, contentType, schema)).toEqual({
      ok: true,
      value: { ...value, profileImage: '\x89PNG\x00\xff' },
    });
  });

  it('Multipart Form with Encoding Objects: declared part types', async () => {
    const schema: JsonSchema = {
      type: 'object',
      properties: { id: STRING, addresses: { type: 'array', items: ADDRESS }, profileImage: {} },
    };
    const encoding: FormEncodings = {
      addresses: { contentType: 'application/xml; charset=utf-8' },
      profileImage: { contentType: 'image/png, image/jpeg' },
    };
    const value = { id: 'x', addresses: ['<address/>'], profileImage: 'PNG' };
    const { body, contentType } = encodeMultipart(value, schema, encoding);
    expect(partHeads(body)).toEqual([
      'Content-Disposition: form-data; name="id"',
      'Content-Disposition: form-data; name="addresses"\r\nContent-Type: application/xml; charset=utf-8',
      'Content-Disposition: form-data; name="profileImage"; filename="profileImage"\r\nContent-Type: image/png',
    ]);
    expect(await decodeMultipart(body, contentType, schema, encoding)).toEqual({ ok: true, value });
  });

  it('Multipart Form with Multiple Files: one part per file, under the same name', async () => {
    const schema: JsonSchema = { properties: { file: { type: 'array', items: {} } } };
    const { body, contentType } = encodeMultipart({ file: ['one', new Uint8Array([1, 2])] }, schema);
    const parts = await platformParts(body, contentType);
    expect(parts).toEqual([
      { name: 'file', value: 'one', filename: 'file', type: 'application/octet-stream' },
      { name: 'file', value: '\x01\x02', filename: 'file', type: 'application/octet-stream' },
    ]);
    expect(await decodeMultipart(body, contentType, schema)).toEqual({
      ok: true,
      value: { file: ['one', '\x01\x02'] },
    });
  });
});

describe('multipart/form-data', () => {
  // specs/easify-contact-groups.yaml: CreateContactGroupRequest, which Easify's PHP sample posts as multipart.
  const CREATE_GROUP: JsonSchema = {
    type: 'object',
    required: ['name'],
    properties: { name: { type: 'string', minLength: 1, maxLength: 255 } },
  };

  it("reads Easify's PHP sample form, as curl and PHP write it", async () => {
    const boundary = '------------------------d74496d66958873e';
    const body = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="name"\r\n\r\nMy Contact Group\r\n--${boundary}--\r\n`,
    );
    expect(await decodeMultipart(body, `multipart/form-data; boundary=${boundary}`, CREATE_GROUP)).toEqual({
      ok: true,
      value: { name: 'My Contact Group' },
    });
  });

  it('writes text fields as fields: no file name, no Content-Type', async () => {
    const { body, contentType } = encodeMultipart({ name: 'My Contact Group' }, CREATE_GROUP);
    expect(partHeads(body)).toEqual(['Content-Disposition: form-data; name="name"']);
    expect(await platformParts(body, contentType)).toEqual([{ name: 'name', value: 'My Contact Group' }]);
  });

  it("writes a string whose bytes have a media type (3.0's format: binary, upgraded) as a file of that type", async () => {
    const schema: JsonSchema = {
      type: 'object',
      properties: {
        photo: { type: 'string', contentMediaType: 'image/png' },
        attachment: { type: 'string', contentMediaType: 'application/octet-stream' },
        scans: { type: 'array', items: { type: 'string', contentMediaType: 'image/*' } },
      },
    };
    const { body, contentType } = encodeMultipart({ photo: '\x89PNG', attachment: 'a', scans: ['s'] }, schema);
    expect(await platformParts(body, contentType)).toEqual([
      { name: 'photo', value: '\x89PNG', filename: 'photo', type: 'image/png' },
      { name: 'attachment', value: 'a', filename: 'attachment', type: 'application/octet-stream' },
      { name: 'scans', value: 's', filename: 'scans', type: 'application/octet-stream' },
    ]);
    expect(await decodeMultipart(body, contentType, schema)).toEqual({
      ok: true,
      value: { photo: '\x89PNG', attachment: 'a', scans: ['s'] },
    });
  });

  it('writes styled properties as plain name/value parts, never percent-encoded', async () => {
    const schema: JsonSchema = {
      type: 'object',
      properties: {
        color: { type: 'object', properties: { R: { type: 'integer' }, G: { type: 'integer' } } },
        tags: { type: 'array', items: STRING },
      },
    };
    const encoding: FormEncodings = { color: { style: 'deepObject', explode: true }, tags: { explode: false } };
    const value = { color: { R: 1, G: 2 }, tags: ['a b', 'ü'] };
    const { body, contentType } = encodeMultipart(value, schema, encoding);
    expect(await platformParts(body, contentType)).toEqual([
      { name: 'color[R]', value: '1' },
      { name: 'color[G]', value: '2' },
      { name: 'tags', value: 'a b,ü' },
    ]);
    expect(await decodeMultipart(body, contentType, schema, encoding)).toEqual({ ok: true, value });
  });

  it('escapes quotes and line breaks in names as the HTML form serializer does', async () => {
    const schema: JsonSchema = { type: 'object', properties: { 'a"b\nc': STRING } };
    const { body, contentType } = encodeMultipart({ 'a"b\nc': 'v' }, schema);
    expect(partHeads(body)).toEqual(['Content-Disposition: form-data; name="a%22b%0Ac"']);
    expect(await decodeMultipart(body, contentType, schema)).toEqual({ ok: true, value: { 'a"b\nc': 'v' } });
  });

  it('reads a field a client sent as a file by its schema, and keeps undeclared fields', async () => {
    const boundary = 'b';
    const body = Buffer.from(
      [
        `--${boundary}`,
        'Content-Disposition: form-data; name="name"; filename="name.txt"',
        'Content-Type: text/plain',
        '',
        'Grüne',
        `--${boundary}`,
        'Content-Disposition: form-data; name="extra"',
        '',
        '1',
        `--${boundary}--`,
        '',
      ].join('\r\n'),
    );
    expect(await decodeMultipart(body, 'multipart/form-data; boundary=b', CREATE_GROUP)).toEqual({
      ok: true,
      value: { name: 'Grüne', extra: '1' },
    });
  });

  it('fails in one line on what is not multipart/form-data, or a JSON part that is not JSON', async () => {
    const reasons: FormResult[] = [
      await decodeMultipart(Buffer.from('name=x'), 'application/x-www-form-urlencoded', CREATE_GROUP),
      await decodeMultipart(Buffer.from('x'), '', CREATE_GROUP),
      await decodeMultipart(Buffer.from('garbage'), 'multipart/form-data; boundary=b', CREATE_GROUP),
      await decodeMultipart(Buffer.from('--b\r\nContent-Disposition: form-data'), 'multipart/form-data', CREATE_GROUP),
      await decodeMultipart(
        Buffer.from('--b\r\nContent-Disposition: form-data; name="o"\r\n\r\n{nope\r\n--b--\r\n'),
        'multipart/form-data; boundary=b',
        { type: 'object', properties: { o: { type: 'object' } } },
      ),
    ];
    expect(reasons.map((r) => (r.ok ? 'ok' : r.reason))).toEqual([
      'Content-Type application/x-www-form-urlencoded is not multipart/form-data',
      'Content-Type (none) is not multipart/form-data',
      expect.stringMatching(/^The body is not valid multipart\/form-data: [^\n]+$/),
      expect.stringMatching(/^The body is not valid multipart\/form-data: [^\n]+$/),
      expect.stringMatching(/^o is not valid JSON: [^\n]+$/),
    ]);
  });
});

describe('a form whose schema is the file it carries', () => {
  const FILE: JsonSchema = { type: 'string', contentMediaType: 'application/octet-stream' };

  it('describes no fields: only an object, declared or implied, does', () => {
    expect(describesFields(FILE)).toBe(false);
    expect(describesFields({ type: 'array', items: FILE })).toBe(false);
    expect(describesFields({})).toBe(false);
    expect(describesFields({ type: 'object' })).toBe(true);
    expect(describesFields({ required: ['file'] })).toBe(true);
    expect(describesFields({ allOf: [{ type: 'object', properties: { file: FILE } }] })).toBe(true);
  });

  it('is never written from a value that is no object: a string is no fields named 0, 1, 2...', () => {
    for (const value of ['conformance', ['a'], null, 3, new Uint8Array([1])]) {
      expect(() => encodeMultipart(value, FILE)).toThrow(TypeError);
      expect(() => encodeUrlEncoded(value, FILE)).toThrow(/^a form is written from an object's fields, not from /);
    }
  });

  it('decodes a real upload to its parts, whatever the schema', async () => {
    const form = new FormData();
    form.set('file', new Blob([new Uint8Array([0x89, 0x50, 0x4e, 0x47])], { type: 'image/png' }), 'logo.png');
    const request = new Request('http://x/', { method: 'POST', body: form });
    const contentType = request.headers.get('content-type') ?? '';
    const decoded = await decodeMultipart(Buffer.from(await request.arrayBuffer()), contentType, FILE);
    expect(decoded).toEqual({ ok: true, value: { file: '\x89PNG' } });
  });
});

// ---------------------------------------------------------------------------------------------------
// Round trips: whatever the runner encodes, the mock decodes as the same object.

const FORM: JsonSchema = {
  type: 'object',
  properties: {
    name: STRING,
    count: { type: 'integer' },
    ratio: { type: 'number' },
    active: { type: 'boolean' },
    maybe: { type: ['integer', 'null'] },
    tags: { type: 'array', items: STRING },
    address: { type: 'object', properties: { street: STRING, zip: { type: 'integer' } } },
    addresses: { type: 'array', items: { type: 'object', properties: { street: STRING } } },
    color: { type: 'object', properties: { R: { type: 'integer' }, G: { type: 'integer' } } },
    filter: { type: 'object', properties: { q: STRING, n: { type: 'number' } } },
    csv: { type: 'array', items: STRING },
    pipes: { type: 'array', items: { type: 'integer' } },
    file: { type: 'string', contentEncoding: 'base64' } as JsonSchema,
  },
};

const FORM_ENCODING: FormEncodings = {
  color: { style: 'form', explode: true },
  filter: { style: 'deepObject', explode: true },
  csv: { style: 'form', explode: false },
  pipes: { style: 'pipeDelimited', explode: false },
};

const UNIT = fc.oneof(
  fc.constantFrom(',', ';', '=', '&', '+', '%', '%2C', ' ', '[', ']', '"', '\r\n', '\n', 'é', '😀', '--'),
  fc.string({ minLength: 1, maxLength: 1 }),
);
const text = fc.string({ unit: UNIT, maxLength: 8 });
const number = fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => (n === 0 ? 0 : n));

/** A form value; `csv` items hold no `,` (multipart does not percent-encode, so it would split them). */
function formValue(file: fc.Arbitrary<unknown>) {
  return fc.record(
    {
      name: text,
      count: fc.maxSafeInteger(),
      ratio: number,
      active: fc.boolean(),
      maybe: fc.option(fc.integer(), { nil: null }),
      tags: fc.array(text, { minLength: 1, maxLength: 3 }),
      address: fc.record({ street: text, zip: fc.integer() }, { requiredKeys: [] }),
      addresses: fc.array(fc.record({ street: text }), { minLength: 1, maxLength: 3 }),
      color: fc.record({ R: fc.integer(), G: fc.integer() }, { requiredKeys: ['R'] }),
      filter: fc.record({ q: text, n: number }),
      csv: fc
        .array(
          text.filter((t) => !t.includes(',')),
          { minLength: 1, maxLength: 3 },
        )
        .filter((list) => list.length > 1 || list[0] !== ''),
      pipes: fc.array(fc.integer(), { minLength: 1, maxLength: 3 }),
      file,
    },
    { requiredKeys: [] },
  );
}

describe('round trips', () => {
  it('application/x-www-form-urlencoded', () => {
    fc.assert(
      fc.property(formValue(fc.base64String()), (value) => {
        const body = encodeUrlEncoded(value, FORM, FORM_ENCODING);
        expect(decodeUrlEncoded(body, FORM, FORM_ENCODING)).toEqual({ ok: true, value });
      }),
      { numRuns: 300 },
    );
  });

  it('multipart/form-data, files as bytes or binary strings', async () => {
    const latin1 = fc.string({ unit: fc.integer({ min: 0, max: 255 }).map((c) => String.fromCharCode(c)) });
    const file = fc.oneof(latin1, fc.uint8Array({ maxLength: 16 }));
    await fc.assert(
      fc.asyncProperty(formValue(file), async (value) => {
        const { body, contentType } = encodeMultipart(value, FORM, FORM_ENCODING);
        const expected =
          value.file instanceof Uint8Array ? { ...value, file: Buffer.from(value.file).toString('latin1') } : value;
        expect(await decodeMultipart(body, contentType, FORM, FORM_ENCODING)).toEqual({ ok: true, value: expected });
      }),
      { numRuns: 200 },
    );
  });

  it('decoding any bytes never throws', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 200 }),
        fc.constantFrom('multipart/form-data; boundary=b', 'multipart/form-data', 'text/plain'),
        async (bytes, contentType) => {
          const body = Buffer.concat([
            Buffer.from('--b\r\nContent-Disposition: form-data; name="name"\r\n\r\n'),
            bytes,
          ]);
          await expect(decodeMultipart(body, contentType, FORM, FORM_ENCODING)).resolves.toBeDefined();
          expect(() => decodeUrlEncoded(body.toString('latin1'), FORM, FORM_ENCODING)).not.toThrow();
        },
      ),
      { numRuns: 300 },
    );
  });
});
