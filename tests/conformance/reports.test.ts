/**
 * The reports: the same seed gives the same report, the JUnit file is JUnit XML, and a secret
 * passed with --header never reaches stdout, stderr, the JSON or the JUnit report.
 */

import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, describe, expect, test } from 'vitest';
import { ECHO_CREDENTIALS, FAULTS } from '../support/faulty-servers.js';
import { type RunningServer, startReferenceServer } from '../support/reference-server.js';
import { COMMON, failingChecks, type JsonReport, runConformance, summarize, targetArgs } from '../support/runner.js';
import { virtualClock } from '../support/virtual-clock.js';

const servers: RunningServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

function fault(name: string) {
  const found = FAULTS.find((f) => f.fault.name === name);
  if (!found) throw new Error(`no fault ${name}`);
  return found;
}

async function faultyServer(name: string) {
  const { spec, fault: f } = fault(name);
  const server = await startReferenceServer(spec, { faults: [f] });
  servers.push(server);
  return server;
}

/** Runs a report's curl line as a shell would, which must reach the server once; what curl printed. */
async function paste(curl: string, server: RunningServer): Promise<string> {
  const before = server.requestCount;
  const { stdout } = await promisify(execFile)('sh', ['-c', curl.replace(/^curl /, 'curl -sS --max-time 10 ')]);
  expect(server.requestCount).toBe(before + 1);
  return stdout;
}

const TIMING_KEY =
  /^(duration|durationms|elapsed|elapsedms|time|timems|took|tookms|ms|latency|latencyms|timestamp|startedat|finishedat|endedat|start|end|date|generatedat)$/i;
const VOLATILE_HEADER = /^(date|keep-alive|connection)$/i;

/** The report with timing fields and volatile response headers removed and the server origin neutral. */
function normalize(report: JsonReport, origin: string): unknown {
  const walk = (value: unknown, key?: string): unknown => {
    if (typeof value === 'string') return value.split(origin).join('http://ORIGIN');
    if (Array.isArray(value)) return value.map((v) => walk(v));
    if (value === null || typeof value !== 'object') return value;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (TIMING_KEY.test(k)) continue;
      if (key === 'headers' && VOLATILE_HEADER.test(k)) continue;
      out[k] = walk(v, k);
    }
    return out;
  };
  return walk(report);
}

describe.concurrent('reports', () => {
  test('a failure shows AJV errors as readable paths; same-cause failures are grouped on screen', async () => {
    const { spec, fault: f, rateLimit } = fault('easify-contacts-count-as-string');
    const server = await startReferenceServer(spec, { faults: [f], ...(rateLimit !== undefined ? { rateLimit } : {}) });
    servers.push(server);
    const run = await runConformance([...targetArgs(spec, server), ...COMMON]);
    const context = `${run.describe()}\n${summarize(run.report)}`;
    expect(run.code, context).toBe(1);
    const failures = run.report!.failures;
    expect(failures.length, context).toBeGreaterThan(3);
    for (const failure of failures) {
      expect(JSON.stringify(failure), context).toContain('/data/contacts_count: must be integer');
      expect(failure.response?.status, context).toBe(200);
      expect(failure).toHaveProperty('request');
      expect(failure).toHaveProperty('case');
    }
    expect(run.stdout, context).toContain('/data/contacts_count: must be integer');
    // One cause, many cases: the terminal output does not repeat a reproduction per case.
    const curls = run.stdout.match(/curl /g)?.length ?? 0;
    expect(curls, context).toBeGreaterThan(0);
    expect(curls, context).toBeLessThan(failures.length);
  });

  test('the curl of a failure reproduces it', async () => {
    const server = await faultyServer('bigchange-create-answers-200');
    const run = await runConformance([...targetArgs('bigchange', server), ...COMMON]);
    const failure = run.report?.failures[0];
    expect(failure, run.describe()).toBeDefined();
    expect(failure!.response?.status).toBe(200);
    // The redacted token still has the right shape for this server (any bearer token is accepted).
    const stdout = await paste(failure!.curl, server);
    expect(stdout.split('\r\n')[0]).toMatch(/^HTTP\/1\.1 200 /);
    expect(stdout).toMatch(/"id":\s*\d+/);
  });

  test("without --header the curl carries the run's own made-up credential, as sent, and can be pasted", async () => {
    const server = await faultyServer('bigchange-create-answers-200');
    const run = await runConformance([...targetArgs('bigchange', server, null), ...COMMON]);
    const failure = run.report?.failures[0];
    expect(failure, run.describe()).toBeDefined();
    const sent = /-H 'authorization: (Bearer [^']+)'/i.exec(failure!.curl)?.[1];
    expect(sent, failure!.curl).toMatch(/^Bearer conformance-run-[0-9a-f]{12}$/);
    expect(server.log.some((entry) => entry.authorization === sent)).toBe(true);
    expect((await paste(failure!.curl, server)).split('\r\n')[0]).toMatch(/^HTTP\/1\.1 200 /);
  });

  test('the same seed gives the same JSON report (modulo timing)', async () => {
    const [a, b] = await Promise.all([
      faultyServer('bigchange-update-without-values'),
      faultyServer('bigchange-update-without-values'),
    ]);
    // Concurrency 1: the stateful server then sees the requests in the one order the seed fixes.
    const args = (s: RunningServer) => [...targetArgs('bigchange', s), ...COMMON, '--concurrency', '1'];
    const [first, second] = await Promise.all([runConformance(args(a)), runConformance(args(b))]);
    expect(first.report, first.describe()).toBeDefined();
    expect(second.report, second.describe()).toBeDefined();
    expect(first.report!.failures.length, summarize(first.report)).toBeGreaterThan(0);
    expect(normalize(second.report!, b.origin)).toEqual(normalize(first.report!, a.origin));
    expect(first.code).toBe(1);
    expect(second.code).toBe(1);
  });

  test('--dry-run prints the same cases for the same seed, other cases for another seed', async () => {
    const server = await startReferenceServer('easify', { rateLimit: false });
    servers.push(server);
    const args = (seed: string) => [...targetArgs('easify', server), '--dry-run', '--max-cases', '25', '--seed', seed];
    const [one, again, other] = await Promise.all([
      runConformance(args('11'), { json: false }),
      runConformance(args('11'), { json: false }),
      runConformance(args('12'), { json: false }),
    ]);
    expect(one.code, one.describe()).toBe(0);
    expect(one.stdout.trim().length, one.describe()).toBeGreaterThan(0);
    expect(again.stdout).toBe(one.stdout);
    expect(other.stdout).not.toBe(one.stdout);
    expect(server.requestCount, 'a dry run sends nothing').toBe(0);
  });

  test('JUnit parses as JUnit XML; the secret header never appears in any output', async () => {
    const secret = `s3cr3t-${randomUUID()}`;
    // error_format failures on 400s whose bodies repeat the Authorization header: the secret is
    // in the requests, the curl lines and the response bodies the runner reports.
    const server = await startReferenceServer('8x8', {
      faults: [fault('8x8-error-id-not-uuid').fault, ECHO_CREDENTIALS],
    });
    servers.push(server);
    const run = await runConformance([...targetArgs('8x8', server, secret), ...COMMON], { junit: true });
    const context = `${run.describe()}\n${summarize(run.report)}`;
    expect(run.code, context).toBe(1);
    expect(failingChecks(run.report), context).toEqual(['error_format']);

    // The requests did carry the secret and the server sent it back (so there was something to leak) ...
    expect(server.log.some((r) => r.authorization === `Bearer ${secret}` && r.status === 400)).toBe(true);
    // ... and no output or report shows it.
    for (const [where, text] of [
      ['stdout', run.stdout],
      ['stderr', run.stderr],
      ['JSON report', run.jsonText ?? ''],
      ['JUnit report', run.junit ?? ''],
    ] as const) {
      expect(text.includes(secret), `${where} leaks the secret`).toBe(false);
      expect(text.includes(secret.slice('s3cr3t-'.length)), `${where} leaks part of the secret`).toBe(false);
    }
    // The curl lines keep the header, redacted as the issue specifies.
    expect(run.report!.failures.every((f) => !f.curl.includes('s3cr3t'))).toBe(true);
    expect(run.jsonText).toContain('Bearer ***');

    // JUnit: well-formed XML, testsuites > testsuite > testcase, failures for the failing cases.
    const xml = run.junit;
    expect(xml, 'no JUnit file written').toBeDefined();
    expect(XMLValidator.validate(xml!)).toBe(true);
    const doc = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: '@_',
      isArray: (name) => ['testsuite', 'testcase', 'failure'].includes(name),
    }).parse(xml!) as {
      testsuites?: { testsuite?: { testcase?: { '@_name'?: string; failure?: unknown[] }[] }[] };
    };
    expect(doc.testsuites, 'root element is <testsuites>').toBeDefined();
    const suites = doc.testsuites!.testsuite ?? [];
    expect(suites.length).toBeGreaterThan(0);
    const cases = suites.flatMap((s) => s.testcase ?? []);
    expect(cases.length).toBeGreaterThan(0);
    expect(cases.every((c) => typeof c['@_name'] === 'string' && c['@_name'].length > 0)).toBe(true);
    const failed = cases.filter((c) => (c.failure ?? []).length > 0);
    expect(failed.length).toBeGreaterThan(0);
    expect(xml).toContain('error_format');
    expect(failed.length).toBeLessThanOrEqual(cases.length);
  });

  test('headers secret by name (X-Auth, X-Session, any length) never appear in any output', async () => {
    const server = await faultyServer('8x8-error-id-not-uuid');
    const run = await runConformance(
      [
        ...targetArgs('8x8', server),
        ...COMMON,
        '--header',
        'X-Auth: hunter2pass',
        '--header',
        'X-Session: ab1',
        '--header',
        'X-Request-Signature: sig-0042',
      ],
      { junit: true },
    );
    const context = `${run.describe()}\n${summarize(run.report)}`;
    expect(run.code, context).toBe(1);
    expect(server.log.length).toBeGreaterThan(0);
    for (const [where, text] of [
      ['stdout', run.stdout],
      ['stderr', run.stderr],
      ['JSON report', run.jsonText ?? ''],
      ['JUnit report', run.junit ?? ''],
    ] as const) {
      expect(text.includes('hunter2pass'), `${where} leaks X-Auth`).toBe(false);
      expect(text.includes('sig-0042'), `${where} leaks X-Request-Signature`).toBe(false);
    }
    const first = run.report!.failures[0]!;
    expect(first.curl).toContain("-H 'x-auth: ***'");
    // A 3-character secret is masked in headers (though not searched for in free text).
    expect(first.curl).toContain("-H 'x-session: ***'");
    expect((first.request as { headers: Record<string, string> }).headers['x-session']).toBe('***');
  });

  test('throttled on its own credential before the documented limit: judged; past it: counted, not judged', async () => {
    const { spec, fault: f } = fault('easify-throttles-everything');
    const server = await startReferenceServer(spec, { faults: [f], rateLimit: false });
    servers.push(server);
    // The run honours every 429's minute without spending it.
    const run = await runConformance([...targetArgs(spec, server, null), ...COMMON, '--throttle-wait', '0'], {
      clock: virtualClock(),
    });
    const context = `${run.describe()}\n${summarize(run.report)}`;
    expect(run.code, context).toBe(1);
    const failures = run.report!.failures;
    expect(failures.length, context).toBeGreaterThan(0);
    // Only answers that at most 14 earlier requests can have preceded prove the server wrong. The run
    // waits out each 429's minute before it sends again, so that is most of them, not only the first 15.
    // Every failure is a 429 judged as an answer (a valid request's, an unknown id's), none past the limit.
    for (const failure of failures) expect(failure.response?.status, context).toBe(429);
    const early =
      /^valid request throttled before the documented limit \(at most (\d|1[0-4]) earlier requests on the run's own credential within 60 s; the limit is 15\)$/;
    expect(
      failures.some((f) => early.test(f.message)),
      context,
    ).toBe(true);
    const throttled = (run.report as unknown as { throttled: number }).throttled;
    expect(throttled, context).toBeGreaterThan(failures.length);
    expect(run.stdout, context).toContain(
      `note: ${throttled} answers were throttled (the spec's rate-limit status) and not judged`,
    );
  });

  test("throttled on the user's credential: nothing proves it premature, so nothing is judged and the run passes", async () => {
    const { spec, fault: f } = fault('easify-throttles-everything');
    const server = await startReferenceServer(spec, { faults: [f], rateLimit: false });
    servers.push(server);
    const run = await runConformance([...targetArgs(spec, server), ...COMMON, '--throttle-wait', '0'], {
      clock: virtualClock(),
    });
    const context = `${run.describe()}\n${summarize(run.report)}`;
    expect(run.code, context).toBe(0);
    expect(run.report!.failures, context).toEqual([]);
    expect(run.stdout, context).toMatch(/note: \d+ answers were throttled/);
  });
});
