/** `--dry-run`: one line per planned request, nothing sent. */
import type { LeftBehind, OverBudget } from '../types.js';
import { leftBehindLines, overBudgetWarnings } from './summary.js';

/** A planned request as the dry run shows it (already redacted). */
export interface PlannedLine {
  seq: number;
  operationId: string;
  name: string;
  /** `POST http://...`, or why it could not be built. */
  request: { method: string; url: string; body?: string } | { notSent: string };
}

const BODY_PREVIEW = 160;

export function renderDryRun(
  lines: readonly PlannedLine[],
  overBudget: readonly OverBudget[] = [],
  leftBehind: readonly LeftBehind[] = [],
): string {
  const out = lines.map((line) => {
    if ('notSent' in line.request) return `#${line.seq} ${line.operationId} ${line.name}: ${line.request.notSent}`;
    const { method, url, body } = line.request;
    const preview =
      body === undefined ? '' : ` ${body.length > BODY_PREVIEW ? `${body.slice(0, BODY_PREVIEW)}…` : body}`;
    return `#${line.seq} ${line.operationId} · ${line.name}\n    ${method} ${url}${preview}`;
  });
  const warnings = [...overBudgetWarnings(overBudget), ...leftBehindLines(leftBehind)].map((warning) => `${warning}\n`);
  return `${out.join('\n')}\n${warnings.join('')}${lines.length} requests planned (dry run: nothing sent)\n`;
}
