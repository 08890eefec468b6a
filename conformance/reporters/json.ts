/**
 * The JSON report: `summary` and `failures` (every failure, in case order), the assumptions with
 * their verdicts, per-check and per-operation counts, the grouped view and the warnings about the
 * answers. No timings, so the same seed against the same server writes the same file. A run of
 * several APIs writes one file: the summary over all of them and `apis`, one such report per API
 * (or its `error` when it could not run).
 */
import type { Report } from '../report.js';
import type { ApiOutcome } from './summary.js';

/** The JSON view of one API's report. */
export function jsonReport(report: Report): Record<string, unknown> {
  const { spec, baseUrl, seed, summary, checks, operations, failures, groups, throttled, notSent } = report;
  return {
    summary,
    failures: failures.map(({ seq: _seq, ...failure }) => failure),
    assumptions: report.assumptions.map(
      ({ operationId, pointer, keyword, reason, verdict, case: name, status, mediaType }) => ({
        operationId,
        pointer,
        keyword,
        reason,
        verdict,
        case: name,
        status,
        mediaType,
      }),
    ),
    seed,
    spec,
    baseUrl,
    strict: report.strict,
    checks,
    operations,
    groups: groups.map(({ first, ...group }) => ({ ...group, case: first.case })),
    ...(report.interrupted !== undefined ? { interrupted: report.interrupted } : {}),
    throttled,
    notSent,
    notSentBy: report.notSentBy,
    warnings: report.warnings ?? [],
    skippedOperations: report.skippedOperations,
    unreached: report.unreached,
    ...(report.webhooks !== undefined ? { webhooks: report.webhooks } : {}),
    overBudget: report.overBudget,
    ...(report.cleanup
      ? {
          cleanup: {
            cleaned: report.cleanup.cleaned,
            leftovers: report.cleanup.leftovers.map(({ operationId, id, reason, sentWith }) => ({
              operationId,
              id,
              reason,
              ...(sentWith ? { sentWith } : {}),
            })),
          },
        }
      : {}),
  };
}

export function renderJson(report: Report): string {
  return `${JSON.stringify(jsonReport(report), null, 2)}\n`;
}

export function renderJsonMany(outcomes: readonly ApiOutcome[]): string {
  const summary = {
    total: 0,
    passed: 0,
    failed: 0,
    skipped: 0,
    assumptions: { confirmed: 0, refuted: 0, untested: 0 },
  };
  let failedApis = 0;
  let erroredApis = 0;
  const apis = outcomes.map((outcome) => {
    if ('error' in outcome) {
      erroredApis++;
      return { name: outcome.name, spec: outcome.spec, error: outcome.error };
    }
    const counts = outcome.report.summary;
    summary.total += counts.total;
    summary.passed += counts.passed;
    summary.failed += counts.failed;
    summary.skipped += counts.skipped;
    for (const verdict of ['confirmed', 'refuted', 'untested'] as const)
      summary.assumptions[verdict] += counts.assumptions[verdict];
    if (counts.failed > 0) failedApis++;
    return { name: outcome.name, ...jsonReport(outcome.report) };
  });
  const apiCounts = {
    total: outcomes.length,
    passed: outcomes.length - failedApis - erroredApis,
    failed: failedApis,
    errored: erroredApis,
  };
  return `${JSON.stringify({ summary: { ...summary, apis: apiCounts }, apis }, null, 2)}\n`;
}
