/** The checks of stored state: ids the run created are usable, unknown ids are 404, merges and duplicates follow x-resource. */
import { getPointer } from '../../lib/json-pointer.js';
import type { Check } from '../types.js';
import { got, throttled } from './support.js';

export const resourceAvailability: Check = (ctx) => {
  const { response, testCase, usesCreatedId } = ctx;
  if (!response || throttled(ctx)) return 'skip';
  if (testCase.stateful?.rule === 'unknown-id') {
    if (String(response.status) === testCase.stateful.status) return;
    return {
      message: `id never created answered ${response.status}`,
      expected: `${testCase.stateful.status} for an id no create returned`,
      actual: got(response),
    };
  }
  if (!usesCreatedId) return 'skip';
  if (response.status !== 404) return;
  return {
    message: 'id created earlier in the run answered 404',
    expected: 'the id returned by the create to be usable',
    actual: got(response),
  };
};

export const statefulRules: Check = (ctx) => {
  const { response, testCase, operation } = ctx;
  const rule = testCase.stateful;
  if (!rule || rule.rule === 'unknown-id' || !response || throttled(ctx)) return 'skip';
  const names = {
    duplicate: 'duplicate',
    merged: 'merge into the one matching record',
    conflict: 'merge keys matching two records',
  } as const;
  if (String(response.status) !== rule.status) {
    return {
      message: `${names[rule.rule]} answered ${response.status}`,
      expected: `${rule.status} (${rule.example})`,
      actual: got(response),
    };
  }
  if (rule.rule === 'merged' && ctx.mergeTargetId !== undefined && operation.resource?.id) {
    const record = getPointer(response.json?.value, operation.resource.record);
    const id = getPointer(record, `/${operation.resource.id}`);
    if (id !== ctx.mergeTargetId) {
      return {
        message: 'merge returned a different record than the one that matched',
        expected: `${operation.resource.id} ${JSON.stringify(ctx.mergeTargetId)}`,
        actual: `${operation.resource.id} ${JSON.stringify(id)}`,
      };
    }
  }
};
