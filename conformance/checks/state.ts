/** The checks of stored state: ids the run created are usable, unknown ids are 404, merges and duplicates follow x-resource. */
import { getPointer } from '../../lib/json-pointer.js';
import type { Check } from '../types.js';
import { got, throttleState } from './support.js';

export const resourceAvailability: Check = (ctx) => {
  const { response, testCase, exchange } = ctx;
  if (!response || throttleState(ctx) === 'unjudged') return 'skip';
  if (testCase.stateful?.rule === 'unknown-id') {
    if (String(response.status) === testCase.stateful.status) return;
    return {
      message: `id never created answered ${response.status}`,
      expected: `${testCase.stateful.status} for an id no create returned`,
      actual: got(response),
      key: `unknown id ${response.status}`,
    };
  }
  if (!exchange.usesCreatedId || response.status !== 404) return exchange.usesCreatedId ? undefined : 'skip';
  return {
    message: 'id created earlier in the run answered 404',
    expected: 'the id returned by the create to be usable',
    actual: got(response),
    key: 'created id 404',
  };
};

const NAMES = {
  duplicate: 'duplicate',
  merged: 'merge into the one matching record',
  conflict: 'merge keys matching two records',
} as const;

export const statefulRules: Check = (ctx) => {
  const { response, testCase, operation, exchange } = ctx;
  const rule = testCase.stateful;
  if (!rule || rule.rule === 'unknown-id' || !response || throttleState(ctx) === 'unjudged') return 'skip';
  if (String(response.status) !== rule.status) {
    return {
      message: `${NAMES[rule.rule]} answered ${response.status}`,
      expected: `${rule.status} (${rule.example})`,
      actual: got(response),
      key: `${rule.rule} ${response.status}`,
    };
  }
  if (rule.rule === 'merged' && exchange.mergeTargetId !== undefined && operation.resource?.id) {
    const record = getPointer(response.json?.value, operation.resource.record);
    const id = getPointer(record, `/${operation.resource.id}`);
    if (id !== exchange.mergeTargetId) {
      return {
        message: 'merge returned a different record than the one that matched',
        expected: `${operation.resource.id} ${JSON.stringify(exchange.mergeTargetId)}`,
        actual: `${operation.resource.id} ${JSON.stringify(id)}`,
        key: 'merge target',
      };
    }
  }
};
