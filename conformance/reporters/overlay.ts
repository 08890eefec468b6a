/**
 * `--report-overlay`: an OpenAPI Overlay 1.0.0 document that, applied to the spec, removes every
 * refuted assumption (the rule and its `x-inferred` entry). The next run against the same server
 * then judges by what the server showed instead of by our guess.
 */
import { stringify } from 'yaml';
import { isObject } from '../../lib/json.js';
import { appendPointer, getPointer, parsePointer } from '../../lib/json-pointer.js';
import { INFERRED } from '../../lib/provenance.js';
import type { Spec } from '../../lib/spec.js';
import type { Report } from '../report.js';

/** RFC 9535 JSONPath of a JSON pointer in `document`: names quoted, array positions as indexes. */
export function jsonPath(document: unknown, pointer: string): string {
  let node = document;
  let path = '$';
  for (const token of parsePointer(pointer)) {
    if (Array.isArray(node)) {
      path += `[${token}]`;
      node = node[Number(token)];
    } else {
      path += `['${token.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}']`;
      node = isObject(node) ? node[token] : undefined;
    }
  }
  return path;
}

interface OverlayAction {
  target: string;
  description?: string;
  remove: true;
}

export function renderOverlay(report: Report, spec: Spec, format: 'yaml' | 'json'): string {
  const refuted = report.assumptions.filter((a) => a.verdict === 'refuted');
  const actions: OverlayAction[] = [];
  const byNode = new Map<string, typeof refuted>();
  for (const assumption of refuted)
    byNode.set(assumption.pointer, [...(byNode.get(assumption.pointer) ?? []), assumption]);
  for (const [pointer, assumptions] of byNode) {
    const node = getPointer(spec.source, pointer);
    const marks = isObject(node) && isObject(node[INFERRED]) ? Object.keys(node[INFERRED]) : [];
    for (const assumption of assumptions) {
      actions.push({
        target: jsonPath(spec.source, appendPointer(pointer, assumption.keyword)),
        description: `refuted by "${assumption.case}" (answered ${assumption.status}); it was assumed: ${assumption.reason}`,
        remove: true,
      });
    }
    const marksPointer = `${pointer}/${INFERRED}`;
    if (assumptions.length >= marks.length) actions.push({ target: jsonPath(spec.source, marksPointer), remove: true });
    else {
      for (const assumption of assumptions) {
        actions.push({ target: jsonPath(spec.source, appendPointer(marksPointer, assumption.keyword)), remove: true });
      }
    }
  }
  const overlay = {
    overlay: '1.0.0',
    info: {
      title: `Refuted assumptions of ${spec.title}`,
      version: '1.0.0',
    },
    extends: report.spec,
    actions,
  };
  return format === 'json' ? `${JSON.stringify(overlay, null, 2)}\n` : stringify(overlay, { lineWidth: 0 });
}
