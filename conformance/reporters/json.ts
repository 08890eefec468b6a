/**
 * The JSON report: `summary` and `failures` as the issue specifies (every failure listed, in case
 * order), plus per-check and per-operation counts and the grouped view. No timings, so the same seed
 * against the same server writes the same file.
 */
import type { Report } from '../report.js';

export function renderJson(report: Report): string {
  const { spec, baseUrl, seed, summary, checks, operations, failures, groups, throttled, notSent } = report;
  return `${JSON.stringify(
    {
      summary,
      failures: failures.map(({ seq: _seq, ...failure }) => failure),
      seed,
      spec,
      baseUrl,
      checks,
      operations,
      groups: groups.map(({ first, ...group }) => ({ ...group, case: first.case })),
      throttled,
      notSent,
    },
    null,
    2,
  )}\n`;
}
