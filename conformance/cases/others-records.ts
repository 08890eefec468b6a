/**
 * On a target that holds records the run did not make (`--live`, or any target not on loopback), a
 * request that changes records goes out only when the records it names are the run's own: an id a
 * create of the run answered, or a parent the config gives (`parameters:`, the user's own account).
 * A documented example's id (`DELETE /contacts/42`), a boundary or a malformed one a lenient server
 * may read as a number (`1.5`) could be anyone's record; so could every record a DELETE on a whole
 * collection reaches (`DELETE /lists?ids=1,2`, `DELETE /accounts/{accountId}/contacts`), unless
 * the ids it names (its body's id, or list of ids) are bound to records the run made. A made-up id
 * known to name nothing goes out after a read said so (stateful.ts); reads are never held back.
 */
import { parentParameters } from '../../lib/resources.js';
import { restShape } from '../../lib/rest-shape.js';
import { flatten, mainType } from '../../lib/schema.js';
import type { LinkedValue, TestCase, WireValue } from '../types.js';

const SAFE_METHODS = new Set(['get', 'head', 'options', 'trace']);

/** Why a case must not go to a target holding others' records, or undefined when it may. */
export function othersRecordReason(testCase: Omit<TestCase, 'seq'>): string | undefined {
  const { operation, request, stateful } = testCase;
  const method = operation.method.toLowerCase();
  if (SAFE_METHODS.has(method) || stateful?.rule === 'unknown-id') return undefined;
  const given = new Set(operation.parameters.filter((p) => p.in === 'path' && p.given === true).map((p) => p.name));
  const shape = restShape(operation.path);
  const naming = [...parentParameters(operation.path), ...(shape.idParameter ? [shape.idParameter] : [])].filter(
    (name) => !given.has(name),
  );
  const guessed = naming.find((name) => !linked(request.pathParams[name]) && !namesNothing(operation, name, request));
  const verb = method.toUpperCase();
  if (guessed !== undefined) {
    const value = request.pathParams[guessed];
    const written = value && 'text' in value ? value.text : value && 'value' in value ? value.value : undefined;
    const shown = written === undefined ? '' : ` (${JSON.stringify(written)})`;
    // A parent (an account) may be the user's own: the config can give it.
    const parent = testCase.kind !== 'negative' && parentParameters(operation.path).includes(guessed);
    const yours = parent ? " (give yours in the config's parameters:)" : '';
    return `${verb} names a record the run did not make by ${guessed}${shown}: not sent to a target holding others' records${yours}`;
  }
  // A record the path names (the run's, or none at all) or one the run made in the query (`?group_id=`)
  // is what the request is about.
  const scoped = naming.length > 0 || Object.values(request.query).some(linked);
  const boundIds = request.bodyId !== undefined || request.bodyRefs?.some((ref) => ref.items) === true;
  if (method === 'delete' && !scoped && !boundIds)
    return `${verb} ${operation.path} may remove records the run did not make: not sent to a target holding others' records`;
  return undefined;
}

/**
 * Whether a value cannot name a record of a numeric id however leniently a server reads it: text
 * with no number to start with (`not-a-number`, where `1.5` or `7abc` may be read as 1 or 7).
 */
function namesNothing(operation: TestCase['operation'], name: string, request: TestCase['request']): boolean {
  const parameter = operation.parameters.find((p) => p.in === 'path' && p.name === name);
  const type = parameter ? mainType(flatten(parameter.schema)) : undefined;
  if (type !== 'integer' && type !== 'number') return false;
  const value = request.pathParams[name];
  const text = value && 'text' in value ? value.text : value && 'value' in value ? value.value : undefined;
  return typeof text === 'string' && text.trim() !== '' && !/^\s*[+-]?(\d|\.\d)/.test(text);
}

/** Whether a parameter is filled with a record a create of the run answered. */
const linked = (value: WireValue | LinkedValue | undefined): boolean =>
  value !== undefined && 'sourceOperationId' in value;
