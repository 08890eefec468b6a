/**
 * Builds the replies the mock makes itself (errors, rate limits) from the operation's documented
 * responses: which status, which example, and the example filled with what actually happened.
 */
import type { NamedExample, Operation, Response } from '../lib/spec.js';
import { fillErrorBody } from './error-body.js';
import type { Violation } from './violations.js';

export interface Reply {
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

export function findResponse(operation: Operation, status: string): Response | undefined {
  return (
    operation.responses.find((r) => r.status === status) ??
    operation.responses.find((r) => r.status === `${status[0]}XX`)
  );
}

/**
 * Body schema violations get the 422 when the vendor documents one (it is the validation status of
 * APIs that have both); violations of the request's envelope (parameters, headers, unparseable or
 * unsupported payload) get the 400 first, as frameworks answer those before model validation.
 */
export function validationStatus(operation: Operation, violations: readonly Violation[]): string {
  const envelope = violations.some((v) => v.location !== 'body');
  const order = envelope ? ['400', '422'] : ['422', '400'];
  return (
    order.find((status) => findResponse(operation, status)?.content.length) ??
    order.find((status) => findResponse(operation, status)) ??
    '400'
  );
}

/** Words that point at the example written for this kind of mistake (`missing-name`, `invalid-customer-id`, `malformed-json`). */
function hintsFor(violations: readonly Violation[]): string[] {
  const hints: string[] = [];
  for (const v of violations) {
    hints.push(v.field.toLowerCase(), v.field.split('.').pop()!.toLowerCase());
    if (v.kind === 'required') hints.push('missing', 'required');
    if (v.kind === 'duplicate') hints.push('duplicate', 'taken', 'exists');
    if (v.kind === 'invalid') hints.push('invalid');
    if (v.location === 'payload' && /JSON/.test(v.message)) hints.push('json', 'malformed');
  }
  return hints;
}

/** The example mentioning most hints in its name, summary or value; the first on a tie. */
function pickExample(examples: readonly NamedExample[], hints: readonly string[]): NamedExample | undefined {
  let best = examples[0];
  let bestScore = 0;
  for (const example of examples) {
    const text = `${example.name} ${example.summary ?? ''} ${JSON.stringify(example.value)}`.toLowerCase();
    const score = new Set(hints.filter((hint) => hint && text.includes(hint))).size;
    if (score > bestScore) {
      best = example;
      bestScore = score;
    }
  }
  return best;
}

export interface ErrorReplyOptions {
  violations?: readonly Violation[];
  message?: string;
  /** Use this documented example instead of choosing one from the violations. */
  example?: string;
  hints?: readonly string[];
  headers?: Record<string, string>;
}

/** A documented error response, its example filled from the violations. */
export function errorReply(operation: Operation, status: string, options: ErrorReplyOptions = {}): Reply {
  const response = findResponse(operation, status);
  const code = Number(/^\d{3}$/.test(status) ? status : (response?.status ?? '400').replace(/XX$/, '00'));
  const violations = options.violations ?? [];
  const media = response?.content[0];
  if (!response || !media) {
    // Undocumented: the spec gives no format, so fall back to RFC 9457 problem details.
    return {
      status: code,
      headers: { 'content-type': 'application/problem+json', ...options.headers },
      body: {
        type: 'about:blank',
        title: response?.description || 'Error',
        status: code,
        detail: options.message ?? violations.map((v) => v.message).join('; '),
      },
    };
  }
  const named = options.example !== undefined ? media.examples.find((e) => e.name === options.example) : undefined;
  const example = named ?? pickExample(media.examples, options.hints ?? hintsFor(violations));
  const body = fillErrorBody(example?.value ?? {}, response.errorBody, {
    violations,
    status: code,
    ...(options.message !== undefined ? { message: options.message } : {}),
  });
  return { status: code, headers: { 'content-type': media.mediaType, ...options.headers }, body };
}
