/**
 * The compiled CLI as CI runs it, a process of its own: against each spec's conformant reference
 * server it exits 0 with its reports written and plain output; against a server that misbehaves
 * at the network level the process survives to exit 1 with each bad answer a failure of its case.
 * The unit tier runs the same through `main(argv, io)` (reference.test.ts, hardness.test.ts).
 */
import { afterAll, describe, expect, test } from 'vitest';
import { ALL_CHECKS, HARDNESS } from '../support/faulty-servers.js';
import { expectSurvived } from '../support/hardness.js';
import { type RunningServer, SPEC_KEYS, startReferenceServer } from '../support/reference-server.js';
import { COMMON, runConformance, STACK_FRAME, summarize, targetArgs } from '../support/runner.js';

const servers: RunningServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

describe.concurrent('a conformant server: exit 0, reports written, plain output', () => {
  test.each(SPEC_KEYS)('%s', async (key) => {
    // Easify's rate limit is the opt-in rate_limit check's business (reference.test.ts).
    const easify = key === 'easify';
    const server = await startReferenceServer(key, easify ? { rateLimit: false } : {});
    servers.push(server);
    const checks = easify ? ['--checks', ALL_CHECKS.filter((c) => c !== 'rate_limit').join(',')] : [];
    const run = await runConformance([...targetArgs(key, server), ...COMMON, ...checks], { junit: true, spawn: true });
    const context = `${run.describe()}\n${summarize(run.report)}`;
    expect(run.code, context).toBe(0);
    expect(run.report?.failures, context).toEqual([]);
    expect(run.report!.summary.passed, context).toBeGreaterThan(0);
    expect(run.junit, context).toMatch(/<testsuites[\s>]/);
    // Not a terminal (and CI=true): plain lines, no progress bar redraws, no colour codes.
    expect(`${run.stdout}${run.stderr}`, context).not.toMatch(/\r|\x1b\[/);
    expect(`${run.stdout}${run.stderr}`, context).not.toMatch(STACK_FRAME);
  });
});

describe.concurrent('a misbehaving server: the process survives to exit 1', () => {
  test.each(HARDNESS.map((h) => [h.name, h] as const))('%s', async (_name, hardness) => {
    await expectSurvived(hardness, servers, { spawn: true });
  });
});

test('--help and --version answer from the compiled CLI', async () => {
  const [help, version] = await Promise.all([
    runConformance(['--help'], { json: false, spawn: true }),
    runConformance(['--version'], { json: false, spawn: true }),
  ]);
  expect(help.code, help.describe()).toBe(0);
  expect(help.stdout).toMatch(/--spec/);
  expect(version.code, version.describe()).toBe(0);
  expect(version.stdout.trim()).toMatch(/^v?\d+\.\d+\.\d+/);
});
