/**
 * RFC 9457 problem details, for an answer no spec documents: the mock's own endpoints and routing,
 * a `Prefer` it cannot honour, a request refused before any operation matched, or its own failure.
 */
export const PROBLEM_JSON = 'application/problem+json';

export interface ProblemDetails {
  type: 'about:blank';
  title: string;
  status: number;
  detail: string;
}

export interface ProblemAnswer {
  status: number;
  headers: Record<string, string>;
  body: ProblemDetails;
}

/** The answer: the status, `Content-Type: application/problem+json` (plus `headers`) and the details. */
export function problem(
  status: number,
  title: string,
  detail: string,
  headers: Readonly<Record<string, string>> = {},
): ProblemAnswer {
  return {
    status,
    headers: { 'content-type': PROBLEM_JSON, ...headers },
    body: { type: 'about:blank', title, status, detail },
  };
}
