/**
 * Prism's HTTP engine embedded in this process. It is used only as the example / dynamic-data
 * generator and `Prefer` scenario selector: requests reach it already authenticated and validated,
 * so its own security and validation passes are switched off (they would run a second time) and its
 * logger is silent (per-request logging halves throughput).
 */
import './prism-startup.js';
import { createHash } from 'node:crypto';
import { transformOas3Operations } from '@stoplight/http-spec/oas3/operation';
import { createInstance, type IHttpConfig, type IHttpRequest } from '@stoplight/prism-http';
import { decycle, isDataKey, memberKey } from '../lib/dereference.js';
import { isObject } from '../lib/json.js';
import { documentedResponse } from '../lib/responses.js';
import type { Operation, ResponseHeader, Spec } from '../lib/spec.js';
import { isCorsHeader } from './cors.js';
import { sampleFrom } from './samples.js';

type PrismLogger = Parameters<typeof createInstance>[1]['logger'];
/** An operation as Prism's request takes it. */
type HttpOperation = Parameters<ReturnType<typeof createInstance>['request']>[1][number];

export interface MockScenario {
  /** Documented status to answer with; Prism picks the lowest 2xx when absent. */
  code?: number;
  /** Name of the documented example; Prism picks the first when absent. */
  exampleKey?: string;
  dynamic: boolean;
}

export interface EngineRequest {
  method: string;
  /** The operation's own path (the spec's path with parameters filled), without prefix or base path. */
  path: string;
  query: Record<string, string | string[]>;
  /** Names in lower case, as Node gives them (a kept answer's key reads `accept`). */
  headers: Record<string, string>;
  body: unknown;
}

export interface EngineResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** Prism refused the scenario (an undocumented `Prefer: code`, an unknown example, no acceptable media type). */
export interface EngineRefusal {
  status: number;
  title: string;
  detail: string;
}

const silentLogger = (() => {
  const noop = (): void => undefined;
  const logger: Record<string, unknown> = {
    info: noop,
    warn: noop,
    error: noop,
    debug: noop,
    trace: noop,
    fatal: noop,
    success: noop,
    level: 'silent',
  };
  logger.child = () => logger;
  return logger as unknown as PrismLogger;
})();

const baseConfig = {
  checkSecurity: false,
  validateRequest: false,
  validateResponse: false,
  errors: false,
  upstreamProxy: undefined,
  isProxy: false,
} as const;

/**
 * Prism's loader reads every `$ref` key as a reference, in example data too: GitHub's SCIM examples
 * hold `$ref: https://api.github.com/...`, which it fetched (and without a network, failed the
 * start). Such keys reach Prism under this name and are named `$ref` again in its answers.
 */
const DATA_REF = '$ref\u2060data';

/** A copy of data with every `$ref` key renamed `to` (and the count of renamed keys). */
function renameRefKeys(value: unknown, from: string, to: string, count: { n: number }): unknown {
  if (Array.isArray(value)) return value.map((item) => renameRefKeys(item, from, to, count));
  if (!isObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    if (key === from) count.n++;
    out[key === from ? to : key] = renameRefKeys(child, from, to, count);
  }
  return out;
}

/** Renames the `$ref` keys inside the document's data (examples, defaults, enums) in place; whether there were any. */
function hideDataRefs(document: Record<string, unknown>): boolean {
  const count = { n: 0 };
  const stack: [Record<string, unknown> | unknown[], string | undefined][] = [[document, undefined]];
  while (stack.length > 0) {
    const [node, parentKey] = stack.pop()!;
    if (Array.isArray(node)) {
      for (const item of node) if (isObject(item) || Array.isArray(item)) stack.push([item, parentKey]);
      continue;
    }
    for (const [key, child] of Object.entries(node)) {
      if (isDataKey(key, child, parentKey)) node[key] = renameRefKeys(child, '$ref', DATA_REF, count);
      else if (isObject(child) || Array.isArray(child)) stack.push([child, memberKey(parentKey, key)]);
    }
  }
  return count.n > 0;
}

/**
 * Prism's operations, by the text of the document they were read from: a process that starts mocks
 * again (tests, `--watch` putting back an earlier version) reads each document once. Prism treats
 * them as read-only (one engine already answers every request from the same objects).
 */
const operationsByDocument = new Map<string, readonly HttpOperation[]>();
const KEPT_DOCUMENTS = 8;

/** A copy with each `$ref` to `#/...` made one to `#/__bundled__/...`, where Prism looks an operation's references up. */
function rebased(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rebased);
  if (!isObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value))
    out[key] =
      key === '$ref' && typeof child === 'string' && child.startsWith('#/')
        ? `#/__bundled__${child.slice(1)}`
        : rebased(child);
  return out;
}

/**
 * What Prism's getHttpOperationsFromSpec does, without its resolver, its decycle and its bundler: the
 * document is ours, already resolved (decycle: each named schema once, `$ref`s to it elsewhere), and
 * Prism's pass copies a schema once per way to reach it (Stripe's, 400 schemas reaching one another,
 * ran out of memory). Every operation carries the one rebased document its `$ref`s name, where
 * Prism's samplers look them up (`__bundled__`).
 */
function readOperations(document: Record<string, unknown>): HttpOperation[] {
  const bundle = rebased(document);
  return transformOas3Operations(document as unknown as Parameters<typeof transformOas3Operations>[0]).map(
    (operation) => {
      const own = rebased(operation);
      withoutFormatBounds(own);
      return { ...(own as HttpOperation), __bundled__: bundle };
    },
  );
}

/** The numeric formats whose whole range http-spec writes into a schema as its `minimum` and `maximum`. */
const RANGED_FORMATS = new Set(['int32', 'int64', 'float', 'double']);

/**
 * Takes out the bounds a numeric format only implies. Prism's static sampler answers a number's
 * `minimum`, so a count documented `format: int32` without an example was -2147483648 (int64:
 * -9007199254740991), a value no client expects where a plain integer gets 0. The bounds the document
 * states (http-spec keeps their names in `x-stoplight.explicitProperties`) stay; the mock's own
 * validation still holds every answer to the format's range.
 */
function withoutFormatBounds(value: unknown): void {
  if (Array.isArray(value)) {
    for (const item of value) withoutFormatBounds(item);
    return;
  }
  if (!isObject(value)) return;
  const marks = value['x-stoplight'];
  const stated = isObject(marks) && Array.isArray(marks.explicitProperties) ? marks.explicitProperties : undefined;
  if (stated && typeof value.format === 'string' && RANGED_FORMATS.has(value.format)) {
    for (const bound of ['minimum', 'maximum']) if (!stated.includes(bound)) delete value[bound];
  }
  for (const child of Object.values(value)) withoutFormatBounds(child);
}

function operationsOf(document: Record<string, unknown>): readonly HttpOperation[] {
  const key = createHash('sha256').update(JSON.stringify(document)).digest('hex');
  let operations = operationsByDocument.get(key);
  if (!operations) {
    operations = readOperations(document);
    if (operationsByDocument.size >= KEPT_DOCUMENTS)
      operationsByDocument.delete(operationsByDocument.keys().next().value!);
  }
  // Most recently used last, so the oldest is the one let go.
  operationsByDocument.delete(key);
  operationsByDocument.set(key, operations);
  return operations;
}

/** Static answers kept per engine (operations x documented statuses x examples x Accept values sent); the oldest go. */
const KEPT_ANSWERS = 512;

const copyOf = (response: EngineResponse): EngineResponse => ({
  status: response.status,
  headers: { ...response.headers },
  body: structuredClone(response.body),
});

/** A header value as sent: scalars as text, a list of them comma-separated (`simple` style); else none. */
function headerText(value: unknown): string | undefined {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((v) => ['string', 'number', 'boolean'].includes(typeof v))
  )
    return value.join(',');
  return undefined;
}

/** Whether the spec states the header's value (an example, a const, a default, one allowed value), not only its type. */
function hasStatedValue(header: ResponseHeader | undefined): boolean {
  if (!header) return false;
  const schema = header.schema ?? {};
  return (
    header.example !== undefined ||
    schema.example !== undefined ||
    (schema.examples?.length ?? 0) > 0 ||
    schema.const !== undefined ||
    schema.default !== undefined ||
    schema.enum?.length === 1
  );
}

/**
 * Prism's headers as they are sent. Prism has no value for some documented headers (`null` for a
 * boolean without an example): one is made from the header's schema, or the header is left out;
 * "null" is never sent. The mock's CORS headers are the ones a browser needs: a documented one
 * replaces them only with a value the spec states, never with a placeholder.
 */
function sentHeaders(
  operation: Operation | undefined,
  status: number,
  headers: Readonly<Record<string, unknown>>,
): Record<string, string> {
  const documented = operation ? documentedResponse(operation, status)?.headers : undefined;
  const sent: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const key = name.toLowerCase();
    const header = documented?.find((h) => h.name.toLowerCase() === key);
    if (isCorsHeader(key) && !hasStatedValue(header)) continue;
    const text = headerText(value) ?? (header?.schema ? headerText(sampleFrom(header.schema, status)) : undefined);
    if (text !== undefined) sent[key] = text;
  }
  return sent;
}

export class PrismEngine {
  private readonly prism = createInstance({ ...baseConfig, mock: { dynamic: false } }, { logger: silentLogger });
  /**
   * Prism's static answers. Without dynamic data, what Prism makes depends only on the operation, the
   * chosen status and example, and the Accept header (it neither validates nor reads the request
   * here, and is handed the operation's own path), so each is made once, and every caller gets a
   * copy: Prism's pass was a fifth of the mock's time per request. Callbacks are sent per request,
   * with the request's values, so an operation with any is always handed to Prism as it came.
   */
  private readonly answers = new Map<string, EngineResponse>();

  private constructor(
    private readonly operations: Map<string, HttpOperation>,
    private readonly model: Map<string, Operation>,
    /** Whether the document's data had `$ref` keys, renamed for Prism (DATA_REF). */
    private readonly dataRefs: boolean,
  ) {}

  /**
   * Hands Prism the document our loader already read, upgraded and dereferenced (so both agree on
   * every `$ref`), with the operationIds the model uses; operations are keyed by operationId.
   */
  static async load(spec: Spec): Promise<PrismEngine> {
    const document = decycle(spec.document as unknown as Record<string, unknown>, spec.origins);
    for (const operation of spec.operations) {
      const paths = document.paths;
      const pathItem = isObject(paths) ? paths[operation.path] : undefined;
      const target = isObject(pathItem) ? pathItem[operation.method] : undefined;
      if (isObject(target)) target.operationId = operation.operationId;
    }
    const dataRefs = hideDataRefs(document);
    const operations = operationsOf(document);
    return new PrismEngine(
      new Map(operations.map((op) => [op.iid ?? op.id, op])),
      new Map(spec.operations.map((op) => [op.operationId, op])),
      dataRefs,
    );
  }

  async respond(
    operationId: string,
    request: EngineRequest,
    scenario: MockScenario,
  ): Promise<EngineResponse | EngineRefusal> {
    const operation = this.operations.get(operationId);
    if (!operation)
      return { status: 500, title: 'Internal Server Error', detail: `Prism did not load operation ${operationId}` };
    const callbacks = (operation.callbacks?.length ?? 0) > 0;
    const key =
      scenario.dynamic || callbacks
        ? undefined
        : [operationId, scenario.code ?? '', scenario.exampleKey ?? '', request.headers.accept ?? ''].join('\n');
    const kept = key === undefined ? undefined : this.answers.get(key);
    if (kept) return copyOf(kept);
    const input: IHttpRequest = {
      method: request.method as IHttpRequest['method'],
      // Our router already chose the operation (a trailing slash included, which Prism's refuses):
      // its own template always matches it. Callbacks may read the request's path, so they get it.
      url: { path: callbacks ? request.path : operation.path, query: request.query },
      headers: request.headers,
      body: request.body,
    };
    const config: IHttpConfig = {
      ...baseConfig,
      mock: {
        dynamic: scenario.dynamic,
        ...(scenario.code !== undefined ? { code: scenario.code } : {}),
        ...(scenario.exampleKey !== undefined ? { exampleKey: scenario.exampleKey } : {}),
      },
    };
    // Only the one operation already matched is offered, so Prism's router has nothing to search.
    const result = await this.prism.request(input, [operation], config)();
    if (result._tag === 'Left') {
      const error = result.left as Error & { status?: number; detail?: string };
      // An unknown example of a named code comes back as a plain Error whose message starts with
      // Prism's NOT_FOUND type: it is the same client mistake as an unknown example alone (404).
      const notFound = error.status === undefined && /^https:\/\/\S*#NOT_FOUND\b/.test(error.message);
      // Prism's generator has no value for some schemas (`prefixItems`: "missing items"): the static answer.
      if (scenario.dynamic && !notFound && (error.status ?? 500) >= 500)
        return this.respond(operationId, request, { ...scenario, dynamic: false });
      const detail = error.detail || error.message || 'Prism could not produce this scenario';
      return {
        status: error.status ?? (notFound ? 404 : 500),
        title: notFound
          ? 'NOT FOUND'
          : error.name.startsWith('https://')
            ? error.name.replace(/^.*#/, '').replace(/_/g, ' ')
            : error.name,
        detail:
          notFound && scenario.exampleKey !== undefined
            ? `the documented ${scenario.code ?? ''} response has no example named "${scenario.exampleKey}"`
            : detail,
      };
    }
    const { output } = result.right;
    const headers = sentHeaders(this.model.get(operationId), output.statusCode, output.headers ?? {});
    const body = this.dataRefs ? renameRefKeys(output.body, DATA_REF, '$ref', { n: 0 }) : output.body;
    const response = { status: output.statusCode, headers, body };
    if (key === undefined) return response;
    // Prism's static body is its operation's own example object, shared by every engine of the document.
    const made = copyOf(response);
    // The oldest goes: Accept is the client's to choose, and new values must not stop keeping answers.
    if (this.answers.size >= KEPT_ANSWERS) this.answers.delete(this.answers.keys().next().value!);
    this.answers.set(key, made);
    return copyOf(made);
  }
}

export function isRefusal(value: EngineResponse | EngineRefusal): value is EngineRefusal {
  return 'title' in value;
}
