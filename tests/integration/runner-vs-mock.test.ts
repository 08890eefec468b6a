/**
 * The two halves agree: the conformance runner, run the way users run it, finds no violation in the
 * stateful mock of any of the four specs — stateful checks included, and for Easify the opt-in
 * rate_limit check against the mock's default limit. Each relevant check must have judged cases, so
 * an exit 0 cannot come from checks that never ran. Against the default limits, runs one after
 * another, on one token or fresh ones, all pass: a throttle the run cannot prove premature is not
 * a failure.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadSpec } from '../../lib/spec.js';
import { type RunningMock, startMock } from '../../mocks/server.js';
import { ALL_CHECKS, type CheckName } from '../support/faulty-servers.js';
import { SPEC_FILES, type SpecKey } from '../support/reference-server.js';
import { COMMON, failingChecks, junitTally, runConformance, summarize, targetArgs } from '../support/runner.js';
import { virtualClock } from '../support/virtual-clock.js';

let mock: RunningMock;
/** Easify's documented 15 requests a minute, as `npm start` serves it. */
let limited: RunningMock;
beforeAll(async () => {
  [mock, limited] = await Promise.all([startMock({ port: 0, rateLimit: false }), startMock({ port: 0 })]);
});
afterAll(async () => {
  await Promise.all([mock?.close(), limited?.close()]);
});

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

const CASES: { key: SpecKey; prefix: string; args: string[]; judged: CheckName[] }[] = [
  {
    key: 'bigchange',
    prefix: 'bigchange',
    args: [],
    judged: [...ALWAYS, 'missing_required_header', 'resource_availability', 'stateful_rules'],
  },
  { key: '8x8', prefix: '8x8', args: [], judged: [...ALWAYS, 'resource_availability', 'stateful_rules'] },
  { key: 'eloqua', prefix: 'eloqua', args: [], judged: [...ALWAYS, 'resource_availability', 'stateful_rules'] },
  {
    key: 'easify',
    prefix: 'easify',
    args: ['--checks', ALL_CHECKS.filter((c) => c !== 'rate_limit').join(',')],
    judged: [...ALWAYS, 'resource_availability', 'stateful_rules', 'response_headers'],
  },
];

describe('conformance runner against the mock', () => {
  for (const { key, prefix, args, judged } of CASES) {
    test(`${key}: exit 0 and every relevant check judged some case`, async () => {
      const api = mock.apis.find((a) => a.name === prefix);
      expect(api, `mock serves ${prefix}`).toBeDefined();
      const run = await runConformance([...targetArgs(key, { baseUrl: api!.baseUrl }), ...COMMON, ...args], {
        junit: true,
      });
      const context = `${run.describe()}\n${summarize(run.report)}`;
      expect(failingChecks(run.report), context).toEqual([]);
      expect(run.code, context).toBe(0);
      expect(run.report!.summary.passed, context).toBeGreaterThan(20);
      const tally = junitTally(run.junit!, ALL_CHECKS);
      expect(
        judged.filter((check) => (tally.get(check)?.passed ?? 0) === 0),
        JSON.stringify(Object.fromEntries(tally)),
      ).toEqual([]);
      // Every operation of the spec had a valid request accepted: the whole lifecycle was exercised.
      const operations = run.report!.operations;
      const spec = await loadSpec(SPEC_FILES[key]);
      const idle = spec.operations
        .map((o) => o.operationId)
        .filter((id) => (operations[id]?.checks.positive_data_accepted?.passed ?? 0) === 0);
      expect(idle, context).toEqual([]);
      // A server that accepts every valid create leaves no planned request unsent: a delete is
      // planned no more valid cases than the records made for it.
      expect(run.report!.notSentBy, context).toEqual([]);
    });
  }
});

describe('against the default rate limit', () => {
  const easify = () => limited.apis.find((a) => a.name === 'easify')!.baseUrl;

  test('the opt-in rate_limit check: the 16th request of a burst on a fresh credential is the 429', async () => {
    const run = await runConformance(
      ['--spec', 'specs/easify-contact-groups.yaml', '--base-url', easify(), ...COMMON, '--checks', 'rate_limit'],
      { junit: true },
    );
    const context = `${run.describe()}\n${summarize(run.report)}`;
    expect(run.code, context).toBe(0);
    expect(junitTally(run.junit!, ALL_CHECKS).get('rate_limit')?.passed, context).toBe(1);
  });

  test('runs one after another on one token exit 0; throttled answers are counted, not judged', async () => {
    // Another seed per run against a server that keeps its records (these two meet none of each other's
    // unique values); concurrency 8 as by default.
    const args = (seed: string) => [
      ...targetArgs('easify', { baseUrl: easify() }, 'reused-token'),
      ...COMMON,
      ...['--seed', seed, '--concurrency', '8', '--throttle-wait', '0'],
    ];
    // The runs honour the mock's Retry-After (up to a minute each) on a clock of their own, without
    // spending it; the mock's window runs on real time, so it stays as full as the runs left it.
    const first = await runConformance(args('101'), { clock: virtualClock() });
    const second = await runConformance(args('102'), { clock: virtualClock() });
    for (const run of [first, second]) expect(run.code, `${run.describe()}\n${summarize(run.report)}`).toBe(0);
    // The second run found the token's quota used up by the first: its answers were 429s, not judged.
    expect(second.stdout, second.describe()).toMatch(
      /answers were throttled \(the spec's rate-limit status\) and not judged/,
    );
  });

  test('runs on fresh tokens exit 0 too', async () => {
    for (const [token, seed] of [
      ['fresh-token-1', '201'],
      ['fresh-token-2', '202'],
    ] as const) {
      const run = await runConformance(
        [
          ...targetArgs('easify', { baseUrl: easify() }, token),
          ...COMMON,
          ...['--seed', seed, '--concurrency', '8', '--throttle-wait', '0'],
        ],
        { clock: virtualClock() },
      );
      expect(run.code, `${run.describe()}\n${summarize(run.report)}`).toBe(0);
    }
  });
});
