/**
 * The report every reporter renders: counts per (case, check) pair, each failure with its redacted
 * request, response and curl, and failures grouped by (operation, check, message).
 */

import { toCurl } from './curl.js';
import type { Redactor } from './redact.js';
import type { CaseResult, CheckResult } from './types.js';

export interface Counts {
  total: number;
  passed: number;
  failed: number;
  skipped: number;
}

export interface FailureRecord {
  operationId: string;
  check: string;
  case: string;
  seq: number;
  message: string;
  expected?: string;
  actual?: string;
  errors?: string[];
  request: { method: string; url: string; headers: Record<string, string>; body?: unknown };
  response: { status: number | null; headers: Record<string, string>; body: unknown };
  curl: string;
}

export interface FailureGroup {
  operationId: string;
  check: string;
  message: string;
  count: number;
  /** The first failure of the group, shown in full. */
  first: FailureRecord;
}

export interface Report {
  spec: string;
  baseUrl: string;
  seed: number;
  summary: Counts;
  checks: Record<string, Counts>;
  operations: Record<string, { cases: number; checks: Record<string, Counts> }>;
  failures: FailureRecord[];
  groups: FailureGroup[];
  /** Requests answered with the spec's rate-limit status, legitimately (past the documented limit), outside the rate-limit check. */
  throttled: number;
  notSent: number;
}

const BODY_LIMIT = 4096;

const emptyCounts = (): Counts => ({ total: 0, passed: 0, failed: 0, skipped: 0 });

function add(counts: Counts, result: CheckResult): void {
  counts.total++;
  counts[result.status]++;
}

function bodyOf(text: string, json: { value: unknown } | undefined, redactor: Redactor): unknown {
  if (json) return redactor.value(json.value);
  const clean = redactor.text(text);
  return clean.length > BODY_LIMIT ? `${clean.slice(0, BODY_LIMIT)}… (${clean.length} characters)` : clean;
}

/** Same cause, same key: indexes and quoted values vary from case to case, the cause does not. */
function normalize(message: string): string {
  return message.replace(/\/\d+(?=\/|:|$)/g, '/*').replace(/"[^"]*"/g, '"…"');
}

function failureRecord(result: CaseResult, check: CheckResult, redactor: Redactor): FailureRecord {
  const { exchange } = result;
  const failure = check.failure!;
  const request = {
    ...exchange.request,
    headers: redactor.headers(exchange.request.headers),
    url: redactor.text(exchange.request.url),
    ...(exchange.request.body !== undefined ? { body: redactor.text(exchange.request.body) } : {}),
  };
  let requestBody: unknown = request.body;
  if (request.body !== undefined) {
    try {
      requestBody = JSON.parse(request.body);
    } catch {
      // Malformed-JSON cases keep their text.
    }
  }
  const response = exchange.response
    ? {
        status: exchange.response.status,
        headers: redactor.headers(exchange.response.headers),
        body: bodyOf(exchange.response.text, exchange.response.json, redactor),
      }
    : { status: exchange.error?.status ?? null, headers: redactor.headers(exchange.error?.headers ?? {}), body: null };
  return {
    operationId: exchange.testCase.operation.operationId,
    check: check.check,
    case: exchange.testCase.name,
    seq: exchange.testCase.seq,
    message: redactor.text(failure.message),
    ...(failure.expected !== undefined ? { expected: redactor.text(failure.expected) } : {}),
    ...(failure.actual !== undefined ? { actual: redactor.text(failure.actual) } : {}),
    ...(failure.errors ? { errors: failure.errors.map((e) => redactor.text(e)) } : {}),
    request: {
      method: request.method,
      url: request.url,
      headers: request.headers,
      ...(request.body !== undefined ? { body: requestBody } : {}),
    },
    response,
    curl: toCurl(request),
  };
}

export function buildReport(
  results: CaseResult[],
  context: { spec: string; baseUrl: string; seed: number },
  redactor: Redactor,
): Report {
  const report: Report = {
    spec: context.spec,
    baseUrl: context.baseUrl,
    seed: context.seed,
    summary: emptyCounts(),
    checks: {},
    operations: {},
    failures: [],
    groups: [],
    throttled: 0,
    notSent: 0,
  };
  const groups = new Map<string, FailureGroup>();
  for (const result of results) {
    const { testCase, notSent } = result.exchange;
    const operationId = testCase.operation.operationId;
    const operation = (report.operations[operationId] ??= { cases: 0, checks: {} });
    operation.cases++;
    if (notSent) report.notSent++;
    if (result.exchange.throttled) report.throttled++;
    for (const check of result.checks) {
      add(report.summary, check);
      add((report.checks[check.check] ??= emptyCounts()), check);
      add((operation.checks[check.check] ??= emptyCounts()), check);
      if (check.status !== 'failed') continue;
      const record = failureRecord(result, check, redactor);
      report.failures.push(record);
      const key = `${operationId}\u0000${check.check}\u0000${normalize(record.message)}`;
      const group = groups.get(key);
      if (group) group.count++;
      else groups.set(key, { operationId, check: check.check, message: record.message, count: 1, first: record });
    }
  }
  report.groups = [...groups.values()];
  return report;
}
