/**
 * `--report-overlay`: an OpenAPI Overlay 1.0.0 document that, applied to the spec, removes every
 * refuted assumption (the rule and its `x-inferred` entry). The next run against the same server
 * then judges by what the server showed instead of by our guess.
 *
 * Overlay 1.0.0 targets must select objects or arrays, never primitives, and most rules are
 * primitives (`minLength: 1`, `required: true`). So the changed part of the spec is replaced: the
 * closest object or array around the changes that sits in an object is removed and added back,
 * changed, by an `update` of its parent (an `update` of an array would append, so the replaced
 * node is never an array item).
 */
import { stringify } from 'yaml';
import { isObject, type JsonObject } from '../../lib/json.js';
import { getPointer, parsePointer } from '../../lib/json-pointer.js';
import { INFERRED } from '../../lib/provenance.js';
import type { Spec } from '../../lib/spec.js';
import type { AssumptionRecord, Report } from '../report.js';

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
  update?: JsonObject;
  remove?: true;
}

const parentOf = (pointer: string): string => pointer.slice(0, pointer.lastIndexOf('/'));
const lastToken = (pointer: string): string => parsePointer(pointer).at(-1) ?? '';

/** An operation's own responses map, where a status can be moved (a shared component is named, not numbered). */
const OPERATION_RESPONSES = /^\/paths\/[^/]+\/[^/]+\/responses$/;

const describe = (a: AssumptionRecord): string =>
  `${a.keyword} at ${a.pointer} refuted by "${a.case}" (answered ${a.status}); it was assumed: ${a.reason}`;

/**
 * Removes the refuted rules from `working` (a copy of the spec) and returns the pointer of the node
 * that holds every change, to be replaced as a whole.
 */
function removeRules(working: JsonObject, pointer: string, refuted: readonly AssumptionRecord[]): string {
  const node = getPointer(working, pointer);
  if (!isObject(node)) return pointer;
  const marks = isObject(node[INFERRED]) ? (node[INFERRED] as Record<string, string>) : {};
  let changed = pointer;
  for (const assumption of refuted) {
    if (assumption.keyword === 'response' || assumption.keyword === 'mediaType') continue;
    delete node[assumption.keyword];
    delete marks[assumption.keyword];
  }
  const retyped = refuted.find((a) => a.keyword === 'mediaType' && a.mediaType !== null);
  const content = node.content;
  if (retyped?.mediaType && isObject(content)) {
    // The media type the server answered takes the guessed one's place; that it is the one stays ours.
    const [guessed, media] = Object.entries(content)[0] ?? [];
    if (guessed !== undefined && !Object.hasOwn(content, retyped.mediaType)) {
      node.content = { [retyped.mediaType]: media };
      marks.mediaType = `the server answered ${retyped.mediaType} ("${retyped.case}") where ${guessed} was assumed`;
    }
  }
  const moved = refuted.find((a) => a.keyword === 'response');
  const parent = getPointer(working, parentOf(pointer));
  if (moved && isObject(parent) && OPERATION_RESPONSES.test(parentOf(pointer)) && moved.status !== null) {
    // The status the server answered takes the guessed one's place; that it is the answer stays ours.
    delete parent[lastToken(pointer)];
    if (!Object.hasOwn(parent, String(moved.status))) {
      marks.response = `the server answered ${moved.status} ("${moved.case}") where ${lastToken(pointer)} was assumed`;
      parent[String(moved.status)] = node;
    }
    changed = parentOf(pointer);
  }
  if (Object.keys(marks).length === 0) delete node[INFERRED];
  return changed;
}

export function renderOverlay(report: Report, spec: Spec, format: 'yaml' | 'json'): string {
  const refuted = report.assumptions.filter((a) => a.verdict === 'refuted');
  const byNode = new Map<string, AssumptionRecord[]>();
  for (const assumption of refuted)
    byNode.set(assumption.pointer, [...(byNode.get(assumption.pointer) ?? []), assumption]);
  const working = structuredClone(spec.source);
  const replaced = new Map<string, AssumptionRecord[]>();
  for (const [pointer, assumptions] of byNode) {
    let at = removeRules(working, pointer, assumptions);
    while (Array.isArray(getPointer(spec.source, parentOf(at)))) at = parentOf(at);
    replaced.set(at, [...(replaced.get(at) ?? []), ...assumptions]);
  }
  const outermost = [...replaced.keys()].filter(
    (at) => ![...replaced.keys()].some((other) => other !== at && at.startsWith(`${other}/`)),
  );
  const actions: OverlayAction[] = [];
  for (const at of outermost) {
    const inside = [...replaced].filter(([other]) => other === at || other.startsWith(`${at}/`)).flatMap(([, a]) => a);
    const description = inside.map(describe).join('; ');
    actions.push({ target: jsonPath(spec.source, at), description, remove: true });
    actions.push({
      target: jsonPath(spec.source, parentOf(at)),
      description: `${lastToken(at)} again, without the refuted rules`,
      update: { [lastToken(at)]: getPointer(working, at) as JsonObject },
    });
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
