/**
 * Form request bodies, `application/x-www-form-urlencoded` and `multipart/form-data`, encoded and decoded
 * by OpenAPI 3.1's Encoding Object rules. The one implementation the runner (encoding) and the mock
 * (decoding) share; parameters' style rules come from lib/wire.ts.
 *
 * Per property (OpenAPI 3.1.1, Encoding Object and Appendices C and E):
 * - with `style`, `explode` or `allowReserved` in its Encoding Object, a property is serialized like a
 *   query parameter of that name (default style `form`, explode true): `R=100&G=200` for an exploded
 *   object, `filter[a]=1` for `deepObject`. In multipart, each of those name/value pairs is a text part,
 *   never percent-encoded;
 * - otherwise by its content type, `contentType` or the default by schema type: `text/plain` for
 *   primitives, `application/json` for objects, a file for a string with `contentMediaType` (its type,
 *   3.0's `format: binary` upgraded) or `contentEncoding` (`application/octet-stream`) and for a schema
 *   without a type (`application/octet-stream`). An array is
 *   repeated fields, one per item, each by the items' content type: `tag=a&tag=b`, or one part each;
 * - urlencoded text follows the WHATWG form serializer (space as `+`) for content-typed fields and
 *   RFC 6570 (space as `%20`) for styled ones; both decode alike;
 * - multipart text and JSON parts carry no file name, so servers read them as fields (PHP's `$_POST`);
 *   JSON parts say `Content-Type: application/json`. The platform's FormData cannot write a part with a
 *   content type but no file name, so the encoder writes RFC 7578 itself; decoding uses the platform's
 *   parser (undici, via `Request.formData()`);
 * - a multipart file is bytes: encode a Uint8Array, or a string of one character per byte (latin1; a
 *   string with characters above U+00FF goes as UTF-8). A file part decodes to such a latin1 string,
 *   which is lossless (`Buffer.from(value, 'latin1')` gives the bytes back) and what a `type: string`
 *   schema validates. urlencoded is text only: a file there is its text (base64, as `contentEncoding`
 *   says), given and read back as a string;
 * - decoding keeps fields the schema does not declare (text, a list when repeated), so that
 *   `additionalProperties: false` can report them; primitives are coerced strictly as parameters are.
 *
 * Decoding never throws: malformed input (a part that is not JSON, a body that is not multipart) is
 * `{ ok: false, reason }`, one line.
 */
import { randomUUID } from 'node:crypto';
import type { JsonSchema } from './json-schema.js';
import { isJsonMediaType, mediaTypeEssence } from './media-type.js';
import { mainType } from './schema.js';
import {
  baseName,
  coerceText,
  parameterText,
  propertySchema,
  queryByBaseName,
  readParameter,
  readsOwnNamesOnly,
  readsQueryName,
  renderQuery,
  type SchemaShape,
  schemaShape,
  serializeQuery,
  type WireParameter,
} from './wire.js';

/** OpenAPI's Encoding Object, as far as the body goes (`headers` describe parts, they are not written). */
export interface FormEncoding {
  contentType?: string;
  style?: string;
  explode?: boolean;
  allowReserved?: boolean;
}

/** A media type's `encoding`: property name -> Encoding Object. */
export type FormEncodings = Readonly<Record<string, FormEncoding>>;

export type FormResult = { ok: true; value: Record<string, unknown> } | { ok: false; reason: string };

type Kind = 'text' | 'json' | 'file';

/** A decoded field, with both readings of its bytes: text (UTF-8) and binary (latin1). */
interface Field {
  name: string;
  text: string;
  binary: string;
}

const own = (encodings: FormEncodings, name: string): FormEncoding | undefined =>
  Object.hasOwn(encodings, name) ? encodings[name] : undefined;

const isStyled = (encoding: FormEncoding | undefined): encoding is FormEncoding =>
  encoding !== undefined &&
  (encoding.style !== undefined || encoding.explode !== undefined || encoding.allowReserved !== undefined);

const styled = (name: string, schema: JsonSchema, encoding: FormEncoding): WireParameter => ({
  name,
  in: 'query',
  schema,
  style: encoding.style,
  explode: encoding.explode,
  allowReserved: encoding.allowReserved,
});

const declaredType = (encoding: FormEncoding | undefined): string | undefined =>
  encoding?.contentType?.split(',')[0]?.trim() || undefined;

/**
 * The Encoding Object's default `contentType`, by schema type: a string whose bytes have a media type
 * (`contentMediaType`, what 3.0's `format: binary` becomes in 3.1) or an encoding is a file.
 */
function defaultKind(schema: JsonSchema): Kind {
  const shape = schemaShape(schema);
  if (shape.kind === 'array') return defaultKind(shape.items);
  if (shape.kind === 'object') return 'json';
  if (shape.kind === 'untyped' || schema.format === 'binary' || typeof schema.contentMediaType === 'string')
    return 'file';
  return 'contentEncoding' in schema && schema.contentEncoding !== undefined ? 'file' : 'text';
}

/** The media type a file's schema names for its bytes (an array's items'), when it names one. */
function fileMediaType(schema: JsonSchema): string | undefined {
  const shape = schemaShape(schema);
  if (shape.kind === 'array') return fileMediaType(shape.items);
  const named = schema.contentMediaType;
  return typeof named === 'string' && !named.includes('*') ? named : undefined;
}

/**
 * A declared JSON type makes JSON of any value (`id` as `"f81d..."`); any other declared type keeps
 * files files and makes the rest text given as it is (an object declared `application/xml` is sent as
 * the XML string it is given, and read back as that string).
 */
function kindOf(schema: JsonSchema, encoding: FormEncoding | undefined): Kind {
  const kind = defaultKind(schema);
  const declared = declaredType(encoding);
  if (declared === undefined) return kind;
  if (isJsonMediaType(declared)) return 'json';
  return kind === 'file' ? 'file' : 'text';
}

/** An array value of an array (or untyped) property is one field per item; anything else is one field. */
function fieldValues(value: unknown, schema: JsonSchema): readonly unknown[] {
  const { kind } = schemaShape(schema);
  return Array.isArray(value) && (kind === 'array' || kind === 'untyped') ? value : [value];
}

const fieldText = (value: unknown, kind: Kind): string =>
  kind === 'json' ? (JSON.stringify(value) ?? 'null') : parameterText(value);

const LATIN1 = /^[\u0000-\u00ff]*$/;

function fileBytes(value: unknown): Buffer {
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  if (typeof value === 'string') return Buffer.from(value, LATIN1.test(value) ? 'latin1' : 'utf8');
  return Buffer.from(parameterText(value));
}

/**
 * Whether a form's schema describes its fields: an object, declared or implied by its keywords. Some
 * documents give a form the schema of the one file it carries (`multipart/form-data` with `type: string,
 * format: binary`): that says what is uploaded, not under which field names, so it can neither say which
 * fields to write nor judge the fields a body decodes to.
 */
export function describesFields(schema: JsonSchema): boolean {
  return schemaShape(schema).kind === 'object' || mainType(schema) === 'object';
}

const kindOfValue = (value: unknown): string =>
  value === null ? 'null' : Array.isArray(value) ? 'an array' : value instanceof Uint8Array ? 'bytes' : typeof value;

/**
 * A form's fields are an object's own properties. Of anything else there are none to write: a string's
 * entries would be one field per character, named 0, 1, 2...
 */
function fieldsOf(value: unknown): [string, unknown][] {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Uint8Array)
    throw new TypeError(`a form is written from an object's fields, not from ${kindOfValue(value)}`);
  return Object.entries(value);
}

/** The body of `application/x-www-form-urlencoded`, without a leading `?`; a TypeError for a value that is no object. */
export function encodeUrlEncoded(value: unknown, schema: JsonSchema, encoding: FormEncodings = {}): string {
  const shape = schemaShape(schema);
  const parts: string[] = [];
  for (const [name, property] of fieldsOf(value)) {
    if (property === undefined) continue;
    const fieldSchema = propertySchema(shape, name);
    const fieldEncoding = own(encoding, name);
    if (isStyled(fieldEncoding)) {
      parts.push(renderQuery([[styled(name, fieldSchema, fieldEncoding), property]]));
      continue;
    }
    const kind = kindOf(fieldSchema, fieldEncoding);
    const values = fieldValues(property, fieldSchema);
    parts.push(new URLSearchParams(values.map((item): [string, string] => [name, fieldText(item, kind)])).toString());
  }
  return parts.filter((part) => part !== '').join('&');
}

interface Part {
  name: string;
  content: Buffer;
  contentType?: string;
  filename?: string;
}

/** RFC 7578 and the HTML form serializer escape these in part names and file names. */
const quoted = (text: string): string => text.replace(/["\r\n]/g, (c) => encodeURIComponent(c));

function multipartBody(parts: readonly Part[]): { body: Buffer; contentType: string } {
  let boundary = `form-${randomUUID()}`;
  while (parts.some((part) => part.content.includes(boundary))) boundary = `form-${randomUUID()}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="${quoted(part.name)}"`;
    if (part.filename !== undefined) head += `; filename="${quoted(part.filename)}"`;
    if (part.contentType !== undefined) head += `\r\nContent-Type: ${part.contentType}`;
    chunks.push(Buffer.from(`${head}\r\n\r\n`), part.content, Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

/**
 * A part's Content-Type: the declared one when it is concrete, else the kind's default (none for text;
 * for a file, the media type its schema names, else bytes).
 */
function partType(kind: Kind, schema: JsonSchema, encoding: FormEncoding | undefined): string | undefined {
  const declared = declaredType(encoding);
  if (declared !== undefined && !declared.includes('*')) return declared;
  if (kind === 'file') return fileMediaType(schema) ?? 'application/octet-stream';
  return kind === 'json' ? 'application/json' : undefined;
}

/**
 * A `multipart/form-data` body and the Content-Type (with its boundary) to send it with; a TypeError for
 * a value that is no object.
 */
export function encodeMultipart(
  value: unknown,
  schema: JsonSchema,
  encoding: FormEncodings = {},
): { body: Buffer; contentType: string } {
  const shape = schemaShape(schema);
  const parts: Part[] = [];
  for (const [name, property] of fieldsOf(value)) {
    if (property === undefined) continue;
    const fieldSchema = propertySchema(shape, name);
    const fieldEncoding = own(encoding, name);
    if (isStyled(fieldEncoding)) {
      for (const [partName, text] of serializeQuery(styled(name, fieldSchema, fieldEncoding), property))
        parts.push({ name: partName, content: Buffer.from(text) });
      continue;
    }
    const kind = kindOf(fieldSchema, fieldEncoding);
    const contentType = partType(kind, fieldSchema, fieldEncoding);
    for (const item of fieldValues(property, fieldSchema)) {
      if (kind === 'file') parts.push({ name, filename: name, content: fileBytes(item), contentType });
      else parts.push({ name, content: Buffer.from(fieldText(item, kind)), contentType });
    }
  }
  return multipartBody(parts);
}

const failure = (reason: string): FormResult => ({ ok: false, reason });
const oneLine = (error: unknown): string => (error instanceof Error ? error.message : String(error)).split('\n')[0]!;

/** The value of one content-typed property from its fields. */
function decodeContent(
  name: string,
  fields: readonly Field[],
  schema: JsonSchema,
  kind: Kind,
): { ok: true; value: unknown } | { ok: false; reason: string } {
  const shape = schemaShape(schema);
  const itemSchema = shape.kind === 'array' ? shape.items : schema;
  const values: unknown[] = [];
  for (const field of fields) {
    if (kind === 'file') values.push(field.binary);
    else if (kind === 'text') values.push(coerceText(field.text, itemSchema));
    else {
      try {
        values.push(JSON.parse(field.text));
      } catch (error) {
        return { ok: false, reason: `${name} is not valid JSON: ${oneLine(error)}` };
      }
    }
  }
  const list = shape.kind === 'array' || values.length > 1;
  return { ok: true, value: list ? values : values[0] };
}

/**
 * Both formats, once their fields are read: declared properties by their encoding, then the fields no
 * property read. `query` is what styled properties are read from: the raw urlencoded text, or the
 * multipart fields as pairs.
 */
function decodeFields(
  fields: readonly Field[],
  query: string | URLSearchParams,
  schema: JsonSchema,
  encoding: FormEncodings,
): FormResult {
  const shape: SchemaShape = schemaShape(schema);
  const declared = shape.kind === 'object' ? [...shape.properties.keys()] : [];
  /** Styled properties reading their own names only, by name; the others, with the names they leave. */
  const ownReaders = new Map<string, WireParameter>();
  const readers: [WireParameter, ReadonlySet<string>][] = [];
  let parts: Map<string, string | URLSearchParams> | undefined;
  let byName: Map<string, Field[]> | undefined;
  const out: [string, unknown][] = [];
  for (const name of declared) {
    const fieldSchema = propertySchema(shape, name);
    const fieldEncoding = own(encoding, name);
    if (isStyled(fieldEncoding)) {
      const parameter = styled(name, fieldSchema, fieldEncoding);
      let read: ReturnType<typeof readParameter>;
      // A name with a bracket of its own is no base name: such a property reads from the whole query.
      if (readsOwnNamesOnly(parameter) && !name.includes('[')) {
        ownReaders.set(name, parameter);
        parts ??= queryByBaseName(query);
        const part = parts.get(name);
        read = part === undefined ? { present: false } : readParameter(parameter, { query: part });
      } else {
        const others = new Set(declared.filter((other) => other !== name));
        readers.push([parameter, others]);
        read = readParameter(parameter, { query }, others);
      }
      if (read.present) out.push([name, read.value]);
      continue;
    }
    if (byName === undefined) {
      byName = new Map();
      for (const field of fields) {
        const group = byName.get(field.name);
        if (group) group.push(field);
        else byName.set(field.name, [field]);
      }
    }
    const matching = byName.get(name);
    if (matching === undefined) continue;
    const decoded = decodeContent(name, matching, fieldSchema, kindOf(fieldSchema, fieldEncoding));
    if (!decoded.ok) return decoded;
    out.push([name, decoded.value]);
  }
  const known = new Set(declared);
  const rest = new Map<string, Field[]>();
  for (const field of fields) {
    if (known.has(field.name)) continue;
    const reader = ownReaders.get(baseName(field.name));
    if (reader && readsQueryName(reader, field.name)) continue;
    if (readers.some(([p, others]) => readsQueryName(p, field.name, others))) continue;
    const group = rest.get(field.name);
    if (group) group.push(field);
    else rest.set(field.name, [field]);
  }
  for (const [name, group] of rest) {
    const fieldSchema = propertySchema(shape, name);
    const decoded = decodeContent(name, group, fieldSchema, kindOf(fieldSchema, own(encoding, name)));
    if (!decoded.ok) return decoded;
    out.push([name, decoded.value]);
  }
  return { ok: true, value: Object.fromEntries(out) };
}

/** An `application/x-www-form-urlencoded` body as the object it encodes. */
export function decodeUrlEncoded(text: string, schema: JsonSchema, encoding: FormEncodings = {}): FormResult {
  const fields = [...new URLSearchParams(text)].map(([name, value]) => ({ name, text: value, binary: value }));
  return decodeFields(fields, text, schema, encoding);
}

/** A `multipart/form-data` body as the object it encodes; `contentType` must carry the boundary. */
export async function decodeMultipart(
  body: Buffer,
  contentType: string,
  schema: JsonSchema,
  encoding: FormEncodings = {},
): Promise<FormResult> {
  const essence = mediaTypeEssence(contentType);
  if (essence !== 'multipart/form-data')
    return failure(`Content-Type ${essence || '(none)'} is not multipart/form-data`);
  let form: FormData;
  try {
    const request = new Request('http://form.invalid/', {
      method: 'POST',
      body,
      headers: { 'content-type': contentType },
    });
    form = await request.formData();
  } catch (error) {
    return failure(`The body is not valid multipart/form-data: ${oneLine(error)}`);
  }
  const fields: Field[] = [];
  for (const [name, value] of form) {
    if (typeof value === 'string') fields.push({ name, text: value, binary: value });
    else {
      const bytes = Buffer.from(await value.arrayBuffer());
      fields.push({ name, text: bytes.toString('utf8'), binary: bytes.toString('latin1') });
    }
  }
  const pairs = new URLSearchParams(fields.map((field): [string, string] => [field.name, field.text]));
  return decodeFields(fields, pairs, schema, encoding);
}

/**
 * A form body's value as a server decodes it after it was encoded: texts coerced by their
 * property schemas, so a number sent where a string is wanted reads as a string. Multipart text
 * parts read like form-urlencoded fields, which is what this uses for both.
 */
export function formRoundTrip(
  value: Record<string, unknown>,
  schema: JsonSchema,
  encoding: FormEncodings = {},
): unknown {
  const decoded = decodeUrlEncoded(encodeUrlEncoded(value, schema, encoding), schema, encoding);
  return decoded.ok ? decoded.value : undefined;
}
