/**
 * A small, conformant implementation of each of the four specs, on 127.0.0.1 and a free port. It is
 * the "known good" target of the conformance runner: the runner must find nothing wrong with it, and
 * every faulty variant (faulty-servers.ts) is this server with one behaviour overridden. It keeps
 * state across requests as each vendor does (what a create stores, a list pages and filters, a read
 * returns, an update or a JSON Patch changes and a delete removes), written per vendor from its
 * documentation in reference/ — independently of the mock, which serves any spec from its
 * declarations.
 *
 * Two modes. By default it is what the vendor very likely is: every rule of the spec is enforced,
 * the inferred ones (`x-inferred`) included. With `documentedOnly` it does exactly what the vendors
 * document and nothing more: requests are validated with the documented rule set only (an inferred
 * bound or required mark is not enforced, a body the vendor leaves optional may be left out, a
 * property only we call read-only is writable), read-only properties are ignored, a response whose
 * body only we assume is sent without one, and a header only we call required is not sent.
 *
 * Each request goes through the same pipeline, and each stage is a named behaviour a fault can
 * replace: authenticate -> rateLimit -> requiredHeaders -> pathParameters -> queryParameters ->
 * parseBody -> bodyErrors -> validateBody -> the vendor's operation (store, merge, duplicates,
 * not found) -> finish. Every reply is checked against the spec (under the mode's rules) before it
 * is sent; a reply that does not conform is recorded in `violations` (the reference server must end
 * every test with none).
 */

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { formatAjvErrors } from '../../lib/ajv-errors.js';
import type { JsonSchema } from '../../lib/json-schema.js';
import { documentedResponse } from '../../lib/responses.js';
import { flatten, mainType } from '../../lib/schema.js';
import { type Operation, type Response, type Spec, serverBasePath } from '../../lib/spec.js';
import type { RuleSet } from '../../lib/validator.js';
import { coerceText, readParameter } from '../../lib/wire.js';
import { bigchange, newBigChangeStore } from './reference/bigchange.js';
import {
  type BehaviourName,
  type Behaviours,
  type Exchange,
  type Fault,
  header,
  isObject,
  type ParameterProblem,
  parameterValid,
  type RateLimitOptions,
  type Reply,
  type Rules,
  requestSchema,
  type ServerState,
  type SpecKey,
  type StoredRecord,
  satisfies,
  specFor,
  underRules,
  type Vendor,
  validators,
  writable,
} from './reference/core.js';
import { easify, newEasifyStore } from './reference/easify.js';
import { eightByEight, newEightByEightStore } from './reference/eight-by-eight.js';
import { eloqua, newEloquaStore } from './reference/eloqua.js';

export { bigchangeProblem, bigchangeValidation } from './reference/bigchange.js';
export type {
  BehaviourName,
  Behaviours,
  Clock,
  Exchange,
  Fault,
  ParameterProblem,
  RateLimitOptions,
  Reply,
  Rules,
  ServerState,
  SpecKey,
  StoredRecord,
} from './reference/core.js';
export { hasNonAscii, REPO_ROOT, SPEC_FILES, SPEC_KEYS, specFor } from './reference/core.js';
export { DEFAULT_GROUP_ID, easifyError, easifyValidation } from './reference/easify.js';
export { eightByEightError } from './reference/eight-by-eight.js';
export { eloquaMessage, eloquaValidation } from './reference/eloqua.js';

const VENDORS: Record<SpecKey, Vendor> = { bigchange, '8x8': eightByEight, eloqua, easify };

export interface LogEntry {
  method: string;
  /** The URL's path, with the base path and without the query. */
  path: string;
  /** The raw query string, when the request had one. */
  query?: string;
  /** The operation the request was routed to (none for a path no operation has). */
  operationId?: string;
  status: number;
  authorization?: string;
}

export interface RunningServer {
  key: SpecKey;
  /** What to pass as `--base-url`: origin plus the path of the spec's server URL. */
  baseUrl: string;
  origin: string;
  /** Requests received so far (any path, any method). */
  readonly requestCount: number;
  /** Replies that did not conform to the spec (status, content type, headers or body). */
  readonly violations: string[];
  /** Every request seen: method, path (with base path) and query, the operation it reached, status replied. */
  readonly log: LogEntry[];
  state: ServerState;
  /** Every record the server holds now, by collection and id (seeded ones included). */
  records(): StoredRecord[];
  close(): Promise<void>;
}

export interface ServerOptions {
  faults?: Fault[];
  /** Rate limit per credential (Easify). Default: the spec's x-rate-limit; false disables it. */
  rateLimit?: RateLimitOptions | false;
  /** The time the rate limiter and the dates in answers read (default `Date.now`). */
  clock?: () => number;
  /** Enforce and produce only what the vendors document (see the module comment). */
  documentedOnly?: boolean;
}

// ---------------------------------------------------------------------------------------------
// The reference behaviours: what every vendor does, in its own words
// ---------------------------------------------------------------------------------------------

const authenticate: Behaviours['authenticate'] = (ex, server) => VENDORS[ex.spec].authenticate(ex, server);

/**
 * A sliding window per credential: a request is accepted while fewer than `limit` accepted requests
 * started in the last `periodMs`; throttled requests do not count (Laravel checks before it hits).
 */
const rateLimit: Behaviours['rateLimit'] = (ex, server) => {
  const throttled = VENDORS[ex.spec].throttled;
  if (!server.spec.rateLimit || server.rateLimit === false || !throttled) return undefined;
  const { limit, periodMs } = server.rateLimit;
  const key = server.spec.rateLimit.scope === 'credential' ? (header(ex, 'authorization') ?? '') : '';
  const now = server.clock();
  const accepted = (server.windows.get(key) ?? []).filter((t) => now - t < periodMs);
  server.windows.set(key, accepted);
  const over = accepted.length >= limit;
  if (!over) accepted.push(now);
  ex.limitHeaders = { 'X-RateLimit-Limit': limit, 'X-RateLimit-Remaining': Math.max(0, limit - accepted.length) };
  if (!over) return undefined;
  const retryAfter = Math.max(1, Math.ceil((accepted[0]! + periodMs - now) / 1000));
  const template = server.spec.rateLimit.message ?? 'Too many requests. Try again in {retryAfter} seconds';
  const reply = throttled(template.replace('{retryAfter}', String(retryAfter)));
  reply.headers = { 'Retry-After': retryAfter, ...ex.limitHeaders };
  return reply;
};

const requiredHeaders: Behaviours['requiredHeaders'] = (ex, server) => {
  for (const parameter of ex.operation.parameters) {
    if (parameter.in !== 'header' || !parameter.required) continue;
    const value = header(ex, parameter.name);
    if (value !== undefined && parameterValid(value, parameter.schema, server)) continue;
    return VENDORS[ex.spec].parameterProblem(ex, server, [{ parameter, raw: value }]);
  }
  return undefined;
};

const pathParameters: Behaviours['pathParameters'] = (ex, server) => {
  for (const parameter of ex.operation.parameters) {
    if (parameter.in !== 'path') continue;
    const raw = ex.pathParams[parameter.name] ?? '';
    if (parameterValid(raw, parameter.schema, server)) continue;
    return VENDORS[ex.spec].parameterProblem(ex, server, [{ parameter, raw }]);
  }
  return undefined;
};

const queryParameters: Behaviours['queryParameters'] = (ex, server) => {
  const texts = new URLSearchParams(ex.rawQuery);
  const problems: ParameterProblem[] = [];
  for (const parameter of ex.operation.parameters) {
    if (parameter.in !== 'query') continue;
    const read = readParameter(parameter, { query: ex.rawQuery });
    if (!read.present) {
      if (parameter.required) problems.push({ parameter, raw: undefined });
      continue;
    }
    if (validators.get(parameter.schema, server.ruleSet)(read.value)) ex.query[parameter.name] = read.value;
    else problems.push({ parameter, raw: texts.getAll(parameter.name).join(',') });
  }
  return problems.length > 0 ? VENDORS[ex.spec].parameterProblem(ex, server, problems) : undefined;
};

const isJsonMediaType = (value: string | undefined): boolean => {
  if (!value) return false;
  const media = value.split(';')[0]!.trim().toLowerCase();
  return media === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(media);
};

/** What a body left out is: no properties, or (for a JSON Patch) no operations. */
const nothing = (schema: JsonSchema): unknown => (mainType(flatten(schema)) === 'array' ? [] : {});

const parseBody: Behaviours['parseBody'] = (ex, server) => {
  const body = ex.operation.requestBody;
  const schema = requestSchema(ex.operation);
  if (!body || !schema) return undefined;
  const text = ex.rawBody.toString('utf8');
  // A body the vendor does not require may be left out: it is then nothing at all.
  const optional = !body.required || (server.ruleSet === 'documented' && body.inferred?.required !== undefined);
  if (text.trim() === '' && optional) {
    ex.body = nothing(schema);
    return undefined;
  }
  const vendor = VENDORS[ex.spec];
  if (!isJsonMediaType(header(ex, 'content-type'))) {
    const type = header(ex, 'content-type') ?? '';
    return vendor.bodyProblem(ex, server, `Unsupported content type '${type}': send application/json.`);
  }
  if (text.trim() === '') return vendor.bodyProblem(ex, server, 'A non-empty request body is required.');
  try {
    ex.body = JSON.parse(text) as unknown;
  } catch {
    return vendor.bodyProblem(ex, server, 'The request body is not valid JSON.');
  }
  return undefined;
};

const bodyErrors: Behaviours['bodyErrors'] = (ex, server) => {
  const schema = requestSchema(ex.operation);
  return schema && ex.body !== undefined ? satisfies(server, schema, ex.body) : [];
};

const validateBody: Behaviours['validateBody'] = (ex, server, errors) =>
  errors.length === 0 ? undefined : VENDORS[ex.spec].validation(ex, server, errors);

const handle: Behaviours['handle'] = (ex, server) => {
  const schema = requestSchema(ex.operation);
  // A server ignores what a client may not set.
  if (schema && isObject(ex.body)) ex.body = writable(ex.body, underRules(server, schema));
  const operation = VENDORS[ex.spec].operations[ex.operation.operationId];
  if (!operation) throw new Error(`${ex.spec}: no handler for ${ex.operation.operationId}`);
  return operation(ex, server);
};

const finish: Behaviours['finish'] = (reply, ex) => {
  const limitHeaders = ex.limitHeaders;
  if (limitHeaders && (reply.status === 200 || reply.status === 429))
    reply.headers = { ...limitHeaders, ...reply.headers };
  return reply;
};

const REFERENCE: Behaviours = {
  authenticate,
  rateLimit,
  requiredHeaders,
  pathParameters,
  queryParameters,
  parseBody,
  bodyErrors,
  validateBody,
  handle,
  finish,
};

const DEFAULT_RULES: Record<SpecKey, Rules> = {
  bigchange: { merge: 'reference', uniqueNames: false },
  '8x8': { merge: 'reference', uniqueNames: true },
  eloqua: { merge: 'reference', uniqueNames: true },
  easify: { merge: 'reference', uniqueNames: true },
};

function compose(faults: Fault[]): Behaviours {
  const behaviours: Behaviours = { ...REFERENCE };
  for (const fault of faults) {
    for (const [name, override] of Object.entries(fault.overrides ?? {}) as [
      BehaviourName,
      (next: unknown, ...args: unknown[]) => unknown,
    ][]) {
      const next = behaviours[name] as (...args: unknown[]) => unknown;
      (behaviours as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => override(next, ...args);
    }
  }
  return behaviours;
}

// ---------------------------------------------------------------------------------------------
// What the vendor documents of a reply (documented-only mode)
// ---------------------------------------------------------------------------------------------

/** The response a reply is checked against: under documented rules a body only we assume is not there. */
function documentedReply(op: Operation, status: number, rules: RuleSet): Response | undefined {
  const response = documentedResponse(op, status);
  if (!response || rules === 'all' || response.inferred?.content === undefined) return response;
  return { ...response, content: [] };
}

/** Whether only our assumption makes a response header required (its `required` is marked). */
function assumedRequired(spec: Spec, response: Response, name: string): boolean {
  const site = response.headers.find((h) => h.name === name);
  if (!site?.required) return false;
  const marks = headerMarks(spec, response, name);
  return marks?.required !== undefined;
}

/** The `x-inferred` of a documented response header, read where the header is written ($ref followed). */
function headerMarks(spec: Spec, response: Response, name: string): Record<string, string> | undefined {
  let node: unknown = spec.document;
  for (const token of response.pointer.split('/').slice(1)) {
    node = isObject(node) ? node[token.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined;
  }
  const headers = isObject(node) && isObject(node.headers) ? node.headers : undefined;
  const found = headers?.[name];
  return isObject(found) && isObject(found['x-inferred']) ? (found['x-inferred'] as Record<string, string>) : undefined;
}

/** The reply as a documented-only server sends it: no body the vendor does not document, no header only we require. */
function asDocumented(spec: Spec, op: Operation, reply: Reply): Reply {
  const response = documentedResponse(op, reply.status);
  if (!response) return reply;
  let out = reply;
  if (response.inferred?.content !== undefined) {
    const { body: _body, raw: _raw, contentType: _type, ...rest } = out;
    out = rest;
  } else if (response.inferred?.mediaType !== undefined && (out.body !== undefined || out.raw !== undefined)) {
    // The vendor shows the body, not its media type: JSON as plain JSON.
    out = { ...out, contentType: 'application/json' };
  }
  const dropped = Object.keys(out.headers ?? {}).filter((name) => assumedRequired(spec, response, name));
  if (dropped.length > 0)
    out = {
      ...out,
      headers: Object.fromEntries(Object.entries(out.headers ?? {}).filter(([n]) => !dropped.includes(n))),
    };
  return out;
}

// ---------------------------------------------------------------------------------------------
// Conformance of the replies (the reference server checks itself)
// ---------------------------------------------------------------------------------------------

function checkReply(
  server: ServerState,
  op: Operation,
  reply: Reply,
  contentType: string | undefined,
  bodyText: string,
): string[] {
  const { spec, ruleSet } = server;
  const problems: string[] = [];
  const where = `${op.operationId} ${reply.status}`;
  const response = documentedReply(op, reply.status, ruleSet);
  if (!response) return [`${where}: status not documented`];
  for (const h of response.headers) {
    const required = h.required && !(ruleSet === 'documented' && assumedRequired(spec, response, h.name));
    const sent = Object.entries(reply.headers ?? {}).find(([k]) => k.toLowerCase() === h.name.toLowerCase());
    if (!sent) {
      if (required) problems.push(`${where}: required header ${h.name} missing`);
      continue;
    }
    if (h.schema && !validators.get(h.schema, ruleSet)(coerceText(String(sent[1]), h.schema)))
      problems.push(`${where}: header ${h.name} ${String(sent[1])} invalid`);
  }
  if (response.content.length === 0) {
    if (bodyText !== '') problems.push(`${where}: a body where none is documented`);
    return problems;
  }
  const media = contentType?.split(';')[0]?.trim().toLowerCase();
  const documented =
    response.content.find((m) => m.mediaType === media) ??
    (ruleSet === 'documented' && response.inferred?.mediaType !== undefined ? response.content[0] : undefined);
  if (!documented) return [...problems, `${where}: content type ${contentType ?? '(none)'} not documented`];
  if (documented.schema) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(bodyText);
    } catch {
      return [...problems, `${where}: body is not JSON`];
    }
    const validate = validators.get(documented.schema, ruleSet);
    if (!validate(parsed)) problems.push(`${where}: ${formatAjvErrors(validate.errors).join(', ')}`);
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// The server
// ---------------------------------------------------------------------------------------------

const patterns = new WeakMap<Operation, { regex: RegExp; names: string[] }>();

/** The operation's path template as a regular expression and its parameter names, made once per operation. */
function pathPattern(op: Operation): { regex: RegExp; names: string[] } {
  let found = patterns.get(op);
  if (!found) {
    const names: string[] = [];
    const pattern = op.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{([^}]+)\\?\}/g, (_, name: string) => {
      names.push(name);
      return '([^/]*)';
    });
    found = { regex: new RegExp(`^${pattern}$`), names };
    patterns.set(op, found);
  }
  return found;
}

function route(
  spec: Spec,
  basePath: string,
  method: string,
  url: string,
): { operation: Operation; path: string; params: Record<string, string> } | undefined {
  const pathname = url.split('?')[0] ?? '';
  if (!pathname.startsWith(basePath)) return undefined;
  const path = pathname.slice(basePath.length);
  for (const op of spec.operations) {
    if (op.method !== method.toLowerCase()) continue;
    const { regex, names } = pathPattern(op);
    const match = regex.exec(path);
    if (!match) continue;
    const params: Record<string, string> = {};
    names.forEach((name, i) => {
      let value = match[i + 1] ?? '';
      try {
        value = decodeURIComponent(value);
      } catch {
        /* keep it raw: the parameter check rejects it */
      }
      params[name] = value;
    });
    return { operation: op, path, params };
  }
  return undefined;
}

/** A request URL as the log keeps it: its path, and its query apart. */
function where(url: string): { path: string; query?: string } {
  const at = url.indexOf('?');
  return at < 0 ? { path: url } : { path: url.slice(0, at), query: url.slice(at + 1) };
}

function readBody(req: IncomingMessage, limit = 25 * 1024 * 1024): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, reply: Reply): { contentType: string | undefined; text: string } {
  let text = '';
  let payload: string | Buffer | undefined;
  if (reply.raw !== undefined) payload = reply.raw;
  else if (reply.body !== undefined) payload = JSON.stringify(reply.body);
  const headers: Record<string, string | number> = { ...reply.headers };
  let contentType: string | undefined;
  if (payload !== undefined) {
    contentType = reply.contentType ?? 'application/json';
    headers['Content-Type'] = contentType;
    headers['Content-Length'] = Buffer.byteLength(payload);
    text = payload.toString();
  }
  res.writeHead(reply.status, headers);
  res.end(payload);
  return { contentType, text };
}

export async function startReferenceServer(key: SpecKey, options: ServerOptions = {}): Promise<RunningServer> {
  const spec = await specFor(key);
  const faults = options.faults ?? [];
  const behaviours = compose(faults);
  const rules: Rules = { ...DEFAULT_RULES[key] };
  for (const fault of faults) Object.assign(rules, fault.rules ?? {});
  const basePath = serverBasePath(spec);
  const clock = options.clock ?? Date.now;
  const state: ServerState = {
    spec,
    key,
    rules,
    ruleSet: options.documentedOnly ? 'documented' : 'all',
    rateLimit:
      options.rateLimit !== undefined
        ? options.rateLimit
        : spec.rateLimit
          ? { limit: spec.rateLimit.limit, periodMs: spec.rateLimit.period * 1000 }
          : false,
    clock,
    basePath,
    bigchange: newBigChangeStore(),
    eightByEight: newEightByEightStore(),
    eloqua: newEloquaStore(),
    easify: newEasifyStore(clock()),
    windows: new Map(),
    events: [],
  };
  const violations: string[] = [];
  const log: LogEntry[] = [];
  let requestCount = 0;
  const sockets = new Set<Socket>();

  const server = createServer((req, res) => {
    requestCount += 1;
    const index = requestCount;
    void (async () => {
      const rawBody = await readBody(req);
      const method = req.method ?? 'GET';
      const url = req.url ?? '/';
      const found = route(spec, basePath, method, url);
      if (!found) {
        log.push({ method, ...where(url), status: 404 });
        res.writeHead(404, { 'Content-Type': 'text/plain' });
        res.end('no such route');
        return;
      }
      const ex: Exchange = {
        spec: key,
        operation: found.operation,
        method,
        path: found.path,
        pathParams: found.params,
        rawQuery: url.includes('?') ? url.slice(url.indexOf('?') + 1) : '',
        query: {},
        headers: req.headers,
        rawBody,
        index,
      };
      for (const fault of faults) {
        if (fault.socket?.(req, res, ex)) {
          log.push({ method, ...where(url), operationId: found.operation.operationId, status: -1 });
          return;
        }
      }
      const reply =
        behaviours.authenticate(ex, state) ??
        behaviours.rateLimit(ex, state) ??
        behaviours.requiredHeaders(ex, state) ??
        behaviours.pathParameters(ex, state) ??
        behaviours.queryParameters(ex, state) ??
        behaviours.parseBody(ex, state) ??
        behaviours.validateBody(ex, state, behaviours.bodyErrors(ex, state)) ??
        behaviours.handle(ex, state);
      const finished = behaviours.finish(reply, ex, state);
      const final = options.documentedOnly ? asDocumented(spec, found.operation, finished) : finished;
      const sent = send(res, final);
      log.push({
        method,
        ...where(url),
        operationId: found.operation.operationId,
        status: final.status,
        ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
      });
      for (const problem of checkReply(state, found.operation, final, sent.contentType, sent.text))
        violations.push(problem);
    })().catch((error: unknown) => {
      violations.push(`server error: ${(error as Error).stack ?? String(error)}`);
      if (!res.headersSent) {
        res.writeHead(500, { 'Content-Type': 'text/plain' });
        res.end('reference server crashed');
      } else res.destroy();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  // A request with a malformed URL or headers: answer 400 rather than leave the runner hanging.
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
  });
  // As the mock does: on a loaded machine a runner in the same process may reuse a connection just as
  // Node's 5 s idle timeout closes it, a reset no conformant server's client should have to explain.
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    key,
    origin,
    baseUrl: `${origin}${basePath}`,
    get requestCount() {
      return requestCount;
    },
    violations,
    log,
    state,
    records: () => VENDORS[key].records(state),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
