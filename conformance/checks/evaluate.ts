/** Runs the selected checks on one exchange in registry order, applying each failure's `hides`. */
import type { Spec } from '../../lib/spec.js';
import type { ValidatorCache } from '../../lib/validator.js';
import type { CheckContext, CheckResult, Exchange } from '../types.js';
import type { CheckDefinition } from './registry.js';
import { documentedResponse } from './support.js';

export interface Evidence {
  usesCreatedId: boolean;
  mergeTargetId?: unknown;
}

export function evaluate(spec: Spec, validators: ValidatorCache, checks: readonly CheckDefinition[], exchange: Exchange, evidence: Evidence): CheckResult[] {
  if (exchange.notSent) return checks.map((c) => ({ check: c.name, status: 'skipped', reason: exchange.notSent }));
  const { testCase, request, response, error } = exchange;
  const documented = response ? documentedResponse(testCase.operation, response.status) : undefined;
  const ctx: CheckContext = {
    spec,
    operation: testCase.operation,
    testCase,
    request,
    validators,
    usesCreatedId: evidence.usesCreatedId,
    ...(response ? { response } : {}),
    ...(error ? { error } : {}),
    ...(documented ? { documented } : {}),
    ...(evidence.mergeTargetId !== undefined ? { mergeTargetId: evidence.mergeTargetId } : {}),
  };
  const results: CheckResult[] = [];
  let hiddenByAll: string | undefined;
  const hidden = new Map<string, string>();
  for (const definition of checks) {
    const hider = hiddenByAll ?? hidden.get(definition.name);
    if (hider) {
      results.push({ check: definition.name, status: 'skipped', reason: `hidden by the ${hider} failure` });
      continue;
    }
    const outcome = definition.check(ctx);
    if (outcome === 'skip') results.push({ check: definition.name, status: 'skipped', reason: 'does not apply to this case' });
    else if (!outcome) results.push({ check: definition.name, status: 'passed' });
    else {
      results.push({ check: definition.name, status: 'failed', failure: outcome });
      if (definition.hides === 'all') hiddenByAll = definition.name;
      else for (const name of definition.hides ?? []) hidden.set(name, definition.name);
    }
  }
  return results;
}
