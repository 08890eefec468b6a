/**
 * Turns a spec into the ordered list of everything a run sends: per operation (link sources before
 * the operations they feed) its positive, negative, header and auth cases, then the stateful
 * scenarios, then the opt-in rate-limit burst. Same seed, same plan.
 */
import type { Operation, Spec } from '../../lib/spec.js';
import type { ValidatorCache } from '../../lib/validator.js';
import type { Scenario, TestCase } from '../types.js';
import { authCases } from './auth.js';
import { createContext, jsonBody, type BuildContext } from './context.js';
import { negativeCases } from './negative.js';
import { positiveCases, validBody, type Draft } from './positive.js';
import { rateLimitScenario } from './rate-limit.js';
import { baseRequest, jsonPayload, withBody } from './request.js';
import { linkScenarios, resourceScenarios, type ScenarioDraft } from './stateful.js';

export interface Phase {
  operation: Operation;
  cases: TestCase[];
}

export interface Plan {
  phases: Phase[];
  scenarios: Scenario[];
  burst?: Scenario;
  total: number;
}

export interface PlanOptions {
  seed: number;
  maxCases: number;
  /** operationIds to test; empty means all. */
  operations: string[];
  rateLimit: boolean;
}

/** Link sources first, otherwise the spec's order. */
function linkOrder(ctx: BuildContext, operations: Operation[]): Operation[] {
  const sourcesOf = (op: Operation): string[] => [...(ctx.links.get(op.operationId)?.values() ?? [])].map((l) => l.sourceOperationId);
  const ordered: Operation[] = [];
  const visit = (op: Operation, trail: Set<string>): void => {
    if (ordered.includes(op) || trail.has(op.operationId)) return;
    trail.add(op.operationId);
    for (const id of sourcesOf(op)) {
      const source = operations.find((o) => o.operationId === id);
      if (source) visit(source, trail);
    }
    ordered.push(op);
  };
  for (const op of operations) visit(op, new Set());
  return ordered;
}

/** Records the selected operations need but whose creating operation was not selected. */
const SETUP_RECORDS = 2;

function setupCases(ctx: BuildContext, source: Operation, target: Operation): Draft[] {
  return Array.from({ length: SETUP_RECORDS }, () => ({
    operation: source,
    kind: 'positive' as const,
    name: `setup: ${source.operationId} a record for ${target.operationId}`,
    request: withBody(baseRequest(ctx, source), jsonBody(source) ? jsonPayload(source, validBody(ctx, source)) : undefined),
  }));
}

export function planCases(spec: Spec, validators: ValidatorCache, options: PlanOptions): Plan {
  const ctx = createContext(spec, validators, options.seed, options.maxCases);
  const selected = spec.operations.filter((op) => options.operations.length === 0 || options.operations.includes(op.operationId));
  let seq = 0;
  const number = (draft: Draft): TestCase => ({ ...draft, seq: seq++ });
  const toScenario = (draft: ScenarioDraft): Scenario => ({ name: draft.name, steps: draft.steps.map(number) });

  const phases: Phase[] = [];
  for (const operation of linkOrder(ctx, spec.operations)) {
    const drafts: Draft[] = [];
    if (selected.includes(operation)) {
      drafts.push(...positiveCases(ctx, operation), ...negativeCases(ctx, operation), ...authCases(ctx, operation));
    } else {
      for (const target of selected) {
        const feeds = [...(ctx.links.get(target.operationId)?.values() ?? [])].some((l) => l.sourceOperationId === operation.operationId);
        if (feeds) drafts.push(...setupCases(ctx, operation, target));
      }
    }
    if (drafts.length > 0) phases.push({ operation, cases: drafts.map(number) });
  }
  const scenarios: Scenario[] = [];
  for (const operation of selected) {
    for (const draft of [...linkScenarios(ctx, operation), ...resourceScenarios(ctx, operation)]) scenarios.push(toScenario(draft));
  }
  const burstDraft = options.rateLimit ? rateLimitScenario(ctx, selected) : undefined;
  const burst = burstDraft ? toScenario(burstDraft) : undefined;
  return { phases, scenarios, ...(burst ? { burst } : {}), total: seq };
}
