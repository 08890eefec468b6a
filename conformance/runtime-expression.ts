/**
 * Evaluates the values of a link's parameters (OpenAPI 3.1, 4.8.20.4 Runtime Expressions) against
 * the exchange its source operation made: `$url`, `$method`, `$statusCode`, `$request.` and
 * `$response.` followed by `header.<token>`, `query.<name>`, `path.<name>` or `body#<pointer>`; a
 * string with expressions in braces (`/contacts/{$response.body#/id}`) is that string with their
 * values; any other value is a constant, given as it is written. A header, query or path value may
 * be followed by `#regex:<pattern>` (Schemathesis' extension): the part of it the pattern captures.
 */
import { getPointer } from '../lib/json-pointer.js';
import { responseBodyPointer } from '../lib/links.js';
import { isJsonMediaType, mediaTypeEssence } from '../lib/media-type.js';
import type { ReceivedResponse, SentRequest } from './types.js';

/** What an expression reads: a request the run sent, its answer, and where its path parameters stand. */
export interface ExpressionSource {
  request: SentRequest;
  response: ReceivedResponse;
  /** The source operation's path template (`/lists/{listId}/contacts`). */
  template: string;
  /** The base URL the path was sent under. */
  baseUrl: string;
}

/** The value an expression names, or undefined when the exchange has none there. */
export function evaluateExpression(expression: string, source: ExpressionSource): unknown {
  if (!expression.startsWith('$')) {
    if (!expression.includes('{$')) return expression;
    // Embedded expressions: each one's value in place, and no value at all when one is missing.
    let missing = false;
    const text = expression.replace(/\{(\$[^}]+)\}/g, (_, inner: string) => {
      const value = evaluateExpression(inner, source);
      if (value === undefined || value === null || typeof value === 'object') missing = true;
      return String(value);
    });
    return missing ? undefined : text;
  }
  const extraction = REGEX_EXTRACTION.exec(expression);
  if (extraction) return extracted(evaluateExpression(extraction[1]!, source), extraction[2]!);
  const { request, response } = source;
  if (expression === '$url') return request.url;
  if (expression === '$method') return request.method.toUpperCase();
  if (expression === '$statusCode') return response.status;
  const pointer = responseBodyPointer(expression);
  if (pointer !== undefined) return response.json ? found(response.json.value, pointer) : undefined;
  if (expression.startsWith('$response.header.')) return headerOf(response.headers, expression.slice(17));
  if (expression.startsWith('$request.header.')) return headerOf(request.headers, expression.slice(16));
  if (expression.startsWith('$request.query.'))
    return new URL(request.url).searchParams.get(expression.slice(15)) ?? undefined;
  if (expression.startsWith('$request.path.')) return pathValue(source, expression.slice(14));
  const body = /^\$request\.body(?:#(.*))?$/.exec(expression);
  if (body) {
    const at = body[1] ?? '';
    if (at !== '' && !at.startsWith('/')) return undefined;
    const sent = sentBody(request);
    return sent === undefined ? undefined : found(sent, at);
  }
  return undefined;
}

/**
 * A header, query or path value followed by `#regex:` and a pattern (Schemathesis' extension of
 * runtime expressions: `$response.header.Location#regex:/users/(.+)`): the pattern's first group
 * where it matches the value, else the whole match.
 */
const REGEX_EXTRACTION = /^(\$(?:request|response)\.(?:header|query|path)\.[^#]+)#regex:(.+)$/s;

function extracted(value: unknown, pattern: string): string | undefined {
  if (typeof value !== 'string') return undefined;
  let match: RegExpExecArray | null;
  try {
    match = new RegExp(pattern).exec(value);
  } catch {
    return undefined;
  }
  return match ? (match[1] ?? match[0]) : undefined;
}

function found(value: unknown, pointer: string): unknown {
  try {
    return getPointer(value, pointer);
  } catch {
    return undefined;
  }
}

/** Header names are case-insensitive (RFC 9110, 5.1). */
function headerOf(headers: Record<string, string>, name: string): string | undefined {
  const lower = name.toLowerCase();
  return Object.entries(headers).find(([key]) => key.toLowerCase() === lower)?.[1];
}

/** A path parameter as the sent URL carries it, decoded: the segment the template names it in. */
function pathValue({ request, template, baseUrl }: ExpressionSource, name: string): string | undefined {
  const base = new URL(baseUrl).pathname.replace(/\/+$/, '');
  const sent = new URL(request.url).pathname.slice(base.length).split('/');
  const index = template.split('/').indexOf(`{${name}}`);
  const segment = index < 0 ? undefined : sent[index];
  if (segment === undefined) return undefined;
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** The sent body as a value: JSON parsed, a form's fields by name (the first of a repeated one); else none. */
function sentBody(request: SentRequest): unknown {
  if (typeof request.body !== 'string') return undefined;
  const type = headerOf(request.headers, 'content-type') ?? '';
  if (mediaTypeEssence(type) === 'application/x-www-form-urlencoded') {
    const fields: Record<string, string> = {};
    for (const [key, value] of new URLSearchParams(request.body)) if (!Object.hasOwn(fields, key)) fields[key] = value;
    return fields;
  }
  if (!isJsonMediaType(type)) return undefined;
  try {
    return JSON.parse(request.body);
  } catch {
    return undefined;
  }
}
