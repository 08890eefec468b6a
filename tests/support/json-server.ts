/**
 * A JSON server of a test's own (tests/support/local-server.ts): the handler gets the request parsed and
 * answers a status and a body; a body that is not JSON is answered `malformed` (a bare 400) before the
 * handler sees it.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { type LocalServer, localServer } from './local-server.js';

export interface JsonRequest {
  method: string;
  url: URL;
  /** The parsed body; undefined when none was sent. */
  body: unknown;
  /** The request said its body is JSON. */
  json: boolean;
  headers: IncomingHttpHeaders;
}

/** `type`: the body's Content-Type, application/json unless given; `headers`: any others to send. */
export type JsonAnswer = { status: number; body?: unknown; type?: string; headers?: Record<string, string> };

export function jsonServer(
  handle: (request: JsonRequest) => JsonAnswer,
  malformed: JsonAnswer = { status: 400 },
): Promise<LocalServer> {
  return localServer((request, response) => {
    let text = '';
    request.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
    request.on('end', () => {
      const send = ({ status, body, type = 'application/json', headers = {} }: JsonAnswer) => {
        response.writeHead(status, body === undefined ? headers : { ...headers, 'content-type': type });
        response.end(body === undefined ? undefined : JSON.stringify(body));
      };
      let body: unknown;
      try {
        body = text === '' ? undefined : JSON.parse(text);
      } catch {
        return send(malformed);
      }
      send(
        handle({
          method: request.method ?? 'GET',
          url: new URL(request.url ?? '/', 'http://localhost'),
          body,
          json: request.headers['content-type'] === 'application/json',
          headers: request.headers,
        }),
      );
    });
  });
}
