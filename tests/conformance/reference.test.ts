/**
 * The runner against the conformant reference server of each spec: no violation at all (exit 0,
 * zero failures), stateful checks included — and, read from the JUnit report, each relevant check
 * really judged cases, so an exit 0 cannot come from a runner that skipped them.
 */
import { afterAll, describe, expect, test } from 'vitest';
import { ALL_CHECKS, type CheckName } from '../support/faulty-servers.js';
import { type RunningServer, SPEC_FILES, type SpecKey, startReferenceServer } from '../support/reference-server.js';
import { COMMON, failingChecks, junitTally, runConformance, summarize, targetArgs } from '../support/runner.js';

/**
 * Easify's documented limit, on a window far longer than any run: the burst of the opt-in
 * rate_limit check (16 requests on one credential) is throttled however slowly the machine sends
 * it, and nothing else of that run shares its window.
 */
const EASIFY_LIMIT = { limit: 15, periodMs: 600_000 };

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
}

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
  { key: 'bigchange', args: [], judged: [...ALWAYS, 'missing_required_header', 'resource_availability'] },
  { key: '8x8', args: [], judged: [...ALWAYS, 'stateful_rules'] },
  { key: 'eloqua', args: [], judged: [...ALWAYS, 'stateful_rules'] },
  {
    key: 'easify',
    args: ['--checks', ALL_CHECKS.filter((c) => c !== 'rate_limit').join(',')],
    rateLimit: false,
    judged: [...ALWAYS, 'stateful_rules', 'response_headers'],
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
      // Spawned: the compiled CLI end to end, as CI runs it.
      const run = await runConformance([...targetArgs(expectation.key, server), ...COMMON, ...expectation.args], {
        junit: true,
        spawn: true,
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
      // Not a terminal (and CI=true): plain lines, no progress bar redraws, no colour codes.
      expect(`${run.stdout}${run.stderr}`, context).not.toMatch(/\r|\x1b\[/);
      // The server itself confirms every reply it sent conformed.
      expect(server.violations).toEqual([]);

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

describe.concurrent('command-line details, against reference servers', () => {
  test('a base URL with a trailing slash works the same', async () => {
    const server = await startReferenceServer('easify', { rateLimit: false });
    servers.push(server);
    const run = await runConformance([...targetArgs('easify', { baseUrl: `${server.baseUrl}/` }), ...COMMON]);
    expect(run.report?.failures, `${run.describe()}\n${summarize(run.report)}`).toEqual([]);
    expect(run.code).toBe(0);
    expect(
      server.log.every((r) => r.path.startsWith('/api/v2/contact-groups/create')),
      JSON.stringify(server.log.slice(0, 5)),
    ).toBe(true);
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
