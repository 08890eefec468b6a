/** Runs the selected checks on one exchange in registry order, applying each failure's `hides`. */
import type { Spec } from '../../lib/spec.js';
import type { ValidatorCache } from '../../lib/validator.js';
import type { CheckContext, CheckResult, Exchange } from '../types.js';
import type { CheckDefinition } from './registry.js';
import { documentedResponse } from './support.js';

export interface Evidence {
  usesCreatedId: boolean;
  mergeTargetId?: unknown;
  /** See CheckContext.sentInWindow. */
  sentInWindow?: number;
}

/** Results without a failure are the same few values over and over: share them instead of allocating thousands. */
const shared = new Map<string, Map<string, CheckResult>>();

function sharedResult(check: string, status: 'passed' | 'skipped', reason?: string): CheckResult {
  let byCheck = shared.get(reason ?? status);
  if (!byCheck) shared.set(reason ?? status, (byCheck = new Map()));
  let result = byCheck.get(check);
  if (!result)
    byCheck.set(check, (result = Object.freeze({ check, status, ...(reason !== undefined ? { reason } : {}) })));
  return result;
}

const NOT_APPLICABLE = 'does not apply to this case';

/** The passed and not-applicable results of a run's check list, by position: no lookup per check. */
interface Outcomes {
  passed: CheckResult[];
  notApplicable: CheckResult[];
}

const outcomesByList = new WeakMap<readonly CheckDefinition[], Outcomes>();

function outcomesOf(checks: readonly CheckDefinition[]): Outcomes {
  let outcomes = outcomesByList.get(checks);
  if (!outcomes) {
    outcomes = {
      passed: checks.map((c) => sharedResult(c.name, 'passed')),
      notApplicable: checks.map((c) => sharedResult(c.name, 'skipped', NOT_APPLICABLE)),
    };
    outcomesByList.set(checks, outcomes);
  }
  return outcomes;
}

export function evaluate(
  spec: Spec,
  validators: ValidatorCache,
  checks: readonly CheckDefinition[],
  exchange: Exchange,
  evidence: Evidence,
): CheckResult[] {
  if (exchange.notSent) return checks.map((c) => ({ check: c.name, status: 'skipped', reason: exchange.notSent }));
  const { testCase, request, response, error } = exchange;
  // Every field always present, in one order: every context has the same shape, so the checks'
  // property reads stay monomorphic.
  const ctx: CheckContext = {
    spec,
    operation: testCase.operation,
    testCase,
    request,
    response,
    error,
    documented: response ? documentedResponse(testCase.operation, response.status) : undefined,
    validators,
    usesCreatedId: evidence.usesCreatedId,
    mergeTargetId: evidence.mergeTargetId,
    sentInWindow: evidence.sentInWindow ?? 0,
  };
  const { passed, notApplicable } = outcomesOf(checks);
  const results: CheckResult[] = [];
  let hiddenByAll: string | undefined;
  let hidden: Map<string, string> | undefined;
  for (let i = 0; i < checks.length; i++) {
    const definition = checks[i]!;
    const hider = hiddenByAll ?? hidden?.get(definition.name);
    if (hider) {
      results.push(sharedResult(definition.name, 'skipped', `hidden by the ${hider} failure`));
      continue;
    }
    const outcome = definition.check(ctx);
    if (outcome === 'skip') results.push(notApplicable[i]!);
    else if (!outcome) results.push(passed[i]!);
    else {
      results.push({ check: definition.name, status: 'failed', failure: outcome });
      if (definition.hides === 'all') hiddenByAll = definition.name;
      else for (const name of definition.hides ?? []) (hidden ??= new Map()).set(name, definition.name);
    }
  }
  return results;
}
