/**
 * JUnit XML: one testsuite per operation with one testcase per (case, check), and one testsuite of
 * the spec's assumptions with one testcase each (refuted ones skipped, or failed with --strict).
 */
import type { Report } from '../report.js';

/**
 * Characters XML cannot carry become U+FFFD rather than nothing: removing them would join what was
 * around them, and a server could split an echoed secret with them so that only this file rejoins it.
 */
const escapeXml = (text: string): string =>
  text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '\ufffd')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');

export function renderJunit(report: Report): string {
  const suites: string[] = [];
  let tests = 0;
  let failures = 0;
  let skipped = 0;
  const byOperation = new Map<string, Report['cases']>();
  for (const record of report.cases) {
    const list = byOperation.get(record.operationId) ?? [];
    list.push(record);
    byOperation.set(record.operationId, list);
  }
  for (const [operationId, cases] of byOperation) {
    const lines: string[] = [];
    let suiteFailures = 0;
    let suiteSkipped = 0;
    let suiteTests = 0;
    for (const record of cases) {
      for (const check of record.checks) {
        suiteTests++;
        const name = escapeXml(`#${record.seq} ${record.name} [${check.check}]`);
        const open = `    <testcase classname="${escapeXml(operationId)}" name="${name}"`;
        if (check.status === 'passed') lines.push(`${open}/>`);
        else if (check.status === 'skipped') {
          suiteSkipped++;
          lines.push(`${open}><skipped message="${escapeXml(check.reason ?? '')}"/></testcase>`);
        } else {
          suiteFailures++;
          const failure = check.failure!;
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
    tests += suiteTests;
    failures += suiteFailures;
    skipped += suiteSkipped;
    suites.push(
      `  <testsuite name="${escapeXml(operationId)}" tests="${suiteTests}" failures="${suiteFailures}" skipped="${suiteSkipped}" errors="0">`,
      ...lines,
      '  </testsuite>',
    );
  }
  if (report.assumptions.length > 0) {
    const lines: string[] = [];
    let suiteFailures = 0;
    let suiteSkipped = 0;
    for (const assumption of report.assumptions) {
      const name = escapeXml(`${assumption.keyword} at ${assumption.pointer}`);
      const open = `    <testcase classname="assumptions" name="${name}"`;
      const detail = `${assumption.reason}${assumption.case ? ` (decided by ${assumption.case}: ${assumption.status})` : ''}`;
      if (assumption.verdict === 'confirmed') lines.push(`${open}/>`);
      else if (assumption.verdict === 'refuted' && report.strict) {
        suiteFailures++;
        lines.push(`${open}><failure message="refuted: ${escapeXml(detail)}" type="assumption"/></testcase>`);
      } else {
        suiteSkipped++;
        lines.push(`${open}><skipped message="${assumption.verdict}: ${escapeXml(detail)}"/></testcase>`);
      }
    }
    tests += report.assumptions.length;
    failures += suiteFailures;
    skipped += suiteSkipped;
    suites.push(
      `  <testsuite name="assumptions" tests="${report.assumptions.length}" failures="${suiteFailures}" skipped="${suiteSkipped}" errors="0">`,
      ...lines,
      '  </testsuite>',
    );
  }
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="conformance ${escapeXml(report.spec)}" tests="${tests}" failures="${failures}" skipped="${skipped}" errors="0">`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}
