/**
 * The text a person reads after a run: a table per operation and check, each failure group, then
 * the assumptions (refuted first). Everything a server sent is shown with its control characters
 * escaped, so no answer can move the cursor, clear the screen or fake a verdict.
 */
import type { AnswerWarning, Report } from '../report.js';
import type { LeftBehind, OverBudget } from '../types.js';
import { PLAIN, type Style } from './style.js';

const pad = (text: string, width: number): string => text + ' '.repeat(Math.max(0, width - text.length));
const padLeft = (text: string, width: number): string => ' '.repeat(Math.max(0, width - text.length)) + text;

/**
 * C0 and C1 controls (ESC included) as visible escapes; newlines and tabs too, so one item stays one
 * line; and the bidirectional overrides and isolates, which reorder what follows them on screen.
 */
export function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => {
    const code = c.charCodeAt(0);
    return code === 0x0a
      ? '\\n'
      : code === 0x0d
        ? '\\r'
        : code === 0x09
          ? '\\t'
          : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

function table(report: Report): string[] {
  const rows: string[][] = [['operation', 'check', 'passed', 'failed', 'skipped']];
  for (const [operationId, operation] of Object.entries(report.operations)) {
    for (const [check, counts] of Object.entries(operation.checks)) {
      rows.push([operationId, check, String(counts.passed), String(counts.failed), String(counts.skipped)]);
    }
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((row) =>
    row
      .map((cell, i) => (i < 2 ? pad(cell, widths[i]!) : padLeft(cell, widths[i]!)))
      .join('  ')
      .trimEnd(),
  );
}

function groups(report: Report, style: Style): string[] {
  const lines: string[] = [];
  for (const group of report.groups) {
    const first = group.first;
    lines.push(
      '',
      style.red(`✗ ${group.check} · ${group.operationId} · ${group.count} ${group.count === 1 ? 'case' : 'cases'}`),
    );
    lines.push(`  ${printable(group.message)}`);
    lines.push(`  case:      ${printable(first.case)}${group.count > 1 ? ` (and ${group.count - 1} more)` : ''}`);
    if (first.expected !== undefined) lines.push(`  expected:  ${style.green(printable(first.expected))}`);
    if (first.actual !== undefined) lines.push(`  got:       ${style.red(printable(first.actual))}`);
    for (const error of first.errors ?? []) lines.push(`    ${printable(error)}`);
    lines.push(`  reproduce: ${printable(first.curl)}`);
  }
  return lines;
}

function assumptions(report: Report, style: Style): string[] {
  if (report.assumptions.length === 0) return [];
  const { confirmed, refuted, untested } = report.summary.assumptions;
  const lines = [
    '',
    `Assumptions (rules the vendor does not state): ${refuted} refuted, ${confirmed} confirmed, ${untested} untested`,
  ];
  for (const assumption of report.assumptions.filter((a) => a.verdict === 'refuted')) {
    const heading = `${report.strict ? '✗' : '!'} refuted: ${assumption.keyword} at ${assumption.pointer}${assumption.operationId ? ` (${assumption.operationId})` : ''}`;
    lines.push('', report.strict ? style.red(heading) : style.yellow(heading));
    lines.push(`  assumed:   ${printable(assumption.reason)}`);
    lines.push(`  refuted by: ${printable(assumption.case ?? '')} answered ${assumption.status ?? 'nothing'}`);
    if (assumption.curl) lines.push(`  reproduce: ${printable(assumption.curl)}`);
  }
  if (refuted > 0 && !report.strict) {
    lines.push(
      '',
      'Refuted assumptions are not failures (--strict makes them so); --report-overlay writes the spec change.',
    );
  }
  return lines;
}

const PACE_ADVICE =
  'Slow the run with --rate-limit (or rateLimit: in the config), use a fresh credential, or lift the ' +
  "server's own limit where you can (this project's mock: contact-mock --rate-limit off)";

/** What to check when most answers are of one kind; the answers themselves say why. */
const HINTS: Record<AnswerWarning['kind'], string> = {
  credentials: 'are the credentials right? Give them with --header (or headers: in the config)',
  'base-url': "is the base URL right? The spec's paths are appended to it, so it must include any prefix",
  pace: `is the pace right? ${PACE_ADVICE}`,
};

export function warningLines(warnings: readonly AnswerWarning[], style: Style = PLAIN): string[] {
  return warnings.map(
    ({ kind, statuses, count, answered }) =>
      `${style.yellow('warning:')} ${count} of ${answered} answers were ${statuses.join('/')}: ${HINTS[kind]}`,
  );
}

export interface SummaryOptions {
  style?: Style;
  /** The API's name in a run of several. */
  name?: string;
}

const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? '' : 's'}`;

function verdictLine(failed: boolean, text: string, style: Style): string {
  return failed ? `${style.bold(style.red('FAILED'))} · ${text}` : `${style.bold(style.green('PASSED'))} · ${text}`;
}

/** The verdict line's note of throttled answers: a pass that judged few answers must say so where CI logs are read. */
const throttledText = (throttled: number): string =>
  throttled > 0 ? ` · ${plural(throttled, 'answer')} throttled, not judged` : '';

function countsText(total: number, passed: number, failed: number, skipped: number, style: Style): string {
  const failedText = `${failed} failed`;
  return `${total} checks: ${passed} passed, ${failed > 0 ? style.red(failedText) : failedText}, ${skipped} skipped`;
}

export function renderSummary(
  report: Report,
  elapsedMs: number,
  requests: number,
  options: SummaryOptions = {},
): string {
  const style = options.style ?? PLAIN;
  const { summary } = report;
  const title = `${options.name !== undefined ? `${style.bold(printable(options.name))} · ` : ''}${printable(report.spec)} against ${printable(report.baseUrl)}`;
  const lines = [
    '',
    `${title} · seed ${report.seed} · ${requests} requests in ${(elapsedMs / 1000).toFixed(1)} s`,
    '',
    ...table(report),
  ];
  if (report.failures.length > 0) {
    lines.push(
      '',
      `${report.failures.length} ${report.failures.length === 1 ? 'failure' : 'failures'} in ${report.groups.length} ${report.groups.length === 1 ? 'group' : 'groups'}:`,
    );
    lines.push(...groups(report, style));
  }
  lines.push(...assumptions(report, style));
  if (report.throttled > 0) {
    const waited =
      report.throttleWaitMs > 0
        ? `, after waiting ${(report.throttleWaitMs / 1000).toFixed(0)} s in all on Retry-After`
        : '';
    lines.push(
      '',
      `note: ${report.throttled} ${report.throttled === 1 ? 'answer was' : 'answers were'} throttled (the spec's rate-limit status) and not judged${waited}: the run cannot tell whether the quota was used before it started. ${PACE_ADVICE}.`,
    );
  }
  if (report.cleanup) {
    const { cleaned, leftovers } = report.cleanup;
    lines.push(
      '',
      `cleanup: ${cleaned} ${cleaned === 1 ? 'record' : 'records'} the run created deleted; ${leftovers.length} left behind`,
    );
    for (const line of leftoverLines(leftovers)) lines.push(line);
  }
  for (const warning of overBudgetWarnings(report.overBudget)) lines.push('', warning);
  for (const { operationId, reason } of report.skippedOperations) {
    lines.push('', `note: ${operationId} was not tested: ${printable(reason)}`);
  }
  for (const operationId of report.unreached) {
    lines.push(
      '',
      `note: ${operationId} was never asked about a record the run made: each valid request named another and got 404 (not judged), so what it answers for a record went untested`,
    );
  }
  if (report.webhooks) {
    const operations = report.webhooks === 1 ? '1 webhook operation is' : `${report.webhooks} webhook operations are`;
    lines.push('', `note: the document's ${operations} not tested: requests the API sends, not ones it answers`);
  }
  if (report.notSent > 0) {
    // Why differs (a step that failed, or no created record left, e.g. more deletes than creates): each line says.
    const requests = report.notSent === 1 ? '1 planned request was' : `${report.notSent} planned requests were`;
    lines.push('', `note: ${requests} not sent:`);
    lines.push(...notSentLines(report.notSentBy));
  }
  for (const line of warningLines(report.warnings ?? [], style)) lines.push('', line);
  if (report.interrupted !== undefined) {
    lines.push(
      '',
      `${style.bold(`INTERRUPTED (${printable(report.interrupted)})`)}: the run stopped sending its planned cases; the verdict covers only what was sent`,
    );
  }
  lines.push(
    '',
    verdictLine(
      summary.failed > 0,
      countsText(summary.total, summary.passed, summary.failed, summary.skipped, style) +
        throttledText(report.throttled),
      style,
    ),
    '',
  );
  return lines.join('\n');
}

/** One line per operation: how many of its requests were not sent, and the commonest reason (JSON: every reason). */
function notSentLines(notSentBy: Report['notSentBy']): string[] {
  const byOperation = new Map<string, Report['notSentBy']>();
  for (const entry of notSentBy)
    byOperation.set(entry.operationId, [...(byOperation.get(entry.operationId) ?? []), entry]);
  return [...byOperation].map(([operationId, entries]) => {
    const total = entries.reduce((sum, entry) => sum + entry.requests, 0);
    const commonest = entries.reduce((a, b) => (b.requests > a.requests ? b : a));
    const others = entries.length - 1;
    const rest = others > 0 ? `; ${others} other ${others === 1 ? 'reason' : 'reasons'} in the JSON report` : '';
    return `  ${operationId}: ${total} (${printable(commonest.reason)}${rest})`;
  });
}

/** Ids of leftovers shown per line: the JSON report's `cleanup.leftovers` lists every one. */
const LEFTOVER_IDS_SHOWN = 10;

/** How a leftover is found again: its id, or for a create never answered the unique values it was sent with. */
function leftoverLabel({ id, sentWith }: NonNullable<Report['cleanup']>['leftovers'][number]): string {
  if (id !== null && id !== undefined) return JSON.stringify(id) ?? '';
  if (!sentWith) return 'nothing to find it by';
  return Object.entries(sentWith)
    .map(([field, value]) => `${field} ${JSON.stringify(value)}`)
    .join(' ');
}

/** One line per create and reason: a vendor run leaves few, a run against a mock without deletes many. */
function leftoverLines(leftovers: NonNullable<Report['cleanup']>['leftovers']): string[] {
  const groups = new Map<string, { operationId: string; reason: string; labels: string[]; known: boolean }>();
  for (const leftover of leftovers) {
    const { operationId, reason } = leftover;
    const known = leftover.id !== null && leftover.id !== undefined;
    const key = JSON.stringify([operationId, reason, known]);
    const group = groups.get(key) ?? { operationId, reason, labels: [], known };
    group.labels.push(leftoverLabel(leftover));
    groups.set(key, group);
  }
  return [...groups.values()].map(({ operationId, reason, labels, known }) => {
    const shown = labels.slice(0, LEFTOVER_IDS_SHOWN).map(printable);
    const more = labels.length - shown.length;
    const every = known ? 'every id' : 'every one';
    const list = `${shown.join(', ')}${more > 0 ? ` and ${more} more (the JSON report lists ${every})` : ''}`;
    const records = labels.length === 1 ? '1 record' : `${labels.length} records`;
    const noun = !known ? 'sent with' : labels.length === 1 ? 'id' : 'ids';
    return `  left: ${operationId}, ${records} (${printable(reason)}): ${noun} ${list}`;
  });
}

/**
 * The records a run on a target holding others' records will leave there, said before it sends
 * anything (the dry run, the start of the run), one line per create, worded as the cleanup's leftovers.
 */
export function leftBehindLines(forecast: readonly LeftBehind[]): string[] {
  return forecast.map(({ operationId, records, reason, noRandom }) => {
    const count = records === 1 ? '1 record' : `${records} records`;
    const random = noRandom ? ' (no random bodies planned for it: each would be one more)' : '';
    return `left behind: ${operationId}, ${count}: ${printable(reason)}${random}`;
  });
}

/** One API of a run of several: its report, or why it could not run. */
export type ApiOutcome =
  | { name: string; report: Report; elapsedMs: number; requests: number }
  | { name: string; spec: string; error: string };

/** A run of several APIs: each API's summary, then one verdict over all of them. */
export function renderSummaries(outcomes: readonly ApiOutcome[], elapsedMs: number, style: Style = PLAIN): string {
  const parts: string[] = [];
  const totals = { total: 0, passed: 0, failed: 0, skipped: 0, requests: 0, throttled: 0 };
  let failedApis = 0;
  let erroredApis = 0;
  for (const outcome of outcomes) {
    if ('error' in outcome) {
      erroredApis++;
      parts.push(
        `\n${style.red(`✗ ${printable(outcome.name)}`)} · ${printable(outcome.spec)} could not run: ${printable(outcome.error)}\n`,
      );
      continue;
    }
    const { summary } = outcome.report;
    totals.total += summary.total;
    totals.passed += summary.passed;
    totals.failed += summary.failed;
    totals.skipped += summary.skipped;
    totals.requests += outcome.requests;
    totals.throttled += outcome.report.throttled;
    if (summary.failed > 0) failedApis++;
    parts.push(renderSummary(outcome.report, outcome.elapsedMs, outcome.requests, { style, name: outcome.name }));
  }
  const passedApis = outcomes.length - failedApis - erroredApis;
  const apis = [
    `${passedApis} passed`,
    ...(failedApis > 0 ? [style.red(`${failedApis} failed`)] : []),
    ...(erroredApis > 0 ? [style.red(`${erroredApis} could not run`)] : []),
  ].join(', ');
  const text = `${plural(outcomes.length, 'API')} (${apis}) · ${countsText(totals.total, totals.passed, totals.failed, totals.skipped, style)}${throttledText(totals.throttled)} · ${totals.requests} requests in ${(elapsedMs / 1000).toFixed(1)} s`;
  parts.push(`${style.bold('All APIs')}\n${verdictLine(failedApis + erroredApis > 0, text, style)}\n`);
  return parts.join('');
}

/** Operations cut short that each get a warning line of their own; more are summed up in one. */
const OVER_BUDGET_LINES = 3;

/** The --max-cases warnings, shared with the dry run: one per operation, or one for them all when many are cut short. */
export function overBudgetWarnings(overBudget: readonly OverBudget[]): string[] {
  if (overBudget.length <= OVER_BUDGET_LINES)
    return overBudget.map(
      ({ operationId, needed, kept, limit }) =>
        `warning: ${operationId} has ${needed} example, boundary, violation and scenario requests but --max-cases is ${limit}: ${kept} sent, no random case; --max-cases ${needed} sends them all`,
    );
  const limit = overBudget[0]!.limit;
  const most = Math.max(...overBudget.map((o) => o.needed));
  const named = overBudget
    .slice(0, OVER_BUDGET_LINES)
    .map((o) => `${o.operationId} ${o.needed}`)
    .join(', ');
  return [
    `warning: ${overBudget.length} operations have more example, boundary, violation and scenario requests than --max-cases ${limit} (${named} and ${overBudget.length - OVER_BUDGET_LINES} more; every one in the JSON report's overBudget): ${limit} sent each, no random case; --max-cases ${most} sends them all`,
  ];
}
