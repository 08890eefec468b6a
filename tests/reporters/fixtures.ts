/**
 * Reports built by hand, for what a real run rarely shows: hostile text in every field, transport
 * errors, requests never sent, statuses under a `4XX` range or `default`, and runs of thousands of
 * cases. Real runs are in the browser tests and har.test.ts.
 */
import type { CaseRecord, ExchangeRecord, FailureGroup, FailureRecord, Report } from '../../conformance/report.js';
import type { SpecView } from '../../conformance/reporters/html.js';

export const HOSTILE = `<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">"'&\u202e\u0007`;

export interface CaseSpec {
  operationId?: string;
  kind?: string;
  name?: string;
  /** null: no response; 'not-sent': never sent. */
  status: number | null | 'not-sent';
  failed?: string[];
  body?: string;
  headers?: Record<string, string>;
  message?: string;
}

/** A Report of the given cases, every failure of a (operation, check, message) in one group. */
export function makeReport(cases: readonly CaseSpec[], base: Partial<Report> = {}): Report {
  const report: Report = {
    spec: 'specs/example.yaml',
    baseUrl: 'http://127.0.0.1:9',
    seed: 42,
    strict: false,
    summary: { total: 0, passed: 0, failed: 0, skipped: 0, assumptions: { confirmed: 0, refuted: 0, untested: 0 } },
    checks: {},
    operations: {},
    failures: [],
    groups: [],
    assumptions: [],
    cases: [],
    exchanges: [],
    throttled: 0,
    throttleWaitMs: 0,
    notSent: 0,
    notSentBy: [],
    skippedOperations: [],
    unreached: [],
    overBudget: [],
    ...base,
  };
  const groups = new Map<string, FailureGroup>();
  for (const [seq, spec] of cases.entries()) {
    const operationId = spec.operationId ?? 'createThing';
    const name = spec.name ?? `case ${seq}`;
    const status = spec.status === 'not-sent' ? null : spec.status;
    const headers = spec.headers ?? { 'content-type': 'application/json' };
    const exchange: ExchangeRecord = {
      seq,
      operationId,
      case: name,
      startedAt: spec.status === 'not-sent' ? null : 1_700_000_000_000 + seq * 10,
      durationMs: spec.status === 'not-sent' ? null : 5 + (seq % 7),
      request: {
        method: 'POST',
        url: `http://127.0.0.1:9/things?page=${seq}&q=a%20b`,
        headers: { authorization: 'Bearer ***', 'content-type': 'application/json' },
        body: { name },
        text: JSON.stringify({ name }),
      },
      response: status === null ? null : { status, headers, text: spec.body ?? '{"id":1}', truncated: false },
      error:
        spec.status === 'not-sent' ? 'no record to take id from' : status === null ? 'timeout after 5000 ms' : null,
    };
    if (spec.status === 'not-sent') report.notSent++;
    const record: CaseRecord = { seq, operationId, name, kind: spec.kind ?? 'positive', status, checks: [] };
    const operation = (report.operations[operationId] ??= { cases: 0, checks: {} });
    operation.cases++;
    for (const check of ['not_a_server_error', 'status_code_documented']) {
      const failed = spec.failed?.includes(check) ?? false;
      const counts = (report.checks[check] ??= { total: 0, passed: 0, failed: 0, skipped: 0 });
      const opCounts = (operation.checks[check] ??= { total: 0, passed: 0, failed: 0, skipped: 0 });
      for (const c of [counts, opCounts, report.summary]) {
        c.total++;
        if (failed) c.failed++;
        else c.passed++;
      }
      if (!failed) {
        record.checks.push({ check, status: 'passed' });
        continue;
      }
      const failure: FailureRecord = {
        operationId,
        check,
        case: name,
        seq,
        message: spec.message ?? `${check} failed`,
        expected: 'a documented status',
        actual: String(status),
        errors: ['/id: must be integer'],
        request: exchange.request,
        response: { status, headers, body: spec.body ?? { id: 1 } },
        curl: `curl -i -X POST 'http://127.0.0.1:9/things' -H 'authorization: Bearer ***'`,
      };
      record.checks.push({ check, status: 'failed', failure });
      report.failures.push(failure);
      const key = `${operationId} ${check} ${failure.message}`;
      const group = groups.get(key);
      if (group) group.count++;
      else groups.set(key, { operationId, check, message: failure.message, count: 1, first: failure });
    }
    report.cases.push(record);
    report.exchanges.push(exchange);
  }
  report.groups = [...groups.values()];
  return report;
}

export const SPEC: SpecView = {
  title: 'Example API',
  version: '1.0.0',
  operations: [
    {
      operationId: 'createThing',
      method: 'post',
      path: '/things',
      summary: 'Create a thing',
      responses: [
        { status: '201', description: 'Created' },
        { status: '4XX', description: 'Client error' },
        { status: '500', description: 'Server error' },
        { status: 'default', description: 'Anything else', inferred: { response: 'assumed' } },
      ],
    },
  ],
};
