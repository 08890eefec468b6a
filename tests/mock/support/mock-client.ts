/**
 * Talks to a running mock with undici and checks every response against the spec as it arrives:
 * any test that sends a request through `call` also proves the answer conforms.
 */
import { request } from 'undici';
import { expect } from 'vitest';
import { loadSpec, type Operation, type Spec } from '../../../lib/spec.js';
import type { RunningMock } from '../../../mocks/server.js';
import { responseProblems } from './conformance.js';

export interface CallOptions {
  /** Path parameters; default each parameter's example. */
  params?: Record<string, string>;
  /** Extra or replacing headers; a value of `undefined` removes a default header. */
  headers?: Record<string, string | undefined>;
  /** JSON body (serialized); default the first request example. */
  body?: unknown;
  /** Bytes or text sent as is (overrides `body`). */
  raw?: string | Buffer;
  query?: string;
  /** Skip the spec check: for answers about the mock itself (unknown paths, refused scenarios). */
  unchecked?: boolean;
  /** Give up (the call throws) when the headers, or then the body, take longer than this. */
  timeoutMs?: number;
}

export interface Answer {
  status: number;
  headers: Record<string, string>;
  text: string;
  /** Parsed JSON, or undefined for an empty body. */
  json: unknown;
}

export class MockClient {
  private constructor(
    readonly mock: RunningMock,
    readonly specs: Map<string, Spec>,
  ) {}

  static async connect(mock: RunningMock): Promise<MockClient> {
    const specs = new Map<string, Spec>();
    for (const api of mock.apis) specs.set(api.name, await loadSpec(api.specFile));
    return new MockClient(mock, specs);
  }

  spec(api: string): Spec {
    const spec = this.specs.get(api);
    if (!spec) throw new Error(`no API ${api}`);
    return spec;
  }

  operation(api: string, operationId: string): Operation {
    const operation = this.spec(api).operations.find((o) => o.operationId === operationId);
    if (!operation) throw new Error(`no operation ${operationId} in ${api}`);
    return operation;
  }

  /** A request the spec accepts: a credential for the first security alternative, required headers, the first body example. */
  validHeaders(operation: Operation): Record<string, string> {
    const headers: Record<string, string> = {};
    const scheme = operation.security[0]?.[0];
    if (scheme?.kind === 'basic')
      headers.authorization = `Basic ${Buffer.from('site\\user:secret').toString('base64')}`;
    else if (scheme?.kind === 'apiKey' && scheme.in === 'header' && scheme.parameterName)
      headers[scheme.parameterName.toLowerCase()] = 'test-key';
    else if (scheme) headers.authorization = 'Bearer test-token';
    for (const parameter of operation.parameters) {
      if (parameter.in === 'header' && parameter.required)
        headers[parameter.name.toLowerCase()] = String(parameter.example ?? 'x');
    }
    if (operation.requestBody) headers['content-type'] = operation.requestBody.content[0]!.mediaType;
    return headers;
  }

  /** Where the mock serves an API, e.g. `http://127.0.0.1:4010/easify/api/v2`. */
  baseUrl(api: string): string {
    return this.mock.apis.find((a) => a.name === api)!.baseUrl;
  }

  async call(api: string, operationId: string, options: CallOptions = {}): Promise<Answer> {
    const operation = this.operation(api, operationId);
    const base = this.baseUrl(api);
    const path = operation.path.replace(/\{([^}]+)\}/g, (_, name: string) => {
      const value =
        options.params?.[name] ?? operation.parameters.find((p) => p.in === 'path' && p.name === name)?.example;
      return encodeURIComponent(String(value));
    });
    const headers: Record<string, string> = this.validHeaders(operation);
    for (const [name, value] of Object.entries(options.headers ?? {})) {
      if (value === undefined) delete headers[name.toLowerCase()];
      else headers[name.toLowerCase()] = value;
    }
    let payload: string | Buffer | undefined = options.raw;
    if (payload === undefined && operation.requestBody) {
      payload = JSON.stringify(
        options.body !== undefined ? options.body : operation.requestBody.content[0]!.examples[0]!.value,
      );
    }
    // Required query parameters from their examples, unless the call gives its own query.
    const query =
      options.query ??
      new URLSearchParams(
        operation.parameters
          .filter((p) => p.in === 'query' && p.required)
          .map((p): [string, string] => [
            p.name,
            String(p.example ?? p.schema.examples?.[0] ?? p.schema.default ?? 'x'),
          ]),
      ).toString();
    const response = await request(`${base}${path}${query ? `?${query}` : ''}`, {
      method: operation.method.toUpperCase() as 'POST',
      headers,
      ...(payload !== undefined ? { body: payload } : {}),
      ...(options.timeoutMs !== undefined ? { headersTimeout: options.timeoutMs, bodyTimeout: options.timeoutMs } : {}),
    });
    const text = await response.body.text();
    const flat: Record<string, string> = {};
    for (const [name, value] of Object.entries(response.headers))
      if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
    const answer: Answer = {
      status: response.statusCode,
      headers: flat,
      text,
      json: text ? (JSON.parse(text) as unknown) : undefined,
    };
    if (!options.unchecked)
      expect(
        responseProblems(operation, { status: answer.status, headers: flat, text }),
        `${api} ${operationId} -> ${answer.status} ${text.slice(0, 300)}`,
      ).toEqual([]);
    return answer;
  }

  async reset(): Promise<void> {
    const response = await request(`${this.mock.url}/__mock/reset`, { method: 'POST' });
    await response.body.dump();
    expect(response.statusCode).toBe(204);
  }

  async state(): Promise<Record<string, Record<string, Record<string, unknown>[]>>> {
    const response = await request(`${this.mock.url}/__mock/state`);
    return (await response.body.json()) as Record<string, Record<string, Record<string, unknown>[]>>;
  }
}
