/**
 * Sends one request with undici and reads at most `maxBodyBytes` of the answer. Redirects are never
 * followed (a 3xx is a response like any other); every failure to get a complete response becomes a
 * TransportError instead of an exception, so one bad exchange never stops a run.
 *
 * It dispatches with a handler object rather than `request()`: the body arrives as chunks straight
 * from the parser, with no Readable stream per response, and one object per exchange holds all the
 * state, so no closure is made per request (tsx names each one it compiles, which costs).
 */
import type { IncomingHttpHeaders } from 'node:http';
import { Agent, type Dispatcher } from 'undici';
import type { ReceivedResponse, SentRequest, TransportError } from '../types.js';

export interface ClientOptions {
  timeoutMs: number;
  maxBodyBytes: number;
  connections: number;
}

class BodyTooLarge extends Error {}

export type SendResult = { response: ReceivedResponse } | { error: TransportError };

const MB = 1024 * 1024;
export const DEFAULT_MAX_BODY_BYTES = 10 * MB;

/**
 * undici already lower-cases names; repeated headers arrive as arrays and are joined as on the wire.
 * The usual answer has none, and its object is kept as it is.
 */
function flatHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  let flat = true;
  for (const name in headers) if (typeof headers[name] !== 'string') flat = false;
  if (flat) return headers as Record<string, string>;
  const out: Record<string, string> = {};
  for (const name in headers) {
    const value = headers[name];
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function describe(error: unknown, timeoutMs: number): TransportError {
  const err = error as { name?: string; code?: string; message?: string; cause?: { code?: string; message?: string } };
  const code = err.code ?? err.cause?.code ?? '';
  if (
    err.name === 'TimeoutError' ||
    err.name === 'AbortError' ||
    code === 'UND_ERR_HEADERS_TIMEOUT' ||
    code === 'UND_ERR_BODY_TIMEOUT'
  ) {
    return { reason: 'timeout', message: `no complete response within ${timeoutMs} ms` };
  }
  if (
    /^(ECONNREFUSED|ECONNRESET|EPIPE|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|UND_ERR_SOCKET|UND_ERR_CLOSED)$/.test(
      code,
    )
  ) {
    const what =
      code === 'ECONNREFUSED'
        ? 'connection refused'
        : code === 'UND_ERR_SOCKET' || code === 'ECONNRESET'
          ? 'connection reset by the server'
          : code;
    return { reason: 'connection', message: what };
  }
  return { reason: 'other', message: `${code ? `${code}: ` : ''}${err.message ?? String(error)}` };
}

/** `http://host:port/prefix/path?q` -> origin and path; the URL was built by the runner from a parsed base URL. */
function splitUrl(url: string): { origin: string; path: string } {
  const slash = url.indexOf('/', url.indexOf('//') + 2);
  return slash === -1 ? { origin: url, path: '/' } : { origin: url.slice(0, slash), path: url.slice(slash) };
}

/**
 * Every exchange in flight, with its deadline (send time + --timeout, headers and body together).
 * One interval per client sweeps them instead of a timer per request: arming and clearing a timer
 * per request was a measurable share of a case. The interval holds the event loop open exactly
 * while an exchange is pending, so a request undici never starts (or never answers) still ends as
 * a timeout of its case: a run can never end with a promise left pending.
 */
class Deadlines {
  private readonly pending = new Set<PendingExchange>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(timeoutMs: number) {
    // A deadline fires at most this late; a tenth of --timeout, between 10 and 100 ms.
    this.sweeper = setInterval(() => this.sweep(), Math.max(10, Math.min(100, timeoutMs / 10)));
    this.sweeper.unref();
  }

  add(exchange: PendingExchange): void {
    if (this.pending.size === 0) this.sweeper.ref();
    this.pending.add(exchange);
  }

  delete(exchange: PendingExchange): void {
    if (this.pending.delete(exchange) && this.pending.size === 0) this.sweeper.unref();
  }

  private sweep(): void {
    const now = performance.now();
    for (const exchange of this.pending)
      if (exchange.deadline <= now) exchange.fail(Object.assign(new Error('timeout'), { name: 'TimeoutError' }));
  }

  stop(): void {
    clearInterval(this.sweeper);
    // Whatever is still pending settles now: nothing may outlive the client.
    for (const exchange of this.pending) exchange.fail(new Error('client closed before the exchange completed'));
  }
}

/** One request in flight: undici's callbacks feed it, and it settles exactly once. */
class PendingExchange implements Dispatcher.DispatchHandler {
  private status: number | undefined;
  private headers: Record<string, string> | undefined;
  private readonly chunks: Buffer[] = [];
  private size = 0;
  /** When the whole exchange (headers and body) must be complete: armed at send time. */
  readonly deadline: number;
  private controller: Dispatcher.DispatchController | undefined;
  private settled = false;

  constructor(
    private readonly options: ClientOptions,
    private readonly deadlines: Deadlines,
    private readonly settle: (result: SendResult) => void,
  ) {
    this.deadline = performance.now() + options.timeoutMs;
    deadlines.add(this);
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
  }

  onResponseStart(controller: Dispatcher.DispatchController, statusCode: number, headers: IncomingHttpHeaders): void {
    this.controller = controller;
    this.status = statusCode;
    this.headers = flatHeaders(headers);
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.settled) return;
    this.size += chunk.length;
    if (this.size > this.options.maxBodyBytes)
      this.fail(new BodyTooLarge(`response body larger than the ${Math.round(this.options.maxBodyBytes / MB)} MB cap`));
    else this.chunks.push(chunk);
  }

  onResponseEnd(): void {
    if (this.settled || this.status === undefined) return;
    this.finish();
    const text =
      this.chunks.length === 1
        ? this.chunks[0]!.toString('utf8')
        : Buffer.concat(this.chunks, this.size).toString('utf8');
    const response: ReceivedResponse = { status: this.status, headers: this.headers!, text };
    if (text.trim() !== '') {
      try {
        response.json = { value: JSON.parse(text) };
      } catch {
        // Not JSON: the body checks report it against what the spec documents.
      }
    }
    this.settle({ response });
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    this.fail(error);
  }

  /** Ends the exchange with an error, dropping the request or the connection if still going. */
  fail(error: Error): void {
    if (this.settled) return;
    this.finish();
    try {
      this.controller?.abort(error);
    } catch {
      // Already finished on undici's side.
    }
    const described =
      error instanceof BodyTooLarge
        ? { reason: 'too-large' as const, message: error.message }
        : describe(error, this.options.timeoutMs);
    this.settle({
      error:
        this.status === undefined
          ? described
          : { ...described, status: this.status, ...(this.headers ? { headers: this.headers } : {}) },
    });
  }

  private finish(): void {
    this.settled = true;
    this.deadlines.delete(this);
  }
}

export class HttpClient {
  private readonly agent: Agent;
  private readonly deadlines: Deadlines;

  constructor(private readonly options: ClientOptions) {
    this.deadlines = new Deadlines(options.timeoutMs);
    this.agent = new Agent({
      connections: options.connections,
      connect: { timeout: options.timeoutMs },
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      keepAliveTimeout: 10_000,
    });
  }

  send(req: SentRequest): Promise<SendResult> {
    const { origin, path } = splitUrl(req.url);
    return new Promise((resolve) => {
      const pending = new PendingExchange(this.options, this.deadlines, resolve);
      try {
        this.agent.dispatch(
          {
            origin,
            path,
            method: req.method as Dispatcher.HttpMethod,
            headers: req.headers,
            ...(req.body !== undefined ? { body: req.body } : {}),
          },
          pending,
        );
      } catch (error) {
        pending.fail(error as Error);
      }
    });
  }

  close(): Promise<void> {
    this.deadlines.stop();
    // destroy, not close: a request abandoned after --timeout must not keep the process waiting.
    return this.agent.destroy();
  }
}
