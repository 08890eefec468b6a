/**
 * Reads an API description into one OpenAPI 3.1 document: parse YAML or JSON (errors with line and
 * column), inline `$ref`s to other local files, then upgrade Swagger 2.0 and OpenAPI 3.0 with
 * `@scalar/openapi-upgrader`. Nothing downstream knows which version the file was written in.
 */
import { readFile, realpath } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { upgrade } from '@scalar/openapi-upgrader';
import { isScalar, parse, YAMLParseError } from 'yaml';
import { isDataKey, memberKey } from './dereference.js';
import { SpecError } from './errors.js';
import { polymorphicInheritance } from './inheritance.js';
import { isObject, type JsonObject } from './json.js';
import { escapeToken, getPointer, parsePointer } from './json-pointer.js';
import { repairSwagger2 } from './swagger2.js';
import { parseYamlCached } from './yaml-cache.js';

export interface SourceDocument {
  /** The path as given (messages name it so). */
  file: string;
  /** The document as OpenAPI 3.1, local file `$ref`s inlined; internal `$ref`s kept. */
  document: JsonObject;
  /** `2.0`, `3.0.3`, `3.1.0`...: what the file declared. */
  declaredVersion: string;
  /** Every file read (absolute path -> text): the document is what they say while they say it. */
  texts: ReadonlyMap<string, string>;
}

// prettyErrors: without it the parser keeps no line counter and an error has no line and column.
// uniqueKeys: YAML 1.2 requires a mapping's keys to be unique; a second `'200':` is refused with its line
// rather than silently replacing the first (a JSON file keeps JSON.parse's last-wins: RFC 8259 only
// says SHOULD). Keys are compared as the text they become: `200:` and `'200':` are one response.
const sameKey = (a: unknown, b: unknown): boolean =>
  a === b || (isScalar(a) && isScalar(b) && String(a.value) === String(b.value));
const YAML_OPTIONS = { prettyErrors: true, maxAliasCount: 1000, uniqueKeys: sameKey } as const;
const YAML_VERSION = (createRequire(import.meta.url)('yaml/package.json') as { version: string }).version;
/** What a kept parse depends on besides the text. */
export const YAML_PARSER = `yaml ${YAML_VERSION} ${JSON.stringify({ ...YAML_OPTIONS, uniqueKeys: 'as text' })}`;

/**
 * Arrays and objects nested deeper than this are refused as soon as a file is parsed: the real specs
 * and the public corpus nest at most 16 levels, and every later walk of the document (copying,
 * inlining, dereferencing, compiling) recurses once per level.
 */
const MAX_DOCUMENT_DEPTH = 256;

function deeperThan(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    if (depth > limit) return true;
    for (const child of Object.values(node))
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
  }
  return false;
}

/** Parses YAML (a superset of JSON); a syntax error names the file, line and column. */
export function parseText(text: string, file: string): unknown {
  const value = parseSyntax(text, file);
  if (deeperThan(value, MAX_DOCUMENT_DEPTH)) {
    throw new SpecError(`${file}: cannot parse: nested too deeply (more than ${MAX_DOCUMENT_DEPTH} levels)`);
  }
  return value;
}

function parseSyntax(text: string, file: string): unknown {
  if (/\.json$/i.test(file)) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      // The YAML parser below reads JSON too and says where the error is.
    }
  }
  try {
    return parseYamlCached(text, YAML_PARSER, (yaml) => parse(yaml, YAML_OPTIONS));
  } catch (error) {
    if (error instanceof YAMLParseError) {
      const at = error.linePos?.[0];
      const where = at ? `${file}:${at.line}:${at.col}` : file;
      const message = error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
      throw new SpecError(`${where}: invalid ${/\.json$/i.test(file) ? 'JSON' : 'YAML'}: ${message}`);
    }
    throw new SpecError(`${file}: cannot parse: ${(error as Error).message.split('\n')[0]}`);
  }
}

async function readText(file: string, from?: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const what = from === undefined ? 'spec file' : `file referenced from ${from}`;
    if (code === 'ENOENT') throw new SpecError(`${what} not found: ${file}`);
    if (code === 'EISDIR') throw new SpecError(`${what} is a directory: ${file}`);
    throw new SpecError(`cannot read ${what} ${file}: ${code ?? String(error)}`);
  }
}

/** `openapi: 3.1.0` or `swagger: "2.0"`, checked before anything else reads the document. */
function declaredVersion(raw: unknown, file: string): string {
  if (!isObject(raw)) throw new SpecError(`${file}: not an OpenAPI or Swagger document (expected a YAML/JSON object)`);
  if (raw.openapi !== undefined) {
    const version = String(raw.openapi);
    if (/^3\.[01](\.\d+)?$/.test(version)) return version;
    throw new SpecError(`${file}: OpenAPI ${version} is not supported (OpenAPI 3.0 and 3.1, Swagger 2.0 are)`);
  }
  if (raw.swagger !== undefined) {
    const version = String(raw.swagger);
    if (version === '2.0') return version;
    throw new SpecError(`${file}: Swagger ${version} is not supported (OpenAPI 3.0 and 3.1, Swagger 2.0 are)`);
  }
  throw new SpecError(`${file}: not an OpenAPI or Swagger document (no \`openapi\` or \`swagger\` field)`);
}

/** Where a `$ref` points: a file (absolute) and a pointer in it. */
interface Target {
  file: string;
  pointer: string;
}

function targetOf(ref: string, currentFile: string, where: string): Target {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(ref)) {
    throw new SpecError(`${where}: remote $ref "${ref}" is not supported (only references to local files)`);
  }
  const hash = ref.indexOf('#');
  const path = hash === -1 ? ref : ref.slice(0, hash);
  let pointer = hash === -1 ? '' : ref.slice(hash + 1);
  try {
    pointer = decodeURIComponent(pointer);
  } catch {
    throw new SpecError(`${where}: $ref "${ref}" is not a valid URI reference`);
  }
  if (pointer !== '' && !pointer.startsWith('/')) {
    throw new SpecError(`${where}: $ref "${ref}" must point with a JSON pointer (#/...)`);
  }
  let filePart = path;
  try {
    filePart = decodeURIComponent(path);
  } catch {
    // A literal percent sign in a file name.
  }
  return { file: path === '' ? currentFile : resolve(dirname(currentFile), filePart), pointer };
}

/**
 * Inlines every `$ref` into another local file (and the internal `$ref`s of those files, which
 * point into them). A reference to a node that is already being inlined (recursion across files)
 * is hoisted into the root document's schemas under a generated name instead.
 */
async function inlineFileRefs(
  root: JsonObject,
  rootFile: string,
  shown: string,
  texts: Map<string, string>,
): Promise<JsonObject> {
  const files = new Map<string, unknown>([[rootFile, root]]);
  const read = async (file: string, from: string): Promise<string> => {
    const text = await readText(file, from);
    texts.set(file, text);
    return text;
  };
  const hoisted = new Map<string, string>();
  const hoistedValues = new Map<string, unknown>();
  const swagger = root.swagger !== undefined;

  const load = async (file: string, from: string, ref: string): Promise<unknown> => {
    if (!files.has(file)) {
      const value = parseText(await read(file, from), relative(process.cwd(), file) || file);
      // A file of plain text that happens to parse as YAML (a password file, an environment) is one scalar.
      if (typeof value !== 'object' || value === null) {
        throw new SpecError(`${from}: $ref "${ref}" names a file that is not a YAML or JSON object or array`);
      }
      files.set(file, value);
    }
    return files.get(file);
  };

  // Resolved through symbolic links: a link inside the spec's directory may point anywhere.
  const rootDir = realpath(dirname(rootFile)).catch(() => dirname(rootFile));
  const insideRootDir = async (file: string): Promise<boolean> => {
    const real = await realpath(file).catch(() => file);
    const path = relative(await rootDir, real);
    return path !== '' && path !== '..' && !path.startsWith(`..${sep}`) && !isAbsolute(path);
  };

  const name = (target: Target): string => {
    const base = `${relative(dirname(rootFile), target.file)}${target.pointer}`.replace(/[^A-Za-z0-9_.-]+/g, '_');
    let candidate = base.replace(/^_+|_+$/g, '') || 'schema';
    for (let i = 2; [...hoisted.values()].includes(candidate); i++) candidate = `${base}_${i}`;
    return candidate;
  };

  const walk = async (node: unknown, file: string, stack: string[], parentKey?: string): Promise<unknown> => {
    if (Array.isArray(node)) return Promise.all(node.map((item) => walk(item, file, stack, parentKey)));
    if (!isObject(node)) return node;
    if (typeof node.$ref === 'string' && (file !== rootFile || !node.$ref.startsWith('#'))) {
      const where = `${relative(process.cwd(), file) || file}`;
      const target = targetOf(node.$ref, file, where);
      const { $ref: _ref, ...siblings } = node;
      const key = `${target.file}#${target.pointer}`;
      let replacement: unknown;
      if (target.file !== rootFile && !/\.(ya?ml|json)$/i.test(target.file)) {
        // A code sample or a description kept in a file of its own: its text is the value. The mock
        // serves the document it bundles, so any other file's text would be served to anyone asking.
        if (!(await insideRootDir(target.file))) {
          throw new SpecError(
            `${where}: $ref "${node.$ref}" names a file outside the spec's directory that is not YAML or JSON (.yaml, .yml, .json)`,
          );
        }
        replacement = await read(target.file, where);
      } else if (target.file === rootFile) {
        replacement = { $ref: `#${target.pointer}` };
      } else if (stack.includes(key) || hoisted.has(key)) {
        if (!hoisted.has(key)) hoisted.set(key, name(target));
        replacement = { $ref: `#/${swagger ? 'definitions' : 'components/schemas'}/${hoisted.get(key)}` };
      } else {
        const value = getPointer(await load(target.file, where, node.$ref), target.pointer);
        if (value === undefined) throw new SpecError(`${where}: $ref "${node.$ref}" points at nothing`);
        replacement = await walk(value, target.file, [...stack, key], parentKey);
        if (hoisted.has(key)) {
          hoistedValues.set(key, replacement);
          replacement = { $ref: `#/${swagger ? 'definitions' : 'components/schemas'}/${hoisted.get(key)}` };
        }
      }
      const extra = await walk(siblings, file, stack, parentKey);
      return isObject(extra) && Object.keys(extra).length > 0 && isObject(replacement)
        ? { ...replacement, ...extra }
        : replacement;
    }
    const out: JsonObject = {};
    for (const [key, value] of Object.entries(node)) {
      const walked = isDataKey(key, value, parentKey)
        ? value
        : await walk(value, file, stack, memberKey(parentKey, key));
      Object.defineProperty(out, key, { value: walked, enumerable: true, writable: true, configurable: true });
    }
    return out;
  };

  const bundled = (await walk(root, rootFile, [rootFile])) as JsonObject;
  if (hoisted.size > 0) {
    const container = swagger
      ? ((bundled.definitions ??= {}) as JsonObject)
      : ((((bundled.components ??= {}) as JsonObject).schemas ??= {}) as JsonObject);
    for (const [key, hoistedName] of hoisted) {
      if (!hoistedValues.has(key)) throw new SpecError(`${shown}: cannot inline the recursive reference ${key}`);
      container[hoistedName] = hoistedValues.get(key);
    }
  }
  return bundled;
}

/** Every internal `$ref` must point at something: one line naming the pointer otherwise. */
function checkInternalRefs(document: JsonObject, file: string): void {
  const stack: [unknown, string | undefined][] = [[document, undefined]];
  while (stack.length > 0) {
    const [node, parentKey] = stack.pop()!;
    if (Array.isArray(node)) for (const item of node) stack.push([item, parentKey]);
    else if (isObject(node)) {
      if (typeof node.$ref === 'string' && node.$ref.startsWith('#')) {
        let pointer: string;
        try {
          pointer = decodeURIComponent(node.$ref.slice(1));
          parsePointer(pointer);
        } catch {
          throw new SpecError(`${file}: $ref "${node.$ref}" is not a valid JSON pointer`);
        }
        if (getPointer(document, pointer) === undefined)
          throw new SpecError(`${file}: $ref "${node.$ref}" points at nothing`);
      }
      for (const [key, value] of Object.entries(node))
        if (!isDataKey(key, value, parentKey)) stack.push([value, memberKey(parentKey, key)]);
    }
  }
}

/**
 * OpenAPI 3.0's `nullable` (2.0's tools say `x-nullable`) and boolean `exclusiveMinimum`/`exclusiveMaximum`,
 * left in a document that says 3.1 (common in the wild), and draft 4's list form of `items`: `type: [string, null]`,
 * `exclusiveMinimum: 0` and `prefixItems`, what they mean, so validators and generators read one way
 * of saying it (the 2020-12 meta-schema refuses the booleans and the list).
 */
function normalize30Leftovers(document: JsonObject): void {
  eachSchemaLike(document, (node) => {
    // Swagger 2.0 has no `nullable`: its tools (go-swagger, NSwag, Zoom's document) say `x-nullable`.
    if (typeof node.nullable === 'boolean' || typeof node['x-nullable'] === 'boolean') {
      const nullable = node.nullable === true || node['x-nullable'] === true;
      if (nullable && typeof node.type === 'string') node.type = [node.type, 'null'];
      else if (nullable && Array.isArray(node.type) && !node.type.includes('null')) node.type = [...node.type, 'null'];
      else if (nullable && node.type === undefined) nullAlso(node);
      delete node.nullable;
      delete node['x-nullable'];
    }
    exclusiveBound(node, 'exclusiveMinimum', 'minimum');
    exclusiveBound(node, 'exclusiveMaximum', 'maximum');
    // Draft 4's tuple (`items: [A, B]`, Slack's description has it): 2020-12 says `prefixItems`.
    if (Array.isArray(node.items) && node.prefixItems === undefined) {
      node.prefixItems = node.items;
      if (node.additionalItems !== undefined) node.items = node.additionalItems;
      else delete node.items;
      delete node.additionalItems;
    }
  });
}

/**
 * 3.0.0's `nullable` "allows sending a null value for the defined schema" whatever it is made of (only
 * 3.0.3 ties it to `type`): Stripe's `address: {anyOf: [{$ref: address}], nullable: true}` is an
 * address or null. An `anyOf` gets a null branch; a `$ref`, an `allOf` or a `oneOf` becomes a choice
 * between it and null; a schema with none of them already takes null.
 */
function nullAlso(node: JsonObject): void {
  const nullType = { type: 'null' };
  if (Array.isArray(node.anyOf)) {
    node.anyOf = [...node.anyOf, nullType];
    return;
  }
  // A `oneOf` keeps its branches (and their discriminator) together: a branch that takes null too
  // would make null match two of them.
  const whole: JsonObject = {};
  for (const key of ['$ref', 'allOf', 'oneOf', 'discriminator'] as const) {
    if (node[key] === undefined) continue;
    whole[key] = node[key];
    delete node[key];
  }
  if (Object.keys(whole).length > 0) node.anyOf = [whole, nullType];
}

/**
 * The upgrader writes 2.0's and 3.0's `format: byte` as `contentEncoding: base64` with the enclosing
 * media type as a `contentMediaType` (`multipart/form-data` in a form), which 3.0 cannot say: it reads
 * as a file of that type, and AJV does not check the encoding. Such a string is base64 text again.
 */
function restoreByteFormat(document: JsonObject): void {
  eachSchemaLike(document, (node) => {
    if (node.contentEncoding !== 'base64' || node.format !== undefined) return;
    node.format = 'byte';
    delete node.contentEncoding;
    delete node.contentMediaType;
  });
}

/** 2.0's `discriminator: petType` (a property name), which the upgrader leaves, as 3.x's Discriminator Object. */
function discriminatorObjects(document: JsonObject): void {
  eachSchemaLike(document, (node) => {
    if (typeof node.discriminator === 'string') node.discriminator = { propertyName: node.discriminator };
  });
}

/**
 * Calls `visit` on every object of the document that is not data, with the key it was reached
 * through (an entry of a named map is reached through none); `visit` may change the object's own keys.
 */
function eachObject(document: JsonObject, visit: (node: JsonObject, parentKey: string | undefined) => void): void {
  const stack: [unknown, string | undefined][] = [[document, undefined]];
  while (stack.length > 0) {
    const [node, parentKey] = stack.pop()!;
    if (Array.isArray(node)) for (const item of node) stack.push([item, parentKey]);
    else if (isObject(node)) {
      visit(node, parentKey);
      for (const [key, value] of Object.entries(node))
        if (!isDataKey(key, value, parentKey)) stack.push([value, memberKey(parentKey, key)]);
    }
  }
}

/** Calls `visit` on every object of the document that may be a schema: not data, not a `properties` map. */
function eachSchemaLike(document: JsonObject, visit: (node: JsonObject) => void): void {
  eachObject(document, (node, parentKey) => {
    if (parentKey !== 'properties') visit(node);
  });
}

/** `minimum: 0, exclusiveMinimum: true` as `exclusiveMinimum: 0`; `false` says nothing. */
function exclusiveBound(node: JsonObject, exclusive: 'exclusiveMinimum' | 'exclusiveMaximum', bound: string): void {
  if (typeof node[exclusive] !== 'boolean') return;
  if (node[exclusive] && typeof node[bound] === 'number') {
    node[exclusive] = node[bound];
    delete node[bound];
  } else delete node[exclusive];
}

/**
 * Draft 2019-09's `$recursiveAnchor: true` with `$recursiveRef: "#"` (OpenAI's description has it):
 * a plain `$ref` to the nearest enclosing schema that sets the anchor. The 2020-12 meta-schema refuses
 * the boolean anchor, and the generators and Prism follow `$ref` only. Read lexically, which is what
 * such a schema means unless another document extends it (`$recursiveRef` then reaches the extension).
 */
function normalizeRecursiveRefs(document: JsonObject): void {
  const stack: [unknown, string, string | undefined, string | undefined][] = [[document, '', undefined, undefined]];
  while (stack.length > 0) {
    const [node, pointer, parentKey, anchor] = stack.pop()!;
    if (Array.isArray(node)) {
      for (const [i, item] of node.entries()) stack.push([item, `${pointer}/${i}`, parentKey, anchor]);
    } else if (isObject(node)) {
      let inner = anchor;
      if (node.$recursiveAnchor === true) {
        inner = pointer;
        delete node.$recursiveAnchor;
      }
      if (node.$recursiveRef === '#' && inner !== undefined && node.$ref === undefined) {
        delete node.$recursiveRef;
        node.$ref = `#${inner}`;
      }
      for (const [key, value] of Object.entries(node))
        if (!isDataKey(key, value, parentKey))
          stack.push([value, `${pointer}/${encodeURIComponent(escapeToken(key))}`, memberKey(parentKey, key), inner]);
    }
  }
}

/** The last text read from each file and its parsed value: YAML parsing is the slow part of a load. */
const parsed = new Map<string, { text: string; value: unknown }>();

/** parseText, once per file while its text is the same; the caller gets a copy of its own to change. */
function parseOnce(path: string, text: string, file: string): unknown {
  const known = parsed.get(path);
  if (known?.text === text) return structuredClone(known.value);
  const value = parseText(text, file);
  parsed.set(path, { text, value: structuredClone(value) });
  return value;
}

/** A property named like a keyword, as the upgrader must not read it (Klaviyo's `example` became `examples: [...]`). */
const HIDDEN_NAME = '\u2063';
const KEYWORD_NAMES = new Set([
  'example',
  'examples',
  'nullable',
  'x-nullable',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'format',
  'type',
  'items',
  'default',
  'enum',
  'const',
  '$ref',
  'discriminator',
  'contentEncoding',
  'contentMediaType',
]);

/** Renames, in place, the properties named like keywords (in `properties` maps); whether any was. */
function hidePropertyNames(document: JsonObject): boolean {
  let renamed = false;
  renameProperties(document, (name) => {
    if (!KEYWORD_NAMES.has(name)) return name;
    renamed = true;
    return `${HIDDEN_NAME}${name}`;
  });
  return renamed;
}

function restorePropertyNames(document: JsonObject): void {
  renameProperties(document, (name) => (name.startsWith(HIDDEN_NAME) ? name.slice(HIDDEN_NAME.length) : name));
}

/** Gives every `properties` map's keys the names `rename` says, in place, keeping their order. */
function renameProperties(document: JsonObject, rename: (name: string) => string): void {
  eachObject(document, (node, parentKey) => {
    if (parentKey !== 'properties') return;
    const entries = Object.entries(node);
    if (!entries.some(([name]) => rename(name) !== name)) return;
    for (const [name] of entries) delete node[name];
    for (const [name, value] of entries)
      Object.defineProperty(node, rename(name), { value, enumerable: true, writable: true, configurable: true });
  });
}

/** The extensions this project reads (specs/README.md), each holding objects the upgrader must not touch. */
const OWN_EXTENSIONS = new Set(['x-resource', 'x-rate-limit', 'x-error-body', 'x-credential', 'x-inferred']);

/**
 * Replaces, in place, every extension of ours holding an object or a list (`x-credential: {pattern,
 * example}`) with a token: the upgrader would rewrite an `example` in them as if it were a schema's.
 * Others stay as they are: the upgrader reads some (2.0's `x-example`, `x-examples`), and a name in a
 * map (a response header `x-rate-limit-remaining`) is no extension at all.
 */
function hideExtensions(document: JsonObject): Map<string, unknown> {
  const hidden = new Map<string, unknown>();
  eachObject(document, (node, parentKey) => {
    if (parentKey === 'properties' || parentKey === 'headers') return;
    for (const [key, value] of Object.entries(node)) {
      if (!OWN_EXTENSIONS.has(key) || value === null || typeof value !== 'object') continue;
      const token = `${HIDDEN_NAME}extension ${hidden.size}`;
      hidden.set(token, value);
      node[key] = token;
    }
  });
  return hidden;
}

function restoreExtensions(document: JsonObject, hidden: ReadonlyMap<string, unknown>): void {
  if (hidden.size === 0) return;
  eachObject(document, (node) => {
    for (const [key, value] of Object.entries(node))
      if (typeof value === 'string' && hidden.has(value)) node[key] = hidden.get(value);
  });
}

export async function readDocument(file: string): Promise<SourceDocument> {
  const text = await readText(file);
  const texts = new Map([[resolve(file), text]]);
  const raw = parseOnce(resolve(file), text, file);
  const version = declaredVersion(raw, file);
  const bundled = await inlineFileRefs(raw as JsonObject, resolve(file), file, texts);
  const local = bundled.swagger === undefined && String(bundled.openapi).startsWith('3.1') ? bundled : undefined;
  let document: JsonObject;
  if (local) document = local;
  else {
    try {
      // The upgrader may change what it is given: the 2.0 text is kept for what it loses.
      const source = version === '2.0' ? structuredClone(bundled) : undefined;
      const renamed = hidePropertyNames(bundled);
      const extensions = hideExtensions(bundled);
      document = upgrade(bundled, '3.1') as unknown as JsonObject;
      restoreExtensions(document, extensions);
      if (renamed) restorePropertyNames(document);
      if (source) repairSwagger2(source, document);
      if (source) discriminatorObjects(document);
      restoreByteFormat(document);
    } catch (error) {
      throw new SpecError(
        `${file}: cannot upgrade ${version === '2.0' ? 'Swagger' : 'OpenAPI'} ${version} to 3.1: ${(error as Error).message}`,
      );
    }
  }
  if (!isObject(document.paths) && !isObject(document.webhooks))
    throw new SpecError(`${file}: the document has no "paths"`);
  checkInternalRefs(document, file);
  normalize30Leftovers(document);
  polymorphicInheritance(document);
  if ([...texts.values()].some((text) => text.includes('$recursive'))) normalizeRecursiveRefs(document);
  return { file, document, declaredVersion: version, texts };
}

/** Whether every file a document was read from still says the same (a missing file does not). */
export async function unchanged(texts: ReadonlyMap<string, string>): Promise<boolean> {
  const now = await Promise.all(
    [...texts].map(([file, text]) =>
      readFile(file, 'utf8').then(
        (current) => current === text,
        () => false,
      ),
    ),
  );
  return now.every(Boolean);
}
