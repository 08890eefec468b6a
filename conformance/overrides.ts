/**
 * What a run is told beyond the spec: values for path and query parameters (an account id that must
 * be one of yours), the values of its query and cookie API keys, operations to leave out, and the
 * statuses an operation's cases must get instead of the contract's defaults (any 2xx for a valid
 * request, a documented 4xx for an invalid one).
 */
import { formatAjvErrors } from '../lib/ajv-errors.js';
import { type CredentialLocation, credentialNames, type SecurityScheme } from '../lib/security.js';
import type { Operation, Parameter, Spec } from '../lib/spec.js';
import type { ValidatorCache } from '../lib/validator.js';
import { coerceText } from '../lib/wire.js';
import { carriesCredential } from './cases/credentials.js';
import type { GivenCredentials } from './cases/wire.js';
import type { CheckDefinition } from './checks/registry.js';
import { got, throttleState } from './checks/support.js';
import { ConfigError } from './errors.js';
import { headerValueProblem, suggestion } from './options.js';
import type { Check, TestCase } from './types.js';

/** Statuses the cases of an operation must get, by what the case is about. */
export interface ExpectedStatuses {
  /** Valid requests (instead of any 2xx). */
  positive?: number[];
  /** Invalid bodies, parameters and headers (instead of a documented 4xx). */
  negative?: number[];
  /** Missing or wrong-scheme credentials (instead of 401 or 403). */
  auth?: number[];
}

export interface OperationOverride {
  /** Leave the operation out of the run (records it must provide are still created for the others). */
  skip?: boolean;
  expectedStatuses?: ExpectedStatuses;
  /** Parameter values for this operation only; they win over the run's `parameters`. */
  parameters?: Record<string, unknown>;
}

/** Names where a configured value came from, for messages: `conformance.config.yaml:12:7 apis[0].parameters.x`. */
export type Origin = (path: readonly (string | number)[]) => string;

export const defaultOrigin: Origin = (path) => path.join('.');

const PLACES: Record<CredentialLocation, string> = { query: 'the query', cookie: 'a cookie', header: 'a header' };

/**
 * The values given for the spec's query and cookie API keys, checked: a name that no apiKey scheme of
 * the spec sends there, an empty value, or a cookie value a Cookie header cannot carry is refused, every
 * problem at once on one line. A value is never quoted: it is a secret.
 */
export function checkGivenCredentials(
  spec: Spec,
  given: { query?: Readonly<Record<string, string>>; cookies?: Readonly<Record<string, string>> },
  origin: Origin,
): GivenCredentials {
  const keys = [...spec.securitySchemes.values()].filter((s) => s.kind === 'apiKey');
  const problems: string[] = [];
  const check = (location: 'query' | 'cookie', values: Readonly<Record<string, string>>): void => {
    const key = location === 'query' ? 'queryCredentials' : 'cookieCredentials';
    const known = keys.filter((s) => s.in === location).map((s) => s.parameterName);
    for (const [name, value] of Object.entries(values)) {
      const where = origin([key, name]);
      if (!known.includes(name)) {
        const elsewhere = keys.find((s) => s.parameterName.toLowerCase() === name.toLowerCase());
        const hint = elsewhere
          ? ` (its scheme ${elsewhere.name} sends ${elsewhere.parameterName} in ${PLACES[elsewhere.in]})`
          : suggestion(name, known) ||
            (known.length > 0
              ? ` (its ${location} API keys: ${known.join(', ')})`
              : ` (it has no ${location} API key)`);
        problems.push(
          `${where}: ${spec.file} has no apiKey security scheme sent in ${PLACES[location]} as "${name}"${hint}`,
        );
      } else if (value === '') problems.push(`${where}: has no value`);
      else if (location === 'cookie') {
        const problem =
          headerValueProblem(value) ?? (value.includes(';') ? "has a ';', which ends a cookie" : undefined);
        if (problem) problems.push(`${where} ${problem}`);
      }
    }
  };
  check('query', given.query ?? {});
  check('cookie', given.cookies ?? {});
  if (problems.length > 0) throw new ConfigError(problems.join('; '));
  return { query: { ...given.query }, cookies: { ...given.cookies } };
}

/** A spec with the configured parameter values in force, and the optional query values every case must carry. */
export interface Configured {
  spec: Spec;
  optionalQuery: Map<string, Record<string, unknown>>;
}

/** Every problem of the overrides at once, one line: operations the spec does not have, then bad values. */
/**
 * The spec with each operation's security alternatives reordered so that the first is one the run's
 * given credentials satisfy (`--header Authorization`, `--query-credential api_key=...`): the valid
 * requests carry the first alternative, and a user's real key must be among what they send. An
 * operation no given credential satisfies keeps its order.
 */
export function preferGivenSecurity(
  spec: Spec,
  given: { headers: readonly string[]; query: readonly string[]; cookies: readonly string[] },
): Spec {
  const headers = new Set(given.headers.map((name) => name.toLowerCase()));
  const satisfied = (scheme: SecurityScheme): boolean =>
    scheme.in === 'header'
      ? headers.has(scheme.parameterName.toLowerCase())
      : (scheme.in === 'query' ? given.query : given.cookies).includes(scheme.parameterName);
  if (headers.size === 0 && given.query.length === 0 && given.cookies.length === 0) return spec;
  const operations = spec.operations.map((operation) => {
    const first = operation.security.findIndex((alternative) => alternative.length > 0 && alternative.every(satisfied));
    if (first <= 0) return operation;
    const security = [operation.security[first]!, ...operation.security.filter((_, i) => i !== first)];
    return { ...operation, security };
  });
  return operations.some((op, i) => op !== spec.operations[i]) ? { ...spec, operations } : spec;
}

export function checkOverrides(
  spec: Spec,
  validators: ValidatorCache,
  parameters: Readonly<Record<string, unknown>>,
  overrides: Readonly<Record<string, OperationOverride>>,
  origin: Origin,
): Configured {
  const known = spec.operations.map((op) => op.operationId);
  const problems = Object.keys(overrides)
    .filter((id) => !known.includes(id))
    .map(
      (id) =>
        `${origin(['operations', id])}: ${spec.file} has no operation "${id}"${suggestion(id, known) || ` (it has ${known.join(', ')})`}`,
    );
  const configured = applyParameterValues(spec, validators, parameters, overrides, origin, problems);
  if (problems.length > 0) throw new ConfigError(problems.join('; '));
  return configured;
}

/**
 * Makes each configured value the parameter's example, so every case starts from it (and invalid
 * cases are variations of it), in a copy of the spec: the loaded one is shared by every run of the
 * process. Values are checked against the vendor's documented rules: a value of yours that breaks
 * only an assumption of ours is yours to send. Also returns, per operation, the configured optional
 * query parameters: the planner sends only required ones unless a case is about them, so these are
 * added to every case afterwards (see addConfiguredQuery).
 */
function applyParameterValues(
  spec: Spec,
  validators: ValidatorCache,
  parameters: Readonly<Record<string, unknown>>,
  overrides: Readonly<Record<string, OperationOverride>>,
  origin: Origin,
  problems: string[],
): Configured {
  const optional = new Map<string, Record<string, unknown>>();
  const used = new Set<string>();
  const queryKeys = credentialNames(spec.securitySchemes.values()).query;
  // The run's credential fills a parameter where an API key goes: a value for it belongs to queryCredentials.
  const keyHint = (name: string): string =>
    queryKeys.includes(name) ? " (it is where the spec's API key goes: give its value in queryCredentials)" : '';
  const configurable = (operation: Operation, p: Parameter): boolean =>
    (p.in === 'path' || p.in === 'query') && !carriesCredential(operation, p);
  /** One value breaks the same rules in every operation that has the parameter: said once, naming them. */
  const invalid = new Map<string, { where: string; what: string; reasons: string; operations: string[] }>();
  const operations = spec.operations.map((operation) => {
    const own = overrides[operation.operationId]?.parameters ?? {};
    for (const name of Object.keys(own)) {
      if (!operation.parameters.some((p) => p.name === name && configurable(operation, p))) {
        problems.push(
          `${origin(['operations', operation.operationId, 'parameters', name])}: ${operation.operationId} has no path or query parameter "${name}"${keyHint(name) || parameterNames(spec, operation.operationId)}`,
        );
      }
    }
    let changed = false;
    const configured = operation.parameters.map((parameter) => {
      if (!configurable(operation, parameter)) return parameter;
      const path = Object.hasOwn(own, parameter.name)
        ? ['operations', operation.operationId, 'parameters', parameter.name]
        : Object.hasOwn(parameters, parameter.name)
          ? ['parameters', parameter.name]
          : undefined;
      if (!path) return parameter;
      if (path.length === 2) used.add(parameter.name);
      const given = Object.hasOwn(own, parameter.name) ? own[parameter.name] : parameters[parameter.name];
      const value = typeof given === 'string' ? coerceText(given, parameter.schema) : given;
      const validate = validators.get(parameter.schema, 'documented');
      if (!validate(value)) {
        // The value itself is not repeated: it may come from the environment, and be a secret.
        const reasons = formatAjvErrors(validate.errors, parameter.name).join('; ');
        const where = origin(path);
        const what = `${parameter.in} parameter ${parameter.name}`;
        const key = `${where}\u0000${what}\u0000${reasons}`;
        const found = invalid.get(key) ?? { where, what, reasons, operations: [] };
        found.operations.push(operation.operationId);
        invalid.set(key, found);
        return parameter;
      }
      if (parameter.in === 'query' && !parameter.required) {
        optional.set(operation.operationId, { ...optional.get(operation.operationId), [parameter.name]: value });
      }
      changed = true;
      return { ...parameter, example: value, given: true as const };
    });
    return changed ? { ...operation, parameters: configured } : operation;
  });
  for (const { where, what, reasons, operations } of invalid.values()) {
    const of = operations.length === 1 ? operations[0] : `${operations.length} operations (${operations.join(', ')})`;
    problems.push(`${where}: not a valid ${what} of ${of} (${reasons})`);
  }
  for (const name of Object.keys(parameters)) {
    if (
      !used.has(name) &&
      !spec.operations.some((op) => Object.hasOwn(overrides[op.operationId]?.parameters ?? {}, name))
    )
      problems.push(
        `${origin(['parameters', name])}: no operation of ${spec.file} has a path or query parameter "${name}"${keyHint(name) || ' (header parameters go in headers)'}`,
      );
  }
  return {
    spec: operations.some((op, i) => op !== spec.operations[i]) ? { ...spec, operations } : spec,
    optionalQuery: optional,
  };
}

function parameterNames(spec: Spec, operationId: string): string {
  const names = spec.operations
    .find((op) => op.operationId === operationId)
    ?.parameters.filter((p) => p.in === 'path' || p.in === 'query')
    .map((p) => p.name);
  return names && names.length > 0 ? ` (it has ${names.join(', ')})` : '';
}

/** Sends the configured optional query parameters on every case that does not set them itself. */
export function addConfiguredQuery(
  cases: readonly TestCase[],
  optional: ReadonlyMap<string, Record<string, unknown>>,
): void {
  if (optional.size === 0) return;
  for (const testCase of cases) {
    const values = optional.get(testCase.operation.operationId);
    if (!values) continue;
    for (const [name, value] of Object.entries(values)) {
      if (!(name in testCase.request.query)) testCase.request.query = { ...testCase.request.query, [name]: { value } };
    }
  }
}

/** The checks that judge a status by the case's kind, and which expected statuses replace their rule. */
const OUTCOME_CHECKS: Record<string, { kinds: TestCase['kind'][]; key: keyof ExpectedStatuses; what: string }> = {
  positive_data_accepted: { kinds: ['positive'], key: 'positive', what: 'valid request' },
  negative_data_rejected: { kinds: ['negative'], key: 'negative', what: 'invalid request' },
  missing_required_header: {
    kinds: ['header'],
    key: 'negative',
    what: 'request with a missing or malformed required header',
  },
  ignored_auth: { kinds: ['auth'], key: 'auth', what: 'request without valid credentials' },
};

/** The checks with every operation's expected statuses in force; the others unchanged. */
export function withExpectedStatuses(
  checks: readonly CheckDefinition[],
  overrides: Readonly<Record<string, OperationOverride>>,
): CheckDefinition[] {
  if (!Object.values(overrides).some((o) => o.expectedStatuses)) return [...checks];
  return checks.map((definition) => {
    const outcome = OUTCOME_CHECKS[definition.name];
    if (!outcome) return definition;
    const original = definition.check;
    const check: Check = (ctx) => {
      const expected = overrides[ctx.operation.operationId]?.expectedStatuses?.[outcome.key];
      const { response, testCase } = ctx;
      if (!expected || !outcome.kinds.includes(testCase.kind)) return original(ctx);
      if (!response || throttleState(ctx) === 'unjudged') return 'skip';
      // Valid under the vendor's own rules: only an assumption of ours says it is invalid.
      if (ctx.rules === 'documented' && outcome.key === 'negative' && testCase.assumptions) return 'skip';
      if (expected.includes(response.status)) return undefined;
      return {
        message: `${outcome.what} answered ${response.status}, not one of the expected ${expected.join(', ')}`,
        expected: `${expected.join(' or ')} (the operation's expectedStatuses.${outcome.key}) for ${testCase.name.replace(/^[a-z-]+: /, '')}`,
        actual: got(response),
        key: `answered ${response.status}`,
        ...(outcome.key === 'negative' && testCase.assumptions ? { assumptions: testCase.assumptions } : {}),
      };
    };
    return { ...definition, check };
  });
}
