/** The text a person reads after a run: a table per operation and check, then each failure group. */
import type { Report } from '../report.js';

const pad = (text: string, width: number): string => text + ' '.repeat(Math.max(0, width - text.length));
const padLeft = (text: string, width: number): string => ' '.repeat(Math.max(0, width - text.length)) + text;

function table(report: Report): string[] {
  const rows: string[][] = [['operation', 'check', 'passed', 'failed', 'skipped']];
  for (const [operationId, operation] of Object.entries(report.operations)) {
    for (const [check, counts] of Object.entries(operation.checks))
      rows.push([operationId, check, String(counts.passed), String(counts.failed), String(counts.skipped)]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((row) =>
    row
      .map((cell, i) => (i < 2 ? pad(cell, widths[i]!) : padLeft(cell, widths[i]!)))
      .join('  ')
      .trimEnd(),
  );
}

function groups(report: Report): string[] {
  const lines: string[] = [];
  for (const group of report.groups) {
    const first = group.first;
    lines.push('', `✗ ${group.check} · ${group.operationId} · ${group.count} ${group.count === 1 ? 'case' : 'cases'}`);
    lines.push(`  ${group.message}`);
    lines.push(`  case:      ${first.case}${group.count > 1 ? ` (and ${group.count - 1} more)` : ''}`);
    if (first.expected !== undefined) lines.push(`  expected:  ${first.expected}`);
    if (first.actual !== undefined) lines.push(`  got:       ${first.actual}`);
    for (const error of first.errors ?? []) lines.push(`    ${error}`);
    lines.push(`  reproduce: ${first.curl}`);
  }
  return lines;
}

export function renderSummary(report: Report, elapsedMs: number, requests: number): string {
  const { summary } = report;
  const lines = [
    '',
    `${report.spec} against ${report.baseUrl} · seed ${report.seed} · ${requests} requests in ${(elapsedMs / 1000).toFixed(1)} s`,
    '',
    ...table(report),
  ];
  if (report.failures.length > 0) {
    lines.push(
      '',
      `${report.failures.length} ${report.failures.length === 1 ? 'failure' : 'failures'} in ${report.groups.length} ${report.groups.length === 1 ? 'group' : 'groups'}:`,
    );
    lines.push(...groups(report));
  }
  if (report.throttled > 0)
    lines.push(
      '',
      `note: ${report.throttled} requests were answered with the rate-limit status and not judged; slow down with --rate-limit.`,
    );
  if (report.notSent > 0)
    lines.push('', `note: ${report.notSent} requests were not sent because a step they depend on did not succeed.`);
  lines.push(
    '',
    `${summary.failed > 0 ? 'FAILED' : 'PASSED'} · ${summary.total} checks: ${summary.passed} passed, ${summary.failed} failed, ${summary.skipped} skipped`,
    '',
  );
  return lines.join('\n');
}
