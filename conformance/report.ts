/**
 * The one aggregator: every reporter renders the Report it builds. Counts per (case, check), each
 * failure with its redacted request, response and curl, failures grouped by their typed key, every
 * case's outcomes, and each assumption's verdict. Redaction happens here, once.
 */
import { isObject } from '../lib/json.js';
import { appendPointer, getPointer } from '../lib/json-pointer.js';
import { type Assumption, assumptionsOf, INFERRED } from '../lib/provenance.js';
import { documentedResponse } from '../lib/responses.js';
import type { Spec } from '../lib/spec.js';

import { mediaTypeOf } from './checks/support.js';
import { toCurl } from './curl.js';
import type { Leftover } from './execute.js';
import type { Redactor } from './redact.js';
import type { CaseResult, CheckResult, Exchange, OverBudget } from './types.js';

export interface Counts {
  total: number;
  passed: number;
  failed: number;
  skipped: number;
}

export interface RedactedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: unknown;
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
  request: RedactedRequest;
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

export type Verdict = 'confirmed' | 'refuted' | 'untested';

export interface AssumptionRecord {
  operationId: string | null;
  pointer: string;
  keyword: string;
  reason: string;
  verdict: Verdict;
  /** The deciding exchange's case name, status and media type (null without a Content-Type); null when untested. */
  case: string | null;
  status: number | null;
  mediaType: string | null;
  /** How to replay the deciding request (not in the JSON report). */
  curl?: string;
}

export interface CaseRecord {
  seq: number;
  operationId: string;
  name: string;
  kind: string;
  status: number | null;
  checks: { check: string; status: CheckResult['status']; reason?: string; failure?: FailureRecord }[];
}

/** One exchange as sent and answered, redacted: what HAR and the HTML report show. */
export interface ExchangeRecord {
  seq: number;
  operationId: string;
  case: string;
  startedAt: number | null;
  durationMs: number | null;
  request: RedactedRequest & { text?: string };
  response: { status: number; headers: Record<string, string>; text: string; truncated: boolean } | null;
  /** Why there is no (complete) response, or why the case was not sent. */
  error: string | null;
}

/**
 * Why most answers may say nothing about the contract: nearly every request was refused for its
 * credentials (401/403), found nothing (404: a wrong base URL), or throttled (429: a pace too fast).
 */
export type WarningKind = 'credentials' | 'base-url' | 'pace';

export interface AnswerWarning {
  kind: WarningKind;
  /** The statuses counted, e.g. [401, 403]. */
  statuses: number[];
  /** Answers with one of them... */
  count: number;
  /** ...of the answers that should not have had them (an auth case is meant to get 401). */
  answered: number;
}

export interface Report {
  spec: string;
  baseUrl: string;
  seed: number;
  strict: boolean;
  summary: Counts & { assumptions: Record<Verdict, number> };
  checks: Record<string, Counts>;
  operations: Record<string, { cases: number; checks: Record<string, Counts> }>;
  failures: FailureRecord[];
  groups: FailureGroup[];
  assumptions: AssumptionRecord[];
  cases: CaseRecord[];
  /** Every exchange, redacted: recorded only for the reports that show them (HTML, HAR), else empty. */
  exchanges: ExchangeRecord[];
  /** Throttled answers the run could not judge, and the time spent waiting on Retry-After. */
  throttled: number;
  throttleWaitMs: number;
  notSent: number;
  /** The requests not sent, by operation and reason (a record a step before should have made), in case order. */
  notSentBy: { operationId: string; reason: string; requests: number }[];
  /** Operations no case could be made for, with the reason. */
  skippedOperations: { operationId: string; reason: string }[];
  /**
   * Operations whose every valid request answered named no record the run made and got 404 (an item
   * path keyed by an email the create does not answer with): what they answer for a record went untested.
   */
  unreached: string[];
  /** Operations whose deterministic cases alone exceeded --max-cases: how many they needed and kept. */
  overBudget: OverBudget[];
  /** The cleanup's outcome, when the run cleaned up: records deleted, and those left behind. */
  cleanup?: { cleaned: number; leftovers: Leftover[] };
  /** Why the run stopped before sending every planned case (a signal's name), when it did. */
  interrupted?: string;
  /** The document's webhook operations, when it has any: requests the API sends, which no run tests. */
  webhooks?: number;
  /** Answers that suggest the run itself is misconfigured, when most of them say so (buildReport sets it). */
  warnings?: AnswerWarning[];
}

const BODY_LIMIT = 4096;

const emptyCounts = (): Counts => ({ total: 0, passed: 0, failed: 0, skipped: 0 });

function add(counts: Counts, result: CheckResult): void {
  counts.total++;
  counts[result.status]++;
}

/** Deeper JSON is shown as text: no reporter needs to walk (or stringify) thousands of levels. */
const MAX_SHOWN_DEPTH = 64;

function depthOver(value: unknown, limit: number): boolean {
  let level: unknown[] = [value];
  for (let depth = 0; level.length > 0; depth++) {
    if (depth > limit) return true;
    const next: unknown[] = [];
    for (const node of level) {
      if (node === null || typeof node !== 'object') continue;
      for (const child of Array.isArray(node) ? node : Object.values(node)) next.push(child);
    }
    level = next;
  }
  return false;
}

function bodyOf(text: string, json: { value: unknown } | undefined, redactor: Redactor): unknown {
  if (json && !depthOver(json.value, MAX_SHOWN_DEPTH)) return redactor.value(json.value);
  const clean = redactor.text(text);
  return clean.length > BODY_LIMIT ? `${clean.slice(0, BODY_LIMIT)}… (${clean.length} characters)` : clean;
}

/** A request body as text: multipart bytes read as UTF-8, as a person would look at them. */
export function bodyText(body: string | Uint8Array): string {
  return typeof body === 'string' ? body : Buffer.from(body).toString('utf8');
}

function redactedRequest(exchange: Exchange, redactor: Redactor): RedactedRequest & { text?: string } {
  const { request } = exchange;
  const text = request.body === undefined ? undefined : redactor.text(bodyText(request.body));
  let body: unknown = text;
  if (text !== undefined) {
    try {
      body = JSON.parse(text);
    } catch {
      // Malformed-JSON cases keep their text.
    }
  }
  return {
    method: request.method,
    url: redactor.text(request.url),
    headers: redactor.headers(request.headers),
    ...(text !== undefined ? { body, text } : {}),
  };
}

function curlOf(request: RedactedRequest & { text?: string }): string {
  return toCurl({
    method: request.method,
    url: request.url,
    headers: request.headers,
    ...(request.text !== undefined ? { body: request.text } : {}),
  });
}

function failureRecord(exchange: Exchange, check: CheckResult, redactor: Redactor): FailureRecord {
  const failure = check.failure!;
  const request = redactedRequest(exchange, redactor);
  const response = exchange.response
    ? {
        status: exchange.response.status,
        headers: redactor.headers(exchange.response.headers),
        body: bodyOf(exchange.response.text, exchange.response.json, redactor),
      }
    : {
        status: exchange.error?.status ?? null,
        headers: redactor.headers(exchange.error?.headers ?? {}),
        body: null,
      };
  const { text: _text, ...shown } = request;
  return {
    operationId: exchange.testCase.operation.operationId,
    check: check.check,
    case: redactor.text(exchange.testCase.name),
    seq: exchange.testCase.seq,
    message: redactor.text(failure.message),
    ...(failure.expected !== undefined ? { expected: redactor.text(failure.expected) } : {}),
    ...(failure.actual !== undefined ? { actual: redactor.text(failure.actual) } : {}),
    ...(failure.errors ? { errors: failure.errors.map((e) => redactor.text(e)) } : {}),
    request: shown,
    response,
    curl: curlOf(request),
  };
}

/** Response text kept per exchange: enough to read, bounded for runs of thousands of cases. */
const EXCHANGE_TEXT_LIMIT = 64 * 1024;

function exchangeRecord(exchange: Exchange, redactor: Redactor): ExchangeRecord {
  const { response } = exchange;
  const text = response ? redactor.text(response.text) : '';
  return {
    seq: exchange.testCase.seq,
    operationId: exchange.testCase.operation.operationId,
    case: redactor.text(exchange.testCase.name),
    startedAt: exchange.timing?.startedAt ?? null,
    durationMs: exchange.timing?.durationMs ?? null,
    request: redactedRequest(exchange, redactor),
    response: response
      ? {
          status: response.status,
          headers: redactor.headers(response.headers),
          text: text.slice(0, EXCHANGE_TEXT_LIMIT),
          truncated: text.length > EXCHANGE_TEXT_LIMIT,
        }
      : null,
    error: exchange.notSent ?? (exchange.error ? redactor.text(exchange.error.message) : null),
  };
}

const usingBySpec = new WeakMap<Spec, ReadonlyMap<string, readonly string[]>>();

/**
 * Marked node (`pointer keyword`) -> the operations whose request or responses reach it, in spec order;
 * once per spec, which a process keeps from run to run while its files are unchanged.
 */
function operationsUsing(spec: Spec): ReadonlyMap<string, readonly string[]> {
  let known = usingBySpec.get(spec);
  if (!known) usingBySpec.set(spec, (known = walkOperationsUsing(spec)));
  return known;
}

function walkOperationsUsing(spec: Spec): Map<string, string[]> {
  const using = new Map<string, string[]>();
  for (const operation of spec.operations) {
    const seen = new Set<object>();
    const stack: [unknown, string][] = [];
    const start = (node: unknown, pointer: string) => stack.push([node, pointer]);
    start(getPointer(spec.source, operation.pointer), operation.pointer);
    while (stack.length > 0) {
      const [current, pointer] = stack.pop()!;
      if (!isObject(current) && !Array.isArray(current)) continue;
      if (seen.has(current)) continue;
      seen.add(current);
      if (Array.isArray(current)) {
        for (const [i, item] of current.entries()) stack.push([item, appendPointer(pointer, i)]);
        continue;
      }
      if (typeof current.$ref === 'string' && current.$ref.startsWith('#')) {
        const target = decodeURIComponent(current.$ref.slice(1));
        stack.push([getPointer(spec.source, target), target]);
      }
      const marks = current[INFERRED];
      if (isObject(marks)) {
        for (const keyword of Object.keys(marks)) {
          const key = `${pointer} ${keyword}`;
          const list = using.get(key) ?? [];
          if (!list.includes(operation.operationId)) list.push(operation.operationId);
          using.set(key, list);
        }
      }
      for (const [key, child] of Object.entries(current)) {
        if (key !== INFERRED && key !== 'example' && key !== 'examples')
          stack.push([child, appendPointer(pointer, key)]);
      }
    }
  }
  return using;
}

const keyOf = (a: Pick<Assumption, 'pointer' | 'keyword'>): string => `${a.pointer} ${a.keyword}`;

function contentTypeOf(exchange: Exchange): string | null {
  return (exchange.response && mediaTypeOf(exchange.response)) ?? null;
}

function assumptionRecords(spec: Spec, results: readonly CaseResult[], redactor: Redactor): AssumptionRecord[] {
  const decided = new Map<string, { verdict: 'confirmed' | 'refuted'; exchange: Exchange }>();
  for (const result of results) {
    for (const { assumption, verdict } of result.assumptions) {
      const key = keyOf(assumption);
      const current = decided.get(key);
      // A refutation outweighs any number of confirmations; otherwise the first evidence decides.
      if (!current || (current.verdict === 'confirmed' && verdict === 'refuted'))
        decided.set(key, { verdict, exchange: result.exchange });
    }
  }
  const using = operationsUsing(spec);
  const records = assumptionsOf(spec.source).map((assumption): AssumptionRecord => {
    const decision = decided.get(keyOf(assumption));
    if (!decision) {
      return {
        operationId: using.get(keyOf(assumption))?.[0] ?? null,
        ...assumption,
        verdict: 'untested',
        case: null,
        status: null,
        mediaType: null,
      };
    }
    const { exchange } = decision;
    return {
      operationId: exchange.testCase.operation.operationId,
      ...assumption,
      verdict: decision.verdict,
      case: redactor.text(exchange.testCase.name),
      status: exchange.response?.status ?? null,
      mediaType: contentTypeOf(exchange),
      curl: curlOf(redactedRequest(exchange, redactor)),
    };
  });
  const order: Record<Verdict, number> = { refuted: 0, confirmed: 1, untested: 2 };
  return records.sort((a, b) => order[a.verdict] - order[b.verdict]);
}

const WEBHOOK_METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

/** `{ webhooks: n }` for a document with n webhook operations, else nothing. */
function webhookCount(spec: Spec): { webhooks?: number } {
  const webhooks = (spec.source as { webhooks?: unknown }).webhooks;
  if (!isObject(webhooks)) return {};
  let count = 0;
  for (const item of Object.values(webhooks))
    if (isObject(item)) count += Object.keys(item).filter((key) => WEBHOOK_METHODS.has(key)).length;
  return count > 0 ? { webhooks: count } : {};
}

/** The answers a case of this kind is meant to get anyway: they say nothing of the run's set-up. */
const MEANT: Record<WarningKind, (result: CaseResult) => boolean> = {
  credentials: (result) => result.exchange.testCase.kind === 'auth',
  'base-url': (result) => {
    const { testCase, usesCreatedId } = result.exchange;
    const rule = testCase.stateful?.rule;
    if (rule === 'gone' || rule === 'unknown-id') return true;
    // A documented 404 for a malformed id, or for an id the run did not make, is the operation's own answer.
    if (!documentedResponse(testCase.operation, 404)) return false;
    const named = testCase.operation.parameters.some((p) => p.in === 'path');
    return testCase.kind === 'negative' || testCase.kind === 'header' || (named && !usesCreatedId);
  },
  pace: (result) => result.exchange.testCase.kind === 'rate-limit',
};

const WARNED: { kind: WarningKind; statuses: number[] }[] = [
  { kind: 'credentials', statuses: [401, 403] },
  { kind: 'base-url', statuses: [404] },
  { kind: 'pace', statuses: [429] },
];

/** A warning for each reason that explains more than half of the answers it could explain. */
export function answerWarnings(results: readonly CaseResult[]): AnswerWarning[] {
  const warnings: AnswerWarning[] = [];
  for (const { kind, statuses } of WARNED) {
    let answered = 0;
    let count = 0;
    for (const result of results) {
      const status = result.exchange.response?.status;
      if (status === undefined || MEANT[kind](result)) continue;
      answered++;
      if (statuses.includes(status)) count++;
    }
    if (count * 2 > answered) warnings.push({ kind, statuses, count, answered });
  }
  return warnings;
}

export interface ReportContext {
  spec: Spec;
  specFile: string;
  baseUrl: string;
  seed: number;
  strict: boolean;
  skippedOperations?: { operationId: string; reason: string }[];
  overBudget?: OverBudget[];
  cleanup?: Report['cleanup'] | undefined;
  /** Whether a report that shows every exchange will be written (redacting each is a cost per request). */
  recordExchanges: boolean;
  interrupted?: string;
}

/**
 * Whether a request asked about a record the run made. Its own record is the one a path value the run
 * made names, other than a parent (the user of `/users/{user_id}/contacts/{id}`): with no such value, a
 * value it made up there names no record of the run's, whatever parent the run made it under. A path of
 * the run's parents and the user's values alone (`/users/{user_id}/contacts`) is about that parent.
 */
function reachesRecord({ usesCreatedId, testCase }: Exchange): boolean {
  if (!usesCreatedId) return false;
  const parameters = testCase.operation.parameters;
  const given = (name: string): boolean =>
    parameters.some((p) => p.in === 'path' && p.name === name && p.given === true);
  const own = Object.entries(testCase.request.pathParams).filter(([, value]) => !('parent' in value && value.parent));
  return (
    own.some(([, value]) => 'sourceOperationId' in value && value.reference !== true) ||
    own.every(([name]) => given(name))
  );
}

function unreachedOperations(results: readonly CaseResult[]): string[] {
  const tally = new Map<string, { answered: number; missing: number }>();
  for (const { exchange } of results) {
    const { testCase, response } = exchange;
    // Only a path naming a record can name one the run did not make.
    const names = testCase.operation.parameters.some((p) => p.in === 'path');
    if (testCase.kind !== 'positive' || testCase.stateful || !response || !names) continue;
    const entry = tally.get(testCase.operation.operationId) ?? { answered: 0, missing: 0 };
    entry.answered++;
    if (response.status === 404 && !reachesRecord(exchange)) entry.missing++;
    tally.set(testCase.operation.operationId, entry);
  }
  return [...tally].filter(([, e]) => e.answered > 0 && e.missing === e.answered).map(([operationId]) => operationId);
}

export function buildReport(results: readonly CaseResult[], context: ReportContext, redactor: Redactor): Report {
  const report: Report = {
    spec: context.specFile,
    baseUrl: redactor.text(context.baseUrl),
    seed: context.seed,
    strict: context.strict,
    summary: { ...emptyCounts(), assumptions: { confirmed: 0, refuted: 0, untested: 0 } },
    checks: {},
    operations: {},
    failures: [],
    groups: [],
    assumptions: [],
    cases: [],
    exchanges: [],
    warnings: answerWarnings(results),
    throttled: 0,
    throttleWaitMs: 0,
    notSent: 0,
    notSentBy: [],
    skippedOperations: (context.skippedOperations ?? []).map((s) => ({ ...s, reason: redactor.text(s.reason) })),
    unreached: unreachedOperations(results),
    overBudget: context.overBudget ?? [],
    ...(context.interrupted !== undefined ? { interrupted: context.interrupted } : {}),
    ...webhookCount(context.spec),
    ...(context.cleanup
      ? {
          cleanup: {
            cleaned: context.cleanup.cleaned,
            leftovers: context.cleanup.leftovers.map((l) => ({
              ...l,
              reason: redactor.text(l.reason),
              ...(l.sentWith ? { sentWith: redactor.value(l.sentWith) as Record<string, unknown> } : {}),
            })),
          },
        }
      : {}),
  };
  const groups = new Map<string, FailureGroup>();
  for (const result of results) {
    const { exchange } = result;
    const { testCase, notSent } = exchange;
    const operationId = testCase.operation.operationId;
    const operation = (report.operations[operationId] ??= { cases: 0, checks: {} });
    operation.cases++;
    if (notSent) {
      report.notSent++;
      const reason = redactor.text(notSent);
      const same = report.notSentBy.find((n) => n.operationId === operationId && n.reason === reason);
      if (same) same.requests++;
      else report.notSentBy.push({ operationId, reason, requests: 1 });
    }
    if (exchange.throttle) {
      report.throttled++;
      report.throttleWaitMs += exchange.throttle.waitedMs;
    }
    const record: CaseRecord = {
      seq: testCase.seq,
      operationId,
      name: redactor.text(testCase.name),
      kind: testCase.kind,
      status: exchange.response?.status ?? null,
      checks: [],
    };
    report.cases.push(record);
    if (context.recordExchanges) report.exchanges.push(exchangeRecord(exchange, redactor));
    for (const check of result.checks) {
      add(report.summary, check);
      add((report.checks[check.check] ??= emptyCounts()), check);
      add((operation.checks[check.check] ??= emptyCounts()), check);
      const shown: CaseRecord['checks'][number] = {
        check: check.check,
        status: check.status,
        ...(check.reason !== undefined ? { reason: redactor.text(check.reason) } : {}),
      };
      record.checks.push(shown);
      if (check.status !== 'failed') continue;
      const failure = failureRecord(exchange, check, redactor);
      shown.failure = failure;
      report.failures.push(failure);
      const key = `${operationId}\u0000${check.check}\u0000${check.failure!.key}`;
      const group = groups.get(key);
      if (group) group.count++;
      else groups.set(key, { operationId, check: check.check, message: failure.message, count: 1, first: failure });
    }
  }
  report.groups = [...groups.values()];
  report.assumptions = assumptionRecords(context.spec, results, redactor);
  for (const assumption of report.assumptions) report.summary.assumptions[assumption.verdict]++;
  return report;
}
