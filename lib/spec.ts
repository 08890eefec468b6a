/**
 * Loads an API description once: read and upgrade it to OpenAPI 3.1 (lib/document.ts), inline its
 * `$ref`s (lib/dereference.ts), and flatten each operation into the view the mock and the runner
 * share. Everything downstream reads this model, never the raw file.
 */
import { basename } from 'node:path';
import type { OpenAPI3 } from 'openapi-typescript';
import { dereference } from './dereference.js';
import { readDocument } from './document.js';
import { SpecError } from './errors.js';
import {
  type ErrorBodyExtension,
  type RateLimitExtension,
  type ResourceExtension,
  readErrorBody,
  readInferred,
  readRateLimit,
  readResource,
} from './extensions.js';
import { isObject, type JsonObject } from './json.js';
import { appendPointer, getPointer } from './json-pointer.js';
import type { JsonSchema } from './json-schema.js';
import { readSecurityScheme, type SecurityScheme } from './security.js';

export type { SecurityScheme } from './security.js';

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export interface NamedExample {
  name: string;
  summary?: string;
  value: unknown;
}

export interface Encoding {
  contentType?: string;
  style?: string;
  explode?: boolean;
  allowReserved?: boolean;
}

export interface MediaType {
  mediaType: string;
  schema?: JsonSchema;
  examples: NamedExample[];
  /** Per-property encoding of form bodies. */
  encoding?: Record<string, Encoding>;
}

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required: boolean;
  description?: string;
  schema: JsonSchema;
  example?: unknown;
  style?: string;
  explode?: boolean;
  allowReserved?: boolean;
  /** A query parameter that may be sent with an empty value (`?q=`); OpenAPI's default is that it may not. */
  allowEmptyValue?: boolean;
  /** Set when the parameter is described by `content` (a serialized value, usually JSON) instead of a style. */
  contentType?: string;
  /** Set when its example is a value the user gave (a config file's `parameters`), not the document's. */
  given?: true;
}

export interface ResponseHeader {
  name: string;
  required: boolean;
  schema?: JsonSchema;
  example?: unknown;
}

export interface Link {
  name: string;
  operationId: string;
  /** Target parameter name -> runtime expression such as `$response.body#/id`. */
  parameters: Record<string, string>;
}

/** Keyword -> reason of the assumptions marked with `x-inferred` on an OpenAPI object. */
export type Inferred = Readonly<Record<string, string>>;

export interface Response {
  status: string;
  description: string;
  headers: ResponseHeader[];
  content: MediaType[];
  links: Link[];
  errorBody?: ErrorBodyExtension;
  /** `response` (the vendor does not document this status) or `content` (documented without a body). */
  inferred?: Inferred;
  /** JSON pointer of the response object in the spec file. */
  pointer: string;
}

export interface RequestBody {
  required: boolean;
  content: MediaType[];
  /** `required`: the vendor does not say the body is required. */
  inferred?: Inferred;
  pointer: string;
}

export interface Operation {
  operationId: string;
  method: HttpMethod;
  /** The path template as written in the spec, e.g. `/v1/contactGroups/{contactGroupId}`. */
  path: string;
  summary?: string;
  parameters: Parameter[];
  requestBody?: RequestBody;
  responses: Response[];
  /** Alternatives (OR) of schemes that must all be satisfied (AND); empty means no auth. */
  security: SecurityScheme[][];
  resource?: ResourceExtension;
  /** JSON pointer of the operation object in the spec file. */
  pointer: string;
}

export interface Spec {
  file: string;
  /** File name without directory and extension, e.g. `8x8-contacts`. */
  name: string;
  title: string;
  version: string;
  /** What the file declared (`2.0`, `3.0.3`, `3.1.0`); the model is OpenAPI 3.1 whatever it was. */
  declaredVersion: string;
  /** The first server's URL with variables replaced by their defaults. */
  serverUrl: string;
  operations: Operation[];
  rateLimit?: RateLimitExtension;
  securitySchemes: ReadonlyMap<string, SecurityScheme>;
  /** The dereferenced document (a recursive schema is a cycle of objects). */
  document: OpenAPI3;
  /** The OpenAPI 3.1 document with its internal `$ref`s, as validators and Prism read it. */
  source: JsonObject;
  /** Object of `document` -> JSON pointer of where it came from in `source`. */
  origins: WeakMap<object, string>;
}

function serverUrl(document: JsonObject): string {
  const servers = Array.isArray(document.servers) ? document.servers : [];
  const first = servers[0];
  if (!isObject(first) || typeof first.url !== 'string') return '/';
  const variables = isObject(first.variables) ? first.variables : {};
  return first.url.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const variable = variables[name];
    return isObject(variable) && variable.default !== undefined ? String(variable.default) : `{${name}}`;
  });
}

function examplesOf(media: JsonObject): NamedExample[] {
  const examples: NamedExample[] = [];
  if (isObject(media.examples)) {
    for (const [name, example] of Object.entries(media.examples)) {
      if (isObject(example) && 'value' in example) {
        examples.push({
          name,
          value: example.value,
          ...(typeof example.summary === 'string' ? { summary: example.summary } : {}),
        });
      }
    }
  } else if (media.example !== undefined) {
    examples.push({ name: 'example', value: media.example });
  }
  return examples;
}

function encodingOf(raw: unknown): Record<string, Encoding> | undefined {
  if (!isObject(raw)) return undefined;
  const result: Record<string, Encoding> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (!isObject(value)) continue;
    result[name] = {
      ...(typeof value.contentType === 'string' ? { contentType: value.contentType } : {}),
      ...(typeof value.style === 'string' ? { style: value.style } : {}),
      ...(typeof value.explode === 'boolean' ? { explode: value.explode } : {}),
      ...(typeof value.allowReserved === 'boolean' ? { allowReserved: value.allowReserved } : {}),
    };
  }
  return result;
}

function mediaTypes(content: unknown): MediaType[] {
  if (!isObject(content)) return [];
  return Object.entries(content).map(([mediaType, raw]) => {
    const media = isObject(raw) ? raw : {};
    const encoding = encodingOf(media.encoding);
    return {
      mediaType,
      ...(isObject(media.schema) ? { schema: media.schema as JsonSchema } : {}),
      examples: examplesOf(media),
      ...(encoding ? { encoding } : {}),
    };
  });
}

const LOCATIONS = new Set(['path', 'query', 'header', 'cookie']);

/** A parameter's or header's example: `example`, else the first of `examples` (where an upgrade to 3.1 puts it). */
function exampleOf(raw: JsonObject): unknown {
  if (raw.example !== undefined) return raw.example;
  if (!isObject(raw.examples)) return undefined;
  return Object.values(raw.examples).find((e): e is JsonObject => isObject(e) && 'value' in e)?.value;
}

function parameters(pathItem: JsonObject, operation: JsonObject, where: string): Parameter[] {
  const byKey = new Map<string, Parameter>();
  const all = [
    ...(Array.isArray(pathItem.parameters) ? pathItem.parameters : []),
    ...(Array.isArray(operation.parameters) ? operation.parameters : []),
  ];
  for (const raw of all) {
    if (!isObject(raw) || typeof raw.name !== 'string') continue;
    if (!LOCATIONS.has(String(raw.in))) throw new SpecError(`${where}: parameter "${raw.name}" has no valid "in"`);
    const location = raw.in as Parameter['in'];
    // Headers HTTP handles itself are not parameters a client can send (OpenAPI says they are ignored).
    if (location === 'header' && /^(accept|content-type|authorization)$/i.test(raw.name)) continue;
    let schema: JsonSchema = isObject(raw.schema) ? (raw.schema as JsonSchema) : {};
    let contentType: string | undefined;
    if (isObject(raw.content)) {
      const [first] = Object.entries(raw.content);
      if (first) {
        contentType = first[0];
        if (isObject(first[1]) && isObject(first[1].schema)) schema = first[1].schema as JsonSchema;
      }
    }
    const example = exampleOf(raw);
    byKey.set(`${location}:${location === 'header' ? raw.name.toLowerCase() : raw.name}`, {
      name: raw.name,
      in: location,
      required: raw.required === true || location === 'path',
      ...(typeof raw.description === 'string' ? { description: raw.description } : {}),
      schema,
      ...(example !== undefined ? { example } : {}),
      ...(typeof raw.style === 'string' ? { style: raw.style } : {}),
      ...(typeof raw.explode === 'boolean' ? { explode: raw.explode } : {}),
      ...(typeof raw.allowReserved === 'boolean' ? { allowReserved: raw.allowReserved } : {}),
      ...(location === 'query' && raw.allowEmptyValue === true ? { allowEmptyValue: true } : {}),
      ...(contentType !== undefined ? { contentType } : {}),
    });
  }
  return [...byKey.values()];
}

function responses(raw: unknown, pointer: string, where: string, root: JsonObject): Response[] {
  if (!isObject(raw)) return [];
  return Object.entries(raw).map(([status, value]) => {
    const response = isObject(value) ? value : {};
    const here = appendPointer(pointer, status);
    const headers = isObject(response.headers)
      ? Object.entries(response.headers).map(([name, h]) => {
          const header = isObject(h) ? h : {};
          const headerSchema = isObject(header.schema)
            ? header.schema
            : isObject(header.content)
              ? Object.values(header.content).find(isObject)?.schema
              : undefined;
          const example = exampleOf(header);
          return {
            name,
            required: header.required === true,
            ...(isObject(headerSchema) ? { schema: headerSchema as JsonSchema } : {}),
            ...(example !== undefined ? { example } : {}),
          };
        })
      : [];
    const links = isObject(response.links)
      ? Object.entries(response.links).flatMap(([name, l]) =>
          isObject(l) && (typeof l.operationId === 'string' || linkedOperation(root, l.operationRef) !== undefined)
            ? [
                {
                  name,
                  operationId:
                    typeof l.operationId === 'string' ? l.operationId : linkedOperation(root, l.operationRef)!,
                  // An object or a list written as a constant has no one text: the parameter is left to the case.
                  parameters: isObject(l.parameters)
                    ? Object.fromEntries(
                        Object.entries(l.parameters).flatMap(([k, v]) =>
                          v === null || typeof v === 'object' ? [] : [[k, String(v)]],
                        ),
                      )
                    : {},
                },
              ]
            : [],
        )
      : [];
    const errorBody = readErrorBody(response['x-error-body'], `${where} response ${status}`);
    const inferred = readInferred(response['x-inferred'], `${where} response ${status}`);
    return {
      status: /^[1-5]xx$/i.test(status) ? status.toUpperCase() : status,
      description: typeof response.description === 'string' ? response.description : '',
      headers,
      content: mediaTypes(response.content),
      links,
      ...(errorBody ? { errorBody } : {}),
      ...(inferred ? { inferred } : {}),
      pointer: here,
    };
  });
}

function security(
  requirements: unknown,
  schemes: ReadonlyMap<string, SecurityScheme>,
  where: string,
): SecurityScheme[][] {
  if (!Array.isArray(requirements)) return [];
  return requirements.map((requirement) => {
    if (!isObject(requirement)) throw new SpecError(`${where}: a security requirement must be an object`);
    return Object.keys(requirement).map((name) => {
      const scheme = schemes.get(name);
      if (!scheme) throw new SpecError(`${where}: unknown security scheme "${name}"`);
      return scheme;
    });
  });
}

/** `get /pets/{id}` -> `get_pets_id`: a stable name for an operation its author left unnamed. */
function derivedOperationId(method: string, path: string): string {
  const words = path.split(/[^A-Za-z0-9]+/).filter(Boolean);
  return [method, ...words].join('_');
}

/**
 * The operationId of the operation a link's `operationRef` names in this document
 * (`#/paths/~1users~1{id}/get`); undefined for one in another document, which the run cannot call.
 */
function linkedOperation(root: JsonObject, ref: unknown): string | undefined {
  if (typeof ref !== 'string' || !ref.startsWith('#/')) return undefined;
  let target: unknown;
  try {
    target = getPointer(root, decodeURIComponent(ref.slice(1)));
  } catch {
    return undefined;
  }
  if (!isObject(target)) return undefined;
  // Under `paths`, or where a path item is shared from (`#/components/pathItems/Contact/get`).
  for (const [path, pathItem] of Object.entries(isObject(root.paths) ? root.paths : {})) {
    if (!isObject(pathItem)) continue;
    const method = HTTP_METHODS.find((m) => pathItem[m] === target);
    if (method === undefined) continue;
    return typeof target.operationId === 'string' ? target.operationId : derivedOperationId(method, path);
  }
  return undefined;
}

/** Builds the model from an already parsed OpenAPI 3.1 document. `file` is only used in messages. */
export function buildSpec(source: JsonObject, file: string, declaredVersion = String(source.openapi)): Spec {
  // 3.1 makes `paths` optional: a document of webhooks alone has no operation to serve or check.
  if (!isObject(source.paths) && !isObject(source.webhooks))
    throw new SpecError(`${file}: the document has no "paths"`);
  const { root, origins } = dereference(source, file);
  const components = isObject(root.components) ? root.components : {};
  const schemes = new Map<string, SecurityScheme>();
  for (const [name, raw] of Object.entries(isObject(components.securitySchemes) ? components.securitySchemes : {})) {
    schemes.set(name, readSecurityScheme(name, raw));
  }
  const info = isObject(root.info) ? root.info : {};
  const operations: Operation[] = [];
  const seen = new Set<string>();
  for (const [path, pathItemRaw] of Object.entries(isObject(root.paths) ? root.paths : {})) {
    const pathItem = isObject(pathItemRaw) ? pathItemRaw : {};
    for (const method of HTTP_METHODS) {
      const op = pathItem[method];
      if (!isObject(op)) continue;
      const where = `${file} ${method.toUpperCase()} ${path}`;
      const pointer = appendPointer(appendPointer('/paths', path), method);
      const operationId = typeof op.operationId === 'string' ? op.operationId : derivedOperationId(method, path);
      if (seen.has(operationId)) throw new SpecError(`${where}: duplicate operationId "${operationId}"`);
      seen.add(operationId);
      const body = isObject(op.requestBody) ? op.requestBody : undefined;
      const bodyInferred = body ? readInferred(body['x-inferred'], `${where} requestBody`) : undefined;
      const resource = readResource(op['x-resource'], where);
      operations.push({
        operationId,
        method,
        path,
        ...(typeof op.summary === 'string' ? { summary: op.summary } : {}),
        parameters: parameters(pathItem, op, where),
        ...(body
          ? {
              requestBody: {
                required: body.required === true,
                content: mediaTypes(body.content),
                ...(bodyInferred ? { inferred: bodyInferred } : {}),
                pointer: appendPointer(pointer, 'requestBody'),
              },
            }
          : {}),
        responses: responses(op.responses, appendPointer(pointer, 'responses'), where, root),
        security: security(op.security ?? root.security, schemes, where),
        ...(resource ? { resource } : {}),
        pointer,
      });
    }
  }
  const rateLimit = readRateLimit(root['x-rate-limit'], file);
  return {
    file,
    name: basename(file).replace(/\.(ya?ml|json)$/i, ''),
    title: typeof info.title === 'string' ? info.title : basename(file),
    version: typeof info.version === 'string' ? info.version : '',
    declaredVersion,
    serverUrl: serverUrl(root),
    operations,
    ...(rateLimit ? { rateLimit } : {}),
    securitySchemes: schemes,
    document: root as unknown as OpenAPI3,
    source,
    origins,
  };
}

/** Reads and models a spec file; every failure is a SpecError with a one-line reason. */
export async function loadSpec(file: string): Promise<Spec> {
  return (await readSpec(file)).spec;
}

/** loadSpec, with the text of every file the spec was read from (to tell when it changes). */
export async function readSpec(file: string): Promise<{ spec: Spec; texts: ReadonlyMap<string, string> }> {
  const { document, declaredVersion, texts } = await readDocument(file);
  return { spec: buildSpec(document, file, declaredVersion), texts };
}

/**
 * The path a request for an operation is sent to: its path key without a `#` or `?` suffix. Some
 * documents give one path several operations of a method that way (`/files/{id}#shared_link`,
 * `/responses/{id}?beta=true`); a fragment is never sent, so such an operation shares its request
 * path with its siblings, and a query suffix is sent as the query (pathKeyQuery).
 */
export function requestPath(pathKey: string): string {
  const end = pathKey.search(/[?#]/);
  return end === -1 ? pathKey : pathKey.slice(0, end);
}

/** The query a path key fixes (`/responses/{id}?beta=true`: `beta=true`), sent with every request to it. */
export function pathKeyQuery(pathKey: string): [string, string][] {
  const question = pathKey.indexOf('?');
  if (question === -1) return [];
  const hash = pathKey.indexOf('#', question);
  return [...new URLSearchParams(pathKey.slice(question + 1, hash === -1 ? undefined : hash))];
}

/** The path of the server URL (`https://api.example.com/api/v2` -> `/api/v2`, `''` for none). */
export function serverBasePath(spec: Spec): string {
  let path: string;
  try {
    path = new URL(spec.serverUrl).pathname;
  } catch {
    // A relative server URL (`/api/v2`) is a path already.
    path = spec.serverUrl.startsWith('/') ? spec.serverUrl.split(/[?#]/)[0]! : '';
  }
  path = path.replace(/\/+$/, '');
  return path === '/' ? '' : path;
}
