/**
 * The runner against the conformant reference server of each spec: no violation at all (exit 0,
 * zero failures), stateful checks included — and, read from the JUnit report, each relevant check
 * really judged cases, so an exit 0 cannot come from a runner that skipped them. The reference
 * server enforces the inferred rules too, as the vendor very likely does: every assumption a run
 * can reach is confirmed, none refuted, and the ones it cannot reach are named with the reason.
 */
import { afterAll, describe, expect, test } from 'vitest';
import { ALL_CHECKS, type AssumptionKey, AT, type CheckName, LONG_WINDOW } from '../support/faulty-servers.js';
import {
  type RunningServer,
  SPEC_FILES,
  type SpecKey,
  specFor,
  startReferenceServer,
} from '../support/reference-server.js';
import {
  assumptionsWith,
  COMMON,
  failingChecks,
  junitTally,
  runConformance,
  summarize,
  targetArgs,
} from '../support/runner.js';
import { virtualClock } from '../support/virtual-clock.js';

/**
 * Easify's documented limit, on a window far longer than any run: the burst of the opt-in
 * rate_limit check (16 requests on one credential) is throttled however slowly the machine sends
 * it, and nothing else of that run shares its window.
 */
const EASIFY_LIMIT = LONG_WINDOW;

const servers: RunningServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

interface Expectation {
  key: SpecKey;
  args: string[];
  rateLimit?: { limit: number; periodMs: number } | false;
  /** Checks that must have judged (and passed) at least one case: a check that never ran proves nothing. */
  judged: CheckName[];
  /** The assumptions the run confirms and the ones it cannot reach, in document order; none is refuted. */
  confirmed: AssumptionKey[];
  untested: AssumptionKey[];
}

/** The pointer of an operation in a spec: `op('/contacts/{contactId}', 'get')`. */
const op = (path: string, method: string): string =>
  `/paths/${path.replace(/~/g, '~0').replace(/\//g, '~1')}/${method}`;

const UPDATE_ID = `${AT.bigchangeUpdate}/parameters/0/schema`;
const RETRY_AFTER = `${AT.easify}/responses/429/headers/Retry-After`;

/** Easify's assumptions about the headers of its rate limiting, as a run past the limit decides them. */
const RATE_LIMIT_HEADERS: AssumptionKey[] = [
  { pointer: RETRY_AFTER, keyword: 'required' },
  { pointer: `${RETRY_AFTER}/schema`, keyword: 'type' },
  { pointer: `${RETRY_AFTER}/schema`, keyword: 'minimum' },
  { pointer: '/components/headers/Retry-After', keyword: 'required' },
  { pointer: '/components/headers/Retry-After/schema', keyword: 'type' },
  { pointer: '/components/headers/Retry-After/schema', keyword: 'minimum' },
  { pointer: '/components/headers/X-RateLimit-Limit/schema', keyword: 'type' },
  { pointer: '/components/headers/X-RateLimit-Remaining/schema', keyword: 'type' },
  { pointer: '/components/headers/X-RateLimit-Remaining/schema', keyword: 'minimum' },
];

/** Easify's assumptions about a create, as a run within the limit decides them. */
const EASIFY_CREATE: AssumptionKey[] = [
  { pointer: `${AT.easify}/requestBody`, keyword: 'required' },
  { pointer: `${AT.easify}/responses/200`, keyword: 'response' },
  { pointer: '/components/schemas/CreateContactGroupRequest/properties/name', keyword: 'minLength' },
  { pointer: '/components/schemas/CreateContactGroupRequest/properties/name', keyword: 'maxLength' },
  { pointer: '/components/schemas/ContactGroup/properties/created_at', keyword: 'pattern' },
];

const EIGHT_CONTACT = op('/api/v1/accounts/{accountId}/contacts/{contactId}', 'patch');
const EIGHT_GROUPS = op('/api/v1/accounts/{accountId}/groups', 'post');
const EIGHT_GROUP = op('/api/v1/accounts/{accountId}/groups/{groupId}', 'patch');
const EIGHT_DELETE = `${op('/api/v1/accounts/{accountId}/contacts/{contactId}', 'delete')}/responses/404`;
const GROUP_UPDATE = op('/contact-groups/update', 'patch');
const CONTACT_UPDATE = op('/contacts/update', 'patch');

const ALWAYS: CheckName[] = [
  'not_a_server_error',
  'status_code_documented',
  'positive_data_accepted',
  'negative_data_rejected',
  'response_schema',
  'content_type',
  'error_format',
  'ignored_auth',
];

const EXPECTATIONS: Expectation[] = [
  {
    key: 'bigchange',
    args: [],
    judged: [...ALWAYS, 'missing_required_header', 'resource_availability', 'stateful_rules'],
    confirmed: [
      { pointer: '/paths/~1v1~1contactGroups/get/responses/200', keyword: 'mediaType' },
      { pointer: `${AT.bigchangeCreate}/responses/201`, keyword: 'mediaType' },
      { pointer: `${AT.bigchangeCreate}/responses/422`, keyword: 'mediaType' },
      { pointer: UPDATE_ID, keyword: 'type' },
      { pointer: `${AT.bigchangeUpdate}/requestBody`, keyword: 'required' },
      { pointer: `${AT.bigchangeUpdate}/responses/404`, keyword: 'mediaType' },
      { pointer: `${AT.bigchangeUpdate}/responses/422`, keyword: 'mediaType' },
      { pointer: '/components/schemas/CreateContactGroup', keyword: 'required' },
      { pointer: '/components/schemas/CreateContactGroup/properties/name', keyword: 'minLength' },
      { pointer: '/components/schemas/CreatedResponse', keyword: 'required' },
      { pointer: '/components/schemas/CreatedResponse/properties/id', keyword: 'format' },
      { pointer: '/components/schemas/ProblemDetails', keyword: 'required' },
      { pointer: '/components/schemas/ValidationProblemDetails/allOf/1', keyword: 'required' },
      { pointer: '/components/responses/BadRequest', keyword: 'mediaType' },
      { pointer: '/components/responses/Unauthorized', keyword: 'response' },
      { pointer: '/components/responses/Unauthorized', keyword: 'content' },
    ],
    // Only an integer outside int64 breaks the format alone, and no such integer is a double: the
    // case's text ("9223372036854776000") reads back as a string and breaks the type instead. No
    // request of a run is forbidden or breaks the server.
    untested: [
      { pointer: '/paths/~1v1~1contactGroups/get/responses/403', keyword: 'mediaType' },
      { pointer: UPDATE_ID, keyword: 'format' },
      { pointer: '/components/responses/Forbidden', keyword: 'mediaType' },
      { pointer: '/components/responses/ServerError', keyword: 'mediaType' },
    ],
  },
  {
    key: '8x8',
    args: [],
    judged: [...ALWAYS, 'resource_availability', 'stateful_rules'],
    confirmed: [
      { pointer: `${AT['8x8']}/requestBody`, keyword: 'required' },
      { pointer: `${AT['8x8']}/responses/401`, keyword: 'response' },
      { pointer: `${AT['8x8']}/responses/401`, keyword: 'content' },
      { pointer: `${EIGHT_CONTACT}/requestBody`, keyword: 'required' },
      { pointer: EIGHT_DELETE, keyword: 'response' },
      { pointer: EIGHT_DELETE, keyword: 'content' },
      { pointer: `${EIGHT_GROUPS}/requestBody`, keyword: 'required' },
      { pointer: `${EIGHT_GROUP}/requestBody`, keyword: 'required' },
      { pointer: '/components/responses/Unauthorized', keyword: 'response' },
      { pointer: '/components/responses/Unauthorized', keyword: 'content' },
      { pointer: '/components/schemas/Group', keyword: 'required' },
    ],
    untested: [],
  },
  {
    key: 'eloqua',
    args: [],
    judged: [...ALWAYS, 'resource_availability', 'stateful_rules'],
    confirmed: [
      { pointer: `${AT.eloqua}/responses/400`, keyword: 'content' },
      { pointer: `${AT.eloqua}/responses/401`, keyword: 'content' },
      { pointer: '/components/responses/ValidationFailed', keyword: 'content' },
      { pointer: '/components/responses/BadRequestMessage', keyword: 'content' },
      { pointer: '/components/responses/Unauthorized', keyword: 'content' },
      { pointer: '/components/responses/NotFound', keyword: 'content' },
      { pointer: '/components/schemas/Id', keyword: 'pattern' },
      { pointer: '/components/schemas/UnixTime', keyword: 'pattern' },
      { pointer: '/components/schemas/Count', keyword: 'pattern' },
      { pointer: '/components/schemas/ContactSegment', keyword: 'required' },
      { pointer: '/components/schemas/ContactSegment/properties/name', keyword: 'minLength' },
      { pointer: '/components/schemas/ContactSegment/properties/isStale', keyword: 'readOnly' },
      { pointer: '/components/schemas/ContactSegment/properties/isStale', keyword: 'enum' },
      { pointer: '/components/schemas/SegmentElement/properties/isIncluded', keyword: 'enum' },
    ],
    // No case makes a conformant server refuse a request (403), miss a create's resource (404) or fail (500).
    untested: [
      { pointer: `${AT.eloqua}/responses/403`, keyword: 'content' },
      { pointer: `${AT.eloqua}/responses/404`, keyword: 'content' },
      { pointer: `${AT.eloqua}/responses/500`, keyword: 'content' },
      { pointer: '/components/responses/Forbidden', keyword: 'content' },
      { pointer: '/components/responses/ServerError', keyword: 'content' },
    ],
  },
  {
    key: 'easify',
    args: ['--checks', ALL_CHECKS.filter((c) => c !== 'rate_limit').join(',')],
    rateLimit: false,
    judged: [...ALWAYS, 'resource_availability', 'stateful_rules', 'response_headers'],
    confirmed: [
      { pointer: `${AT.easify}/requestBody`, keyword: 'required' },
      { pointer: `${AT.easify}/responses/200`, keyword: 'response' },
      { pointer: `${op('/contact-groups', 'get')}/responses/200`, keyword: 'response' },
      { pointer: `${op('/contact-groups', 'get')}/responses/422`, keyword: 'response' },
      { pointer: `${GROUP_UPDATE}/parameters/0/schema`, keyword: 'minLength' },
      { pointer: `${GROUP_UPDATE}/parameters/0/schema`, keyword: 'maxLength' },
      { pointer: `${GROUP_UPDATE}/responses/200`, keyword: 'response' },
      { pointer: `${GROUP_UPDATE}/responses/400`, keyword: 'response' },
      { pointer: `${GROUP_UPDATE}/responses/400`, keyword: 'content' },
      { pointer: `${op('/contact-groups/delete', 'delete')}/responses/200`, keyword: 'response' },
      { pointer: `${op('/contacts', 'get')}/responses/200`, keyword: 'response' },
      { pointer: `${op('/contacts', 'get')}/responses/422`, keyword: 'response' },
      { pointer: `${op('/contacts/create', 'post')}/requestBody`, keyword: 'required' },
      { pointer: `${op('/contacts/create', 'post')}/responses/200`, keyword: 'response' },
      { pointer: `${CONTACT_UPDATE}/requestBody`, keyword: 'required' },
      { pointer: `${CONTACT_UPDATE}/responses/200`, keyword: 'response' },
      { pointer: `${CONTACT_UPDATE}/responses/200`, keyword: 'content' },
      { pointer: `${CONTACT_UPDATE}/responses/400`, keyword: 'response' },
      { pointer: `${CONTACT_UPDATE}/responses/400`, keyword: 'content' },
      { pointer: `${op('/contacts/delete', 'delete')}/requestBody`, keyword: 'required' },
      { pointer: `${op('/contacts/delete', 'delete')}/responses/200`, keyword: 'response' },
      { pointer: '/components/responses/UnauthenticatedAssumed', keyword: 'response' },
      { pointer: '/components/responses/UnauthenticatedAssumed', keyword: 'content' },
      { pointer: '/components/responses/ContactValidationAssumed', keyword: 'response' },
      { pointer: '/components/responses/ContactValidationAssumed', keyword: 'content' },
      { pointer: '/components/schemas/CreateContactGroupRequest/properties/name', keyword: 'minLength' },
      { pointer: '/components/schemas/CreateContactGroupRequest/properties/name', keyword: 'maxLength' },
      { pointer: '/components/schemas/ContactGroup/properties/created_at', keyword: 'pattern' },
      { pointer: '/components/schemas/PageMeta/properties/from', keyword: 'type' },
      { pointer: '/components/schemas/PageMeta/properties/to', keyword: 'type' },
      { pointer: '/components/schemas/OptionalValue', keyword: 'type' },
      { pointer: '/components/schemas/Timestamp', keyword: 'pattern' },
      { pointer: '/components/schemas/ContactPage/properties/meta', keyword: 'allOf' },
      { pointer: '/components/schemas/ContactFields/properties/first_name', keyword: 'minLength' },
      { pointer: '/components/schemas/ContactCreatedResponse/properties/data', keyword: 'allOf' },
    ],
    // Without a rate limit nothing is throttled and no rate-limit header is sent: the run past the
    // limit below decides these. No case makes a conformant server answer 402 or 403.
    untested: [
      ...RATE_LIMIT_HEADERS.slice(0, 3),
      { pointer: '/components/responses/SubscriptionEndedAssumed', keyword: 'response' },
      { pointer: '/components/responses/SubscriptionEndedAssumed', keyword: 'content' },
      { pointer: '/components/responses/NotEnterpriseAssumed', keyword: 'response' },
      { pointer: '/components/responses/NotEnterpriseAssumed', keyword: 'content' },
      { pointer: '/components/responses/RateLimitedAssumed', keyword: 'content' },
      ...RATE_LIMIT_HEADERS.slice(3),
    ],
  },
];

describe.concurrent('reference servers pass every check', () => {
  for (const expectation of EXPECTATIONS) {
    test(`${expectation.key}: exit 0, no failure, every relevant check judged some case`, async () => {
      const server = await startReferenceServer(
        expectation.key,
        expectation.rateLimit === undefined ? {} : { rateLimit: expectation.rateLimit },
      );
      servers.push(server);
      const run = await runConformance([...targetArgs(expectation.key, server), ...COMMON, ...expectation.args], {
        junit: true,
      });
      const context = `${run.describe()}\n${summarize(run.report)}`;
      expect(run.report, context).toBeDefined();
      expect(failingChecks(run.report), context).toEqual([]);
      expect(run.report!.failures, context).toEqual([]);
      expect(run.report!.summary.failed, context).toBe(0);
      expect(run.report!.summary.passed, context).toBeGreaterThan(0);
      const { total, passed, failed, skipped } = run.report!.summary;
      expect(passed + failed + skipped, context).toBe(total);
      expect(run.code, context).toBe(0);
      expect(assumptionsWith(run.report, 'refuted'), context).toEqual([]);
      expect(assumptionsWith(run.report, 'confirmed'), context).toEqual(expectation.confirmed);
      expect(assumptionsWith(run.report, 'untested'), context).toEqual(expectation.untested);
      // Not a terminal (and CI=true): plain lines, no progress bar redraws, no colour codes.
      expect(`${run.stdout}${run.stderr}`, context).not.toMatch(/\r|\x1b\[/);
      // The server itself confirms every reply it sent conformed.
      expect(server.violations).toEqual([]);
      // Every operation of the spec was reached and did its work at least once.
      const spec = await specFor(expectation.key);
      const succeeded = new Set(server.log.filter((r) => r.status >= 200 && r.status < 300).map((r) => r.operationId));
      const idle = spec.operations.filter((o) => !succeeded.has(o.operationId)).map((o) => o.operationId);
      expect(idle, context).toEqual([]);

      // Exit 0 must not come from checks that never ran: each relevant check judged some case.
      expect(run.junit, context).toBeDefined();
      const tally = junitTally(run.junit!, ALL_CHECKS);
      const unjudged = expectation.judged.filter((check) => (tally.get(check)?.passed ?? 0) === 0);
      expect(unjudged, `${context}\ntally: ${JSON.stringify(Object.fromEntries(tally))}`).toEqual([]);

      // Generated values of unique fields and merge keys are unique per case: the server applied a
      // merge, conflict or duplicate rule only where a stateful case asked for it (and was judged).
      const statefulJudged = tally.get('stateful_rules')!.passed + tally.get('stateful_rules')!.failed;
      expect(
        server.state.events.length,
        `${context}\nstateful rules applied by the server: ${JSON.stringify(server.state.events.slice(0, 10))}...`,
      ).toBeLessThanOrEqual(statefulJudged);
    });
  }
});

test('easify: the opt-in rate_limit check judges the burst against the documented limit', async () => {
  const server = await startReferenceServer('easify', { rateLimit: EASIFY_LIMIT });
  servers.push(server);
  const run = await runConformance([...targetArgs('easify', server), ...COMMON, '--checks', 'rate_limit'], {
    junit: true,
  });
  const context = `${run.describe()}\n${summarize(run.report)}`;
  expect(run.report?.failures, context).toEqual([]);
  expect(run.code, context).toBe(0);
  expect(junitTally(run.junit!, ALL_CHECKS).get('rate_limit')?.passed, context).toBe(1);
  expect(server.requestCount, context).toBe(EASIFY_LIMIT.limit + 1);
});

test('easify past its limit: the rate-limit headers confirm their assumptions', async () => {
  // The server's time is the run's: the run honours the 429s' waits (a ten-minute window) without spending them.
  const clock = virtualClock();
  const server = await startReferenceServer('easify', { rateLimit: EASIFY_LIMIT, clock: () => clock.now() });
  servers.push(server);
  const run = await runConformance(
    [...targetArgs('easify', server), ...COMMON, '--checks', 'rate_limit,response_headers'],
    { clock },
  );
  const context = `${run.describe()}\n${summarize(run.report)}`;
  expect(run.report?.failures, context).toEqual([]);
  expect(run.code, context).toBe(0);
  expect(server.log.filter((r) => r.status === 429).length, context).toBeGreaterThan(0);
  expect(assumptionsWith(run.report, 'refuted'), context).toEqual([]);
  expect(assumptionsWith(run.report, 'confirmed'), context).toEqual(RATE_LIMIT_HEADERS);
  // Only headers are judged: the assumptions about requests and statuses wait for other checks.
  const untested = assumptionsWith(run.report, 'untested');
  expect(untested, context).toEqual(expect.arrayContaining(EASIFY_CREATE));
  expect(untested.length, context).toBe(run.report!.assumptions.length - RATE_LIMIT_HEADERS.length);
  expect(server.violations).toEqual([]);
});

describe.concurrent('command-line details, against reference servers', () => {
  test('a base URL with a trailing slash works the same', async () => {
    const server = await startReferenceServer('easify', { rateLimit: false });
    servers.push(server);
    const run = await runConformance([...targetArgs('easify', { baseUrl: `${server.baseUrl}/` }), ...COMMON]);
    expect(run.report?.failures, `${run.describe()}\n${summarize(run.report)}`).toEqual([]);
    expect(run.code).toBe(0);
    // Every request reached an operation under the base path: no doubled slash, no path of nothing.
    const astray = server.log.filter((r) => r.operationId === undefined || !/^\/api\/v2\/[a-z]/.test(r.path));
    expect(astray, JSON.stringify(astray.slice(0, 5))).toEqual([]);
    expect(server.log.length).toBeGreaterThan(0);
  });

  test('--operation limits the cases to that operation (creates only feed its ids)', async () => {
    const server = await startReferenceServer('bigchange');
    servers.push(server);
    const run = await runConformance([
      ...targetArgs('bigchange', server),
      ...COMMON,
      '--operation',
      'updateContactGroup',
    ]);
    expect(run.report?.failures, `${run.describe()}\n${summarize(run.report)}`).toEqual([]);
    expect(run.code).toBe(0);
    const posts = server.log.filter((r) => r.method === 'POST');
    expect(server.log.filter((r) => r.method === 'PATCH').length).toBeGreaterThan(posts.length);
    expect(
      posts.every((r) => r.status === 201),
      JSON.stringify(posts),
    ).toBe(true);
  });

  test('without --header Customer-Id the runner generates a valid one', async () => {
    const server = await startReferenceServer('bigchange');
    servers.push(server);
    const run = await runConformance([
      '--spec',
      SPEC_FILES.bigchange,
      '--base-url',
      server.baseUrl,
      '--header',
      'Authorization: Bearer x',
      ...COMMON,
    ]);
    expect(run.report?.failures, `${run.describe()}\n${summarize(run.report)}`).toEqual([]);
    expect(run.code).toBe(0);
    expect(server.log.some((r) => r.method === 'PATCH' && r.status === 204)).toBe(true);
  });
});
