/**
 * Turns a spec into the ordered list of everything a run sends: per operation (link sources before
 * the operations they feed) its positive, negative, header and auth cases, then the stateful
 * scenarios, then the opt-in rate-limit burst. `--max-cases` bounds the requests each operation
 * gets in all (see `fitBudget`). Same seed, same plan.
 */

import { UnsatisfiableSchemaError } from '../../lib/generators/values.js';
import { resourceModel } from '../../lib/resources.js';
import type { Operation, Spec } from '../../lib/spec.js';
import type { ValidatorCache } from '../../lib/validator.js';
import type { CaseKind, LinkedValue, OverBudget, Scenario, TestCase } from '../types.js';
import { authCases } from './auth.js';
import { type BuildContext, bodyMedia, CannotTest, createContext } from './context.js';
import { type CleanupPlan, cleanupPlans, lifecycleScenarios, undeletableCreates } from './lifecycle.js';
import { negativeCases } from './negative.js';
import { makesRecords, othersRecordReason, unmadeBodyIds } from './others-records.js';
import { bodyKey, type Draft, positiveCases, randomCases, validBody } from './positive.js';
import { rateLimitScenario } from './rate-limit.js';
import {
  baseRequest,
  carriesIds,
  creatorOf,
  parameterValue,
  payload,
  referencesOf,
  referringFirst,
  withBody,
} from './request.js';
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
  /** Operations no case could be made for, once each, with the reason (a schema no value satisfies). */
  skipped: { operationId: string; reason: string }[];
  /** How each collection's records are removed after a run: its creates, and a delete to send per id. */
  cleanup: CleanupPlan[];
  /** Operations `--max-cases` cut short before any random case, once each. */
  overBudget: OverBudget[];
  /**
   * On a target holding others' records: the creates whose records no operation deletes, which got
   * no random bodies (their budget had room for some): each would be a record left there for good.
   */
  noRandom: string[];
  /** Creates that make records whose id the run cannot read from their answer: none can be deleted. */
  unidentified: string[];
}

export interface PlanOptions {
  seed: number;
  /**
   * Requests per operation, everything counted: its own cases (examples, boundaries, violations,
   * header and auth cases, random bodies), the steps of scenarios sent to it and set-up requests
   * made with it. The opt-in rate-limit burst is not counted.
   */
  maxCases: number;
  /** Whether random bodies fill what the budget leaves; false means none. Absent means true. */
  random?: boolean;
  /** operationIds to test; empty means all. */
  operations: string[];
  rateLimit: boolean;
  /** Marks the credentials this run generates. */
  nonce: string;
  /**
   * Whether a selected check could judge a case. When given, a case none could judge is not planned
   * (except the records other planned cases need): `--checks rate_limit` sends the burst only.
   */
  judged?: (draft: Draft) => boolean;
  /**
   * The target may hold records the run did not make (a live target): a change to an id never
   * created is sent only after a read of it answered not found, and not at all without a read.
   */
  othersRecords?: boolean;
}

const linkedValues = (draft: Draft): LinkedValue[] => [
  ...[...Object.values(draft.request.pathParams), ...Object.values(draft.request.query)].filter(
    (v): v is LinkedValue => 'sourceOperationId' in v,
  ),
  ...(draft.request.bodyId ? [draft.request.bodyId.linked] : []),
  ...(draft.request.bodyRefs ?? []).map((ref) => ref.linked),
];

/**
 * Drops the cases no selected check could judge. Scenarios are kept or dropped whole (their steps
 * depend on one another); a link source keeps enough positive cases to feed the kept cases' ids.
 */
function keepJudged(
  phases: { operation: Operation; drafts: Draft[] }[],
  scenarios: ScenarioDraft[],
  burst: ScenarioDraft | undefined,
  judged: (draft: Draft) => boolean,
) {
  const keptScenarios = scenarios.filter((s) => s.steps.some((step) => judged(step)));
  const keptBurst = burst?.steps.some((step) => judged(step)) ? burst : undefined;
  const kept = phases.map((p) => ({ operation: p.operation, drafts: p.drafts.filter((d) => judged(d)) }));
  // Sources whose ids kept cases take from the run's pool, until nothing new is needed.
  for (let changed = true; changed; ) {
    changed = false;
    const takers = [
      ...kept.flatMap((p) => p.drafts),
      ...keptScenarios.flatMap((s) => s.steps),
      ...(keptBurst?.steps ?? []),
    ];
    const needed = new Set(
      takers.flatMap((d) =>
        linkedValues(d)
          .filter((v) => v.step === undefined)
          .map((v) => v.sourceOperationId),
      ),
    );
    for (const [index, phase] of kept.entries()) {
      if (!needed.has(phase.operation.operationId) || phase.drafts.some((d) => d.kind === 'positive')) continue;
      const feeders = phases[index]!.drafts.filter((d) => d.kind === 'positive').slice(0, SETUP_RECORDS);
      if (feeders.length === 0) continue;
      phase.drafts = phases[index]!.drafts.filter((d) => phase.drafts.includes(d) || feeders.includes(d));
      changed = true;
    }
  }
  return { phases: kept, scenarios: keptScenarios, burst: keptBurst };
}

/** Case kinds in the order an operation's budget serves them, one of each before a second of any. */
const KIND_ORDER: readonly CaseKind[] = ['positive', 'negative', 'header', 'auth', 'stateful', 'rate-limit'];

/**
 * The drafts by priority: the first of each kind, then the second of each, and so on; within a
 * kind the generators' order (examples first, then boundaries). Returns the list and how many of
 * its head are firsts.
 */
function byPriority(drafts: readonly Draft[]): { ranked: Draft[]; firsts: number } {
  const groups = KIND_ORDER.map((kind) => drafts.filter((d) => d.kind === kind)).filter((g) => g.length > 0);
  const ranked: Draft[] = [];
  for (let round = 0; ranked.length < drafts.length; round++) {
    for (const group of groups) if (round < group.length) ranked.push(group[round]!);
  }
  return { ranked, firsts: groups.length };
}

/**
 * Keeps at most `limit` requests per operation: first one case of each kind per operation (a valid
 * request first: it also feeds the operations linked to it), then each scenario whose every step
 * still fits (a scenario is kept or dropped whole), then the operations' other cases by
 * `byPriority`. What is left of each operation's budget goes to random bodies afterwards.
 */
function fitBudget(
  phases: { operation: Operation; drafts: Draft[] }[],
  scenarios: ScenarioDraft[],
  limit: number,
): {
  phases: { operation: Operation; drafts: Draft[] }[];
  scenarios: ScenarioDraft[];
  used: Map<string, number>;
  overBudget: OverBudget[];
} {
  const used = new Map<string, number>();
  const room = (id: string): number => limit - (used.get(id) ?? 0);
  const kept = new Set<Draft>();
  // A step already held back (a change to a made-up id with no read to guard it) is listed, never
  // sent: it takes no request of the budget from a case that goes out.
  const held = (draft: Draft): boolean => draft.request.othersRecord !== undefined;
  const keep = (draft: Draft): void => {
    kept.add(draft);
    if (held(draft)) return;
    used.set(draft.operation.operationId, (used.get(draft.operation.operationId) ?? 0) + 1);
  };
  const ranked = phases.map((p) => byPriority(p.drafts));
  for (const { ranked: list, firsts } of ranked) {
    for (const draft of list.slice(0, firsts)) if (room(draft.operation.operationId) > 0) keep(draft);
  }
  const keptScenarios = scenarios.filter((scenario) => {
    const need = new Map<string, number>();
    for (const step of scenario.steps.filter((s) => !held(s)))
      need.set(step.operation.operationId, (need.get(step.operation.operationId) ?? 0) + 1);
    if ([...need].some(([id, n]) => n > room(id))) return false;
    for (const step of scenario.steps) keep(step);
    return true;
  });
  for (const { ranked: list, firsts } of ranked) {
    for (const draft of list.slice(firsts)) if (room(draft.operation.operationId) > 0) keep(draft);
  }
  const needed = new Map<string, number>();
  for (const draft of [...phases.flatMap((p) => p.drafts), ...scenarios.flatMap((s) => s.steps)]) {
    if (held(draft)) continue;
    needed.set(draft.operation.operationId, (needed.get(draft.operation.operationId) ?? 0) + 1);
  }
  return {
    phases: phases.map((p) => ({ operation: p.operation, drafts: p.drafts.filter((d) => kept.has(d)) })),
    scenarios: keptScenarios,
    used,
    overBudget: [...needed]
      .filter(([, n]) => n > limit)
      .map(([operationId, n]) => ({ operationId, needed: n, kept: used.get(operationId) ?? 0, limit })),
  };
}

/** The operations whose records an operation's requests take ids from. */
function sourcesOf(ctx: BuildContext, op: Operation): string[] {
  const linked = [...(ctx.links.get(op.operationId)?.values() ?? [])].map((l) => l.sourceOperationId);
  // An operation taking its record's id in the body is fed by its collection's create.
  const binding = resourceModel(ctx.spec).get(op.operationId);
  const create = binding && carriesIds(binding) ? creatorOf(ctx, binding.resource.collection) : undefined;
  // ... and one whose body refers to records of other collections by theirs.
  const referred = referencesOf(ctx, op).map((ref) => ref.linked.sourceOperationId);
  return [...linked, ...(create ? [create.operationId] : []), ...referred];
}

/** Link sources first, otherwise the spec's order. */
function linkOrder(ctx: BuildContext, operations: Operation[]): Operation[] {
  const ordered: Operation[] = [];
  const visit = (op: Operation, trail: Set<string>): void => {
    if (ordered.includes(op) || trail.has(op.operationId)) return;
    trail.add(op.operationId);
    for (const id of sourcesOf(ctx, op)) {
      const source = operations.find((o) => o.operationId === id);
      if (source) visit(source, trail);
    }
    ordered.push(op);
  };
  for (const op of operations) visit(op, new Set());
  // Records are removed only after every other operation had the chance to use them: members
  // leave a record before the record itself is deleted.
  const action = (op: Operation) => resourceModel(ctx.spec).get(op.operationId)?.resource.action;
  const wide = ordered.filter((op) => collectionWide(op, operations, action(op)));
  const order = [
    ...ordered.filter((op) => action(op) !== 'delete' && action(op) !== 'remove-members' && !wide.includes(op)),
    ...ordered.filter((op) => action(op) === 'remove-members'),
    ...referringFirst(
      ctx,
      ordered.filter((op) => action(op) === 'delete'),
      (op) => resourceModel(ctx.spec).get(op.operationId)?.resource.collection,
    ),
  ];
  // A delete of a whole collection (`DELETE /people`, a filter at most) may take every record the
  // run made there: it goes after everything else, but before the delete of a record its path names
  // (`DELETE /people/{id}/tags` before `DELETE /people/{id}`), which must still find it.
  for (const op of wide) {
    const parent = order.findIndex((o) => o.method === 'delete' && op.path.startsWith(`${o.path}/`));
    order.splice(parent === -1 ? order.length : parent, 0, op);
  }
  return order;
}

/**
 * A DELETE on a collection's own path (its last segment no parameter, another operation at or under
 * it) that no record of the run binds: it removes what a filter, or nothing, selects.
 */
function collectionWide(op: Operation, operations: readonly Operation[], action: string | undefined): boolean {
  if (op.method !== 'delete' || action === 'delete' || action === 'remove-members') return false;
  if (/\{[^}]*\}$/.test(op.path)) return false;
  return operations.some((o) => o !== op && (o.path === op.path || o.path.startsWith(`${op.path}/`)));
}

/**
 * A delete's valid cases each remove a record the run made, so it gets at most as many as the
 * valid requests of the create that feeds it (counted before it): more could only go unsent. One
 * record is left for its other cases (a wrong credential, a broken body), which take one and remove
 * none, and run alongside.
 */
function withinRecords(
  ctx: BuildContext,
  phase: { operation: Operation; drafts: Draft[] },
  phases: readonly { operation: Operation; drafts: Draft[] }[],
): Draft[] {
  if (resourceModel(ctx.spec).get(phase.operation.operationId)?.resource.action !== 'delete') return phase.drafts;
  const source = (draft: Draft): string | undefined =>
    linkedValues(draft).find((v) => v.step === undefined && !v.reference)?.sourceOperationId;
  const left = new Map<string, number>();
  for (const p of phases) {
    if (p === phase) break;
    const made = p.drafts.filter((d) => d.kind === 'positive').length;
    left.set(p.operation.operationId, (left.get(p.operation.operationId) ?? 0) + made);
  }
  // Earlier deletes fed by the same create have taken their share.
  for (const p of phases) {
    if (p === phase) break;
    if (resourceModel(ctx.spec).get(p.operation.operationId)?.resource.action !== 'delete') continue;
    for (const d of p.drafts) {
      const from = d.kind === 'positive' ? source(d) : undefined;
      if (from !== undefined) left.set(from, (left.get(from) ?? 0) - 1);
    }
  }
  for (const from of new Set(phase.drafts.filter((d) => d.kind !== 'positive').map(source)))
    if (from !== undefined && left.has(from)) left.set(from, left.get(from)! - 1);
  return phase.drafts.filter((draft) => {
    const from = draft.kind === 'positive' ? source(draft) : undefined;
    if (from === undefined || !left.has(from)) return true;
    const remaining = left.get(from)!;
    left.set(from, remaining - 1);
    return remaining > 0;
  });
}

function unlinkUntested(draft: Draft, untested: ReadonlyMap<string, string>, seed: number): void {
  for (const location of ['path', 'query'] as const) {
    const values = location === 'path' ? draft.request.pathParams : draft.request.query;
    for (const [name, value] of Object.entries(values)) {
      if (!('sourceOperationId' in value) || value.step !== undefined || !untested.has(value.sourceOperationId))
        continue;
      const parameter = draft.operation.parameters.find((p) => p.in === location && p.name === name);
      if (parameter) values[name] = { value: parameterValue(parameter, seed) };
    }
  }
}

/** Records the selected operations need but whose creating operation was not selected. */
const SETUP_RECORDS = 2;

function setupCases(ctx: BuildContext, source: Operation, target: Operation): Draft[] {
  return Array.from({ length: SETUP_RECORDS }, () => ({
    operation: source,
    kind: 'positive' as const,
    name: `setup: ${source.operationId} a record for ${target.operationId}`,
    request: withBody(
      baseRequest(ctx, source),
      bodyMedia(source) ? payload(source, validBody(ctx, source)) : undefined,
    ),
  }));
}

export function planCases(spec: Spec, validators: ValidatorCache, options: PlanOptions): Plan {
  const ctx = createContext(spec, validators, options.seed, options.nonce, options.othersRecords === true);
  const selected = spec.operations.filter(
    (op) => options.operations.length === 0 || options.operations.includes(op.operationId),
  );
  let seq = 0;
  const number = (draft: Draft): TestCase => ({ ...draft, seq: seq++ });
  const toScenario = (draft: ScenarioDraft): Scenario => ({ name: draft.name, steps: draft.steps.map(number) });

  const skipped = new Map<string, string>();
  /** Cases of one operation; a schema no value satisfies, or a body no case can write, skips the operation once, with the reason. */
  const attempt = <T>(operation: Operation, make: () => T[]): T[] => {
    if (skipped.has(operation.operationId)) return [];
    try {
      return make();
    } catch (error) {
      if (!(error instanceof UnsatisfiableSchemaError) && !(error instanceof CannotTest)) throw error;
      skipped.set(operation.operationId, error.message);
      return [];
    }
  };

  /** The operations whose records a target needs, and the records those need in turn (a setup create's own). */
  const fed = new Map<Operation, Set<string>>();
  const feeding = (target: Operation): Set<string> => {
    const known = fed.get(target);
    if (known) return known;
    const found = new Set<string>();
    const visit = (op: Operation): void => {
      for (const id of sourcesOf(ctx, op)) {
        const source = spec.operations.find((o) => o.operationId === id);
        if (found.has(id) || !source) continue;
        found.add(id);
        visit(source);
      }
    };
    visit(target);
    fed.set(target, found);
    return found;
  };
  const phaseDrafts: { operation: Operation; drafts: Draft[] }[] = [];
  for (const operation of linkOrder(ctx, spec.operations)) {
    const drafts: Draft[] = [];
    if (selected.includes(operation)) {
      drafts.push(
        ...attempt(operation, () => [
          ...positiveCases(ctx, operation),
          ...negativeCases(ctx, operation),
          ...authCases(ctx, operation),
        ]),
      );
    } else {
      for (const target of selected) {
        if (feeding(target).has(operation.operationId))
          drafts.push(...attempt(operation, () => setupCases(ctx, operation, target)));
      }
    }
    phaseDrafts.push({ operation, drafts });
  }
  // A scenario starts with another operation's request (a create): one that cannot be made (its body
  // has no value) leaves the target without that scenario, its own cases kept.
  const scenarioDrafts = selected.flatMap((operation) => {
    if (skipped.has(operation.operationId)) return [];
    try {
      return [...linkScenarios(ctx, operation), ...resourceScenarios(ctx, operation)];
    } catch (error) {
      if (!(error instanceof UnsatisfiableSchemaError) && !(error instanceof CannotTest)) throw error;
      return [];
    }
  });
  scenarioDrafts.push(
    ...lifecycleScenarios(
      ctx,
      selected.filter((op) => !skipped.has(op.operationId)),
    ),
  );
  // An operation skipped after some of its cases were made keeps none of them.
  for (const phase of phaseDrafts) if (skipped.has(phase.operation.operationId)) phase.drafts = [];
  // An id only an untested operation could create is taken from the parameter itself, as where no
  // operation creates it: the cases still go out, naming no record of the run.
  for (const { drafts } of phaseDrafts) for (const draft of drafts) unlinkUntested(draft, skipped, ctx.seed);
  const burstDraft = options.rateLimit ? rateLimitScenario(ctx, selected) : undefined;
  // Everything is generated before filtering, so a seed plans the same values whatever --checks says.
  const judged = options.judged
    ? keepJudged(phaseDrafts, scenarioDrafts, burstDraft, options.judged)
    : { phases: phaseDrafts, scenarios: scenarioDrafts, burst: burstDraft };
  // The budget counts only what is sent: cases no selected check judges are already gone.
  const kept = { ...judged, ...fitBudget(judged.phases, judged.scenarios, options.maxCases) };
  // On a target holding others' records a random body of a create no operation deletes is one more
  // record left there for good, and judges nothing its examples and boundaries do not: none is made.
  // Loopback runs (the mock, a server under test) keep them.
  const cleanup = cleanupPlans(ctx);
  // A create whose answer gives no id the run can read (a 202 without a body) makes records no cleanup finds.
  const cleaned = new Set(cleanup.flatMap((c) => c.creates.map((create) => create.operationId)));
  const unidentified = spec.operations
    .filter((op) => !cleaned.has(op.operationId) && makesRecords(op, spec))
    .map((op) => op.operationId);
  const undeletable = ctx.othersRecords ? new Set([...undeletableCreates(ctx), ...unidentified]) : new Set<string>();
  const noRandom: string[] = [];
  const phases: Phase[] = kept.phases
    .map((p) => {
      const drafts = p.drafts;
      const id = p.operation.operationId;
      const room = options.maxCases - (kept.used.get(id) ?? 0);
      if (drafts.length === 0 || room <= 0 || options.random === false || !selected.includes(p.operation))
        return { ...p, drafts };
      if (undeletable.has(id)) {
        noRandom.push(id);
        return { ...p, drafts };
      }
      const taken = new Set(drafts.map(bodyKey).filter((k): k is string => k !== undefined));
      const random = attempt(p.operation, () => randomCases(ctx, p.operation, room, taken)).filter(
        (d) => options.judged?.(d) ?? true,
      );
      // Random bodies follow the operation's other valid requests.
      const at = drafts.findLastIndex((d) => d.kind === 'positive') + 1;
      return { ...p, drafts: [...drafts.slice(0, at), ...random, ...drafts.slice(at)] };
    })
    .map((p, _, all) => ({ ...p, drafts: withinRecords(ctx, p, all) }))
    .filter((p) => p.drafts.length > 0 && !skipped.has(p.operation.operationId))
    .map((p) => ({ operation: p.operation, cases: p.drafts.map(number) }));
  const scenarios = kept.scenarios.map(toScenario);
  const burst = kept.burst ? toScenario(kept.burst) : undefined;
  for (const testCase of [...phases.flatMap((p) => p.cases), ...scenarios.flatMap((s) => s.steps)]) {
    if (testCase.kind !== 'positive') continue;
    const named = unmadeBodyIds(testCase.operation, testCase.request, spec);
    if (named !== undefined) testCase.request = { ...testCase.request, namesUnmade: named };
  }
  if (ctx.othersRecords) {
    for (const testCase of [
      ...phases.flatMap((p) => p.cases),
      ...scenarios.flatMap((s) => s.steps),
      ...(burst?.steps ?? []),
    ]) {
      const reason = othersRecordReason(testCase, spec);
      if (reason !== undefined) testCase.request = { ...testCase.request, othersRecord: reason };
    }
  }
  return {
    phases,
    scenarios,
    ...(burst ? { burst } : {}),
    total: seq,
    skipped: [...skipped].map(([operationId, reason]) => ({ operationId, reason })),
    cleanup,
    overBudget: kept.overBudget,
    noRandom,
    unidentified,
  };
}
