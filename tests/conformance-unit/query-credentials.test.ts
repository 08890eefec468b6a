/**
 * An API key the spec sends in the query (Swagger 2.0's `in: query`, `?access_token=`) or in a cookie
 * is given its real value with --query-credential / --cookie-credential, or the config file's
 * queryCredentials / cookieCredentials: the positive cases carry it in place of the run's made-up
 * key, the auth cases still carry none, and the value is masked in every output, also where the
 * server echoes it. A name the spec sends no API key as is one line and exit 2.
 */

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { main } from '../../conformance/cli.js';
import { type LocalServer, localServer } from '../support/local-server.js';
import { expectRefused, type JsonReport, runConformance } from '../support/runner.js';

const KEY = 'sk_live_Q7x9Zt4kReal';
const COOKIE = 'sess-2f8c1d9e7b';
const ARGS = ['--seed', '3', '--no-random', '--concurrency', '2', '--timeout', '10000'];

/** Swagger 2.0, as Zoom's and many others' are: the key in the query; a header key that no operation uses. */
const QUERY_SPEC = `swagger: '2.0'
info: { title: Query key, version: '1' }
host: example.com
schemes: [http]
securityDefinitions:
  token: { type: apiKey, in: query, name: access_token }
  partner: { type: apiKey, in: header, name: X-Partner-Key }
security:
  - token: []
paths:
  /items:
    get:
      operationId: listItems
      parameters:
        - { name: limit, in: query, type: integer, minimum: 1, maximum: 10 }
      responses:
        '200':
          description: the items
          schema: { type: object, properties: { echo: { type: string } } }
        '400':
          description: a bad limit
          schema: { type: object, properties: { message: { type: string } } }
        '401':
          description: no key
          schema: { type: object, properties: { message: { type: string } } }
`;

const COOKIE_SPEC = QUERY_SPEC.replace('  - token: []', '  - session: []').replace(
  '  partner:',
  '  session: { type: apiKey, in: cookie, name: sid }\n  partner:',
);

interface Seen {
  url: string;
  query: string | null;
  cookie: string | undefined;
}

/**
 * 401 unless the request carries the key where the spec puts it; with it, 200 for a valid limit and
 * 400 for an invalid one. Every answer echoes what it got, in the body and in a header, and the 400's
 * body breaks its schema, so the reports hold failures with their curl lines.
 */
async function keyServer(where: 'query' | 'cookie'): Promise<{ server: LocalServer; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = await localServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const query = url.searchParams.get('access_token');
    const cookie = /(?:^|;\s*)sid=([^;]*)/.exec(req.headers.cookie ?? '')?.[1];
    seen.push({ url: req.url ?? '', query, cookie: req.headers.cookie });
    const got = where === 'query' ? query : cookie;
    const reply = (status: number, body: unknown) =>
      res.writeHead(status, { 'content-type': 'application/json', 'x-echo': String(got) }).end(JSON.stringify(body));
    if (got !== (where === 'query' ? KEY : COOKIE)) return reply(401, { message: `no such key: ${got}` });
    const limit = url.searchParams.get('limit');
    if (limit !== null && !/^([1-9]|10)$/.test(limit)) return reply(400, { message: { limit, key: got } });
    reply(200, { echo: `you sent ${got}` });
  });
  return { server, seen };
}

let dir = '';
let querySpec = '';
let cookieSpec = '';
const servers: LocalServer[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'query-credentials-'));
  querySpec = join(dir, 'query-key.yaml');
  cookieSpec = join(dir, 'cookie-key.yaml');
  await writeFile(querySpec, QUERY_SPEC);
  await writeFile(cookieSpec, COOKIE_SPEC);
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  await rm(dir, { recursive: true, force: true });
});

async function started(where: 'query' | 'cookie'): Promise<{ url: string; seen: Seen[] }> {
  const { server, seen } = await keyServer(where);
  servers.push(server);
  return { url: server.url, seen };
}

/** Every report a run writes, each as text. */
async function reportArgs(name: string): Promise<{ args: string[]; read(): Promise<string[]> }> {
  const files = ['har', 'html', 'junit'].map((kind) => [kind, join(dir, `${name}.${kind}`)] as const);
  return {
    args: files.flatMap(([kind, file]) => [`--report-${kind}`, file]),
    read: () => Promise.all(files.map(([, file]) => readFile(file, 'utf8'))),
  };
}

function expectPositivePassed(report: JsonReport | undefined, describe: string): void {
  const positive = report?.operations.listItems?.checks.positive_data_accepted;
  expect(positive?.passed, describe).toBeGreaterThan(0);
  expect(positive?.failed, describe).toBe(0);
  expect(report?.operations.listItems?.checks.ignored_auth?.passed, describe).toBe(1);
}

describe.concurrent('a query API key given on the command line', () => {
  test('is sent by the positive cases, never by the auth case, and shown nowhere', async () => {
    const target = await started('query');
    const reports = await reportArgs('query');
    const run = await runConformance([
      '--spec',
      querySpec,
      '--base-url',
      target.url,
      '--query-credential',
      `access_token=${KEY}`,
      ...ARGS,
      ...reports.args,
    ]);
    expect(run.report, run.describe()).toBeDefined();
    expectPositivePassed(run.report, run.describe());
    // The server saw the real key on every request but the one without credentials, and never a made-up one.
    expect(target.seen.filter((r) => r.query === KEY).length).toBeGreaterThan(2);
    expect(target.seen.filter((r) => r.query !== KEY)).toEqual([
      expect.objectContaining({ query: null, url: expect.not.stringContaining('access_token') }),
    ]);
    // The invalid limits' answers broke their schema: failures with a request, an echo and a curl line.
    const failures = run.report!.failures;
    expect(failures.length, run.describe()).toBeGreaterThan(0);
    expect(failures.every((f) => f.check !== 'positive_data_accepted')).toBe(true);
    expect(failures.map((f) => f.curl).join('\n')).toContain('access_token=***');
    const texts = [run.stdout, run.stderr, run.jsonText!, ...(await reports.read())];
    for (const text of texts) {
      expect(text).not.toContain(KEY);
      expect(text).not.toContain(encodeURIComponent(KEY));
    }
    expect(run.stdout).toContain('access_token=***');
  });

  test('is masked in the dry-run listing', async () => {
    const run = await runConformance(
      ['--spec', querySpec, '--dry-run', '--query-credential', `access_token=${KEY}`, ...ARGS],
      { json: false },
    );
    expect(run.code, run.describe()).toBe(0);
    expect(run.stdout).toContain('?access_token=***&limit=');
    expect(run.stdout + run.stderr).not.toContain(KEY);
  });

  test.each([
    [
      'a misspelt name',
      ['--query-credential', `acces_token=${KEY}`],
      /^conformance: --query-credential acces_token: .*query-key\.yaml has no apiKey security scheme sent in the query as "acces_token" \(did you mean access_token\?\)$/,
    ],
    [
      'a header key',
      ['--query-credential', `X-Partner-Key=${KEY}`],
      /--query-credential X-Partner-Key: .* \(its scheme partner sends X-Partner-Key in a header\)$/,
    ],
    [
      'the query key as a cookie',
      ['--cookie-credential', `access_token=${KEY}`],
      /--cookie-credential access_token: .*as "access_token" \(its scheme token sends access_token in the query\)$/,
    ],
    ['no value', ['--query-credential', 'access_token='], /--query-credential access_token: has no value$/],
    ['no name', ['--query-credential', KEY], /--query-credential must look like "name=value"$/],
    [
      'a name given twice',
      ['--query-credential', 'access_token=a', '--query-credential', 'access_token=b'],
      /given twice/,
    ],
  ])('%s is one line and exit 2', async (_, given, reason) => {
    // Nothing listens there: the refusal comes before the target is probed.
    const run = await runConformance(['--spec', querySpec, '--base-url', 'http://127.0.0.1:9', ...given, ...ARGS]);
    expectRefused(run, reason);
    expect(run.report, run.describe()).toBeUndefined();
    expect(run.stderr + run.stdout).not.toContain(KEY);
  });
});

describe.concurrent('a cookie API key given on the command line', () => {
  test('replaces the made-up cookie and is shown nowhere', async () => {
    const target = await started('cookie');
    const reports = await reportArgs('cookie');
    const run = await runConformance([
      '--spec',
      cookieSpec,
      '--base-url',
      target.url,
      '--cookie-credential',
      `sid=${COOKIE}`,
      ...ARGS,
      ...reports.args,
    ]);
    expectPositivePassed(run.report, run.describe());
    expect(target.seen.filter((r) => r.cookie === `sid=${COOKIE}`).length).toBeGreaterThan(2);
    expect(target.seen.filter((r) => r.cookie !== `sid=${COOKIE}`)).toEqual([
      expect.objectContaining({ cookie: undefined }),
    ]);
    for (const text of [run.stdout, run.stderr, run.jsonText!, ...(await reports.read())])
      expect(text).not.toContain(COOKIE);
  });
});

describe.concurrent('a query API key in the config file', () => {
  /** The CLI in this process, with an environment of the test's own. */
  async function configRun(config: string, env: Record<string, string>, args: string[] = []) {
    const file = join(dir, `config-${Math.random().toString(36).slice(2)}.yaml`);
    const report = `${file}.json`;
    await writeFile(file, config);
    let stdout = '';
    let stderr = '';
    const code = await main(['--config', file, '--report-json', report, ...args], {
      stdout: (text) => (stdout += text),
      stderr: (text) => (stderr += text),
      isTTY: false,
      env: { CI: 'true', NO_COLOR: '1', ...env },
      cwd: dir,
    });
    const json = await readFile(report, 'utf8').catch(() => undefined);
    return { code, stdout, stderr, json, describe: () => `exit=${code}\n${stderr}\n${stdout.slice(-2000)}` };
  }

  const config = (url: string, key = 'access_token'): string =>
    [
      'defaults:',
      '  seed: 3',
      '  random: false',
      'apis:',
      '  - name: keyed',
      '    spec: query-key.yaml',
      `    baseUrl: ${url}`,
      '    queryCredentials:',
      `      ${key}: \${QUERY_KEY_OF_TEST}`,
    ].join('\n');

  test('takes its value from the environment, sends it and shows it nowhere', async () => {
    const target = await started('query');
    const run = await configRun(config(target.url), { QUERY_KEY_OF_TEST: KEY });
    expect(run.json, run.describe()).toBeDefined();
    const report = JSON.parse(run.json!) as { apis: JsonReport[] };
    expectPositivePassed(report.apis[0], run.describe());
    expect(target.seen.filter((r) => r.query === KEY).length).toBeGreaterThan(2);
    expect(target.seen.filter((r) => r.query !== KEY)).toHaveLength(1);
    for (const text of [run.stdout, run.stderr, run.json!]) expect(text).not.toContain(KEY);
  });

  test('a --query-credential wins over the file', async () => {
    const target = await started('query');
    const run = await configRun(config(target.url), { QUERY_KEY_OF_TEST: 'not-the-key' }, [
      '--query-credential',
      `access_token=${KEY}`,
    ]);
    expect(target.seen.filter((r) => r.query === KEY).length, run.describe()).toBeGreaterThan(2);
    expect(target.seen.some((r) => r.query === 'not-the-key')).toBe(false);
    expect(run.stdout + run.stderr + run.json).not.toContain(KEY);
  });

  test('a name the spec has no query API key as is its line in the file and exit 2', async () => {
    const run = await configRun(config('http://127.0.0.1:9', 'acces_token'), { QUERY_KEY_OF_TEST: KEY });
    expect(run.code, run.describe()).toBe(2);
    const lines = run.stderr.trim().split('\n');
    expect(lines, run.describe()).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^conformance: keyed: config-\w+\.yaml:9:\d+: apis\[0\]\.queryCredentials\.acces_token: .*has no apiKey security scheme sent in the query as "acces_token" \(did you mean access_token\?\)$/,
    );
    expect(run.stderr + run.stdout).not.toContain(KEY);
  });

  test('the key as a parameter points to queryCredentials', async () => {
    const run = await configRun(config('http://127.0.0.1:9').replace('    queryCredentials:', '    parameters:'), {
      QUERY_KEY_OF_TEST: KEY,
    });
    expect(run.code, run.describe()).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/parameters\.access_token: .*give its value in queryCredentials\)$/m);
    expect(run.stderr + run.stdout).not.toContain(KEY);
  });
});
