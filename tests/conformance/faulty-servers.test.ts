/**
 * Each faulty server breaks the contract in one way. The runner must flag it with the expected
 * check and with nothing else: the exact set of failing check names is asserted, so a check that
 * misses the fault and a check that cries wolf both fail the test.
 */
import { afterAll, describe, expect, test } from 'vitest';
import { FAULTS, type FaultCase } from '../support/faulty-servers.js';
import { type RunningServer, startReferenceServer } from '../support/reference-server.js';
import {
  COMMON,
  eager,
  failingChecks,
  pool,
  type RunResult,
  runConformance,
  summarize,
  targetArgs,
} from '../support/runner.js';

const servers: RunningServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

const schedule = pool(4);

async function runAgainst({
  spec,
  fault,
  args,
  rateLimit,
  ownCredentials,
}: FaultCase): Promise<{ server: RunningServer; run: RunResult }> {
  const server = await startReferenceServer(spec, {
    faults: [fault],
    ...(rateLimit !== undefined ? { rateLimit } : {}),
  });
  servers.push(server);
  const run = await runConformance([
    ...targetArgs(spec, server, ownCredentials ? null : undefined),
    ...COMMON,
    ...(args ?? []),
  ]);
  return { server, run };
}

// Every run starts now, four at a time; each test below awaits its own.
const runs = new Map(FAULTS.map((f) => [f.fault.name, eager(schedule(() => runAgainst(f)))]));

describe.concurrent('faulty servers are flagged by exactly the expected check', () => {
  test.each(FAULTS.map((f) => [f.fault.name, f] as const))('%s', async (name, { fault, expected }) => {
    const { server, run } = await runs.get(name)!;
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

describe.concurrent('--checks and --exclude-checks filter what is judged', () => {
  const { spec, fault } = FAULTS.find((f) => f.fault.name === 'bigchange-create-answers-200')!;
  const filtered = (args: string[]) =>
    eager(
      schedule(async () => {
        const server = await startReferenceServer(spec, { faults: [fault] });
        servers.push(server);
        return { server, run: await runConformance([...targetArgs(spec, server), ...COMMON, ...args]) };
      }),
    );
  const excluded = filtered(['--exclude-checks', 'status_code_documented']);
  const others = filtered(['--checks', 'response_schema,content_type,not_a_server_error']);

  test('the one check that flags the fault, excluded: exit 0', async () => {
    const { run, server } = await excluded;
    expect(run.report?.failures, run.describe()).toEqual([]);
    expect(run.code, run.describe()).toBe(0);
    expect(server.requestCount).toBeGreaterThan(0);
  });

  test('only other checks selected: exit 0', async () => {
    const { run } = await others;
    expect(run.report?.failures, run.describe()).toEqual([]);
    expect(run.code, run.describe()).toBe(0);
  });
});
