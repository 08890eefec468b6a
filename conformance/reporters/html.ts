/**
 * `--report-html`: one self-contained HTML file for people. For each API (one Report each: a run of
 * several APIs writes one file) and each operation, a coverage matrix of the documented statuses
 * against the case kinds (what was seen, what was never reached, what failed), the failure groups
 * with expected and got, the exchange and the curl, the assumptions and their verdicts, and the
 * run's seed and timing.
 *
 * Everything in a Report came from a server or was derived from it, so every piece of text is
 * escaped (control and bidirectional-override characters shown as visible escapes) and none is
 * ever put in a URL, a style or a script. Nothing is fetched: CSS and the little script are inline,
 * allowed by hash in the page's Content-Security-Policy, which forbids everything else (a markup
 * injection that got through would still run nothing and load nothing). It works offline from
 * file://. What a run of thousands of cases would make too long to render is capped, and the page
 * says how much it left out (the JSON and HAR reports have all of it).
 */
import { createHash } from 'node:crypto';
import { documentedStatus } from '../../lib/responses.js';
import type { Spec } from '../../lib/spec.js';
import type { CaseRecord, ExchangeRecord, FailureGroup, FailureRecord, Report, Verdict } from '../report.js';
import type { CaseKind } from '../types.js';

/** Case kinds in the order of the matrix columns. */
export const CASE_KINDS: readonly CaseKind[] = ['positive', 'negative', 'header', 'auth', 'stateful', 'rate-limit'];

export interface HtmlLimits {
  /** Failure groups shown per report. */
  groups: number;
  /** Case names listed per failure group (besides the first, shown in full). */
  casesPerGroup: number;
  /** Rows of the case list per report. */
  caseRows: number;
  /** Assumptions listed per report. */
  assumptions: number;
  /** Characters of a body, a message or a curl line shown. */
  text: number;
  /** Headers shown per request or response. */
  headers: number;
}

export const DEFAULT_LIMITS: HtmlLimits = {
  groups: 200,
  casesPerGroup: 25,
  caseRows: 1000,
  assumptions: 500,
  text: 16 * 1024,
  headers: 100,
};

/** What the page needs of a spec: its title and each operation's documented responses. */
export type SpecView = Pick<Spec, 'title' | 'version'> & {
  operations: readonly {
    operationId: string;
    method: string;
    path: string;
    summary?: string | undefined;
    responses: readonly { status: string; description: string; inferred?: unknown }[];
  }[];
};

export interface HtmlOptions {
  /** The spec each report ran (same index): gives the documented statuses of the matrix. */
  specs?: readonly (SpecView | undefined)[];
  /** Wall time of each run in milliseconds (same index); otherwise taken from the exchanges. */
  elapsedMs?: readonly (number | undefined)[];
  /** When the page was written (default now). */
  generatedAt?: Date;
  limits?: Partial<HtmlLimits>;
}

// ---------------------------------------------------------------------------------------------
// Escaping
// ---------------------------------------------------------------------------------------------

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Text for HTML content or a quoted attribute: markup characters as entities; control characters
 * (but newline and tab), C1 controls, line separators and bidirectional overrides as visible
 * `\uXXXX`, so that no answer can hide or reorder what the page shows.
 */
export function escapeHtml(value: unknown): string {
  return String(value)
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g, (c) =>
      c === '\r' ? '\\r' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
    )
    .replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

const esc = escapeHtml;

function clip(text: string, limit: number): string {
  return text.length > limit ? `${text.slice(0, limit)}\n… (${text.length - limit} more characters not shown)` : text;
}

/** A body as text: strings as they are, anything else as indented JSON. */
function bodyText(body: unknown): string {
  if (body === undefined || body === null) return '';
  if (typeof body === 'string') return body;
  try {
    return JSON.stringify(body, null, 2) ?? '';
  } catch {
    return String(body);
  }
}

const plural = (count: number, one: string, many = `${one}s`): string => `${count} ${count === 1 ? one : many}`;

// ---------------------------------------------------------------------------------------------
// Numbers
// ---------------------------------------------------------------------------------------------

function formatMs(ms: number): string {
  if (ms < 1) return `${ms.toFixed(2)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

interface Timing {
  firstStart: number | null;
  wallMs: number | null;
  sent: number;
  median: number;
  p95: number;
  max: number;
}

function timingOf(report: Report, elapsedMs: number | undefined): Timing {
  const durations: number[] = [];
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  let sent = 0;
  for (const exchange of report.exchanges) {
    if (exchange.startedAt === null) continue;
    sent++;
    const duration = Math.max(0, exchange.durationMs ?? 0);
    durations.push(duration);
    first = Math.min(first, exchange.startedAt);
    last = Math.max(last, exchange.startedAt + duration);
  }
  durations.sort((a, b) => a - b);
  return {
    firstStart: sent > 0 ? first : null,
    wallMs: elapsedMs ?? (sent > 0 ? last - first : null),
    sent,
    median: percentile(durations, 50),
    p95: percentile(durations, 95),
    max: durations.at(-1) ?? 0,
  };
}

// ---------------------------------------------------------------------------------------------
// The coverage matrix
// ---------------------------------------------------------------------------------------------

interface Cell {
  cases: number;
  failed: number;
}

interface MatrixRow {
  /** `201`, `4XX`, `default`, an undocumented `418`, `no response` or `not sent`. */
  label: string;
  kind: 'documented' | 'undocumented' | 'no-response' | 'not-sent';
  description: string;
  inferred: boolean;
  cells: Map<string, Cell>;
  total: Cell;
}

function matrixRows(
  cases: readonly CaseRecord[],
  exchanges: ReadonlyMap<number, ExchangeRecord>,
  responses: SpecView['operations'][number]['responses'],
): MatrixRow[] {
  const documented = responses.map((r) => r.status);
  const rows = new Map<string, MatrixRow>();
  const row = (label: string, kind: MatrixRow['kind'], description = '', inferred = false): MatrixRow => {
    let found = rows.get(`${kind} ${label}`);
    if (!found) {
      found = { label, kind, description, inferred, cells: new Map(), total: { cases: 0, failed: 0 } };
      rows.set(`${kind} ${label}`, found);
    }
    return found;
  };
  for (const response of responses)
    row(response.status, 'documented', response.description, response.inferred !== undefined);
  for (const record of cases) {
    let target: MatrixRow;
    if (record.status === null) {
      const exchange = exchanges.get(record.seq);
      target =
        exchange && exchange.startedAt === null
          ? row('not sent', 'not-sent', 'a step it depends on did not succeed')
          : row('no response', 'no-response', 'timeout, refused or broken connection');
    } else {
      const key = documentedStatus(record.status, documented);
      target =
        key !== undefined ? row(key, 'documented') : row(String(record.status), 'undocumented', 'not documented');
    }
    const failed = record.checks.some((c) => c.status === 'failed') ? 1 : 0;
    const cell = target.cells.get(record.kind) ?? { cases: 0, failed: 0 };
    cell.cases++;
    cell.failed += failed;
    target.cells.set(record.kind, cell);
    target.total.cases++;
    target.total.failed += failed;
  }
  const order: Record<MatrixRow['kind'], number> = { documented: 0, undocumented: 1, 'no-response': 2, 'not-sent': 3 };
  return [...rows.values()].sort(
    (a, b) => order[a.kind] - order[b.kind] || (a.kind === 'undocumented' ? Number(a.label) - Number(b.label) : 0),
  );
}

function matrixCell(cell: Cell | undefined, status: string, kind: string, answered: boolean): string {
  const attributes = `data-status="${esc(status)}" data-kind="${esc(kind)}"`;
  if (!cell || cell.cases === 0) return `<td class="cell empty" ${attributes} data-cases="0" data-failed="0"></td>`;
  // A case without an answer was not "seen": grey unless one of its checks failed.
  const state = cell.failed > 0 ? 'failed' : answered ? 'seen' : 'unanswered';
  const title = `${plural(cell.cases, 'case')}${cell.failed > 0 ? `, ${cell.failed} with a failed check` : ''}`;
  return `<td class="cell ${state}" ${attributes} data-cases="${cell.cases}" data-failed="${cell.failed}" title="${esc(title)}">${cell.cases}${cell.failed > 0 ? ` <span class="x">${cell.failed}✗</span>` : ''}</td>`;
}

function matrix(rows: readonly MatrixRow[], kinds: readonly string[]): string {
  const head = `<tr><th scope="col">status</th>${kinds.map((k) => `<th scope="col">${esc(k)}</th>`).join('')}<th scope="col">all</th></tr>`;
  const body = rows.map((row) => {
    const never = row.kind === 'documented' && row.total.cases === 0;
    const answered = row.kind === 'documented' || row.kind === 'undocumented';
    const rowClass = never ? 'never' : row.kind;
    const note = never
      ? '<span class="tag never">never reached</span>'
      : row.kind === 'undocumented'
        ? '<span class="tag bad">undocumented</span>'
        : '';
    const inferred = row.inferred
      ? ' <span class="tag inferred" title="not documented by the vendor">inferred</span>'
      : '';
    const label = `<th scope="row"><span class="status">${esc(row.label)}</span>${inferred} ${note}<div class="desc">${esc(clip(row.description, 200))}</div></th>`;
    return `<tr class="row ${rowClass}" data-status="${esc(row.label)}" data-row="${rowClass}">${label}${kinds
      .map((kind) => matrixCell(row.cells.get(kind), row.label, kind, answered))
      .join('')}${matrixCell(row.total, row.label, 'all', answered)}</tr>`;
  });
  return `<table class="matrix"><thead>${head}</thead><tbody>${body.join('')}</tbody></table>`;
}

// ---------------------------------------------------------------------------------------------
// Failures, exchanges, assumptions, cases
// ---------------------------------------------------------------------------------------------

function headersTable(headers: Record<string, string>, limits: HtmlLimits): string {
  const entries = Object.entries(headers);
  if (entries.length === 0) return '<p class="muted">no headers</p>';
  const shown = entries.slice(0, limits.headers);
  const rows = shown
    .map(([name, value]) => `<tr><th>${esc(name)}</th><td>${esc(clip(value, 2000))}</td></tr>`)
    .join('');
  const more =
    entries.length > shown.length ? `<p class="muted">${entries.length - shown.length} more headers not shown</p>` : '';
  return `<table class="headers">${rows}</table>${more}`;
}

function pre(text: string, limits: HtmlLimits, className = ''): string {
  if (text === '') return '<p class="muted">empty</p>';
  return `<pre${className ? ` class="${className}"` : ''}>${esc(clip(text, limits.text))}</pre>`;
}

function exchangeBlock(failure: FailureRecord, exchange: ExchangeRecord | undefined, limits: HtmlLimits): string {
  const { request, response } = failure;
  const timing =
    exchange?.startedAt != null
      ? `<p class="muted">sent ${esc(new Date(exchange.startedAt).toISOString())}, ${exchange.response ? 'answered in' : 'no complete answer after'} ${esc(formatMs(exchange.durationMs ?? 0))}</p>`
      : '';
  const truncated = exchange?.response?.truncated
    ? '<p class="muted">the body was longer than 64 KB: the report keeps its start</p>'
    : '';
  const error = exchange?.error ? `<p class="muted">${esc(clip(exchange.error, 500))}</p>` : '';
  return `<div class="exchange">
<div class="half"><h5>request</h5><p class="line"><b>${esc(request.method)}</b> ${esc(clip(request.url, 2000))}</p>${headersTable(request.headers, limits)}${request.body !== undefined ? pre(bodyText(request.body), limits) : ''}</div>
<div class="half"><h5>response</h5><p class="line"><b>${esc(response.status ?? 'no response')}</b></p>${timing}${error}${headersTable(response.headers, limits)}${pre(bodyText(response.body), limits)}${truncated}</div>
</div>`;
}

function failureGroup(
  group: FailureGroup,
  others: readonly FailureRecord[],
  exchanges: ReadonlyMap<number, ExchangeRecord>,
  limits: HtmlLimits,
): string {
  const first = group.first;
  const listed = others.slice(0, limits.casesPerGroup);
  const unlisted = group.count - 1 - listed.length;
  const moreCases =
    group.count > 1
      ? `<div class="field"><span class="label">also</span><ul class="cases">${listed
          .map((f) => `<li>#${f.seq} ${esc(clip(f.case, 300))}</li>`)
          .join(
            '',
          )}${unlisted > 0 ? `<li class="muted">… ${listed.length > 0 ? 'and ' : ''}${plural(unlisted, 'more case')} (in the case list)</li>` : ''}</ul></div>`
      : '';
  const errors =
    first.errors && first.errors.length > 0
      ? `<div class="field"><span class="label">errors</span><ul class="errors">${first.errors
          .slice(0, 50)
          .map((e) => `<li><code>${esc(clip(e, 1000))}</code></li>`)
          .join(
            '',
          )}${first.errors.length > 50 ? `<li class="muted">… and ${first.errors.length - 50} more</li>` : ''}</ul></div>`
      : '';
  return `<details class="failure" data-check="${esc(group.check)}" data-operation="${esc(group.operationId)}" data-count="${group.count}">
<summary><span class="badge failed">✗</span> <b class="check">${esc(group.check)}</b> <span class="op">${esc(group.operationId)}</span> <span class="count">${plural(group.count, 'case')}</span><span class="message">${esc(clip(group.message, 300))}</span></summary>
<div class="body">
<div class="field"><span class="label">case</span><span>#${first.seq} ${esc(clip(first.case, 500))}</span></div>
${first.expected !== undefined ? `<div class="field expected"><span class="label">expected</span><code>${esc(clip(first.expected, 2000))}</code></div>` : ''}
${first.actual !== undefined ? `<div class="field actual"><span class="label">got</span><code>${esc(clip(first.actual, 2000))}</code></div>` : ''}
${group.message.length > 300 ? `<div class="field"><span class="label">message</span>${pre(group.message, limits)}</div>` : ''}
${errors}
${moreCases}
${exchangeBlock(first, exchanges.get(first.seq), limits)}
<div class="field curl"><span class="label">reproduce</span>${pre(first.curl, limits, 'curl')}</div>
</div>
</details>`;
}

/** The failures of each group, in case order (the group's key is not in the report: match on what makes one). */
function groupMembers(report: Report): Map<FailureGroup, FailureRecord[]> {
  const members = new Map<FailureGroup, FailureRecord[]>();
  const byFirst = new Map<FailureRecord, FailureGroup>();
  for (const group of report.groups) {
    members.set(group, []);
    byFirst.set(group.first, group);
  }
  // Groups of one (operation, check) with the same message: the later failures of those groups.
  const byMessage = new Map<string, FailureGroup[]>();
  for (const group of report.groups) {
    const key = `${group.operationId}\u0000${group.check}\u0000${group.message}`;
    byMessage.set(key, [...(byMessage.get(key) ?? []), group]);
  }
  for (const failure of report.failures) {
    if (byFirst.has(failure)) continue;
    const candidates = byMessage.get(`${failure.operationId}\u0000${failure.check}\u0000${failure.message}`);
    // Only an unambiguous match is listed: never attribute a case to the wrong group.
    if (candidates?.length === 1) members.get(candidates[0]!)!.push(failure);
  }
  return members;
}

const VERDICT_CLASS: Record<Verdict, string> = { refuted: 'refuted', confirmed: 'passed', untested: 'skipped' };

function assumptionsSection(report: Report, limits: HtmlLimits): string {
  if (report.assumptions.length === 0) return '';
  const { confirmed, refuted, untested } = report.summary.assumptions;
  const shown = report.assumptions.slice(0, limits.assumptions);
  const rows = shown
    .map(
      (a) => `<tr class="assumption" data-verdict="${esc(a.verdict)}">
<td><span class="badge ${VERDICT_CLASS[a.verdict]}">${esc(a.verdict)}</span></td>
<td><code>${esc(a.keyword)}</code></td>
<td><code class="pointer">${esc(clip(a.pointer, 500))}</code></td>
<td>${esc(a.operationId ?? '')}</td>
<td>${esc(clip(a.reason, 1000))}</td>
<td>${a.case !== null ? `${esc(clip(a.case, 300))} → <b>${esc(a.status ?? 'no response')}</b>` : '<span class="muted">no case decided it</span>'}${
        a.curl ? `<details class="curl"><summary>curl</summary>${pre(a.curl, limits, 'curl')}</details>` : ''
      }</td>
</tr>`,
    )
    .join('');
  const more =
    report.assumptions.length > shown.length
      ? `<p class="cap">${report.assumptions.length - shown.length} more assumptions not shown (see --report-json)</p>`
      : '';
  const note =
    refuted > 0 && !report.strict
      ? '<p class="muted">Refuted assumptions are not failures (--strict makes them so); --report-overlay writes the spec change.</p>'
      : '';
  return `<section class="assumptions"><h3>Assumptions <small>rules the vendor does not state</small></h3>
<p class="counts"><span class="badge refuted">${refuted} refuted</span> <span class="badge passed">${confirmed} confirmed</span> <span class="badge skipped">${untested} untested</span></p>
${note}
<table class="list"><thead><tr><th>verdict</th><th>keyword</th><th>where</th><th>operation</th><th>assumed</th><th>decided by</th></tr></thead><tbody>${rows}</tbody></table>${more}</section>`;
}

function casesSection(report: Report, limits: HtmlLimits): string {
  const shown = report.cases.slice(0, limits.caseRows);
  const rows = shown
    .map((record) => {
      const failed = record.checks.filter((c) => c.status === 'failed').map((c) => c.check);
      const state = failed.length > 0 ? 'failed' : 'passed';
      return `<tr class="case ${state}"><td>${record.seq}</td><td>${esc(record.operationId)}</td><td>${esc(record.kind)}</td><td>${esc(clip(record.name, 300))}</td><td>${esc(record.status ?? '—')}</td><td>${failed.length > 0 ? esc(failed.join(', ')) : '<span class="muted">none</span>'}</td></tr>`;
    })
    .join('');
  const more =
    report.cases.length > shown.length
      ? `<p class="cap" data-cap="cases">Showing the first ${shown.length} of ${report.cases.length} cases; the JSON and HAR reports have all of them.</p>`
      : '';
  return `<details class="all-cases"><summary>All cases (${report.cases.length})</summary>${more}
<table class="list"><thead><tr><th>#</th><th>operation</th><th>kind</th><th>case</th><th>status</th><th>failed checks</th></tr></thead><tbody>${rows}</tbody></table></details>`;
}

// ---------------------------------------------------------------------------------------------
// One API
// ---------------------------------------------------------------------------------------------

function countsLine(report: Report): string {
  const { total, passed, failed, skipped } = report.summary;
  return `<p class="counts" data-role="counts">
<span class="badge total"><span class="n" data-count="total">${total}</span> checks</span>
<span class="badge passed"><span class="n" data-count="passed">${passed}</span> passed</span>
<span class="badge failed"><span class="n" data-count="failed">${failed}</span> failed</span>
<span class="badge skipped"><span class="n" data-count="skipped">${skipped}</span> skipped</span>
<span class="badge cases"><span class="n" data-count="cases">${report.cases.length}</span> cases</span>
</p>`;
}

function checksTable(report: Report): string {
  const rows = Object.entries(report.checks)
    .map(
      ([check, c]) =>
        `<tr data-check="${esc(check)}" class="${c.failed > 0 ? 'failed' : ''}"><th>${esc(check)}</th><td class="num passed">${c.passed}</td><td class="num failed">${c.failed}</td><td class="num skipped">${c.skipped}</td></tr>`,
    )
    .join('');
  return `<table class="checks"><thead><tr><th>check</th><th>passed</th><th>failed</th><th>skipped</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function apiSection(
  report: Report,
  index: number,
  spec: SpecView | undefined,
  elapsedMs: number | undefined,
  limits: HtmlLimits,
): string {
  const id = `api-${index + 1}`;
  const timing = timingOf(report, elapsedMs);
  const exchanges = new Map(report.exchanges.map((e) => [e.seq, e]));
  const casesByOperation = new Map<string, CaseRecord[]>();
  for (const record of report.cases) {
    const list = casesByOperation.get(record.operationId) ?? [];
    list.push(record);
    casesByOperation.set(record.operationId, list);
  }
  const kinds = [
    ...CASE_KINDS,
    ...new Set(report.cases.map((c) => c.kind).filter((k) => !CASE_KINDS.includes(k as CaseKind))),
  ];
  const operations: {
    operationId: string;
    title: string;
    summary: string;
    responses: SpecView['operations'][number]['responses'];
  }[] = (spec?.operations ?? []).map((op) => ({
    operationId: op.operationId,
    title: `${op.method.toUpperCase()} ${op.path}`,
    summary: op.summary ?? '',
    responses: op.responses,
  }));
  for (const operationId of new Set([...Object.keys(report.operations), ...casesByOperation.keys()])) {
    if (!operations.some((op) => op.operationId === operationId))
      operations.push({ operationId, title: operationId, summary: '', responses: [] });
  }
  const operationBlocks = operations.map((op, i) => {
    const cases = casesByOperation.get(op.operationId) ?? [];
    const rows = matrixRows(cases, exchanges, op.responses);
    const never = rows.filter((r) => r.kind === 'documented' && r.total.cases === 0).map((r) => r.label);
    const failedCases = cases.filter((c) => c.checks.some((check) => check.status === 'failed')).length;
    return `<section class="operation" id="${id}-op-${i + 1}" data-operation="${esc(op.operationId)}">
<h3><span class="method">${esc(op.title)}</span> <code>${esc(op.operationId)}</code></h3>
${op.summary ? `<p class="muted">${esc(clip(op.summary, 300))}</p>` : ''}
<p class="opcounts">${plural(cases.length, 'case')}, ${failedCases} with a failed check${never.length > 0 ? ` · never reached: ${never.map((s) => `<b>${esc(s)}</b>`).join(', ')}` : ''}</p>
${matrix(rows, kinds)}
</section>`;
  });
  const members = groupMembers(report);
  const groups = report.groups.slice(0, limits.groups);
  const failures =
    report.groups.length === 0
      ? '<p class="none">No failures.</p>'
      : `${groups.map((g) => failureGroup(g, members.get(g) ?? [], exchanges, limits)).join('\n')}${
          report.groups.length > groups.length
            ? `<p class="cap" data-cap="groups">Showing ${groups.length} of ${report.groups.length} failure groups; the JSON report has all of them.</p>`
            : ''
        }`;
  const verdict = report.summary.failed > 0 ? 'failed' : 'passed';
  const meta: [string, string][] = [
    ['spec', `<code>${esc(report.spec)}</code>${spec ? ` (${esc(spec.title)} ${esc(spec.version)})` : ''}`],
    ['base URL', `<code>${esc(report.baseUrl)}</code>`],
    ['seed', `<code data-meta="seed">${report.seed}</code>${report.strict ? ' · strict' : ''}`],
    ['started', timing.firstStart !== null ? esc(new Date(timing.firstStart).toISOString()) : '—'],
    [
      'time',
      `${timing.wallMs !== null ? esc(formatMs(timing.wallMs)) : '—'} for ${plural(timing.sent, 'request')}${
        timing.sent > 0
          ? ` · response time median ${esc(formatMs(timing.median))}, p95 ${esc(formatMs(timing.p95))}, max ${esc(formatMs(timing.max))}`
          : ''
      }`,
    ],
  ];
  if (report.interrupted !== undefined)
    meta.unshift([
      'interrupted',
      `<strong data-meta="interrupted">${esc(report.interrupted)}</strong>: the run stopped sending its planned cases; the verdict covers only what was sent`,
    ]);
  if (report.notSent > 0)
    meta.push([
      'not sent',
      `${plural(report.notSent, 'planned request')}: ${report.notSentBy.map((n) => esc(`${n.operationId} ${n.requests} (${n.reason})`)).join('; ')}`,
    ]);
  if (report.unreached.length > 0)
    meta.push([
      'unreached',
      `<span data-meta="unreached">${report.unreached.map(esc).join(', ')}</span>: never asked about a record the run made (every valid request named another and got 404)`,
    ]);
  if (report.throttled > 0)
    meta.push([
      'throttled',
      `${plural(report.throttled, 'answer')} not judged${report.throttleWaitMs > 0 ? `, ${esc(formatMs(report.throttleWaitMs))} waited on Retry-After` : ''}`,
    ]);
  return `<section class="api ${verdict}" id="${id}" data-spec="${esc(report.spec)}">
<h2><span class="badge ${verdict}">${verdict === 'failed' ? 'FAILED' : 'PASSED'}</span> ${esc(spec?.title ?? report.spec)}</h2>
<div class="columns"><div>
<dl class="meta">${meta.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join('')}</dl>
${countsLine(report)}
</div><div>${checksTable(report)}</div></div>
<h3 class="section">Coverage <small>documented statuses × kinds of case</small></h3>
<p class="legend"><span class="swatch seen"></span> seen, every check passed <span class="swatch failed"></span> seen, a check failed <span class="swatch never"></span> documented, never reached <span class="swatch undocumented"></span> not documented <span class="swatch unanswered"></span> no answer <span class="muted">· a status counts under its exact code, else its range (4XX), else default</span></p>
${operationBlocks.join('\n')}
<h3 class="section">Failures <small>${plural(report.failures.length, 'failure')} in ${plural(report.groups.length, 'group')}</small></h3>
<div class="failures">${failures}</div>
${assumptionsSection(report, limits)}
${casesSection(report, limits)}
</section>`;
}

// ---------------------------------------------------------------------------------------------
// The page
// ---------------------------------------------------------------------------------------------

const STYLE = `
:root { --fg: #1d2433; --muted: #5b6475; --line: #dde2ea; --bg: #f6f7f9; --pass: #1a7f37; --pass-bg: #dcf5e3;
  --fail: #c62828; --fail-bg: #fde2e1; --skip: #6b7280; --skip-bg: #eceef2; --warn: #9a6700; --warn-bg: #fff1c2;
  --undoc: #8e24aa; --undoc-bg: #f3e0f7; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); margin: 0; background: var(--bg); }
header.page { background: #1d2433; color: #fff; padding: 14px 24px; display: flex; gap: 20px; align-items: center; flex-wrap: wrap; }
header.page h1 { font-size: 18px; margin: 0; }
header.page .muted { color: #c5cad3; }
nav.apis { display: flex; gap: 8px; flex-wrap: wrap; }
nav.apis a { color: #fff; text-decoration: none; border: 1px solid #4a5366; border-radius: 4px; padding: 2px 8px; }
main { padding: 16px 24px 40px; max-width: 1400px; }
section.api { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 12px 20px 20px; margin: 0 0 24px; }
section.api.failed { border-top: 4px solid var(--fail); }
section.api.passed { border-top: 4px solid var(--pass); }
h2 { font-size: 20px; margin: 6px 0 8px; }
h3 { font-size: 15px; margin: 18px 0 6px; }
h3.section { font-size: 16px; border-bottom: 1px solid var(--line); padding-bottom: 4px; margin-top: 26px; }
h3 small, h2 small { color: var(--muted); font-weight: normal; }
h5 { margin: 0 0 4px; font-size: 12px; text-transform: uppercase; color: var(--muted); }
code, pre { font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
pre { background: var(--bg); border: 1px solid var(--line); border-radius: 4px; padding: 8px; margin: 4px 0; white-space: pre-wrap; word-break: break-all; max-height: 360px; overflow: auto; }
.muted { color: var(--muted); }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin: 0 0 8px; }
dl.meta dt { color: var(--muted); }
dl.meta dd { margin: 0; }
.badge { display: inline-block; border-radius: 10px; padding: 0 8px; font-size: 12px; font-weight: 600; white-space: nowrap; }
.badge.passed { background: var(--pass-bg); color: var(--pass); }
.badge.failed { background: var(--fail-bg); color: var(--fail); }
.badge.skipped { background: var(--skip-bg); color: var(--skip); }
.badge.refuted { background: var(--warn-bg); color: var(--warn); }
.badge.total, .badge.cases { background: var(--bg); color: var(--fg); }
.counts .badge { font-size: 13px; padding: 2px 10px; }
.columns { display: flex; gap: 24px; flex-wrap: wrap; align-items: flex-start; }
.columns > div { flex: 0 1 auto; }
.columns > div:first-child { flex: 1 1 480px; }
table { border-collapse: collapse; }
table.checks th, table.checks td { padding: 2px 10px; border-bottom: 1px solid var(--line); text-align: left; }
table.checks thead th { font-size: 11px; text-transform: uppercase; color: var(--muted); }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.num.failed { color: var(--fail); font-weight: 600; }
tr:not(.failed) > td.num.failed { color: var(--muted); font-weight: normal; }
td.num.passed { color: var(--pass); }
td.num.skipped { color: var(--skip); }
table.matrix { margin: 6px 0 10px; }
table.matrix th, table.matrix td { border: 1px solid var(--line); padding: 3px 8px; }
table.matrix thead th { font-size: 11px; text-transform: uppercase; color: var(--muted); background: var(--bg); }
table.matrix tbody th { text-align: left; font-weight: normal; min-width: 220px; max-width: 420px; }
table.matrix .status { font-weight: 700; font-variant-numeric: tabular-nums; }
table.matrix .desc { color: var(--muted); font-size: 12px; }
td.cell { text-align: center; min-width: 64px; font-variant-numeric: tabular-nums; }
td.cell.seen { background: var(--pass-bg); color: var(--pass); }
td.cell.failed { background: var(--fail-bg); color: var(--fail); font-weight: 600; }
td.cell.unanswered { background: var(--skip-bg); color: var(--skip); }
td.cell .x { font-size: 11px; }
tr.never > th, tr.never > td { background: repeating-linear-gradient(135deg, var(--warn-bg) 0 6px, #fff 6px 12px); }
tr.undocumented > th { background: var(--undoc-bg); }
.tag { font-size: 11px; border-radius: 3px; padding: 0 4px; }
.tag.never { background: var(--warn-bg); color: var(--warn); }
.tag.bad { background: var(--undoc-bg); color: var(--undoc); }
.tag.inferred { background: var(--skip-bg); color: var(--skip); }
.legend { margin: 2px 0 6px; }
.legend .swatch { margin-left: 10px; }
.swatch { display: inline-block; width: 12px; height: 12px; vertical-align: -2px; border: 1px solid var(--line); }
.swatch.seen { background: var(--pass-bg); } .swatch.failed { background: var(--fail-bg); }
.swatch.never { background: var(--warn-bg); } .swatch.undocumented { background: var(--undoc-bg); }
.swatch.unanswered { background: var(--skip-bg); }
section.operation h3 .method { font-family: ui-monospace, Menlo, Consolas, monospace; }
section.operation h3 code { color: var(--muted); font-weight: normal; margin-left: 6px; }
.opcounts { margin: 0; color: var(--muted); }
details.failure { border: 1px solid var(--line); border-left: 4px solid var(--fail); border-radius: 4px; margin: 6px 0; background: #fff; }
details.failure > summary { cursor: pointer; padding: 6px 10px; display: flex; gap: 8px; flex-wrap: wrap; align-items: baseline; }
details.failure > summary .op { color: var(--muted); font-family: ui-monospace, Menlo, Consolas, monospace; }
details.failure > summary .count { color: var(--muted); }
details.failure > summary .message { flex-basis: 100%; padding-left: 28px; }
details.failure[open] > summary { border-bottom: 1px solid var(--line); background: var(--bg); }
details.failure .body { padding: 8px 12px; }
.field { display: flex; gap: 10px; margin: 4px 0; align-items: baseline; }
.field .label { min-width: 80px; color: var(--muted); font-size: 12px; text-transform: uppercase; }
.field > pre, .field > ul { flex: 1; margin: 0; min-width: 0; }
.field.expected code { color: var(--pass); }
.field.actual code { color: var(--fail); }
ul.errors, ul.cases { padding-left: 18px; }
.exchange { display: flex; gap: 16px; flex-wrap: wrap; margin: 8px 0; }
.exchange .half { flex: 1 1 420px; min-width: 0; border: 1px solid var(--line); border-radius: 4px; padding: 6px 10px; }
.exchange .line { margin: 0 0 4px; word-break: break-all; }
table.headers { font-size: 12px; margin: 2px 0; }
table.headers th { text-align: left; color: var(--muted); font-weight: normal; padding-right: 10px; vertical-align: top; white-space: nowrap; }
table.headers td { word-break: break-all; }
table.list { width: 100%; font-size: 13px; }
table.list th, table.list td { text-align: left; padding: 3px 6px; border-bottom: 1px solid var(--line); vertical-align: top; }
table.list thead th { font-size: 11px; text-transform: uppercase; color: var(--muted); }
section.assumptions td:nth-child(3) { word-break: break-all; max-width: 320px; }
section.assumptions td:nth-child(5) { min-width: 300px; }
tr.case.failed td:first-child { border-left: 3px solid var(--fail); }
details.all-cases { margin-top: 18px; }
details.all-cases > summary, details.curl > summary { cursor: pointer; color: var(--muted); }
.cap { background: var(--warn-bg); color: var(--warn); padding: 4px 8px; border-radius: 4px; }
.none { color: var(--pass); }
.toolbar { display: flex; gap: 8px; align-items: center; margin: 0 0 12px; }
.toolbar input { font: inherit; padding: 3px 8px; border: 1px solid var(--line); border-radius: 4px; min-width: 280px; }
.toolbar button { font: inherit; padding: 3px 10px; border: 1px solid var(--line); border-radius: 4px; background: #fff; cursor: pointer; }
`;

const SCRIPT = `
(function () {
  var failures = function () { return document.querySelectorAll('details.failure'); };
  var filter = document.getElementById('filter');
  var shown = document.getElementById('filter-count');
  function apply() {
    var text = filter.value.trim().toLowerCase();
    var count = 0;
    failures().forEach(function (d) {
      var hit = text === '' || d.textContent.toLowerCase().indexOf(text) !== -1;
      d.hidden = !hit;
      if (hit) count++;
    });
    shown.textContent = text === '' ? '' : count + ' matching';
  }
  filter.addEventListener('input', apply);
  document.getElementById('expand').addEventListener('click', function () {
    failures().forEach(function (d) { if (!d.hidden) d.open = true; });
  });
  document.getElementById('collapse').addEventListener('click', function () {
    failures().forEach(function (d) { d.open = false; });
  });
})();
`;

const sha256 = (text: string): string => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

export function renderHtml(reports: readonly Report[], options: HtmlOptions = {}): string {
  const limits: HtmlLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const generatedAt = options.generatedAt ?? new Date();
  const totals = reports.reduce(
    (sum, r) => ({
      total: sum.total + r.summary.total,
      passed: sum.passed + r.summary.passed,
      failed: sum.failed + r.summary.failed,
      skipped: sum.skipped + r.summary.skipped,
    }),
    { total: 0, passed: 0, failed: 0, skipped: 0 },
  );
  const verdict = totals.failed > 0 ? 'FAILED' : 'PASSED';
  // A stopped run's verdict covers only what it sent: the page says so before anything else.
  const interrupted = reports.find((r) => r.interrupted !== undefined)?.interrupted;
  const titles = reports.map((r, i) => options.specs?.[i]?.title ?? r.spec);
  const nav = reports
    .map(
      (r, i) =>
        `<a href="#api-${i + 1}"><span class="badge ${r.summary.failed > 0 ? 'failed' : 'passed'}">${r.summary.failed > 0 ? `${r.summary.failed} failed` : 'passed'}</span> ${esc(titles[i])}</a>`,
    )
    .join('');
  const sections = reports.map((report, i) =>
    apiSection(report, i, options.specs?.[i], options.elapsedMs?.[i], limits),
  );
  const csp = [
    "default-src 'none'",
    `style-src ${sha256(STYLE)}`,
    `script-src ${sha256(SCRIPT)}`,
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${esc(`Conformance ${verdict}: ${titles.join(', ')}`)}</title>
<style>${STYLE}</style>
</head>
<body>
<header class="page">
<h1>Conformance report</h1>
<span class="badge ${totals.failed > 0 ? 'failed' : 'passed'}" id="verdict">${verdict}</span>${
    interrupted !== undefined
      ? `<span class="badge refuted" id="interrupted">${esc(`INTERRUPTED (${interrupted})`)}</span>`
      : ''
  }
<span class="muted" id="totals">${plural(reports.length, 'API')} · ${plural(totals.total, 'check')}: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped</span>
<span class="muted">written ${esc(generatedAt.toISOString())}</span>
<nav class="apis">${nav}</nav>
</header>
<main>
<div class="toolbar"><input id="filter" type="search" placeholder="Filter failures (check, operation, message, body…)" aria-label="Filter failures"><button type="button" id="expand">Expand all</button><button type="button" id="collapse">Collapse all</button><span id="filter-count" class="muted"></span></div>
${sections.length > 0 ? sections.join('\n') : '<p class="none">No report.</p>'}
</main>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
