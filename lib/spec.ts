/**
 * Loads an OpenAPI 3.1 document once: parse the YAML, inline every internal $ref, and flatten each
 * operation into the view the mock and the runner share. Everything downstream reads this model,
 * never the raw file.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { OpenAPI3 } from 'openapi-typescript';
import { parse } from 'yaml';
import { SpecError } from './errors.js';
import {
  type ErrorBodyExtension,
  type RateLimitExtension,
  type ResourceExtension,
  readErrorBody,
  readRateLimit,
  readResource,
} from './extensions.js';
import type { JsonSchema } from './json-schema.js';

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export interface NamedExample {
  name: string;
  summary?: string;
  value: unknown;
}

export interface MediaType {
  mediaType: string;
  schema?: JsonSchema;
  examples: NamedExample[];
}

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required: boolean;
  description?: string;
  schema: JsonSchema;
  example?: unknown;
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

export interface Response {
  status: string;
  description: string;
  headers: ResponseHeader[];
  content: MediaType[];
  links: Link[];
  errorBody?: ErrorBodyExtension;
}

export interface SecurityScheme {
  name: string;
  /** What goes on the wire: `bearer` for http bearer and oauth2/openIdConnect, `basic`, or an API key. */
  kind: 'bearer' | 'basic' | 'apiKey' | 'other';
  /** For apiKey: where the key goes and under what name. */
  in?: 'header' | 'query' | 'cookie';
  parameterName?: string;
}

export interface Operation {
  operationId: string;
  method: HttpMethod;
  /** The path template as written in the spec, e.g. `/v1/contactGroups/{contactGroupId}`. */
  path: string;
  summary?: string;
  parameters: Parameter[];
  requestBody?: { required: boolean; content: MediaType[] };
  responses: Response[];
  /** Alternatives (OR) of schemes that must all be satisfied (AND); empty means no auth. */
  security: SecurityScheme[][];
  resource?: ResourceExtension;
}

export interface Spec {
  file: string;
  /** File name without directory and extension, e.g. `8x8-contacts`. */
  name: string;
  title: string;
  version: string;
  /** The first server's URL with variables replaced by their defaults. */
  serverUrl: string;
  operations: Operation[];
  rateLimit?: RateLimitExtension;
  /** The dereferenced document, for tools that need the whole of it. */
  document: OpenAPI3;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Inline internal `$ref`s; sibling keywords of a `$ref` (3.1 allows them) win over the target's.
 * `file`, when given, starts every error message (`specs/x.yaml: $ref "#/..." points at nothing`).
 */
export function dereference(document: Json, file?: string): Json {
  const where = file === undefined ? '' : `${file}: `;
  const resolve = (ref: string): unknown => {
    if (!ref.startsWith('#/')) throw new SpecError(`${where}only internal $refs are supported, found "${ref}"`);
    let node: unknown = document;
    for (const raw of ref.slice(2).split('/')) {
      const token = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
      node = isObject(node) ? node[token] : undefined;
      if (node === undefined) throw new SpecError(`${where}$ref "${ref}" points at nothing`);
    }
    return node;
  };
  const walk = (node: unknown, trail: string[]): unknown => {
    if (Array.isArray(node)) return node.map((item) => walk(item, trail));
    if (!isObject(node)) return node;
    if (typeof node.$ref === 'string') {
      const ref = node.$ref;
      if (trail.includes(ref)) throw new SpecError(`${where}circular $ref "${ref}" is not supported`);
      const { $ref: _ignored, ...siblings } = node;
      const target = walk(resolve(ref), [...trail, ref]);
      const walkedSiblings = walk(siblings, trail) as Json;
      return isObject(target) ? { ...target, ...walkedSiblings } : target;
    }
    const out: Json = {};
    for (const [key, value] of Object.entries(node)) {
      // Examples are data, not schema: a "$ref" key inside one must stay as written.
      out[key] = key === 'example' || key === 'value' ? value : walk(value, trail);
    }
    return out;
  };
  return walk(document, []) as Json;
}

function serverUrl(document: Json): string {
  const servers = Array.isArray(document.servers) ? document.servers : [];
  const first = servers[0];
  if (!isObject(first) || typeof first.url !== 'string') return '/';
  const variables = isObject(first.variables) ? first.variables : {};
  return first.url.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const variable = variables[name];
    return isObject(variable) && variable.default !== undefined ? String(variable.default) : `{${name}}`;
  });
}

function mediaTypes(content: unknown): MediaType[] {
  if (!isObject(content)) return [];
  return Object.entries(content).map(([mediaType, raw]) => {
    const media = isObject(raw) ? raw : {};
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
    return { mediaType, ...(isObject(media.schema) ? { schema: media.schema as JsonSchema } : {}), examples };
  });
}

function parameters(pathItem: Json, operation: Json): Parameter[] {
  const byKey = new Map<string, Parameter>();
  for (const raw of [
    ...(Array.isArray(pathItem.parameters) ? pathItem.parameters : []),
    ...(Array.isArray(operation.parameters) ? operation.parameters : []),
  ]) {
    if (!isObject(raw) || typeof raw.name !== 'string') continue;
    const location = raw.in as Parameter['in'];
    byKey.set(`${location}:${raw.name.toLowerCase()}`, {
      name: raw.name,
      in: location,
      required: raw.required === true || location === 'path',
      ...(typeof raw.description === 'string' ? { description: raw.description } : {}),
      schema: isObject(raw.schema) ? (raw.schema as JsonSchema) : {},
      ...(raw.example !== undefined ? { example: raw.example } : {}),
    });
  }
  return [...byKey.values()];
}

function responses(raw: unknown, where: string): Response[] {
  if (!isObject(raw)) return [];
  return Object.entries(raw).map(([status, value]) => {
    const response = isObject(value) ? value : {};
    const headers = isObject(response.headers)
      ? Object.entries(response.headers).map(([name, h]) => {
          const header = isObject(h) ? h : {};
          return {
            name,
            required: header.required === true,
            ...(isObject(header.schema) ? { schema: header.schema as JsonSchema } : {}),
            ...(header.example !== undefined ? { example: header.example } : {}),
          };
        })
      : [];
    const links = isObject(response.links)
      ? Object.entries(response.links).flatMap(([name, l]) =>
          isObject(l) && typeof l.operationId === 'string'
            ? [
                {
                  name,
                  operationId: l.operationId,
                  parameters: isObject(l.parameters)
                    ? Object.fromEntries(Object.entries(l.parameters).map(([k, v]) => [k, String(v)]))
                    : {},
                },
              ]
            : [],
        )
      : [];
    const errorBody = readErrorBody(response['x-error-body'], `${where} response ${status}`);
    return {
      status,
      description: typeof response.description === 'string' ? response.description : '',
      headers,
      content: mediaTypes(response.content),
      links,
      ...(errorBody ? { errorBody } : {}),
    };
  });
}

function securitySchemes(document: Json): Map<string, SecurityScheme> {
  const components = isObject(document.components) ? document.components : {};
  const schemes = isObject(components.securitySchemes) ? components.securitySchemes : {};
  const result = new Map<string, SecurityScheme>();
  for (const [name, raw] of Object.entries(schemes)) {
    if (!isObject(raw)) continue;
    const scheme = String(raw.scheme ?? '').toLowerCase();
    if (raw.type === 'http' && scheme === 'basic') result.set(name, { name, kind: 'basic' });
    else if ((raw.type === 'http' && scheme === 'bearer') || raw.type === 'oauth2' || raw.type === 'openIdConnect')
      result.set(name, { name, kind: 'bearer' });
    else if (raw.type === 'apiKey')
      result.set(name, { name, kind: 'apiKey', in: raw.in as 'header', parameterName: String(raw.name) });
    else result.set(name, { name, kind: 'other' });
  }
  return result;
}

function security(requirements: unknown, schemes: Map<string, SecurityScheme>, where: string): SecurityScheme[][] {
  if (!Array.isArray(requirements)) return [];
  return requirements.map((requirement) => {
    if (!isObject(requirement)) throw new SpecError(`${where}: a security requirement must be an object`);
    return Object.keys(requirement).map(
      (name) =>
        schemes.get(name) ??
        (() => {
          throw new SpecError(`${where}: unknown security scheme "${name}"`);
        })(),
    );
  });
}

/** Builds the model from an already parsed document. `file` is only used in messages. */
export function buildSpec(raw: unknown, file: string): Spec {
  if (!isObject(raw)) throw new SpecError(`${file}: not an OpenAPI document (expected a YAML/JSON object)`);
  if (typeof raw.openapi !== 'string' || !raw.openapi.startsWith('3.1')) {
    throw new SpecError(`${file}: expected "openapi: 3.1.x", found ${JSON.stringify(raw.openapi ?? null)}`);
  }
  if (!isObject(raw.paths)) throw new SpecError(`${file}: the document has no "paths"`);
  const document = dereference(raw, file);
  const schemes = securitySchemes(document);
  const info = isObject(document.info) ? document.info : {};
  const operations: Operation[] = [];
  const seen = new Set<string>();
  for (const [path, pathItemRaw] of Object.entries(document.paths as Json)) {
    const pathItem = isObject(pathItemRaw) ? pathItemRaw : {};
    for (const method of HTTP_METHODS) {
      const op = pathItem[method];
      if (!isObject(op)) continue;
      const where = `${file} ${method.toUpperCase()} ${path}`;
      if (typeof op.operationId !== 'string') throw new SpecError(`${where}: every operation needs an operationId`);
      if (seen.has(op.operationId)) throw new SpecError(`${where}: duplicate operationId "${op.operationId}"`);
      seen.add(op.operationId);
      const body = isObject(op.requestBody) ? op.requestBody : undefined;
      const resource = readResource(op['x-resource'], where);
      operations.push({
        operationId: op.operationId,
        method,
        path,
        ...(typeof op.summary === 'string' ? { summary: op.summary } : {}),
        parameters: parameters(pathItem, op),
        ...(body ? { requestBody: { required: body.required === true, content: mediaTypes(body.content) } } : {}),
        responses: responses(op.responses, where),
        security: security(op.security ?? document.security, schemes, where),
        ...(resource ? { resource } : {}),
      });
    }
  }
  const rateLimit = readRateLimit(document['x-rate-limit'], file);
  return {
    file,
    name: basename(file).replace(/\.(ya?ml|json)$/i, ''),
    title: typeof info.title === 'string' ? info.title : basename(file),
    version: typeof info.version === 'string' ? info.version : '',
    serverUrl: serverUrl(document),
    operations,
    ...(rateLimit ? { rateLimit } : {}),
    document: document as unknown as OpenAPI3,
  };
}

/** Reads and models a spec file; every failure is a SpecError with a one-line reason. */
export async function loadSpec(file: string): Promise<Spec> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new SpecError(
      code === 'ENOENT' ? `spec file not found: ${file}` : `cannot read spec ${file}: ${code ?? String(error)}`,
    );
  }
  let raw: unknown;
  try {
    raw = parse(text, { prettyErrors: false });
  } catch (error) {
    const message = (error as Error).message.split('\n')[0];
    throw new SpecError(`${file}: invalid YAML: ${message}`);
  }
  return buildSpec(raw, file);
}

/** The path of the server URL (`https://api.example.com/api/v2` -> `/api/v2`, `''` for none). */
export function serverBasePath(spec: Spec): string {
  try {
    const path = new URL(spec.serverUrl).pathname.replace(/\/$/, '');
    return path === '/' ? '' : path;
  } catch {
    return '';
  }
}
