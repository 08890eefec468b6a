/**
 * The documented response for a status, as OpenAPI orders them: the exact code, then its range
 * (`4XX`, any case), then `default`. The mock picks what to answer with it, the runner what to
 * judge an answer against.
 */
import type { Operation, Response } from './spec.js';

/** Which of the documented statuses (`201`, `4XX`, `default`) a status falls under, if any. */
export function documentedStatus(status: number | string, documented: readonly string[]): string | undefined {
  const code = String(status).toUpperCase();
  return (
    documented.find((d) => d.toUpperCase() === code) ??
    documented.find((d) => d.toUpperCase() === `${code[0]}XX`) ??
    documented.find((d) => d === 'default')
  );
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

/** The documented statuses of a class (`4` -> `400`, `404`, `4XX`), in document order. */
export function documentedStatuses(operation: Operation, leading: '2' | '4' | '5'): string[] {
  return operation.responses.map((r) => r.status).filter((s) => s.startsWith(leading));
}
