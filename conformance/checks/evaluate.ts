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

/** Results without a failure are the same few values over and over: share them instead of allocating thousands. */
const shared = new Map<string, Map<string, CheckResult>>();

function sharedResult(check: string, status: 'passed' | 'skipped', reason?: string): CheckResult {
  let byCheck = shared.get(reason ?? status);
  if (!byCheck) shared.set(reason ?? status, (byCheck = new Map()));
  let result = byCheck.get(check);
  if (!result) byCheck.set(check, (result = Object.freeze({ check, status, ...(reason !== undefined ? { reason } : {}) })));
  return result;
}

const NOT_APPLICABLE = 'does not apply to this case';

export function evaluate(spec: Spec, validators: ValidatorCache, checks: readonly CheckDefinition[], exchange: Exchange, evidence: Evidence): CheckResult[] {
  if (exchange.notSent) return checks.map((c) => ({ check: c.name, status: 'skipped', reason: exchange.notSent }));
  const { testCase, request, response, error } = exchange;
  const ctx: CheckContext = { spec, operation: testCase.operation, testCase, request, validators, usesCreatedId: evidence.usesCreatedId };
  if (response) {
    ctx.response = response;
    const documented = documentedResponse(testCase.operation, response.status);
    if (documented) ctx.documented = documented;
  }
  if (error) ctx.error = error;
  if (evidence.mergeTargetId !== undefined) ctx.mergeTargetId = evidence.mergeTargetId;
  const results: CheckResult[] = [];
  let hiddenByAll: string | undefined;
  let hidden: Map<string, string> | undefined;
  for (const definition of checks) {
    const hider = hiddenByAll ?? hidden?.get(definition.name);
    if (hider) {
      results.push(sharedResult(definition.name, 'skipped', `hidden by the ${hider} failure`));
      continue;
    }
    const outcome = definition.check(ctx);
    if (outcome === 'skip') results.push(sharedResult(definition.name, 'skipped', NOT_APPLICABLE));
    else if (!outcome) results.push(sharedResult(definition.name, 'passed'));
    else {
      results.push({ check: definition.name, status: 'failed', failure: outcome });
      if (definition.hides === 'all') hiddenByAll = definition.name;
      else for (const name of definition.hides ?? []) (hidden ??= new Map()).set(name, definition.name);
    }
  }
  return results;
}
