/**
 * The documented response for a status, as OpenAPI orders them: the exact code, then its range
 * (`4XX`, any case), then `default`. The mock picks what to answer with it, the runner what to
 * judge an answer against.
 */
import { isObject } from './json.js';
import type { Operation, Response } from './spec.js';
import type { RuleSet } from './validator.js';
import { objectProperties } from './wire.js';

/** Which of the documented statuses (`201`, `4XX`, `default`) a status falls under, if any. */
export function documentedStatus(status: number | string, documented: readonly string[]): string | undefined {
  const code = String(status).toUpperCase();
  return (
    documented.find((d) => d.toUpperCase() === code) ??
    documented.find((d) => d.toUpperCase() === `${code[0]}XX`) ??
    documented.find((d) => d === 'default')
  );
}

/**
 * Statuses whose answers have no content, whatever a document shows for them: 204 and 304 "cannot
 * contain content", a 205 sends none (RFC 9110 15.3.5, 15.3.6, 15.4.5), a 1xx is interim.
 */
export function isBodiless(status: number | string): boolean {
  const code = Number(status);
  return code === 204 || code === 205 || code === 304 || (code >= 100 && code < 200);
}

const byOperation = new WeakMap<Operation, Map<string, Response | null>>();

export function documentedResponse(operation: Operation, status: number | string): Response | undefined {
  const code = String(status).toUpperCase();
  let byStatus = byOperation.get(operation);
  if (!byStatus) byOperation.set(operation, (byStatus = new Map()));
  let found = byStatus.get(code);
  if (found === undefined) {
    const key = documentedStatus(
      code,
      operation.responses.map((r) => r.status),
    );
    found = operation.responses.find((r) => r.status === key) ?? null;
    byStatus.set(code, found);
  }
  return found ?? undefined;
}

export const isSuccess = (status: number): boolean => status >= 200 && status < 300;

/** A documented status of the success class: `201` or the range `2XX`. */
export const isSuccessStatus = (status: string): boolean => /^2(\d\d|XX)$/i.test(status);

/** The documented statuses of a class (`4` -> `400`, `404`, `4XX`), in document order. */
export function documentedStatuses(operation: Operation, leading: '2' | '4' | '5'): string[] {
  return operation.responses.map((r) => r.status).filter((s) => s.startsWith(leading));
}

/**
 * Answers about credentials, payment, permissions, pace and a record gone for good (410, Intercom's
 * "contact merged"): none says what was wrong with the request itself. A 404 may (a path no route
 * takes), so it stays a refusal.
 */
export const NOT_ABOUT_THE_REQUEST: ReadonlySet<string> = new Set(['401', '402', '403', '407', '410', '429']);

/**
 * The documented answers to a request refused for what it holds: the client errors (a code or
 * `4XX`) other than those about credentials, payment, permissions, pace or a gone record, and `default`.
 */
export function rejectionResponses(operation: Operation): Response[] {
  return operation.responses.filter(
    (r) => r.status === 'default' || (/^4/.test(r.status) && !NOT_ABOUT_THE_REQUEST.has(r.status)),
  );
}

/** A response the vendor documents without a body, as the documented rules read it. */
const withoutContent = new WeakMap<Response, Response>();

/**
 * A documented response as a rule set reads it: under `documented` rules, a body only we infer
 * (`x-inferred: { content: ... }`) is not there. The mock leaves such a body out, the runner does
 * not judge one.
 */
export function underRules(response: Response, rules: RuleSet): Response {
  if (rules === 'all' || response.inferred?.content === undefined) return response;
  let view = withoutContent.get(response);
  if (!view) withoutContent.set(response, (view = { ...response, content: [] }));
  return view;
}

/**
 * Whether an answer says that the record asked about is gone, as `expected` (a status, or `4XX` where
 * the document says no more) puts it: that status; under `4XX`, any refusal, or, for a record the run
 * `deleted`, a success whose body is flagged `deleted: true` where the documented answer has such a
 * flag (Stripe reads a deleted customer back as `{"id": ..., "deleted": true}`; an id never made was
 * never deleted).
 */
export function answersGone(
  operation: Operation,
  expected: string,
  status: number,
  body: unknown,
  deleted: boolean,
): boolean {
  if (documentedStatus(status, [expected]) !== undefined) return true;
  if (!deleted || expected !== '4XX' || !isSuccess(status) || !isObject(body) || body.deleted !== true) return false;
  const schema = documentedResponse(operation, status)?.content.find((m) => m.schema)?.schema;
  return schema !== undefined && objectProperties(schema)?.deleted !== undefined;
}
