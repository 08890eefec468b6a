/**
 * The runner against the conformant reference server of each spec: no violation at all (exit 0,
 * zero failures), stateful checks included — and, read from the server's side, the stateful cases
 * really were sent (a merge, a conflict, a duplicate, an update of a created id, a 429 ...), so an
 * exit 0 cannot come from a runner that skipped them.
 */
import { afterAll, describe, expect, test } from 'vitest';
import { startReferenceServer, type RunningServer, type SpecKey } from '../support/reference-server.js';
import { ALL_CHECKS } from '../support/faulty-servers.js';
import { COMMON, failingChecks, runConformance, summarize, targetArgs } from '../support/runner.js';

/** Small enough for the rate_limit check to reach quickly, large enough to be a real limit. */
const EASIFY_LIMIT = { limit: 15, periodMs: 60_000 };

const servers: RunningServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

interface Expectation {
  key: SpecKey;
  args: string[];
  rateLimit?: { limit: number; periodMs: number } | false;
  /** Statuses the stateful phase must have produced, as `METHOD status`. */
  stateful: string[];
}

const EXPECTATIONS: Expectation[] = [
  { key: 'bigchange', args: [], stateful: ['POST 201', 'PATCH 204', 'PATCH 404', 'POST 401', 'POST 400', 'POST 422'] },
  { key: '8x8', args: [], stateful: ['POST 201', 'POST 200', 'POST 409', 'POST 401', 'POST 400'] },
  { key: 'eloqua', args: [], stateful: ['POST 201', 'POST 400', 'POST 401'] },
  { key: 'easify', args: ['--checks', ALL_CHECKS.join(',')], rateLimit: EASIFY_LIMIT, stateful: ['POST 200', 'POST 422', 'POST 401', 'POST 429'] },
];

describe.concurrent('reference servers pass every check', () => {
  for (const expectation of EXPECTATIONS) {
    test(`${expectation.key}: exit 0, no failure, stateful cases sent`, async () => {
      const server = await startReferenceServer(expectation.key, expectation.rateLimit === undefined ? {} : { rateLimit: expectation.rateLimit });
      servers.push(server);
      const run = await runConformance([...targetArgs(expectation.key, server), ...COMMON, ...expectation.args]);
      const context = `${run.describe()}\n${summarize(run.report)}`;
      expect(run.report, context).toBeDefined();
      expect(failingChecks(run.report), context).toEqual([]);
      expect(run.report!.failures, context).toEqual([]);
      expect(run.report!.summary.failed, context).toBe(0);
      expect(run.report!.summary.passed, context).toBeGreaterThan(0);
      const { total, passed, failed, skipped } = run.report!.summary;
      expect(passed + failed + skipped, context).toBe(total);
      expect(run.code, context).toBe(0);
      // The server itself confirms every reply it sent conformed.
      expect(server.violations).toEqual([]);
      const seen = new Set(server.log.map((r) => `${r.method} ${r.status}`));
      for (const wanted of expectation.stateful) expect([...seen], `the runner never produced ${wanted}`).toContain(wanted);
    });
  }
});
