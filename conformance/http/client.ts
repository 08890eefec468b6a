/**
 * Sends one request with undici and reads at most `maxBodyBytes` of the answer. Redirects are never
 * followed (a 3xx is a response like any other); every failure to get a complete response becomes a
 * TransportError instead of an exception, so one bad exchange never stops a run.
 */
import { Agent, request, type Dispatcher } from 'undici';
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

/** undici already lower-cases names; repeated headers arrive as arrays and are joined as on the wire. */
function flatHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
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
  if (err.name === 'TimeoutError' || err.name === 'AbortError' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
    return { reason: 'timeout', message: `no complete response within ${timeoutMs} ms` };
  }
  if (/^(ECONNREFUSED|ECONNRESET|EPIPE|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|UND_ERR_SOCKET|UND_ERR_CLOSED)$/.test(code)) {
    const what = code === 'ECONNREFUSED' ? 'connection refused' : code === 'UND_ERR_SOCKET' || code === 'ECONNRESET' ? 'connection reset by the server' : code;
    return { reason: 'connection', message: what };
  }
  return { reason: 'other', message: `${code ? `${code}: ` : ''}${err.message ?? String(error)}` };
}

export class HttpClient {
  private readonly agent: Agent;

  constructor(private readonly options: ClientOptions) {
    this.agent = new Agent({
      connections: options.connections,
      connect: { timeout: options.timeoutMs },
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      keepAliveTimeout: 10_000,
    });
  }

  async send(req: SentRequest): Promise<SendResult> {
    const started = performance.now();
    let status: number | undefined;
    let headers: Record<string, string> | undefined;
    try {
      // undici's headersTimeout bounds the wait for a response; the body gets what is left of it.
      const res = await request(req.url, {
        dispatcher: this.agent,
        method: req.method as 'GET',
        headers: req.headers,
        ...(req.body !== undefined ? { body: req.body } : {}),
      });
      status = res.statusCode;
      headers = flatHeaders(res.headers);
      const remaining = Math.max(1, this.options.timeoutMs - (performance.now() - started));
      const text = await this.readBody(res.body, remaining);
      const response: ReceivedResponse = { status, headers, text };
      if (text.trim() !== '') {
        try {
          response.json = { value: JSON.parse(text) };
        } catch {
          // Not JSON: the body checks report it against what the spec documents.
        }
      }
      return { response };
    } catch (error) {
      const described = error instanceof BodyTooLarge ? { reason: 'too-large' as const, message: error.message } : describe(error, this.options.timeoutMs);
      return { error: status === undefined ? described : { ...described, status, ...(headers ? { headers } : {}) } };
    }
  }

  /** Reads the body as text, failing past the size cap or the deadline. */
  private readBody(body: Dispatcher.ResponseData['body'], deadlineMs: number): Promise<string> {
    const cap = this.options.maxBodyBytes;
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const timer = setTimeout(() => {
        body.destroy();
        reject(Object.assign(new Error('body timeout'), { name: 'TimeoutError' }));
      }, deadlineMs);
      const finish = (error?: Error): void => {
        clearTimeout(timer);
        if (error) reject(error);
        else resolve(Buffer.concat(chunks, size).toString('utf8'));
      };
      body.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > cap) {
          body.destroy();
          finish(new BodyTooLarge(`response body larger than the ${Math.round(cap / MB)} MB cap`));
        } else chunks.push(chunk);
      });
      body.once('end', () => finish());
      body.once('error', (error) => finish(error));
    });
  }

  close(): Promise<void> {
    // destroy, not close: a request abandoned after --timeout must not keep the process waiting.
    return this.agent.destroy();
  }
}
