/** `--dry-run`: one line per planned request, nothing sent. */
import type { Plan } from '../cases/plan.js';
import { buildRequest, wireHeaders } from '../execute.js';
import type { Redactor } from '../redact.js';
import type { TestCase } from '../types.js';

const BODY_PREVIEW = 160;

export function renderDryRun(plan: Plan, baseUrl: string, userHeaders: [string, string][], redactor: Redactor): string {
  const cases: TestCase[] = [
    ...plan.phases.flatMap((p) => p.cases),
    ...plan.scenarios.flatMap((s) => s.steps),
    ...(plan.burst?.steps ?? []),
  ];
  const wire = wireHeaders(userHeaders);
  const lines = cases.map((testCase) => {
    const built = buildRequest(
      testCase,
      baseUrl,
      wire,
      (linked) =>
        `{${linked.sourceOperationId}${linked.step === undefined ? '' : ` step ${linked.step + 1}`} ${linked.expression}}`,
    );
    if ('notSent' in built)
      return `#${testCase.seq} ${testCase.operation.operationId} ${testCase.name}: ${built.notSent}`;
    const body =
      built.body === undefined
        ? ''
        : ` ${redactor.text(built.body.length > BODY_PREVIEW ? `${built.body.slice(0, BODY_PREVIEW)}…` : built.body)}`;
    return `#${testCase.seq} ${testCase.operation.operationId} · ${testCase.name}\n    ${built.method} ${redactor.text(decodeURI(built.url))}${body}`;
  });
  return `${lines.join('\n')}\n${cases.length} requests planned (dry run: nothing sent)\n`;
}
