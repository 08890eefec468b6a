/**
 * Runs the selected checks on one exchange in registry order, applying each failure's `hides`, and
 * grades what fails by provenance: a failure that disappears under the vendor's documented rules
 * breaks only our assumptions (`x-inferred`), so it refutes them instead of failing the run
 * (unless `strict`). What passed confirms the assumptions it exercised.
 */
import { isJsonMediaType } from '../../lib/media-type.js';
import { type Assumption, markedPointer, reachedAssumptions, responseAssumption } from '../../lib/provenance.js';
import type { Response, Spec } from '../../lib/spec.js';
import type { ValidatorCache } from '../../lib/validator.js';
import type { AssumptionEvidence, CaseResult, CheckContext, CheckResult, Exchange } from '../types.js';
import type { CheckDefinition } from './registry.js';
import { documentedFor, documentedMedia, headerAsRead, headerRequiredAssumption, isSuccess } from './support.js';

export interface EvaluateOptions {
  spec: Spec;
  validators: ValidatorCache;
  checks: readonly CheckDefinition[];
  /** Inferred rules count as documented: breaking one is a failure. */
  strict: boolean;
}

const NOT_APPLICABLE = 'does not apply to this case';

// Nearly every result is one of these two: one frozen object per check, not one per case.
const passedResults = new Map<string, CheckResult>();
const notApplicableResults = new Map<string, CheckResult>();

function passed(check: string): CheckResult {
  let kept = passedResults.get(check);
  if (!kept) passedResults.set(check, (kept = Object.freeze({ check, status: 'passed' })));
  return kept;
}

function notApplicable(check: string): CheckResult {
  let kept = notApplicableResults.get(check);
  if (!kept)
    notApplicableResults.set(check, (kept = Object.freeze({ check, status: 'skipped', reason: NOT_APPLICABLE })));
  return kept;
}

function describeRefuted(assumptions: readonly Assumption[]): string {
  return `refutes ${assumptions.map((a) => `${a.keyword} at ${a.pointer}`).join(', ')}`;
}

/** What a passing answer confirmed of the spec's assumptions. */
function confirmed(ctx: CheckContext, check: string): Assumption[] {
  const { response, documented, testCase, spec } = ctx;
  if (check === 'negative_data_rejected' || check === 'missing_required_header') {
    // A refusal we assumed (the vendor documents none) is confirmed by that answer, not by any 4xx.
    const answered = documented ? markedPointer(spec.source, documented.pointer) : undefined;
    return (testCase.assumptions ?? []).filter((a) => a.keyword !== 'response' || a.pointer === answered);
  }
  if (!response || !documented) return [];
  if (check === 'status_code_documented') return responseAssumption(spec, documented, 'response') ?? [];
  if (check === 'content_type') {
    return [
      ...(responseAssumption(spec, documented, 'content') ?? []),
      ...(responseAssumption(spec, documented, 'mediaType') ?? []),
    ];
  }
  if (check === 'response_headers') return presentHeaderAssumptions(ctx, documented);
  if (check === 'rate_limit') {
    const assumption = headerRequiredAssumption(spec, documented, 'Retry-After');
    return assumption ? [assumption] : [];
  }
  if (
    (check === 'response_schema' && isSuccess(response.status)) ||
    (check === 'error_format' && !isSuccess(response.status))
  ) {
    const media = documentedMedia(documented, response);
    const origin = media?.schema ? spec.origins.get(media.schema) : undefined;
    if (!media || origin === undefined) return [];
    const value = isJsonMediaType(media.mediaType) ? response.json?.value : response.text;
    return reachedAssumptions(spec.source, origin, value);
  }
  return [];
}

/** What the documented headers an answer carries confirmed: their being required, their schemas' rules. */
function presentHeaderAssumptions(ctx: CheckContext, documented: Response): Assumption[] {
  const { spec, response } = ctx;
  const found: Assumption[] = [];
  for (const header of documented.headers) {
    const value = response?.headers[header.name.toLowerCase()];
    if (value === undefined) continue;
    const required = headerRequiredAssumption(spec, documented, header.name);
    if (required) found.push(required);
    const origin = header.schema ? spec.origins.get(header.schema) : undefined;
    if (header.schema && origin !== undefined)
      found.push(...reachedAssumptions(spec.source, origin, headerAsRead(header, header.schema, value)));
  }
  return found;
}

export function evaluate(exchange: Exchange, options: EvaluateOptions): CaseResult {
  const { checks } = options;
  if (exchange.notSent) {
    return {
      exchange,
      checks: checks.map((c) => ({ check: c.name, status: 'skipped', reason: exchange.notSent })),
      assumptions: [],
    };
  }
  const { testCase, request, response, error } = exchange;
  const ctx: CheckContext = {
    spec: options.spec,
    operation: testCase.operation,
    testCase,
    exchange,
    request,
    ...(response ? { response } : {}),
    ...(error ? { error } : {}),
    ...(response ? { documented: documentedFor(testCase.operation, response.status, 'all') } : {}),
    validators: options.validators,
    rules: 'all',
  };
  let documentedCtx: CheckContext | undefined;
  const underDocumentedRules = (): CheckContext => {
    documentedCtx ??= {
      ...ctx,
      rules: 'documented',
      documented: response ? documentedFor(testCase.operation, response.status, 'documented') : undefined,
    };
    return documentedCtx;
  };

  const results: CheckResult[] = [];
  const evidence: AssumptionEvidence[] = [];
  let hiddenByAll: string | undefined;
  const hidden = new Map<string, string>();
  for (const definition of checks) {
    const hider = hiddenByAll ?? hidden.get(definition.name);
    if (hider) {
      results.push({ check: definition.name, status: 'skipped', reason: `hidden by the ${hider} failure` });
      continue;
    }
    const outcome = definition.check(ctx);
    if (outcome === 'skip') {
      results.push(notApplicable(definition.name));
      continue;
    }
    if (!outcome) {
      results.push(passed(definition.name));
      for (const assumption of confirmed(ctx, definition.name)) evidence.push({ assumption, verdict: 'confirmed' });
      continue;
    }
    if (outcome.assumptions && !options.strict) {
      const again = definition.check(underDocumentedRules());
      if (again === undefined || again === 'skip') {
        for (const assumption of outcome.assumptions) evidence.push({ assumption, verdict: 'refuted' });
        results.push({ check: definition.name, status: 'skipped', reason: describeRefuted(outcome.assumptions) });
        continue;
      }
    } else if (outcome.assumptions) {
      for (const assumption of outcome.assumptions) evidence.push({ assumption, verdict: 'refuted' });
    }
    results.push({ check: definition.name, status: 'failed', failure: outcome });
    if (definition.hides === 'all') hiddenByAll = definition.name;
    else for (const name of definition.hides ?? []) hidden.set(name, definition.name);
  }
  return { exchange, checks: results, assumptions: evidence };
}
