/**
 * JUnit XML: one testsuite per operation with one testcase per (case, check), and one testsuite of
 * the spec's assumptions with one testcase each (refuted ones skipped, or failed with --strict). A
 * run of several APIs writes one file whose suites are named `<api>/<operationId>` and
 * `<api>/assumptions`; an API that could not run is a suite with one errored testcase.
 */
import type { Report } from '../report.js';
import type { ApiOutcome } from './summary.js';

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

interface Suites {
  lines: string[];
  tests: number;
  failures: number;
  skipped: number;
  errors: number;
}

function reportSuites(report: Report, prefix: string): Suites {
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
        const open = `    <testcase classname="${escapeXml(prefix + operationId)}" name="${name}"`;
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
      `  <testsuite name="${escapeXml(prefix + operationId)}" tests="${suiteTests}" failures="${suiteFailures}" skipped="${suiteSkipped}" errors="0">`,
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
      const open = `    <testcase classname="${escapeXml(`${prefix}assumptions`)}" name="${name}"`;
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
      `  <testsuite name="${escapeXml(`${prefix}assumptions`)}" tests="${report.assumptions.length}" failures="${suiteFailures}" skipped="${suiteSkipped}" errors="0">`,
      ...lines,
      '  </testsuite>',
    );
  }
  return { lines: suites, tests, failures, skipped, errors: 0 };
}

function document(name: string, suites: Suites): string {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${escapeXml(name)}" tests="${suites.tests}" failures="${suites.failures}" skipped="${suites.skipped}" errors="${suites.errors}">`,
    ...suites.lines,
    '</testsuites>',
    '',
  ].join('\n');
}

export function renderJunit(report: Report): string {
  return document(`conformance ${report.spec}`, reportSuites(report, ''));
}

export function renderJunitMany(outcomes: readonly ApiOutcome[]): string {
  const all: Suites = { lines: [], tests: 0, failures: 0, skipped: 0, errors: 0 };
  for (const outcome of outcomes) {
    if ('error' in outcome) {
      all.tests++;
      all.errors++;
      const name = escapeXml(outcome.name);
      all.lines.push(
        `  <testsuite name="${name}" tests="1" failures="0" skipped="0" errors="1">`,
        `    <testcase classname="${name}" name="${escapeXml(`run ${outcome.spec}`)}"><error message="${escapeXml(outcome.error)}" type="run"/></testcase>`,
        '  </testsuite>',
      );
      continue;
    }
    const suites = reportSuites(outcome.report, `${outcome.name}/`);
    all.lines.push(...suites.lines);
    all.tests += suites.tests;
    all.failures += suites.failures;
    all.skipped += suites.skipped;
  }
  return document(`conformance ${outcomes.map((o) => o.name).join(', ')}`, all);
}
