/**
 * Sends one request with undici and reads at most `maxBodyBytes` of the answer, decoded or not.
 * Redirects are never followed (a 3xx is a response like any other), interim answers (1xx) are
 * skipped, and every failure to get a complete, evaluable response becomes a TransportError instead
 * of an exception, so one bad exchange never stops a run.
 *
 * It dispatches with a handler object rather than `request()`: the body arrives as chunks straight
 * from the parser, with no Readable stream per response, and one object per exchange holds all the
 * state, so no closure is made per request (tsx names each one it compiles, which costs).
 */
import { type IncomingHttpHeaders, maxHeaderSize } from 'node:http';
import { createRequire } from 'node:module';
import type { Socket } from 'node:net';
import { brotliDecompressSync, gunzipSync, inflateRawSync, inflateSync, type ZlibOptions } from 'node:zlib';
import type { Dispatcher, Agent as UndiciAgent, buildConnector as undiciConnector } from 'undici';
import { nestedDeeperThan } from '../../lib/json.js';
import type { ReceivedResponse, SentRequest, TransportError } from '../types.js';

// undici's entry point also loads fetch, WebSocket, its mocks and caches, and Node's own undici (about
// 100 ms of every run's start); the client needs two of its modules. undici is pinned, and every
// test that sends a request goes through these.
const load = createRequire(import.meta.url);
const Agent = load('undici/lib/dispatcher/agent.js') as typeof UndiciAgent;
const buildConnector = load('undici/lib/core/connect.js') as typeof undiciConnector;

export interface ClientOptions {
  timeoutMs: number;
  maxBodyBytes: number;
  connections: number;
}

/** An answer that arrived but cannot be evaluated; `described` is what the case reports. */
class Unusable extends Error {
  constructor(readonly described: TransportError) {
    super(described.message);
  }
}

export type SendResult = { response: ReceivedResponse } | { error: TransportError };

const MB = 1024 * 1024;
export const DEFAULT_MAX_BODY_BYTES = 10 * MB;

/**
 * Deeper JSON is not evaluated: AJV validates a recursive schema by recursion, and common parsers
 * (Jackson, Python's json) refuse such bodies too. Checked on the text, before parsing costs anything.
 */
export const MAX_JSON_DEPTH = 1000;

const size = (bytes: number): string =>
  bytes % MB === 0 ? `${bytes / MB} MB` : bytes % 1024 === 0 ? `${bytes / 1024} KB` : `${bytes} bytes`;

const tooLarge = (what: string): Unusable => new Unusable({ reason: 'too-large', message: what });

/** HTTP's `deflate` is zlib-wrapped, but some servers send it raw. */
function inflateEither(input: Buffer, options: ZlibOptions): Buffer {
  try {
    return inflateSync(input, options);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'Z_DATA_ERROR') throw error;
    return inflateRawSync(input, options);
  }
}

const DECODERS: Record<string, (input: Buffer, options: ZlibOptions) => Buffer> = {
  gzip: gunzipSync,
  'x-gzip': gunzipSync,
  deflate: inflateEither,
  br: brotliDecompressSync,
};

/**
 * The body with its Content-Encoding undone. The runner sends no Accept-Encoding, which allows any
 * coding, so a compressed answer is legitimate; but zlib stops at `cap` bytes of output, so a small
 * body that inflates to gigabytes costs no more than a body at the cap.
 */
function decode(body: Buffer, encoding: string | undefined, cap: number): Buffer {
  if (encoding === undefined) return body;
  const codings = encoding
    .toLowerCase()
    .split(',')
    .map((c) => c.trim())
    .filter((c) => c !== '' && c !== 'identity');
  let decoded = body;
  // Listed in the order they were applied: undone last first.
  for (const coding of codings.reverse()) {
    const decoder = DECODERS[coding];
    if (!decoder) throw new Unusable({ reason: 'other', message: `Content-Encoding ${coding} cannot be decoded` });
    try {
      decoded = decoder(decoded, { maxOutputLength: cap });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
        throw tooLarge(`response body larger than the ${size(cap)} cap once decoded (${coding})`);
      }
      throw new Unusable({ reason: 'other', message: `${coding} body cannot be decoded: ${(error as Error).message}` });
    }
  }
  return decoded;
}

/**
 * An unsolicited `100 Continue` must be ignored (RFC 9110, 15.2), but undici's HTTP/1.1 parser drops
 * the connection on any 100 it did not ask for (other interim answers it passes on, and
 * PendingExchange skips them). So complete `100` heads are taken out of what undici reads at the
 * start of each answer. undici sends one request at a time on a connection and writes each request
 * whole before its answer is read, so the start of an answer is the first byte read after more
 * bytes were written.
 */
function skipContinue(socket: Socket): void {
  const read = socket.read.bind(socket);
  let written = socket.bytesWritten;
  let atAnswerStart = false;
  let held: Buffer | null = null;
  socket.read = (bytes?: number): Buffer | null => {
    const chunk = read(bytes) as Buffer | null;
    if (socket.bytesWritten !== written) {
      written = socket.bytesWritten;
      atAnswerStart = true;
    }
    if (!atAnswerStart) return chunk;
    let data = held === null ? chunk : chunk === null ? held : Buffer.concat([held, chunk]);
    held = null;
    while (data !== null && data.length > 0) {
      const end = continueHeadEnd(data);
      if (end === -1 || (end === undefined && socket.readableEnded)) {
        atAnswerStart = false;
        return data;
      }
      if (end === undefined) {
        held = data;
        return null;
      }
      data = end < data.length ? data.subarray(end) : null;
    }
    return null;
  };
}

const CONTINUE = Buffer.from('HTTP/1.1 100');

/** The length of the complete `100` head `data` starts with; -1 when it starts otherwise; undefined: unknown yet. */
function continueHeadEnd(data: Buffer): number | undefined {
  for (let i = 0; i < Math.min(data.length, CONTINUE.length + 1); i++) {
    const byte = data[i];
    const expected =
      i === CONTINUE.length ? byte === 0x20 || byte === 0x0d : byte === CONTINUE[i] || (i === 7 && byte === 0x30);
    if (!expected) return -1;
  }
  if (data.length <= CONTINUE.length) return undefined;
  const end = data.indexOf('\r\n\r\n');
  if (end !== -1) return end + 4;
  // Beyond the header limit it is undici's to refuse.
  return data.length > maxHeaderSize ? -1 : undefined;
}

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

function describe(error: unknown, timeoutMs: number, answered: boolean): TransportError {
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
  if (code === 'UND_ERR_HEADERS_OVERFLOW') {
    return { reason: 'too-large', message: `response headers larger than the ${size(maxHeaderSize)} limit` };
  }
  if (code === 'ECONNREFUSED') return { reason: 'connection', message: 'connection refused', unsent: true };
  if (/^(ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|UND_ERR_CONNECT_TIMEOUT)$/.test(code)) {
    return { reason: 'connection', message: `${code}: ${err.message ?? ''}`, unsent: true };
  }
  if (code === 'ECONNRESET' || code === 'EPIPE')
    return { reason: 'connection', message: 'connection reset by the server' };
  if (code === 'UND_ERR_SOCKET' && err.message === 'other side closed') {
    return {
      reason: 'connection',
      message: answered
        ? 'the server closed the connection before the body was complete'
        : 'the server closed the connection without an answer',
    };
  }
  if (/^(UND_ERR_SOCKET|UND_ERR_CLOSED)$/.test(code)) {
    return { reason: 'connection', message: `${code}: ${err.message ?? ''}` };
  }
  if (error instanceof Stopped) return { reason: 'other', message: err.message ?? 'stopped' };
  // A 101 to a request that asked for no upgrade trips one of undici's own assertions: said as what it is.
  if (code === 'ERR_ASSERTION')
    return {
      reason: 'other',
      message: /assert\(upgrade\)/.test(err.message ?? '')
        ? 'the server answered 101 Switching Protocols to a request that asked for no upgrade'
        : 'the answer could not be read as HTTP/1.1',
    };
  // The parser's own words name the fault; its `data` (the server's bytes) is left out.
  if (err.name === 'HTTPParserError') return { reason: 'other', message: err.message ?? 'not HTTP/1.1' };
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

/** An exchange dropped because the run stopped waiting for it: its message is the reason. */
class Stopped extends Error {
  override name = 'Stopped';
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
    // An interim answer (103 Early Hints...): the final one follows on the same exchange.
    if (statusCode < 200) return;
    this.status = statusCode;
    this.headers = flatHeaders(headers);
    if (Number(this.headers['content-length']) > this.options.maxBodyBytes) this.fail(this.bodyTooLarge());
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.settled) return;
    this.size += chunk.length;
    if (this.size > this.options.maxBodyBytes) this.fail(this.bodyTooLarge());
    else this.chunks.push(chunk);
  }

  onResponseEnd(): void {
    if (this.settled || this.status === undefined) return;
    let response: ReceivedResponse;
    try {
      response = this.received();
    } catch (error) {
      this.fail(error as Error);
      return;
    }
    this.finish();
    this.settle({ response });
  }

  private bodyTooLarge(): Unusable {
    return tooLarge(`response body larger than the ${size(this.options.maxBodyBytes)} cap`);
  }

  /** The received body as a response: decoded, and parsed when it is JSON no deeper than MAX_JSON_DEPTH. */
  private received(): ReceivedResponse {
    const raw = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.size);
    const text = decode(raw, this.headers!['content-encoding'], this.options.maxBodyBytes).toString('utf8');
    if (nestedDeeperThan(text, MAX_JSON_DEPTH)) throw tooLarge(`JSON nested deeper than ${MAX_JSON_DEPTH} levels`);
    const response: ReceivedResponse = { status: this.status!, headers: this.headers!, text };
    if (text.trim() !== '') {
      try {
        response.json = { value: JSON.parse(text) };
      } catch {
        // Not JSON: the body checks report it against what the spec documents.
      }
    }
    return response;
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
      error instanceof Unusable ? error.described : describe(error, this.options.timeoutMs, this.status !== undefined);
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

/** RFC 9110, 9.2.2: methods a client may repeat on its own. */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS', 'TRACE']);

export class HttpClient {
  private readonly agent: UndiciAgent;
  private readonly deadlines: Deadlines;

  constructor(private readonly options: ClientOptions) {
    this.deadlines = new Deadlines(options.timeoutMs);
    const connect = buildConnector({ timeout: options.timeoutMs });
    this.agent = new Agent({
      connections: options.connections,
      connect: (target, callback) =>
        connect(target, (...args) => {
          if (args[1]) skipContinue(args[1]);
          callback(...args);
        }),
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      keepAliveTimeout: 10_000,
    });
  }

  /**
   * Sends once, and once more when an idempotent request's connection was closed before any answer:
   * a server may close an idle keep-alive connection just as a request goes out on it (RFC 9112,
   * 9.3.1), which says nothing about the server. A second close is the server's. `beforeResend`
   * is awaited before the second send. When `stop` aborts, the exchange is dropped at once, its
   * reason the abort's (an interrupted run's cleanup out of time).
   */
  async send(req: SentRequest, beforeResend?: () => Promise<void>, stop?: AbortSignal): Promise<SendResult> {
    const first = await this.sendOnce(req, stop);
    const closed = 'error' in first && first.error.reason === 'connection' && first.error.status === undefined;
    if (!closed || !IDEMPOTENT.has(req.method.toUpperCase())) return first;
    // The resend is a request on the wire like any other: the caller's pace holds it too.
    await beforeResend?.();
    return this.sendOnce(req, stop);
  }

  private sendOnce(req: SentRequest, stop?: AbortSignal): Promise<SendResult> {
    const { origin, path } = splitUrl(req.url);
    return new Promise((settle) => {
      const dropped = (): void => pending.fail(new Stopped(String(stop?.reason ?? 'stopped')));
      const resolve = (result: SendResult): void => {
        stop?.removeEventListener('abort', dropped);
        settle(result);
      };
      const pending = new PendingExchange(this.options, this.deadlines, resolve);
      if (stop?.aborted) return dropped();
      stop?.addEventListener('abort', dropped, { once: true });
      try {
        this.agent.dispatch(
          {
            origin,
            path,
            method: req.method as Dispatcher.HttpMethod,
            headers: req.headers,
            // undici drops the connection after a body on a method not expected to carry one (DELETE,
            // GET): a new connection, and against a vendor a TLS handshake, per such request. The
            // runner sends a body only where the operation documents one, which the server reads
            // (its Content-Length frames it whatever the method, RFC 9112, 6.3). HEAD keeps
            // undici's rule: a server may answer it with a body.
            ...(req.body !== undefined
              ? { body: req.body, ...(req.method.toUpperCase() !== 'HEAD' ? { reset: false } : {}) }
              : {}),
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
