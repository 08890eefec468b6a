/**
 * Each faulty server breaks the contract in one way. The runner must flag it with the expected
 * check and with nothing else: the exact set of failing check names is asserted, so a check that
 * misses the fault and a check that cries wolf both fail the test.
 */
import { afterAll, describe, expect, test } from 'vitest';
import { startReferenceServer, type RunningServer } from '../support/reference-server.js';
import { FAULTS } from '../support/faulty-servers.js';
import { COMMON, failingChecks, runConformance, summarize, targetArgs } from '../support/runner.js';

const servers: RunningServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

describe.concurrent('faulty servers are flagged by exactly the expected check', () => {
  test.each(FAULTS.map((f) => [f.fault.name, f] as const))('%s', async (_name, { spec, fault, expected, args, rateLimit }) => {
    const server = await startReferenceServer(spec, { faults: [fault], ...(rateLimit !== undefined ? { rateLimit } : {}) });
    servers.push(server);
    const run = await runConformance([...targetArgs(spec, server), ...COMMON, ...(args ?? [])]);
    const context = `${fault.name} (${fault.description}), expected only ${expected}\n${run.describe()}\n${summarize(run.report)}`;
    expect(run.report, context).toBeDefined();
    expect(failingChecks(run.report), context).toEqual([expected]);
    expect(run.code, context).toBe(1);
    expect(run.report!.summary.failed, context).toBeGreaterThan(0);
    for (const failure of run.report!.failures) {
      // Every failure is actionable: operation, message, the response, a curl to reproduce it.
      expect(failure.operationId, context).toMatch(/^[A-Za-z]+$/);
      expect(typeof failure.message, context).toBe('string');
      expect(failure.message.length, context).toBeGreaterThan(0);
      expect(failure, context).toHaveProperty('case');
      expect(failure, context).toHaveProperty('request');
      expect(Number.isInteger(failure.response?.status), context).toBe(true);
      expect(failure.response, context).toHaveProperty('headers');
      expect(failure.response, context).toHaveProperty('body');
      expect(failure.curl, context).toMatch(/^curl /);
      expect(failure.curl, context).toContain(server.origin);
    }
  });
});
