/**
 * `startMock`: every spec of a directory served from one HTTP server, each under its own prefix,
 * with `/__mock/reset` and `/__mock/state` to control and inspect the in-memory state.
 */

import { readdir } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join, resolve } from 'node:path';
import { XMLBuilder } from 'fast-xml-parser';
import { frameEvents, isEventStream } from '../lib/event-stream.js';
import { isJsonMediaType, isXmlMediaType } from '../lib/media-type.js';
import { PACKAGE_ROOT } from '../lib/package-root.js';
import { problem } from '../lib/problem.js';
import { isBodiless } from '../lib/responses.js';
import { loadSpec, type Spec } from '../lib/spec.js';
import { ValidatorCache } from '../lib/validator.js';
import { buildApi, type MockApi, type RateLimitOverride } from './api.js';
import { corsHeaders, preflight } from './cors.js';
import { docsReply } from './docs.js';
import { type HandlerOptions, handleOperation } from './handler.js';
import { readBody } from './http-body.js';
import type { Reply } from './responses.js';
import { matchRoute } from './router.js';
import type { Clock } from './state/rate-limit.js';
import { warmValidators } from './warm.js';
import { carryState, type ReloadEvent, type SpecWatcher, type WatchOptions, watchSpecFiles } from './watch.js';

export type { RateLimitOverride } from './api.js';
export type { ReloadEvent, WatchOptions } from './watch.js';

export interface MockOptions {
  /** Default 4010; 0 picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** No state: every request is answered from the spec alone, as bare Prism does. */
  stateless?: boolean;
  /** Generated data instead of the documented examples (Prism's dynamic mode). */
  dynamic?: boolean;
  /** Directory of the OpenAPI files; default the project's `specs/`. */
  specsDir?: string;
  /** The OpenAPI files themselves (instead of a directory): each one's first file-name word is its prefix. */
  specFiles?: readonly string[];
  rateLimit?: RateLimitOverride;
  /** Serve only what the vendors document: no `x-inferred` rule enforced, no body they document none for. */
  documentedOnly?: boolean;
  /** The clock (milliseconds) of the rate limits and the records' timestamps; tests inject one. */
  clock?: Clock;
  /** Reload a spec when its file changes (mocks/watch.ts says what happens to state). */
  watch?: boolean | WatchOptions;
  /**
   * Compile the validators once listening, before the first requests need them (mocks/warm.ts): the
   * CLI does; a process that starts many short-lived mocks (tests) need not.
   */
  warm?: boolean;
}

export interface MockedApi {
  /** The prefix, e.g. `easify`. */
  name: string;
  specFile: string;
  baseUrl: string;
}

/** What one API holds in memory. */
export interface ApiStats {
  /** Records stored, in all of the API's collections (seeded ones included). */
  records: number;
  /** Rate-limit windows held: one per credential heard from within the period; 0 without a limit. */
  rateLimitWindows: number;
}

export interface RunningMock {
  url: string;
  apis: MockedApi[];
  /** Per API prefix, what it holds now (expired rate-limit windows dropped first): for soak runs and tests. */
  stats(): Record<string, ApiStats>;
  close(): Promise<void>;
}

/** A failure to start (port taken, no specs) with a message fit for one line on a terminal. */
export class MockStartError extends Error {
  override name = 'MockStartError';
}

export const DEFAULT_SPECS_DIR = join(PACKAGE_ROOT, 'specs');

async function specFiles(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    throw new MockStartError(`cannot read the specs directory ${dir}`);
  }
  const files = names
    .filter((n) => /\.(ya?ml|json)$/i.test(n))
    .sort()
    .map((n) => join(dir, n));
  if (files.length === 0) throw new MockStartError(`no OpenAPI files (*.yaml, *.yml, *.json) in ${dir}`);
  return files;
}

/**
 * Headers that frame the message or encode its body: Node writes the framing for the body it sends, and
 * the body is never compressed. A value a spec documents (`Transfer-Encoding` with a string schema)
 * would leave the client waiting for a body that never ends, or decoding one that is not encoded.
 */
const FRAMING = new Set([
  'connection',
  'content-encoding',
  'content-length',
  'keep-alive',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/** As Prism's own server writes a structured body under an XML media type: the value inside an `<xml>` root. */
const xmlBuilder = new XMLBuilder({});

function send(response: ServerResponse, documented: Reply): void {
  // An informational status hands the connection to another protocol (101) or promises a final
  // answer (100, 103): the mock has neither to give, and a bare one leaves the client waiting.
  const reply =
    documented.status < 200
      ? problem(
          501,
          'Not mockable',
          `the documented ${documented.status} answer switches protocols or promises another answer, which the mock cannot give`,
        )
      : documented;
  const headers = Object.fromEntries(
    Object.entries(reply.headers).filter(([name]) => !FRAMING.has(name.toLowerCase())),
  );
  let payload: string | undefined;
  if (reply.body !== undefined && !isBodiless(reply.status)) {
    const type = headers['content-type'] ?? 'application/json';
    headers['content-type'] = type;
    if (isEventStream(type)) payload = frameEvents(reply.body);
    else if (typeof reply.body === 'string' && !isJsonMediaType(type)) payload = reply.body;
    else if (isXmlMediaType(type)) payload = xmlBuilder.build({ xml: reply.body }) as string;
    else payload = JSON.stringify(reply.body);
  } else {
    delete headers['content-type'];
  }
  // Its length known, the body goes out in one piece behind the headers, not in chunks.
  if (payload !== undefined) headers['content-length'] = String(Buffer.byteLength(payload));
  response.writeHead(reply.status, headers);
  response.end(payload);
}

function control(apis: readonly MockApi[], method: string, path: string): Reply {
  if (path === '/__mock/reset' && method === 'post') {
    for (const api of apis) {
      api.store.reset();
      api.rateLimit?.limiter.reset();
    }
    return { status: 204, headers: {} };
  }
  if (path === '/__mock/state' && method === 'get') {
    return {
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: Object.fromEntries(apis.map((api) => [api.prefix, api.store.snapshot()])),
    };
  }
  return problem(404, 'Not Found', 'The mock control endpoints are POST /__mock/reset and GET /__mock/state');
}

/**
 * The request target as sent: the path is routed exactly as written, never normalised, so that no
 * `..` can climb from an API's path to the mock's own endpoints.
 */
function parseTarget(raw: string): { path: string; rawQuery: string; query: URLSearchParams } | string {
  if (!raw.startsWith('/')) return 'The request target must be a path (origin-form)';
  const hash = raw.indexOf('#');
  const withoutFragment = hash === -1 ? raw : raw.slice(0, hash);
  const question = withoutFragment.indexOf('?');
  const path = question === -1 ? withoutFragment : withoutFragment.slice(0, question);
  const query = question === -1 ? '' : withoutFragment.slice(question + 1);
  const segments = path.split('/').map((segment) => {
    try {
      return decodeURIComponent(segment);
    } catch {
      return segment;
    }
  });
  if (segments.some((segment) => segment === '.' || segment === '..')) {
    return 'The request path must not contain "." or ".." segments';
  }
  return { path, rawQuery: query, query: new URLSearchParams(query) };
}

async function route(
  apis: ReadonlyMap<string, MockApi>,
  request: IncomingMessage,
  options: HandlerOptions,
): Promise<Reply> {
  const method = (request.method ?? 'GET').toLowerCase();
  // The body is always read in full, so that the connection can be reused whatever the answer.
  const body = await readBody(request);
  const target = parseTarget(request.url ?? '/');
  if (typeof target === 'string') return problem(400, 'Bad Request', target);
  const corsPreflight = preflight(method, request.headers);
  if (corsPreflight) return corsPreflight;
  const docs = docsReply(apis.values(), method, target.path, request.headers.host);
  if (docs) return docs;
  if (target.path.startsWith('/__mock/')) return control([...apis.values()], method, target.path);
  const [, prefix = '', ...rest] = target.path.split('/');
  const api = apis.get(prefix.toLowerCase());
  if (!api)
    return problem(
      404,
      'Not Found',
      `No API is mocked under /${prefix}; the prefixes are ${[...apis.keys()].map((p) => `/${p}`).join(', ')}`,
    );
  const inner = `/${rest.join('/')}`;
  if (api.basePath && inner !== api.basePath && !inner.startsWith(`${api.basePath}/`)) {
    return problem(404, 'Not Found', `${api.spec.title} is served under /${api.prefix}${api.basePath}`);
  }
  const operationPath = inner.slice(api.basePath.length) || '/';
  const match = matchRoute(api.routes, method, operationPath, target.query);
  if (match.kind === 'wrong-method')
    return problem(405, 'Method Not Allowed', `${method.toUpperCase()} is not documented for this path`, {
      allow: match.allowed.join(', '),
    });
  if (match.kind === 'none')
    return problem(
      404,
      'Not Found',
      `No operation of ${api.spec.title} matches ${method.toUpperCase()} ${operationPath}`,
    );
  return handleOperation(
    {
      api,
      operation: match.operation,
      pathParameters: match.pathParameters,
      rawPathParameters: match.rawPathParameters,
      operationPath,
      rawQuery: target.rawQuery,
      query: target.query,
      headers: request.headers,
      body,
      alternatives: match.alternatives,
    },
    options,
  );
}

export async function startMock(options: MockOptions = {}): Promise<RunningMock> {
  const host = options.host ?? '127.0.0.1';
  const files = options.specFiles ?? (await specFiles(resolve(options.specsDir ?? DEFAULT_SPECS_DIR)));
  // Every file is read; the first failure in file order is the one reported, whatever finished first.
  const loaded = await Promise.allSettled(files.map((file) => loadSpec(file)));
  const failed = loaded.find((result) => result.status === 'rejected');
  if (failed) throw failed.reason;
  const specs = loaded.map((result) => (result as PromiseFulfilledResult<Spec>).value);
  const validators = new ValidatorCache();
  for (const spec of specs) validators.register(spec);
  const buildOptions = {
    ...(options.rateLimit !== undefined ? { rateLimit: options.rateLimit } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
  };
  const built = await Promise.all(specs.map((spec) => buildApi(spec, buildOptions)));
  const apis = new Map<string, MockApi>();
  for (const api of built) {
    // /__mock and /__docs are the mock's own: an API there would never be reached.
    if (api.prefix.startsWith('__'))
      throw new MockStartError(
        `${api.spec.file} would be served under /${api.prefix}, which the mock keeps for itself`,
      );
    const other = apis.get(api.prefix);
    if (other)
      throw new MockStartError(`${api.spec.file} and ${other.spec.file} would both be served under /${api.prefix}`);
    apis.set(api.prefix, api);
  }
  const handlerOptions: HandlerOptions = {
    stateless: options.stateless ?? false,
    dynamic: options.dynamic ?? false,
    validators,
    rules: options.documentedOnly ? 'documented' : 'all',
    clock: options.clock ?? Date.now,
  };

  const server = createServer((request, response) => {
    route(apis, request, handlerOptions).then(
      (reply) => send(response, { ...reply, headers: { ...corsHeaders(request.headers), ...reply.headers } }),
      (error: unknown) => {
        // A bug of the mock, never the client's doing: answer instead of dropping the connection.
        if (!response.headersSent)
          send(response, problem(500, 'Mock error', error instanceof Error ? error.message : String(error)));
        else response.destroy();
      },
    );
  });
  // Node closes a connection idle for 5 s; a busy client may send on it in that instant and see a reset.
  // A minute, as load balancers keep them, leaves clients (and their own shorter timers) to close first.
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      const where = `${host}:${options.port ?? 4010}`;
      if (error.code === 'EADDRINUSE')
        reject(new MockStartError(`port ${where} is already in use (choose another with --port or MOCK_PORT)`));
      else if (error.code === 'EACCES') reject(new MockStartError(`not allowed to listen on ${where}`));
      else reject(new MockStartError(`cannot listen on ${where}: ${error.message}`));
    });
    server.listen(options.port ?? 4010, host, () => resolveListen());
  });

  const warming = options.warm ? warmValidators(built, validators, handlerOptions.rules) : undefined;

  // An idle mock lets go of the windows of credentials it no longer hears from, not only a busy one.
  const prune = (): void => {
    for (const api of apis.values()) api.rateLimit?.limiter.prune();
  };
  const periods = built.flatMap((api) => (api.rateLimit ? [api.rateLimit.rule.period * 1000] : []));
  // A timer longer than 2^31 - 1 ms fires at once (and Node warns): a limit per month prunes daily.
  const every = Math.min(Math.max(1000, Math.min(...periods)), 86_400_000);
  const pruner = periods.length > 0 ? setInterval(prune, every) : undefined;
  pruner?.unref();

  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : (options.port ?? 4010);
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const mocked: MockedApi[] = built.map((api) => ({
    name: api.prefix,
    specFile: api.spec.file,
    baseUrl: `${url}/${api.prefix}${api.basePath}`,
  }));

  let watcher: SpecWatcher | undefined;
  if (options.watch) {
    const onReload = typeof options.watch === 'object' ? options.watch.onReload : undefined;
    // Requests keep being answered from the map while a new version loads; it is swapped in whole.
    const reload = async (file: string): Promise<void> => {
      const entry = mocked.find((api) => api.specFile === file)!;
      const previous = apis.get(entry.name)!;
      let event: ReloadEvent;
      try {
        const spec = await loadSpec(file);
        const next = await buildApi(spec, buildOptions);
        validators.register(spec);
        const { kept, dropped } = carryState(previous, next);
        apis.set(next.prefix, next);
        entry.baseUrl = `${url}/${next.prefix}${next.basePath}`;
        event = {
          kind: 'reloaded',
          api: next.prefix,
          specFile: file,
          operations: spec.operations.length,
          kept,
          dropped,
        };
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        event = { kind: 'failed', api: entry.name, specFile: file, message };
      }
      onReload?.(event);
    };
    try {
      watcher = watchSpecFiles(
        mocked.map((api) => api.specFile),
        reload,
        {
          ...(typeof options.watch === 'object' && options.watch.debounceMs !== undefined
            ? { debounceMs: options.watch.debounceMs }
            : {}),
          onError: (file, message) =>
            onReload?.({ kind: 'failed', api: mocked.find((a) => a.specFile === file)!.name, specFile: file, message }),
        },
      );
    } catch (error) {
      server.closeAllConnections();
      await new Promise<void>((resolveClose) => server.close(() => resolveClose()));
      throw new MockStartError(error instanceof Error ? error.message : String(error));
    }
  }

  return {
    url,
    apis: mocked,
    stats: () => {
      prune();
      return Object.fromEntries(
        [...apis.values()].map((api) => [
          api.prefix,
          { records: api.store.size, rateLimitWindows: api.rateLimit?.limiter.size ?? 0 },
        ]),
      );
    },
    close: () =>
      new Promise<void>((resolveClose) => {
        clearInterval(pruner);
        warming?.stop();
        watcher?.close();
        server.close(() => resolveClose());
        server.closeAllConnections();
      }),
  };
}
