/**
 * Command-line values that cannot make a sound run are refused up front: exit 2 with one line on
 * stderr, no request sent, no report written.
 */
import { afterAll, describe, expect, test } from 'vitest';
import { LONG_WINDOW } from '../support/faulty-servers.js';
import { type RunningServer, startReferenceServer } from '../support/reference-server.js';
import { COMMON, expectRefused, runConformance, targetArgs } from '../support/runner.js';

const servers: RunningServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

async function server(key: Parameters<typeof startReferenceServer>[0] = 'easify'): Promise<RunningServer> {
  const started = await startReferenceServer(key, { rateLimit: false });
  servers.push(started);
  return started;
}

function expectRefusedNoReport(run: Awaited<ReturnType<typeof runConformance>>, reason: RegExp): void {
  expectRefused(run, reason);
  expect(run.report, run.describe()).toBeUndefined();
}

describe.concurrent('framing and hop-by-hop headers in --header', () => {
  const names = [
    'Expect: 100-continue',
    'Transfer-Encoding: chunked',
    'Keep-Alive: 5',
    'Upgrade: h2c',
    'Connection: close',
    'Content-Length: 5',
    'TE: trailers',
    'Trailer: X',
    'Proxy-Connection: keep-alive',
    'Host: example.com',
  ];
  test.each(names)('--header "%s" exits 2 with the reason, before any request', async (header) => {
    const target = await server();
    const run = await runConformance([
      ...targetArgs('easify', target),
      ...COMMON,
      '--concurrency',
      '2',
      '--header',
      header,
    ]);
    expectRefusedNoReport(run, new RegExp(`--header ${header.split(':')[0]} is not allowed`));
    expect(target.requestCount).toBe(0);
  });
});

describe.concurrent('--base-url forms', () => {
  test.each(['?x=1', '#frag', '?'])('a query or fragment (%s) exits 2', async (suffix) => {
    const target = await server();
    const run = await runConformance([...targetArgs('easify', { baseUrl: `${target.baseUrl}${suffix}` }), ...COMMON]);
    expectRefusedNoReport(run, /--base-url must not have a query or fragment/);
    expect(target.requestCount).toBe(0);
  });

  test('userinfo exits 2, asks for --header and never echoes the password', async () => {
    const target = await server();
    const run = await runConformance([
      ...targetArgs('easify', { baseUrl: target.baseUrl.replace('http://', 'http://user:hunter2pw@') }),
      ...COMMON,
    ]);
    expectRefusedNoReport(run, /put credentials in --header/);
    expect(run.stderr + run.stdout).not.toContain('hunter2pw');
    expect(target.requestCount).toBe(0);
  });
});

describe.concurrent('--header values for documented header parameters', () => {
  test("a value that breaks the parameter's schema exits 2 instead of blaming the server", async () => {
    const target = await server('bigchange');
    const run = await runConformance([
      '--spec',
      'specs/bigchange-contact-groups.yaml',
      '--base-url',
      target.baseUrl,
      '--header',
      'Authorization: Bearer x',
      '--header',
      'Customer-Id: abc',
      ...COMMON,
    ]);
    expectRefusedNoReport(run, /--header Customer-Id: 'abc' does not match the spec \(must be integer\)/);
    expect(target.requestCount).toBe(0);
  });

  test('a schema AJV cannot compile exits 2 naming the file and the schema, before any request', async () => {
    const { mkdtemp, readFile, rm, writeFile } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = await mkdtemp(join(tmpdir(), 'conformance-schema-'));
    try {
      const text = await readFile('specs/bigchange-contact-groups.yaml', 'utf8');
      const file = join(dir, 'broken.yaml');
      await writeFile(file, text.replace(/minLength: (\d+)/, 'minLength: "$1"'));
      const target = await server('bigchange');
      const run = await runConformance(['--spec', file, '--base-url', target.baseUrl, ...COMMON]);
      expectRefusedNoReport(
        run,
        /broken\.yaml: the schema at #\/components\/schemas\/CreateContactGroup cannot be used: schema is invalid: schema\/properties\/name\/minLength must be integer$/,
      );
      expect(target.requestCount).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('a valid value (the wire text of an integer), in any case of the name, runs', async () => {
    const target = await server('bigchange');
    const run = await runConformance([
      '--spec',
      'specs/bigchange-contact-groups.yaml',
      '--base-url',
      target.baseUrl,
      '--header',
      'Authorization: Bearer x',
      '--header',
      'customer-id: 14532',
      ...COMMON,
    ]);
    expect(run.code, run.describe()).toBe(0);
  });
});

describe.concurrent('report paths', () => {
  test.each(['/proc/nope/x.json', '/proc/nope/deeper/x.json', '/dev/null/x.json'])(
    '--report-json %s exits 2 at once, before any request',
    async (file) => {
      const target = await server();
      const run = await runConformance([...targetArgs('easify', target), ...COMMON, '--report-json', file], {
        json: false,
        killAfterMs: 15_000,
      });
      expectRefusedNoReport(run, /cannot write report/);
      expect(target.requestCount).toBe(0);
    },
  );

  test('missing parent directories are created', async () => {
    const { mkdtemp, readFile, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = await mkdtemp(join(tmpdir(), 'conformance-report-'));
    try {
      const target = await server();
      const file = join(dir, 'a', 'b', 'report.json');
      const run = await runConformance([...targetArgs('easify', target), ...COMMON, '--report-json', file], {
        json: false,
      });
      expect(run.code, run.describe()).toBe(0);
      expect(JSON.parse(await readFile(file, 'utf8')).summary.failed).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe.concurrent('--checks sends only the cases a selected check can judge', () => {
  test('--checks rate_limit sends the burst only (limit + 1 requests)', async () => {
    const target = await startReferenceServer('easify', { rateLimit: LONG_WINDOW });
    servers.push(target);
    const run = await runConformance([...targetArgs('easify', target), ...COMMON, '--checks', 'rate_limit']);
    expect(run.code, run.describe()).toBe(0);
    expect(target.requestCount, JSON.stringify(target.log.slice(0, 3))).toBe(16);
    // The report knows only those cases: one (case, check) pair each, the burst's last one judged.
    expect(run.report!.summary, run.describe()).toMatchObject({ total: 16, passed: 1, failed: 0, skipped: 15 });
  });

  test('--checks ignored_auth sends the auth cases and the creates their ids need', async () => {
    const target = await server('bigchange');
    const run = await runConformance([...targetArgs('bigchange', target), ...COMMON, '--checks', 'ignored_auth']);
    expect(run.code, run.describe()).toBe(0);
    const authorized = target.log.filter((r) => r.authorization === 'Bearer test-token-0d5b8f3e');
    // Only the records the update's auth cases need: two creates, nothing else with valid credentials.
    expect(
      authorized.map((r) => r.method),
      JSON.stringify(target.log),
    ).toEqual(['POST', 'POST']);
    expect(target.log.length - authorized.length).toBeGreaterThan(0);
    expect(run.report!.summary.passed).toBe(target.log.length - authorized.length);
  });
});

describe.concurrent('options that would run something other than what was asked', () => {
  test('--spec twice: the second is refused, not silently used against the first one’s URL', async () => {
    const target = await server();
    const run = await runConformance([...targetArgs('easify', target), '--spec', 'specs/8x8-contacts.yaml', ...COMMON]);
    expectRefusedNoReport(run, /--spec is given twice; a run takes one/);
    expect(target.requestCount).toBe(0);
  });

  test('--base-url twice is refused', async () => {
    const target = await server();
    const run = await runConformance([...targetArgs('easify', target), '--base-url', 'http://127.0.0.1:9', ...COMMON]);
    expectRefusedNoReport(run, /--base-url is given twice; a run takes one/);
    expect(target.requestCount).toBe(0);
  });

  test('--dry-run with a report to write: refused, naming the report', async () => {
    const run = await runConformance(['--spec', 'specs/easify-contact-groups.yaml', '--dry-run', ...COMMON]);
    expectRefusedNoReport(run, /--dry-run sends nothing, so there is no --report-json to write/);
  });

  test('a --rate-limit slower than a request an hour is refused (its wait would overflow a timer)', async () => {
    const target = await server();
    const run = await runConformance([...targetArgs('easify', target), ...COMMON, '--rate-limit', '0.0000001/m']);
    expectRefusedNoReport(run, /--rate-limit 0\.0000001\/m is slower than one request an hour$/);
    expect(target.requestCount).toBe(0);
  });
});
