/**
 * Every check, by name, in evaluation order. The order is the precedence: when a check marked
 * `hides: 'all'` fails, the later checks of that exchange are skipped, so one fault is reported by
 * one check (a 500 is only `not_a_server_error`, an accepted invalid body only
 * `negative_data_rejected`). `--checks` and `--exclude-checks` filter this list, and the planner
 * asks `judges` which cases the selected checks could judge.
 */
import { ConfigError } from '../errors.js';
import type { CaseKind, Check, TestCase } from '../types.js';
import { contentType, errorFormat, responseSchema, writeOnlyHidden } from './body.js';
import { responseHeaders } from './headers.js';
import { ignoredAuth, missingRequiredHeader, negativeDataRejected, positiveDataAccepted } from './outcome.js';
import { rateLimit } from './rate-limit.js';
import { notAServerError } from './server.js';
import { resourceAvailability, statefulRules } from './state.js';
import { statusCodeDocumented } from './status.js';
import { refusalsOf } from './support.js';

export interface CheckDefinition {
  name: string;
  check: Check;
  /** What a failure of this check hides: every later check, or the listed ones. */
  hides?: 'all' | readonly string[];
  /** Opt-in checks run only when named in --checks. */
  optIn?: boolean;
  /** The cases whose answers this check can judge: every answered case, some kinds, or a test of its own. */
  judges: 'any' | readonly CaseKind[] | ((testCase: Judged) => boolean);
  description: string;
}

/** What is known of a case when the planner asks whether a check could judge it. */
type Judged = Pick<TestCase, 'kind' | 'request' | 'stateful' | 'operation' | 'broken'>;

/** A refusal is judged only where the operation documents one (see outcome.ts). */
const refusalOf =
  (kind: CaseKind) =>
  (testCase: Judged): boolean =>
    testCase.kind === kind && refusalsOf(testCase).length > 0;

const usesLinkedId = (testCase: Judged): boolean =>
  testCase.kind === 'stateful' ||
  testCase.request.bodyId !== undefined ||
  [...Object.values(testCase.request.pathParams), ...Object.values(testCase.request.query)].some(
    (v) => 'sourceOperationId' in v,
  );

const hasStatefulRule = (testCase: Judged): boolean => testCase.stateful !== undefined;

export const REGISTRY: readonly CheckDefinition[] = [
  {
    name: 'not_a_server_error',
    check: notAServerError,
    hides: 'all',
    judges: 'any',
    description: 'no 5xx; a timeout, reset or oversized body counts too',
  },
  {
    name: 'status_code_documented',
    check: statusCodeDocumented,
    hides: 'all',
    judges: 'any',
    description: 'the status is documented for the operation',
  },
  {
    name: 'resource_availability',
    check: resourceAvailability,
    hides: 'all',
    judges: usesLinkedId,
    description: 'ids created in the run are not 404; an id never created is 404',
  },
  {
    name: 'positive_data_accepted',
    check: positiveDataAccepted,
    hides: 'all',
    judges: ['positive'],
    description: 'a valid request gets a 2xx',
  },
  {
    name: 'negative_data_rejected',
    check: negativeDataRejected,
    hides: 'all',
    judges: refusalOf('negative'),
    description: 'an invalid body, parameter or Content-Type gets a documented 4xx',
  },
  {
    name: 'missing_required_header',
    check: missingRequiredHeader,
    hides: 'all',
    judges: refusalOf('header'),
    description: 'a missing or malformed required header gets a documented 4xx',
  },
  {
    name: 'ignored_auth',
    check: ignoredAuth,
    hides: 'all',
    judges: ['auth'],
    description: 'no or wrong-scheme credentials get 401/403',
  },
  {
    name: 'stateful_rules',
    check: statefulRules,
    hides: 'all',
    judges: hasStatefulRule,
    description: 'duplicates and merges get the x-resource statuses',
  },
  {
    name: 'rate_limit',
    check: rateLimit,
    hides: 'all',
    optIn: true,
    judges: ['rate-limit'],
    description: 'the request past x-rate-limit gets its status with Retry-After (opt-in)',
  },
  {
    name: 'content_type',
    check: contentType,
    hides: ['response_schema', 'error_format', 'write_only_hidden'],
    judges: 'any',
    description: 'the Content-Type is documented for the status',
  },
  {
    name: 'response_schema',
    check: responseSchema,
    judges: 'any',
    description: 'a 2xx body matches its documented schema',
  },
  {
    name: 'error_format',
    check: errorFormat,
    judges: 'any',
    description: 'a non-2xx body matches the error schema documented for its status',
  },
  {
    name: 'write_only_hidden',
    check: writeOnlyHidden,
    judges: 'any',
    description: 'a 2xx body carries no property its schema marks writeOnly',
  },
  {
    name: 'response_headers',
    check: responseHeaders,
    judges: 'any',
    description: 'documented required headers are present and documented headers valid',
  },
];

export const CHECK_NAMES = REGISTRY.map((c) => c.name);

/** The checks a run evaluates; throws with the valid names when a name is unknown. */
export function selectChecks(only: string[] | undefined, exclude: string[] | undefined): CheckDefinition[] {
  for (const name of [...(only ?? []), ...(exclude ?? [])]) {
    if (!CHECK_NAMES.includes(name)) {
      throw new ConfigError(`unknown check "${name}"; valid checks: ${CHECK_NAMES.join(', ')}`);
    }
  }
  return REGISTRY.filter((c) => (only ? only.includes(c.name) : !c.optIn) && !(exclude ?? []).includes(c.name));
}

/** Whether one of the checks could judge the case's answer. */
export function isJudged(checks: readonly CheckDefinition[], testCase: Judged): boolean {
  return checks.some((c) =>
    c.judges === 'any' ? true : typeof c.judges === 'function' ? c.judges(testCase) : c.judges.includes(testCase.kind),
  );
}
