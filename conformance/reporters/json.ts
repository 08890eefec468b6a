/**
 * The JSON report: `summary` and `failures` (every failure, in case order), the assumptions with
 * their verdicts, per-check and per-operation counts and the grouped view. No timings, so the same
 * seed against the same server writes the same file.
 */
import type { Report } from '../report.js';

export function renderJson(report: Report): string {
  const { spec, baseUrl, seed, summary, checks, operations, failures, groups, throttled, notSent } = report;
  return `${JSON.stringify(
    {
      summary,
      failures: failures.map(({ seq: _seq, ...failure }) => failure),
      assumptions: report.assumptions.map(({ operationId, pointer, keyword, reason, verdict, case: name, status }) => ({
        operationId,
        pointer,
        keyword,
        reason,
        verdict,
        case: name,
        status,
      })),
      seed,
      spec,
      baseUrl,
      strict: report.strict,
      checks,
      operations,
      groups: groups.map(({ first, ...group }) => ({ ...group, case: first.case })),
      throttled,
      notSent,
      skippedOperations: report.skippedOperations,
      overBudget: report.overBudget,
      ...(report.cleanup
        ? {
            cleaned: report.cleanup.cleaned,
            leftovers: report.cleanup.leftovers.map(({ operationId, id }) => ({ operationId, id })),
          }
        : {}),
    },
    null,
    2,
  )}\n`;
}
