/**
 * OpenAPI 3.1 parameter serialization by `style` and `explode`, both ways: the runner writes parameters
 * with the serialize functions, the mock and the runner read them back with `readParameter`. The one
 * implementation both sides share, so that what one writes the other reads.
 *
 * The rules, from OpenAPI 3.1.1 (Parameter Object, Style Examples, Appendices C-E) and RFC 6570:
 * - defaults: path and header `simple`, query and cookie `form`; `explode` is true only for `form`; a
 *   style the location does not allow (`matrix` in a query) falls back to the location's default;
 * - path and query text is percent-encoded as RFC 6570 simple expansion does (all but unreserved
 *   characters); `label` also encodes `.`, its delimiter. Reading splits the raw text on the style's
 *   delimiters first and percent-decodes each piece after (Appendix C.2), so a `,` inside a value
 *   (sent as `%2C`) stays in the value. That is why path text is read still percent-encoded, exactly
 *   as it stands in the URL;
 * - query strings decode `+` as a space (form-urlencoded rules); path and cookie text do not;
 *   malformed percent-escapes decode leniently (WHATWG: left as they are), never as an error;
 * - `spaceDelimited` and `pipeDelimited` split after decoding: their delimiters must be percent-encoded
 *   like the data, so a value holding a space or `|` cannot be told from two values (Appendix E.6);
 * - a parameter described by `content` (`contentType`) is one text of that media type, whatever the
 *   location: JSON is `JSON.stringify`d and percent-encoded like any value, and read back by
 *   `JSON.parse` (a text that is not JSON is `malformed`); style and explode do not apply;
 * - `deepObject` nests: `filter[a][b]=1` is `{a: {b: 1}}`, arrays are indexed (`filter[ids][0]=7`,
 *   as Prism reads them) and `filter[ids][]=7` or a repeated `filter[ids]=7` read as well; keys nested
 *   deeper than 32 levels are not the parameter's;
 * - headers are never percent-encoded (the spec forbids it): their values cannot hold `,` in arrays;
 *   items are trimmed of the spaces HTTP allows around commas. Cookies are `form` style, but pairs are
 *   separated by `; `, never `&` (Appendix D), and values are percent-encoded;
 * - null (and undefined) is the spec table's `undefined` column: `;color`, `.`, empty, `color=`; empty
 *   text reads as null only where the schema allows null. An empty array is the same text, so an array
 *   of one empty string reads back as `[]` (as null where the array may be null: null is what a client
 *   leaving the filter unset sends); an empty exploded array or object sends nothing at all;
 * - nested arrays and objects, which the spec leaves undefined except for `deepObject`, travel as JSON
 *   text and read back by the item's schema;
 * - a path parameter whose whole text is a dot-segment (`.`, `..`, `.%2E`: an empty `label` value, a
 *   `label` value `.`, a `simple` value `..`) cannot travel at all: URL parsers remove such segments.
 *
 * Reading never throws: text that does not fit its style (an odd `R,100,G`, a matrix piece of another
 * name) reads as its decoded text, so the schema validator reports it rather than this module.
 */

import { isDeepStrictEqual } from 'node:util';
import { parsePointer } from './json-pointer.js';
import type { JsonSchema } from './json-schema.js';
import { isJsonMediaType } from './media-type.js';
import { declaredTypes, flatten } from './schema.js';

export type ParameterLocation = 'path' | 'query' | 'header' | 'cookie';

export interface WireParameter {
  name: string;
  in: ParameterLocation;
  schema: JsonSchema;
  style?: string;
  explode?: boolean;
  allowReserved?: boolean;
  /** A parameter described by `content` instead of `schema`: its value is one text of this media type. */
  contentType?: string;
}

/** `malformed`: why the text of a `content` parameter is not of its media type (not JSON). */
export type ReadResult = { present: false } | { present: true; value: unknown; malformed?: string };

/** Raw access to a request, as a server receives it. */
export interface WireSource {
  /** Path parameter texts by name, as the router matched them in the URL: still percent-encoded. */
  path?: Readonly<Record<string, string>>;
  /**
   * The raw query string (a leading `?` is ignored), or URLSearchParams. URLSearchParams has already
   * decoded its values, so a delimiter inside a value (`%2C`) can no longer be told from a real one:
   * prefer the raw string.
   */
  query?: string | URLSearchParams;
  /** Request headers by name, any case (Node's IncomingHttpHeaders fits); cookies come from `cookie`. */
  headers?: Readonly<Record<string, string | readonly string[] | undefined>>;
}

/** How a schema shapes a parameter: what `readParameter` builds and what form bodies part by. */
export type SchemaShape =
  | { kind: 'untyped' }
  | { kind: 'primitive' }
  | { kind: 'array'; items: JsonSchema }
  | { kind: 'object'; properties: ReadonlyMap<string, JsonSchema>; additional: boolean | JsonSchema | undefined };

type Style = 'simple' | 'label' | 'matrix' | 'form' | 'spaceDelimited' | 'pipeDelimited' | 'deepObject';

const STYLES: Readonly<Record<ParameterLocation, readonly Style[]>> = {
  path: ['simple', 'label', 'matrix'],
  query: ['form', 'spaceDelimited', 'pipeDelimited', 'deepObject'],
  header: ['simple'],
  cookie: ['form'],
};

const DELIMITERS: Readonly<Record<Style, string>> = {
  simple: ',',
  label: ',',
  matrix: ',',
  form: ',',
  spaceDelimited: ' ',
  pipeDelimited: '|',
  deepObject: ',',
};

/** The delimiters as they go into a query string: RFC 3986 does not allow a raw space or `|` there. */
const ENCODED_DELIMITERS: Readonly<Record<string, string>> = { '': '', ',': ',', ' ': '%20', '|': '%7C' };

function styleOf(location: ParameterLocation, parameter: WireParameter): { style: Style; explode: boolean } {
  const allowed = STYLES[location];
  const style = allowed.find((s) => s === parameter.style) ?? allowed[0]!;
  return { style, explode: parameter.explode ?? style === 'form' };
}

const ABSENT: ReadResult = { present: false };
const present = (value: unknown): ReadResult => ({ present: true, value });

type Json = Record<string, unknown>;

const isRecord = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);

/** Entries of an object without its undefined values, which RFC 6570 leaves out. */
const definedEntries = (value: Json): [string, unknown][] => Object.entries(value).filter(([, v]) => v !== undefined);

// ---------------------------------------------------------------------------------------------------
// Schemas

const EMPTY_SCHEMA: JsonSchema = {};
const UNTYPED: SchemaShape = { kind: 'untyped' };
const PRIMITIVE: SchemaShape = { kind: 'primitive' };
const shapes = new WeakMap<JsonSchema, SchemaShape>();

/** The type a schema itself declares; `null` never decides, since every shape can be empty. */
function ownType(schema: JsonSchema): string | undefined {
  const { type } = schema;
  if (typeof type === 'string') return type;
  if (Array.isArray(type)) return type.find((t) => t !== 'null') ?? type[0];
  if (schema.items) return 'array';
  if (schema.properties || schema.additionalProperties !== undefined) return 'object';
  if (schema.const !== undefined || schema.enum) return 'primitive';
  return undefined;
}

function objectShape(schema: JsonSchema): SchemaShape {
  const properties = new Map<string, JsonSchema>();
  const collect = (member: JsonSchema): void => {
    for (const [name, property] of Object.entries(member.properties ?? {}))
      if (!properties.has(name)) properties.set(name, property);
    for (const part of member.allOf ?? []) collect(part);
  };
  collect(schema);
  return { kind: 'object', properties, additional: schema.additionalProperties };
}

function computeShape(schema: JsonSchema): SchemaShape {
  const type = ownType(schema);
  if (type === 'array') return { kind: 'array', items: schema.items ?? EMPTY_SCHEMA };
  if (type === 'object') return objectShape(schema);
  if (type !== undefined) return PRIMITIVE;
  // Without a type of its own, the first branch that declares one decides, in the order written; an
  // object's properties are those of every object branch (`allOf: [Fields, Base]`, a `oneOf` of
  // kinds), each as the first `allOf` branch declaring it says, else as any of the alternatives
  // declaring it says (a `kind` of `enum: [a]` in one and `enum: [b]` in another takes either).
  const all = (schema.allOf ?? []).map(shapeOf);
  const alternatives = [...(schema.oneOf ?? []), ...(schema.anyOf ?? [])].map(shapeOf);
  const first = [...all, ...alternatives].find((shape) => shape !== UNTYPED);
  if (first?.kind !== 'object') return first ?? UNTYPED;
  const properties = new Map<string, JsonSchema>();
  for (const shape of all)
    if (shape.kind === 'object')
      for (const [name, property] of shape.properties) if (!properties.has(name)) properties.set(name, property);
  const either = new Map<string, JsonSchema[]>();
  for (const shape of alternatives)
    if (shape.kind === 'object')
      for (const [name, property] of shape.properties) {
        const seen = either.get(name) ?? [];
        if (!seen.some((other) => isDeepStrictEqual(other, property))) either.set(name, [...seen, property]);
      }
  for (const [name, declared] of either)
    if (!properties.has(name)) properties.set(name, declared.length === 1 ? declared[0]! : { anyOf: declared });
  return { ...first, properties };
}

function shapeOf(schema: JsonSchema): SchemaShape {
  let shape = shapes.get(schema);
  if (shape === undefined) shapes.set(schema, (shape = computeShape(schema)));
  return shape;
}

/** How a schema shapes values on the wire: primitive, array (with its items) or object (with its properties). */
export function schemaShape(schema: JsonSchema): SchemaShape {
  return shapeOf(schema);
}

/** Follows a JSON pointer through `properties` (and `allOf` branches) of a dereferenced schema. */
export function schemaAt(schema: JsonSchema | undefined, pointer: string): JsonSchema | undefined {
  let current = schema;
  for (const token of parsePointer(pointer)) {
    if (!current) return undefined;
    const flat = flatten(current);
    current = /^\d+$/.test(token) && flat.items ? (flat.items as JsonSchema) : objectProperties(current)?.[token];
  }
  return current;
}

/**
 * The properties an object schema declares, `allOf` folded; for one typed by its branches alone
 * (`oneOf: [Beverage, Dessert]`), those of every branch. Undefined when it declares none.
 */
export function objectProperties(schema: JsonSchema): Record<string, JsonSchema> | undefined {
  const properties = flatten(schema).properties;
  if (properties && Object.keys(properties).length > 0) return properties;
  const shape = shapeOf(schema);
  return shape.kind === 'object' && shape.properties.size > 0 ? Object.fromEntries(shape.properties) : undefined;
}

/** The schema of one property of an object shape: declared, else `additionalProperties`, else `{}`. */
export function propertySchema(shape: SchemaShape, name: string): JsonSchema {
  if (shape.kind !== 'object') return EMPTY_SCHEMA;
  return shape.properties.get(name) ?? (typeof shape.additional === 'object' ? shape.additional : EMPTY_SCHEMA);
}

/**
 * Does an exploded object take this query name? Its declared properties, always; any other name only
 * when the object is a map (`additionalProperties` given, or no properties at all), and then not the
 * names that belong to something else (other parameters, credentials).
 */
function takesName(
  shape: Extract<SchemaShape, { kind: 'object' }>,
  name: string,
  others?: ReadonlySet<string>,
): boolean {
  if (shape.properties.has(name)) return true;
  const map =
    shape.additional === true ||
    typeof shape.additional === 'object' ||
    (shape.additional === undefined && shape.properties.size === 0);
  return map && !others?.has(name);
}

// ---------------------------------------------------------------------------------------------------
// Primitive text

const NO_MATCH: unique symbol = Symbol('no match');
const INTEGER = /^-?\d+$/;
const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

function convert(text: string, type: string): unknown {
  switch (type) {
    case 'string':
      return text;
    case 'integer': {
      const value = INTEGER.test(text) ? Number(text) : Number.NaN;
      return Number.isSafeInteger(value) ? value : NO_MATCH;
    }
    case 'number': {
      const value = JSON_NUMBER.test(text) ? Number(text) : Number.NaN;
      return Number.isFinite(value) ? value : NO_MATCH;
    }
    case 'boolean':
      return text === 'true' ? true : text === 'false' ? false : NO_MATCH;
    case 'null':
      return text === '' ? null : NO_MATCH;
    default:
      return NO_MATCH;
  }
}

function matchMember(members: readonly unknown[], text: string): unknown {
  for (const member of members) {
    if ((member === null || typeof member !== 'object') && parameterText(member) === text) return member;
  }
  return NO_MATCH;
}

function firstBranch(branches: readonly JsonSchema[] | undefined, text: string): unknown {
  for (const branch of branches ?? []) {
    const value = coerceBy(text, branch);
    if (value !== NO_MATCH) return value;
  }
  return NO_MATCH;
}

/** Typed schemas cost no allocation: the runner coerces every documented response header of every exchange. */
function coerceBy(text: string, schema: JsonSchema): unknown {
  const { type } = schema;
  if (typeof type === 'string') return convert(text, type);
  if (Array.isArray(type)) {
    for (const candidate of type) {
      const value = convert(text, candidate);
      if (value !== NO_MATCH) return value;
    }
    return NO_MATCH;
  }
  if (schema.const !== undefined) return matchMember([schema.const], text);
  if (schema.enum) return matchMember(schema.enum, text);
  let value = firstBranch(schema.allOf, text);
  if (value === NO_MATCH) value = firstBranch(schema.oneOf, text);
  if (value === NO_MATCH) value = firstBranch(schema.anyOf, text);
  return value;
}

/**
 * The value a primitive's wire text stands for, by the schema's type, strictly: integers are
 * `-?digits` within safe integers, numbers follow the JSON grammar (no hex, `Infinity`, blanks or empty
 * text), booleans are `true`/`false`, null is the empty text. Type lists and `oneOf`/`anyOf` branches
 * are tried in the order written (`[integer, string]` reads `5` as 5, `[string, integer]` as "5"); an
 * `enum` or `const` without a type gives the member written as that text. Anything else stays text, so
 * the validator reports it.
 */
export function coerceText(text: string, schema: JsonSchema): unknown {
  const value = coerceBy(text, schema);
  return value === NO_MATCH ? text : value;
}

/** A primitive as wire text: strings as they are, numbers and booleans as JS writes them, null as empty. */
export function parameterText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return JSON.stringify(value) ?? '';
}

/** An item of an array or a property of an object: nested arrays and objects are JSON text. */
function coerceItem(text: string, schema: JsonSchema): unknown {
  const { kind } = shapeOf(schema);
  if (kind === 'array' || kind === 'object') {
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed === 'object' && parsed !== null) return parsed;
    } catch {
      // Not JSON: a primitive where a branch allows one (Stripe's `created`: an object or an integer).
    }
  }
  return coerceText(text, schema);
}

/** Whether null is one of the schema's values (`type: [array, null]`, an `anyOf` branch of type null...). */
function mayBeNull(schema: JsonSchema): boolean {
  if (declaredTypes(schema)?.has('null')) return true;
  if (schema.const === null || schema.enum?.includes(null)) return true;
  return [...(schema.anyOf ?? []), ...(schema.oneOf ?? [])].some(mayBeNull);
}

/** One text is the value; several (an exploded array, a repeated parameter) are a list. */
function fromTexts(texts: readonly string[], schema: JsonSchema): unknown {
  const shape = shapeOf(schema);
  // An empty list and null are both the empty text: null where the schema allows it.
  if (shape.kind === 'array' && texts.length === 1 && texts[0] === '' && mayBeNull(schema)) return null;
  if (shape.kind === 'array') return texts.map((text) => coerceItem(text, shape.items));
  if (texts.length === 1) return coerceItem(texts[0]!, schema);
  return texts.map((text) => coerceItem(text, schema));
}

// ---------------------------------------------------------------------------------------------------
// Percent-encoding

const LONE_SURROGATE = /\p{Cs}/gu;
const SUB_DELIMS_LEFT = /[!'()*]/g;
const PERCENT_TRIPLE = /(%[0-9A-Fa-f]{2})/;
const ESCAPE = /%[0-9A-F]{2}/g;
/** RFC 3986 reserved characters that reserved expansion may leave raw in a query: not `[]#`, not `&+=`. */
const KEPT_RESERVED = new Set(['%3A', '%2F', '%3F', '%40', '%21', '%24', '%27', '%28', '%29', '%2A', '%2C', '%3B']);

const percentTriple = (char: string): string => `%${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`;

/** Everything but RFC 3986 unreserved characters, as RFC 6570 simple expansion encodes; never throws. */
function encodeStrict(text: string): string {
  return encodeURIComponent(text.replace(LONE_SURROGATE, '\uFFFD')).replace(SUB_DELIMS_LEFT, percentTriple);
}

function encodeLabel(text: string): string {
  return encodeStrict(text).replaceAll('.', '%2E');
}

/**
 * RFC 6570 reserved expansion (`allowReserved`): reserved characters and percent-escapes pass as they
 * are. The style's own delimiter stays encoded inside a value, or the value would split in two.
 */
function encodeReserved(text: string, delimiter: string): string {
  return text
    .split(PERCENT_TRIPLE)
    .map((part, i) =>
      i % 2 === 1
        ? part
        : encodeStrict(part).replace(ESCAPE, (triple) =>
            KEPT_RESERVED.has(triple) && !(triple === '%2C' && delimiter === ',') ? decodeURIComponent(triple) : triple,
          ),
    )
    .join('');
}

function hexValue(byte: number | undefined): number {
  if (byte === undefined) return -1;
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  if (byte >= 0x41 && byte <= 0x46) return byte - 0x37;
  if (byte >= 0x61 && byte <= 0x66) return byte - 0x57;
  return -1;
}

/** WHATWG percent-decoding: a `%` without two hex digits stays, bytes that are not UTF-8 become U+FFFD. */
function lenientDecode(text: string): string {
  const source = Buffer.from(text, 'utf8');
  const bytes = Buffer.alloc(source.length);
  let length = 0;
  for (let i = 0; i < source.length; i++) {
    const high = source[i] === 0x25 ? hexValue(source[i + 1]) : -1;
    const low = high >= 0 ? hexValue(source[i + 2]) : -1;
    if (low >= 0) {
      bytes[length++] = high * 16 + low;
      i += 2;
    } else {
      bytes[length++] = source[i]!;
    }
  }
  return bytes.toString('utf8', 0, length);
}

function percentDecode(text: string, plusIsSpace: boolean): string {
  const spaced = plusIsSpace && text.includes('+') ? text.replaceAll('+', ' ') : text;
  if (!spaced.includes('%')) return spaced;
  try {
    return decodeURIComponent(spaced);
  } catch {
    return lenientDecode(spaced);
  }
}

// ---------------------------------------------------------------------------------------------------
// Name/value pairs: query strings, cookies, form bodies

interface Pair {
  /** Decoded. */
  name: string;
  /** Still encoded when the list's encoding says so. */
  value: string;
}

interface Pairs {
  list: readonly Pair[];
  /** `form`: percent-encoded, `+` is a space; `percent`: percent-encoded; `none`: already decoded. */
  encoding: 'form' | 'percent' | 'none';
}

function decodeValue(pairs: Pairs, text: string): string {
  return pairs.encoding === 'none' ? text : percentDecode(text, pairs.encoding === 'form');
}

/** The mock reads every parameter of a request from the same query string: parse it once. */
let lastQuery: { raw: string; pairs: Pairs } | undefined;

function queryPairs(query: string | URLSearchParams): Pairs {
  if (typeof query !== 'string') {
    return { list: [...query].map(([name, value]) => ({ name, value })), encoding: 'none' };
  }
  if (lastQuery?.raw !== query) {
    const list: Pair[] = [];
    for (const piece of (query.startsWith('?') ? query.slice(1) : query).split('&')) {
      if (piece === '') continue;
      const equals = piece.indexOf('=');
      const name = equals < 0 ? piece : piece.slice(0, equals);
      list.push({ name: percentDecode(name, true), value: equals < 0 ? '' : piece.slice(equals + 1) });
    }
    lastQuery = { raw: query, pairs: { list, encoding: 'form' } };
  }
  return lastQuery.pairs;
}

/** RFC 6265 cookie pairs; a value may be double-quoted. */
function cookiePairs(header: string): Pairs {
  const list: Pair[] = [];
  for (const piece of header.split(';')) {
    const equals = piece.indexOf('=');
    if (equals < 0) continue;
    const value = piece.slice(equals + 1).trim();
    const unquoted = value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
    list.push({ name: percentDecode(piece.slice(0, equals).trim(), false), value: unquoted });
  }
  return { list, encoding: 'percent' };
}

/** Deeper keys are not read: the value is built recursively, and a request must not exhaust the stack. */
const MAX_DEPTH = 32;

/** `filter[a][b]` under `filter` -> `['a', 'b']`; `filter` itself -> `[]`; undefined when not its key. */
function deepPath(name: string, key: string): string[] | undefined {
  if (key === name) return [];
  if (!key.startsWith(`${name}[`) || !/^(?:\[[^[\]]*\])+$/.test(key.slice(name.length))) return undefined;
  const path = key.slice(name.length + 1, -1).split('][');
  return path.length <= MAX_DEPTH ? path : undefined;
}

/**
 * Does this parameter read this query name? Its own name; for `deepObject`, `name[...]` keys; for an
 * exploded object, the names of its properties (see `readParameter` for maps and `otherQueryNames`).
 * Form bodies use it to find the fields no property reads.
 */
export function readsQueryName(parameter: WireParameter, name: string, otherQueryNames?: ReadonlySet<string>): boolean {
  const { style, explode } = styleOf('query', parameter);
  if (style === 'deepObject') return deepPath(parameter.name, name) !== undefined;
  const shape = shapeOf(parameter.schema);
  if (explode && shape.kind === 'object') return takesName(shape, name, otherQueryNames);
  return name === parameter.name;
}

/**
 * Whether the parameter reads no query name but its own and `name[...]` ones: all but an exploded
 * object, which reads its properties' names (see `readsQueryName`).
 */
export function readsOwnNamesOnly(parameter: WireParameter): boolean {
  const { style, explode } = styleOf('query', parameter);
  return style === 'deepObject' || !explode || shapeOf(parameter.schema).kind !== 'object';
}

/** A query name up to its first `[`: the parameter a `name[...]` key can belong to. */
export const baseName = (name: string): string => {
  const bracket = name.indexOf('[');
  return bracket < 0 ? name : name.slice(0, bracket);
};

/**
 * The query split by the base name of each pair, each part in the form it came in (raw text, or
 * pairs): what a parameter that reads its own names only reads from its part alone, as from the
 * whole, and a form body of many properties is not read whole once per property.
 */
export function queryByBaseName(query: string | URLSearchParams): Map<string, string | URLSearchParams> {
  const parts = new Map<string, string | URLSearchParams>();
  if (typeof query !== 'string') {
    const lists = new Map<string, [string, string][]>();
    for (const [name, value] of query) {
      const base = baseName(name);
      const list = lists.get(base);
      if (list) list.push([name, value]);
      else lists.set(base, [[name, value]]);
    }
    for (const [base, list] of lists) parts.set(base, new URLSearchParams(list));
    return parts;
  }
  const pieces = new Map<string, string[]>();
  for (const piece of (query.startsWith('?') ? query.slice(1) : query).split('&')) {
    if (piece === '') continue;
    const equals = piece.indexOf('=');
    const base = baseName(percentDecode(equals < 0 ? piece : piece.slice(0, equals), true));
    const list = pieces.get(base);
    if (list) list.push(piece);
    else pieces.set(base, [piece]);
  }
  // A part starting with `?` would lose it as the start of a query: it is read after an empty piece.
  for (const [base, list] of pieces) parts.set(base, `${base.startsWith('?') ? '&' : ''}${list.join('&')}`);
  return parts;
}

interface DeepNode {
  texts: string[];
  children: Map<string, DeepNode>;
}

const deepNode = (): DeepNode => ({ texts: [], children: new Map() });
const INDEX = /^\d+$/;

/** Built by the keys that arrived, then typed by the schema; Maps keep `__proto__` an ordinary key. */
function fromNode(node: DeepNode, schema: JsonSchema): unknown {
  if (node.children.size === 0) return fromTexts(node.texts, schema);
  const shape = shapeOf(schema);
  const keys = [...node.children.keys()];
  if (shape.kind === 'array' && keys.every((key) => key === '' || INDEX.test(key))) {
    const items = keys
      .filter((key) => key !== '')
      .sort((a, b) => Number(a) - Number(b))
      .map((key) => fromNode(node.children.get(key)!, shape.items));
    const appended = node.children.get('');
    if (appended) {
      if (appended.children.size > 0) items.push(fromNode(appended, shape.items));
      else items.push(...appended.texts.map((text) => coerceItem(text, shape.items)));
    }
    return items;
  }
  return Object.fromEntries(keys.map((key) => [key, fromNode(node.children.get(key)!, propertySchema(shape, key))]));
}

function readPairs(
  parameter: WireParameter,
  location: 'query' | 'cookie',
  pairs: Pairs,
  otherNames: ReadonlySet<string> | undefined,
): ReadResult {
  const { name, schema } = parameter;
  const { style, explode } = styleOf(location, parameter);
  const shape = shapeOf(schema);
  if (style === 'deepObject') {
    const root = deepNode();
    let found = false;
    for (const pair of pairs.list) {
      const path = deepPath(name, pair.name);
      if (path === undefined) continue;
      found = true;
      let node = root;
      for (const key of path) {
        let child = node.children.get(key);
        if (!child) node.children.set(key, (child = deepNode()));
        node = child;
      }
      node.texts.push(decodeValue(pairs, pair.value));
    }
    return found ? present(fromNode(root, schema)) : ABSENT;
  }
  if (explode && shape.kind === 'object') {
    const found = new Map<string, string[]>();
    for (const pair of pairs.list) {
      if (!takesName(shape, pair.name, otherNames)) continue;
      const texts = found.get(pair.name) ?? [];
      texts.push(decodeValue(pairs, pair.value));
      found.set(pair.name, texts);
    }
    if (found.size === 0) return ABSENT;
    return present(
      Object.fromEntries([...found].map(([key, texts]) => [key, fromTexts(texts, propertySchema(shape, key))])),
    );
  }
  const values = pairs.list.filter((pair) => pair.name === name).map((pair) => pair.value);
  if (values.length === 0) return ABSENT;
  // A primitive sent twice is a list of both, which the validator reports.
  if ((explode && shape.kind === 'array') || (shape.kind !== 'array' && shape.kind !== 'object')) {
    const texts = values.map((value) => decodeValue(pairs, value));
    return present(fromTexts(texts, schema));
  }
  // A list sent more than once: the last one counts, as in Prism.
  const raw = values[values.length - 1]!;
  const delimiter = DELIMITERS[style];
  const whole = decodeValue(pairs, raw);
  if (whole === '' && mayBeNull(schema)) return present(null);
  let pieces: string[];
  if (whole === '') pieces = [];
  else if (delimiter === ',' && pairs.encoding !== 'none') pieces = raw.split(',').map((p) => decodeValue(pairs, p));
  else pieces = whole.split(delimiter);
  return present(listValue(pieces, shape, whole));
}

/** Pieces of a non-exploded list: array items, or alternating keys and values of an object. */
function listValue(pieces: readonly string[], shape: SchemaShape, whole: string): unknown {
  if (shape.kind === 'array') return pieces.map((piece) => coerceItem(piece, shape.items));
  if (pieces.length % 2 !== 0) return whole;
  const entries: [string, unknown][] = [];
  for (let i = 0; i < pieces.length; i += 2)
    entries.push([pieces[i]!, coerceItem(pieces[i + 1]!, propertySchema(shape, pieces[i]!))]);
  return Object.fromEntries(entries);
}

/** Pieces of an exploded object, `key=value` each; a piece without `=` does not fit. */
function keyValues(
  pieces: readonly string[],
  shape: SchemaShape,
  decode: (text: string) => string,
  whole: string,
): unknown {
  const entries: [string, unknown][] = [];
  for (const piece of pieces) {
    const equals = piece.indexOf('=');
    if (equals < 0) return whole;
    const key = decode(piece.slice(0, equals));
    entries.push([key, coerceItem(decode(piece.slice(equals + 1)), propertySchema(shape, key))]);
  }
  return Object.fromEntries(entries);
}

// ---------------------------------------------------------------------------------------------------
// Path and header text

function readPath(parameter: WireParameter, raw: string): unknown {
  const { name, schema } = parameter;
  const { style, explode } = styleOf('path', parameter);
  const shape = shapeOf(schema);
  const decode = (text: string): string => percentDecode(text, false);
  const whole = decode(raw);
  let text = raw;
  if (style === 'label' && text.startsWith('.')) text = text.slice(1);
  if (style === 'matrix') {
    text = text.startsWith(';') ? text.slice(1) : text;
    const encodedName = encodeStrict(name);
    const matrixValue = (piece: string): string | undefined =>
      piece === encodedName
        ? ''
        : piece.startsWith(`${encodedName}=`)
          ? piece.slice(encodedName.length + 1)
          : undefined;
    if (explode && shape.kind === 'array') {
      if (text === '' || text === encodedName) return [];
      const items: unknown[] = [];
      for (const piece of text.split(';')) {
        const value = matrixValue(piece);
        if (value === undefined) return whole;
        items.push(coerceItem(decode(value), shape.items));
      }
      return items;
    }
    if (explode && shape.kind === 'object') {
      if (raw === '') return {};
      // `;key` alone is an empty value: RFC 6570 writes no `=` for the `;` operator.
      return keyValues(
        text.split(';').map((piece) => (piece.includes('=') ? piece : `${piece}=`)),
        shape,
        decode,
        whole,
      );
    }
    text = matrixValue(text) ?? text;
  }
  const separator = explode ? (style === 'label' ? '.' : ',') : ',';
  return readList(text, shape, schema, separator, explode, decode, whole);
}

function readList(
  text: string,
  shape: SchemaShape,
  schema: JsonSchema,
  separator: string,
  explode: boolean,
  decode: (text: string) => string,
  whole: string,
): unknown {
  if (shape.kind === 'array') return text === '' ? [] : listValue(text.split(separator).map(decode), shape, whole);
  if (shape.kind === 'object') {
    if (text === '') return {};
    if (explode) return keyValues(text.split(separator), shape, decode, whole);
    return listValue(text.split(',').map(decode), shape, whole);
  }
  return coerceText(decode(text), schema);
}

const HTTP_SPACE = /^[ \t]+|[ \t]+$/g;

function headerValue(headers: WireSource['headers'], name: string, separator: string): string | undefined {
  if (headers === undefined) return undefined;
  const lower = name.toLowerCase();
  let value = headers[lower] ?? headers[name];
  if (value === undefined) {
    for (const key in headers) if (key.toLowerCase() === lower) value = headers[key];
  }
  return typeof value === 'string' || value === undefined ? value : value.join(separator);
}

function readHeader(parameter: WireParameter, text: string): unknown {
  const { explode } = styleOf('header', parameter);
  const shape = shapeOf(parameter.schema);
  const trim = (piece: string): string => piece.replace(HTTP_SPACE, '');
  return readList(trim(text), shape, parameter.schema, ',', explode, trim, text);
}

/**
 * A parameter as the server received it: `present: false` when the request does not carry it, else its
 * value rebuilt by style and explode and coerced by the schema (see the module comment). `source.path`
 * holds the still percent-encoded text of each path parameter. `otherQueryNames` matters only to an
 * exploded object that is a map (`additionalProperties`): the query names it must leave alone, such as
 * the operation's other parameters and API keys.
 */
export function readParameter(
  parameter: WireParameter,
  source: WireSource,
  otherQueryNames?: ReadonlySet<string>,
): ReadResult {
  if (parameter.contentType !== undefined) return readContent(parameter, contentText(parameter, source));
  switch (parameter.in) {
    case 'path': {
      const raw = source.path?.[parameter.name];
      return raw === undefined ? ABSENT : present(readPath(parameter, raw));
    }
    case 'query':
      return source.query === undefined
        ? ABSENT
        : readPairs(parameter, 'query', queryPairs(source.query), otherQueryNames);
    case 'header': {
      const text = headerValue(source.headers, parameter.name, ', ');
      return text === undefined ? ABSENT : present(readHeader(parameter, text));
    }
    case 'cookie': {
      const header = headerValue(source.headers, 'cookie', '; ');
      return header === undefined ? ABSENT : readPairs(parameter, 'cookie', cookiePairs(header), undefined);
    }
  }
}

/** The one text a `content` parameter is sent as, decoded: the first one where it is sent more than once. */
function contentText(parameter: WireParameter, source: WireSource): string | undefined {
  const { name } = parameter;
  switch (parameter.in) {
    case 'path': {
      const raw = source.path?.[name];
      return raw === undefined ? undefined : percentDecode(raw, false);
    }
    case 'query': {
      if (source.query === undefined) return undefined;
      const pairs = queryPairs(source.query);
      const pair = pairs.list.find((p) => p.name === name);
      return pair === undefined ? undefined : decodeValue(pairs, pair.value);
    }
    case 'header':
      return headerValue(source.headers, name, ', ');
    case 'cookie': {
      const header = headerValue(source.headers, 'cookie', '; ');
      const pairs = header === undefined ? undefined : cookiePairs(header);
      const pair = pairs?.list.find((p) => p.name === name);
      return pairs === undefined || pair === undefined ? undefined : decodeValue(pairs, pair.value);
    }
  }
}

/** A `content` parameter's text as its media type reads it: JSON parsed, any other type as the text. */
function readContent(parameter: WireParameter, text: string | undefined): ReadResult {
  if (text === undefined) return ABSENT;
  if (!isJsonMediaType(parameter.contentType)) return present(text);
  try {
    return present(JSON.parse(text));
  } catch {
    return { present: true, value: text, malformed: 'is not valid JSON' };
  }
}

/** A `content` parameter's value as the one text its media type writes (JSON), before any encoding. */
function contentValue(parameter: WireParameter, value: unknown): string {
  return isJsonMediaType(parameter.contentType) ? (JSON.stringify(value) ?? 'null') : parameterText(value);
}

// ---------------------------------------------------------------------------------------------------
// Serialization

/** One name and its text: one item for a single value, several joined by the delimiter for a list. */
interface Piece {
  name: string;
  items: string[];
  /** `''` for a single value. */
  delimiter: string;
}

function deepPieces(name: string, value: unknown, out: Piece[]): Piece[] {
  if (Array.isArray(value)) for (const [i, item] of value.entries()) deepPieces(`${name}[${i}]`, item, out);
  else if (isRecord(value)) for (const [key, item] of definedEntries(value)) deepPieces(`${name}[${key}]`, item, out);
  else out.push({ name, items: [parameterText(value)], delimiter: '' });
  return out;
}

function pairPieces(parameter: WireParameter, location: 'query' | 'cookie', value: unknown): Piece[] {
  const { name } = parameter;
  if (parameter.contentType !== undefined) return [{ name, items: [contentValue(parameter, value)], delimiter: '' }];
  const { style, explode } = styleOf(location, parameter);
  const delimiter = DELIMITERS[style];
  if (style === 'deepObject' && (Array.isArray(value) || isRecord(value))) return deepPieces(name, value, []);
  if (Array.isArray(value)) {
    if (explode) return value.map((item) => ({ name, items: [parameterText(item)], delimiter: '' }));
    return [{ name, items: value.map(parameterText), delimiter }];
  }
  if (isRecord(value)) {
    const entries = definedEntries(value);
    // An exploded object's array property repeats its name, as an exploded array does.
    if (explode)
      return entries.flatMap(([key, item]) =>
        (Array.isArray(item) ? item : [item]).map((one) => ({ name: key, items: [parameterText(one)], delimiter: '' })),
      );
    return [{ name, items: entries.flatMap(([key, item]) => [key, parameterText(item)]), delimiter }];
  }
  return [{ name, items: [parameterText(value)], delimiter: '' }];
}

/**
 * A query parameter as name/value pairs before URL-encoding, in order: `color=blue,black,brown` is
 * `[['color', 'blue,black,brown']]`, exploded `[['color', 'blue'], ['color', 'black'], ...]`. For
 * multipart parts and for showing; a URL needs `renderQuery`, which keeps delimiters apart from data.
 */
export function serializeQuery(parameter: WireParameter, value: unknown): [string, string][] {
  return pairPieces(parameter, 'query', value).map((piece) => [piece.name, piece.items.join(piece.delimiter)]);
}

/**
 * The query string (no `?`) of parameters and their values, percent-encoded: each value piece is encoded
 * on its own and then joined with the style's delimiter (`,` raw, space as `%20`, `|` as `%7C`), so a
 * `,` inside a value (`%2C`) cannot be read as a delimiter. `allowReserved` leaves RFC 3986 reserved
 * characters and percent-escapes as they are, except `[]#&+=`, which a query string cannot carry raw.
 * Exploded empty arrays and objects send nothing.
 */
export function renderQuery(values: Iterable<readonly [WireParameter, unknown]>): string {
  const out: string[] = [];
  for (const [parameter, value] of values) {
    for (const piece of pairPieces(parameter, 'query', value)) {
      const encode = (item: string): string =>
        parameter.allowReserved ? encodeReserved(item, piece.delimiter) : encodeStrict(item);
      const text = piece.items.map(encode).join(ENCODED_DELIMITERS[piece.delimiter]);
      out.push(`${encodeStrict(piece.name)}=${text}`);
    }
  }
  return out.join('&');
}

/** Arrays and objects as `simple` (separator `,`) or exploded `label` (separator `.`) write them. */
function listText(value: unknown, explode: boolean, separator: string, encode: (text: string) => string): string {
  if (Array.isArray(value)) return value.map((item) => encode(parameterText(item))).join(explode ? separator : ',');
  if (isRecord(value)) {
    const entries = definedEntries(value).map(([key, item]) => [encode(key), encode(parameterText(item))]);
    return explode ? entries.map(([key, item]) => `${key}=${item}`).join(separator) : entries.flat().join(',');
  }
  return encode(parameterText(value));
}

/** `;name=text`, or `;name` for empty text (RFC 6570's rule for the `;` operator). */
const matrixPair = (name: string, text: string): string => (text === '' ? `;${name}` : `;${name}=${text}`);

/**
 * The text that replaces `{name}` in the path, percent-encoded: `simple` (`blue,black`), `label`
 * (`.blue.black` exploded) or `matrix` (`;color=blue;color=black` exploded).
 */
export function serializePath(parameter: WireParameter, value: unknown): string {
  if (parameter.contentType !== undefined) return encodeStrict(contentValue(parameter, value));
  const { style, explode } = styleOf('path', parameter);
  if (style === 'label') return `.${listText(value, explode, '.', encodeLabel)}`;
  if (style === 'simple') return listText(value, explode, ',', encodeStrict);
  const name = encodeStrict(parameter.name);
  if (!explode || !(Array.isArray(value) || isRecord(value)))
    return matrixPair(name, listText(value, false, ',', encodeStrict));
  if (Array.isArray(value)) return value.map((item) => matrixPair(name, encodeStrict(parameterText(item)))).join('');
  return definedEntries(value)
    .map(([key, item]) => matrixPair(encodeStrict(key), encodeStrict(parameterText(item))))
    .join('');
}

/** A header value, `simple` style; never percent-encoded (the caller sends only text a header can carry). */
export function serializeHeader(parameter: WireParameter, value: unknown): string {
  if (parameter.contentType !== undefined) return contentValue(parameter, value);
  return listText(value, styleOf('header', parameter).explode, ',', (text) => text);
}

/** The `name=value` pieces of a cookie parameter (`form` style), percent-encoded, joined by `; `. */
export function serializeCookie(parameter: WireParameter, value: unknown): string {
  return pairPieces(parameter, 'cookie', value)
    .map((piece) => `${encodeStrict(piece.name)}=${piece.items.map(encodeStrict).join(piece.delimiter)}`)
    .join('; ');
}

/**
 * A value as the server reads it back after its style wrote it: what a case really sends. An array
 * of one item or an empty list can read as a plain value or as nothing, so a case is judged by this.
 */
export function roundTrip(parameter: WireParameter, value: unknown): ReadResult {
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
