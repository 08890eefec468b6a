import { beforeAll, describe, expect, test } from 'vitest';
import { evaluate } from '../../conformance/checks/evaluate.js';
import { REGISTRY, selectChecks } from '../../conformance/checks/registry.js';
import type { CaseKind, Exchange, ReceivedResponse, TestCase } from '../../conformance/types.js';
import { loadSpec, type Spec } from '../../lib/spec.js';
import { ValidatorCache } from '../../lib/validator.js';

let spec: Spec;
const validators = new ValidatorCache();
const checks = selectChecks(undefined, undefined);

beforeAll(async () => {
  spec = await loadSpec('specs/easify-contact-groups.yaml');
});

function exchange(
  kind: CaseKind,
  response: Partial<ReceivedResponse> & { status: number },
  extra: Partial<TestCase> = {},
): Exchange {
  const testCase: TestCase = {
    seq: 0,
    operation: spec.operations[0]!,
    kind,
    name: `${kind}: a case`,
    request: { pathParams: {}, query: {}, cookies: {}, headers: {}, omitHeaders: [], forceHeaders: [] },
    ...extra,
  };
  const text = response.text ?? '';
  let json: { value: unknown } | undefined;
  try {
    json = text ? { value: JSON.parse(text) } : undefined;
  } catch {
    json = undefined;
  }
  return {
    testCase,
    request: { method: 'POST', url: 'http://127.0.0.1/contact-groups/create', headers: {} },
    response: { headers: { 'content-type': 'application/json' }, text, ...(json ? { json } : {}), ...response },
    usesCreatedId: false,
  };
}

const results = (ex: Exchange, only = checks) => evaluate(ex, { spec, validators, checks: only, strict: false }).checks;

const failing = (ex: Exchange, only = checks): string[] =>
  results(ex, only)
    .filter((r) => r.status === 'failed')
    .map((r) => r.check);

const CREATED = JSON.stringify({
  status: true,
  message: 'ok',
  data: {
    id: 1,
    name: 'a',
    contacts_count: 0,
    shared_group: false,
    default_group: false,
    created_at: '12-02-2024 03:13:35 AM',
  },
});
const UNPROCESSABLE = JSON.stringify({
  message: 'The name field is required.',
  errors: { name: ['The name field is required.'] },
});
const UNAUTHENTICATED = JSON.stringify({ status: false, message: 'Unauthenticated', errors: [] });

describe('one fault, one check', () => {
  test('a conformant exchange fails nothing', () => {
    expect(failing(exchange('positive', { status: 200, text: CREATED }))).toEqual([]);
    expect(failing(exchange('negative', { status: 422, text: UNPROCESSABLE }))).toEqual([]);
    expect(failing(exchange('auth', { status: 401, text: UNAUTHENTICATED }))).toEqual([]);
  });
  test('a 500 on a negative case is only not_a_server_error', () => {
    expect(failing(exchange('negative', { status: 500, text: 'boom' }))).toEqual(['not_a_server_error']);
  });
  test('a transport error is only not_a_server_error', () => {
    const ex = exchange('positive', { status: 200 });
    delete ex.response;
    ex.error = { reason: 'timeout', message: 'no complete response within 10 ms' };
    expect(failing(ex)).toEqual(['not_a_server_error']);
  });
  test('an undocumented status is only status_code_documented', () => {
    expect(failing(exchange('negative', { status: 302, text: '' }))).toEqual(['status_code_documented']);
    expect(failing(exchange('auth', { status: 418, text: UNAUTHENTICATED }))).toEqual(['status_code_documented']);
    const failure = (ex: Exchange) =>
      results(ex).find((r) => r.check === 'status_code_documented' && r.status === 'failed');
    expect(failure(exchange('negative', { status: 302, text: '' }))).toMatchObject({
      failure: { expected: expect.stringMatching(/^one of 200, 401, /) },
    });
    // An operation without responses (a flawed document) is told as such, not as "one of" nothing.
    const bare = { ...spec.operations[0]!, responses: [] };
    expect(failure(exchange('positive', { status: 200, text: '{}' }, { operation: bare }))).toMatchObject({
      failure: { expected: 'a documented status: the operation documents none' },
    });
  });
  test('a 201 where only our guess says 200 refutes that guess, and fails nothing', () => {
    const result = evaluate(exchange('positive', { status: 201, text: CREATED }), {
      spec,
      validators,
      checks,
      strict: false,
    });
    expect(result.checks.filter((r) => r.status === 'failed')).toEqual([]);
    expect(result.assumptions).toContainEqual(
      expect.objectContaining({ verdict: 'refuted', assumption: expect.objectContaining({ keyword: 'response' }) }),
    );
    // --strict: our guess counts as the vendor's word.
    const strict = evaluate(exchange('positive', { status: 201, text: CREATED }), {
      spec,
      validators,
      checks,
      strict: true,
    });
    expect(strict.checks.filter((r) => r.status === 'failed').map((r) => r.check)).toEqual(['status_code_documented']);
  });
  test('accepted invalid input is only negative_data_rejected, even with a bad body', () => {
    expect(failing(exchange('negative', { status: 200, text: '{}' }))).toEqual(['negative_data_rejected']);
  });
  test('an operation documenting no refusal is not judged on refusing; a refusal only we assume is refuted, not failed', () => {
    const only = REGISTRY.filter((c) => c.name === 'negative_data_rejected');
    const list = spec.operations.find((o) => o.operationId === 'listContactGroups')!;
    const page = { status: 200, text: '{}' };
    const noRefusal = { ...list, responses: list.responses.filter((r) => r.status !== '422') };
    expect(results(exchange('negative', page, { operation: noRefusal }), only)).toEqual([
      { check: 'negative_data_rejected', status: 'skipped', reason: 'does not apply to this case' },
    ]);
    const refusal = { pointer: '/paths/~1contact-groups/get/responses/422', keyword: 'response', reason: 'ours' };
    const assumed = exchange('negative', page, { operation: list, assumptions: [refusal] });
    const relaxed = evaluate(assumed, { spec, validators, checks: only, strict: false });
    expect(relaxed.checks.map((r) => r.status)).toEqual(['skipped']);
    expect(relaxed.assumptions).toEqual([{ assumption: refusal, verdict: 'refuted' }]);
    expect(failing(assumed, only)).toEqual([]);
    expect(evaluate(assumed, { spec, validators, checks: only, strict: true }).checks.map((r) => r.status)).toEqual([
      'failed',
    ]);
    // A 401 is still a refusal, but it does not confirm the 422 we assumed; the 422 does.
    const confirmedBy = (status: number) =>
      evaluate(exchange('negative', { status, text: UNAUTHENTICATED }, { operation: list, assumptions: [refusal] }), {
        spec,
        validators,
        checks: only,
        strict: false,
      }).assumptions;
    expect(confirmedBy(401)).toEqual([]);
    expect(confirmedBy(422)).toEqual([{ assumption: refusal, verdict: 'confirmed' }]);
  });
  test('a 200 without credentials is only ignored_auth', () => {
    expect(failing(exchange('auth', { status: 200, text: CREATED }))).toEqual(['ignored_auth']);
  });
  test('a broken 2xx body is response_schema with readable AJV paths; a broken error body is error_format', () => {
    const broken = CREATED.replace('"contacts_count":0', '"contacts_count":"0"');
    const failure = results(exchange('positive', { status: 200, text: broken })).find((r) => r.status === 'failed');
    expect(failure?.check).toBe('response_schema');
    expect(failure?.failure?.errors).toContain('/data/contacts_count: must be integer');
    expect(failing(exchange('negative', { status: 422, text: '{"error":"bad"}' }))).toEqual(['error_format']);
  });
  test('an undocumented Content-Type is content_type and hides the body checks', () => {
    expect(
      failing(exchange('positive', { status: 200, text: 'not json', headers: { 'content-type': 'text/plain' } })),
    ).toEqual(['content_type']);
  });
  test('a valid request rejected is positive_data_accepted; a throttle is judged only when proven premature', () => {
    expect(failing(exchange('positive', { status: 422, text: UNPROCESSABLE }))).toEqual(['positive_data_accepted']);
    const throttled = (evidence: Exchange['throttle']): Exchange => ({
      ...exchange('positive', {
        status: 429,
        text: UNAUTHENTICATED.replace('Unauthenticated', 'Too many'),
        headers: { 'content-type': 'application/json', 'retry-after': '59' },
      }),
      ...(evidence ? { throttle: evidence } : {}),
    });
    // The user's credential: its quota may have been used before the run; not judged.
    expect(failing(throttled({ possiblyEarlier: 3, ownCredential: false, retries: 2, waitedMs: 0 }))).toEqual([]);
    // The run's own credential, 16 possibly earlier: the server was entitled to it.
    expect(failing(throttled({ possiblyEarlier: 16, ownCredential: true, retries: 0, waitedMs: 0 }))).toEqual([]);
    // The run's own credential and at most 3 requests before it: premature, proven.
    const premature = throttled({ possiblyEarlier: 4, ownCredential: true, retries: 0, waitedMs: 0 });
    expect(failing(premature)).toEqual(['positive_data_accepted']);
    expect(results(premature).find((r) => r.status === 'failed')?.failure?.message).toBe(
      "valid request throttled before the documented limit (at most 3 earlier requests on the run's own credential within 60 s; the limit is 15)",
    );
  });
  test('a 429 without Retry-After refutes our assumption that it is required; an unreadable one fails rate_limit', () => {
    const burst = exchange('rate-limit', { status: 429, text: UNAUTHENTICATED }, { expectThrottle: true });
    const all = selectChecks(
      REGISTRY.map((c) => c.name),
      undefined,
    );
    // Easify's page promises a message, not a header: Retry-After being required is ours.
    expect(failing(burst, all)).toEqual([]);
    expect(evaluate(burst, { spec, validators, checks: all, strict: false }).assumptions).toContainEqual(
      expect.objectContaining({ verdict: 'refuted', assumption: expect.objectContaining({ keyword: 'required' }) }),
    );
    expect(
      failing(
        burst,
        all.filter((c) => c.name === 'rate_limit'),
      ),
    ).toEqual([]);
    const unreadable = exchange(
      'rate-limit',
      { status: 429, text: UNAUTHENTICATED, headers: { 'content-type': 'application/json', 'retry-after': 'soon' } },
      { expectThrottle: true },
    );
    expect(
      failing(
        unreadable,
        all.filter((c) => c.name === 'rate_limit'),
      ),
    ).toEqual(['rate_limit']);
    // A throttle the run cannot judge is still checked for its documented headers.
    const throttled: Exchange = {
      ...exchange('positive', { status: 429, text: UNAUTHENTICATED }),
      throttle: { possiblyEarlier: 16, ownCredential: false, retries: 0, waitedMs: 0 },
    };
    expect(failing(throttled)).toEqual([]);
    // A 429 the run does not treat as a throttle (no evidence recorded): judged like any answer.
    expect(failing(exchange('auth', { status: 429, text: UNAUTHENTICATED }))).toEqual(['ignored_auth']);
  });
  test('a duplicate accepted is stateful_rules; a created id answered 422 is left to positive_data_accepted', () => {
    const duplicate = exchange(
      'stateful',
      { status: 200, text: CREATED },
      { stateful: { rule: 'duplicate', status: '422', example: 'duplicate-name' } },
    );
    expect(failing(duplicate)).toEqual(['stateful_rules']);
    const created = { ...exchange('positive', { status: 422, text: UNPROCESSABLE }), usesCreatedId: true };
    expect(failing(created)).toEqual(['positive_data_accepted']);
  });
});

test('every check is skipped, never passed, when the case was not sent', () => {
  const ex = exchange('positive', { status: 200 });
  ex.notSent = 'no record';
  expect(new Set(results(ex).map((r) => r.status))).toEqual(new Set(['skipped']));
});

test('rate_limit is opt-in and unknown names are rejected with the valid list', () => {
  expect(selectChecks(undefined, undefined).map((c) => c.name)).not.toContain('rate_limit');
  expect(selectChecks(['rate_limit'], undefined).map((c) => c.name)).toEqual(['rate_limit']);
  expect(() => selectChecks(['nope'], undefined)).toThrow(/unknown check "nope"; valid checks: not_a_server_error/);
});
