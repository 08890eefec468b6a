/**
 * The two halves agree: the conformance runner, run the way users run it, finds no violation in the
 * stateful mock of any of the four specs — stateful checks included, and for Easify the opt-in
 * rate_limit check against a small limit. Each relevant check must have judged cases, so an exit 0
 * cannot come from checks that never ran.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type RunningMock, startMock } from '../../mocks/server.js';
import { ALL_CHECKS, type CheckName } from '../support/faulty-servers.js';
import type { SpecKey } from '../support/reference-server.js';
import { COMMON, failingChecks, junitTally, runConformance, summarize, targetArgs } from '../support/runner.js';

let mock: RunningMock;
beforeAll(async () => {
  // Easify's 15/min becomes 15 per 5 s so the run stays short, with room for a loaded machine: the
  // runner paces its ordinary cases at 2/s (at most about 10 per 5 s, well under the limit, so they
  // are never throttled however they are delayed), and the opt-in burst of 16 unpaced requests on a
  // credential of its own only has to land within 5 s for its 16th to be the 429.
  mock = await startMock({ port: 0, rateLimit: { limit: 15, period: 5 } });
});
afterAll(async () => {
  await mock?.close();
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
    judged: [...ALWAYS, 'missing_required_header', 'resource_availability'],
  },
  { key: '8x8', prefix: '8x8', args: [], judged: [...ALWAYS, 'stateful_rules'] },
  { key: 'eloqua', prefix: 'eloqua', args: [], judged: [...ALWAYS, 'stateful_rules'] },
  {
    key: 'easify',
    prefix: 'easify',
    args: ['--checks', ALL_CHECKS.join(','), '--rate-limit', '2/s'],
    judged: [...ALWAYS, 'stateful_rules', 'rate_limit', 'response_headers'],
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
    });
  }
});
