/** JUnit XML: one testsuite per operation, one testcase per (case, check), failures and skips marked. */
import type { Redactor } from '../redact.js';
import type { Report } from '../report.js';
import type { CaseResult } from '../types.js';

const escapeXml = (text: string): string =>
  text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');

export function renderJunit(report: Report, results: CaseResult[], redactor: Redactor): string {
  const failuresBySeq = new Map(report.failures.map((f) => [`${f.seq} ${f.check}`, f]));
  const suites = new Map<string, CaseResult[]>();
  for (const result of results) {
    const id = result.exchange.testCase.operation.operationId;
    suites.set(id, [...(suites.get(id) ?? []), result]);
  }
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="conformance ${escapeXml(report.spec)}" tests="${report.summary.total}" failures="${report.summary.failed}" skipped="${report.summary.skipped}" errors="0">`,
  ];
  for (const [operationId, caseResults] of suites) {
    const counts = report.operations[operationId]!;
    const totals = Object.values(counts.checks).reduce(
      (sum, c) => ({ tests: sum.tests + c.total, failures: sum.failures + c.failed, skipped: sum.skipped + c.skipped }),
      { tests: 0, failures: 0, skipped: 0 },
    );
    lines.push(
      `  <testsuite name="${escapeXml(operationId)}" tests="${totals.tests}" failures="${totals.failures}" skipped="${totals.skipped}" errors="0">`,
    );
    for (const result of caseResults) {
      const testCase = result.exchange.testCase;
      for (const check of result.checks) {
        const name = escapeXml(`#${testCase.seq} ${redactor.text(testCase.name)} [${check.check}]`);
        const open = `    <testcase classname="${escapeXml(operationId)}" name="${name}"`;
        if (check.status === 'passed') lines.push(`${open}/>`);
        else if (check.status === 'skipped')
          lines.push(`${open}><skipped message="${escapeXml(check.reason ?? '')}"/></testcase>`);
        else {
          const failure = failuresBySeq.get(`${testCase.seq} ${check.check}`)!;
          const detail = [
            `expected: ${failure.expected ?? ''}`,
            `got: ${failure.actual ?? ''}`,
            ...(failure.errors ?? []),
            `reproduce: ${failure.curl}`,
          ].join('\n');
          lines.push(
            `${open}><failure message="${escapeXml(failure.message)}" type="${escapeXml(check.check)}">${escapeXml(detail)}</failure></testcase>`,
          );
        }
      }
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>', '');
  return lines.join('\n');
}
