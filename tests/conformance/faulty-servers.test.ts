/**
 * Each faulty server breaks the contract in one way. A fault on a rule the vendor documents must be
 * flagged by the expected check and nothing else: the exact set of failing check names is asserted,
 * so a check that misses the fault and a check that cries wolf both fail the test. A fault on a rule
 * we only inferred must not fail the run: it passes, and reports exactly the assumptions it refutes.
 */
import { afterAll, describe, expect, test } from 'vitest';
import { ASSUMPTION_FAULTS, type AssumptionFaultCase, FAULTS, type FaultCase } from '../support/faulty-servers.js';
import { type RunningServer, startReferenceServer } from '../support/reference-server.js';
import {
  COMMON,
  eager,
  failingChecks,
  pool,
  type RunResult,
  refutedAssumptions,
  runConformance,
  summarize,
  targetArgs,
} from '../support/runner.js';
import { virtualClock } from '../support/virtual-clock.js';

const servers: RunningServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

const schedule = pool(4);

/** Each run's own bound: a run that hangs fails its test instead of the suite's timeout. */
const KILL_AFTER_MS = 120_000;
/** A test waits for its run, queued behind the others since the file loaded: on a loaded machine that takes a while. */
const QUEUED_MS = 300_000;

async function runAgainst({
  spec,
  fault,
  args,
  rateLimit,
  ownCredentials,
}: FaultCase | AssumptionFaultCase): Promise<{ server: RunningServer; run: RunResult }> {
  // The run honours every 429's wait without spending it; the server's window runs on real time, so it
  // stays as much longer than the run as it was meant to be.
  const clock = virtualClock();
  const server = await startReferenceServer(spec, {
    faults: [fault],
    ...(rateLimit !== undefined ? { rateLimit } : {}),
  });
  servers.push(server);
  const run = await runConformance(
    // The boundaries, examples and scenarios meet every fault: the random phase adds time, not findings.
    [...targetArgs(spec, server, ownCredentials ? null : undefined), ...COMMON, '--no-random', ...(args ?? [])],
    { killAfterMs: KILL_AFTER_MS, clock },
  );
  return { server, run };
}

// Every run starts now, four at a time; each test below awaits its own.
const runs = new Map(
  [...FAULTS, ...ASSUMPTION_FAULTS].map((f) => [f.fault.name, eager(schedule(() => runAgainst(f)))]),
);

describe.concurrent('faults on documented rules are flagged by exactly the expected check', () => {
  test.each(FAULTS.map((f) => [f.fault.name, f] as const))(
    '%s',
    async (name, { fault, expected, alsoExpected, cases }) => {
      const { server, run } = await runs.get(name)!;
      const checks = [expected, ...(alsoExpected ?? [])].sort();
      const context = `${fault.name} (${fault.description}), expected only ${checks.join(', ')}\n${run.describe()}\n${summarize(run.report)}`;
      expect(run.timedOut, context).toBe(false);
      expect(run.report, context).toBeDefined();
      expect(failingChecks(run.report), context).toEqual(checks);
      expect(run.code, context).toBe(1);
      expect(run.report!.summary.failed, context).toBeGreaterThan(0);
      // A documented fault is not mistaken for a wrong guess of ours.
      expect(refutedAssumptions(run.report), context).toEqual([]);
      if (cases) for (const failure of run.report!.failures) expect(String(failure.case), context).toMatch(cases);
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
    },
    QUEUED_MS,
  );
});

describe.concurrent('faults on inferred rules pass and refute exactly their assumptions', () => {
  test.each(ASSUMPTION_FAULTS.map((f) => [f.fault.name, f] as const))(
    '%s',
    async (name, { fault, refutes }) => {
      const { run } = await runs.get(name)!;
      const context = `${fault.name} (${fault.description})\n${run.describe()}\n${summarize(run.report)}`;
      expect(run.timedOut, context).toBe(false);
      expect(run.report?.failures, context).toEqual([]);
      expect(run.code, context).toBe(0);
      expect(refutedAssumptions(run.report), context).toEqual(refutes);
      expect(run.report!.summary.assumptions.refuted, context).toBe(refutes.length);
      // The verdict names the exchange that decided it, so it can be replayed.
      for (const assumption of run.report!.assumptions.filter((a) => a.verdict === 'refuted')) {
        expect(assumption.case, context).toEqual(expect.any(String));
        expect(assumption.status, context).toEqual(expect.any(Number));
      }
    },
    QUEUED_MS,
  );
});

describe.concurrent('--checks and --exclude-checks filter what is judged', () => {
  const { spec, fault } = FAULTS.find((f) => f.fault.name === 'bigchange-create-answers-200')!;
  const filtered = (args: string[]) =>
    eager(
      schedule(async () => {
        const server = await startReferenceServer(spec, { faults: [fault] });
        servers.push(server);
        const run = await runConformance([...targetArgs(spec, server), ...COMMON, '--no-random', ...args], {
          killAfterMs: KILL_AFTER_MS,
        });
        return { server, run };
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
