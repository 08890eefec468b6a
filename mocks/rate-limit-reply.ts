/**
 * The documented answer to a request over `x-rate-limit`: its status and example, `Retry-After`,
 * and the vendor's message template filled with the real wait.
 */
import type { RateLimitExtension } from '../lib/extensions.js';
import { escapeRegExp } from '../lib/regexp.js';
import { documentedResponse } from '../lib/responses.js';
import type { Operation } from '../lib/spec.js';
import { type ErrorContext, errorReply, type Reply } from './responses.js';

function templatePattern(template: string): RegExp {
  const escaped = template.split('{retryAfter}').map((part) => escapeRegExp(part));
  return new RegExp(`^${escaped.join('\\d+')}$`);
}

/** Replaces every string of the example written from the template (wherever the vendor put it). */
function replaceTemplated(value: unknown, pattern: RegExp, filled: string): unknown {
  if (typeof value === 'string') return pattern.test(value) ? filled : value;
  if (Array.isArray(value)) return value.map((item) => replaceTemplated(item, pattern, filled));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, replaceTemplated(item, pattern, filled)]),
    );
  }
  return value;
}

export async function rateLimitReply(
  context: ErrorContext,
  rule: RateLimitExtension,
  retryAfter: number,
): Promise<Reply> {
  const message = rule.message?.replace(/\{retryAfter\}/g, String(retryAfter));
  const headers: Record<string, string> = {
    'retry-after': String(retryAfter),
    ...rateLimitHeaders(context.operation, rule.status, rule.limit, 0),
  };
  const reply = await errorReply(context, {
    statuses: [rule.status],
    cause: 'rate-limited',
    ...(message !== undefined ? { message } : {}),
    headers,
  });
  if (rule.message !== undefined && message !== undefined)
    reply.body = replaceTemplated(reply.body, templatePattern(rule.message), message);
  return reply;
}

/** `X-RateLimit-Limit` / `X-RateLimit-Remaining` with the real numbers, when the response documents them. */
export function rateLimitHeaders(
  operation: Operation,
  status: string,
  limit: number,
  remaining: number,
): Record<string, string> {
  const declared = new Set(documentedResponse(operation, status)?.headers.map((h) => h.name.toLowerCase()) ?? []);
  const headers: Record<string, string> = {};
  if (declared.has('x-ratelimit-limit')) headers['x-ratelimit-limit'] = String(limit);
  if (declared.has('x-ratelimit-remaining')) headers['x-ratelimit-remaining'] = String(remaining);
  return headers;
}
