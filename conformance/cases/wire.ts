/**
 * A planned case as the request that goes on the wire: path parameters filled (linked ids from
 * earlier answers through `resolve`), the query rendered, the run's --header values merged in.
 */
import type { LinkedValue, SentRequest, TestCase } from '../types.js';

export type Resolve = (linked: LinkedValue) => string | undefined;

/** --header pairs with their wire (lower-case) names. */
export type WireHeaders = readonly (readonly [key: string, value: string])[];

export function wireHeaders(userHeaders: readonly (readonly [string, string])[]): WireHeaders {
  return userHeaders.map(([name, value]) => [name.toLowerCase(), value] as const);
}

/** The wire request of a case, or why it cannot be sent. */
export function buildRequest(
  testCase: TestCase,
  baseUrl: string,
  userHeaders: WireHeaders,
  resolve: Resolve,
): SentRequest | { notSent: string } {
  const { request, operation } = testCase;
  let path = operation.path;
  for (const [name, value] of Object.entries(request.pathParams)) {
    const text = typeof value === 'string' ? value : resolve(value);
    if (text === undefined) {
      return { notSent: `no record created by ${(value as LinkedValue).sourceOperationId} to take ${name} from` };
    }
    path = path.replace(`{${name}}`, encodeURIComponent(text));
  }
  const query = Object.keys(request.query).length > 0 ? `?${new URLSearchParams(request.query).toString()}` : '';
  // Names are lower-cased on the wire so that given, generated and omitted headers meet case-insensitively.
  const omitted = new Set(request.omitHeaders.map((n) => n.toLowerCase()));
  const forced = new Set(request.forceHeaders.map((n) => n.toLowerCase()));
  const body = request.body;
  if (body) omitted.add('content-type');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    const key = name.toLowerCase();
    if (!omitted.has(key)) headers[key] = value;
  }
  for (const [key, value] of userHeaders) {
    if (!forced.has(key) && !omitted.has(key)) headers[key] = value;
  }
  if (body?.contentType) headers['content-type'] = body.contentType;
  const sent: SentRequest = { method: operation.method.toUpperCase(), url: `${baseUrl}${path}${query}`, headers };
  if (body) sent.body = body.kind === 'json' ? JSON.stringify(body.value) : body.text;
  return sent;
}
