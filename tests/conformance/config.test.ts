/**
 * The config file: parsed and checked (every problem at once, each with its line), `${VAR}` filled
 * from the environment (a missing one is an error, never an empty string), flags over the file, and
 * several APIs run in one process against the real mock: one summary, one JSON report with a list
 * per API, one JUnit file with a suite per API and operation, HTML and HAR covering all, and the
 * worst exit code. Per-operation overrides and parameter values are checked on what reached the mock.
 */

import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { main } from '../../conformance/cli.js';
import { CONFIG_SCHEMA, loadConfig } from '../../conformance/config.js';
import { type RunningMock, startMock } from '../../mocks/server.js';
import { checkMock, shortRunFlags } from '../../scripts/check-mock.js';
import { REPO_ROOT } from '../support/reference-server.js';
import { STACK_FRAME } from '../support/runner.js';

const EASIFY = join(REPO_ROOT, 'specs/easify-contact-groups.yaml');
const EIGHT = join(REPO_ROOT, 'specs/8x8-contacts.yaml');
const ACCOUNT = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
/** Plain output whatever the machine running the tests has set. */
const ENV = { CI: 'true', NO_COLOR: '1', FORCE_COLOR: '0', PATH: process.env.PATH };

let mock: RunningMock;
let dirs: string[] = [];
const base = (name: string): string => mock.apis.find((api) => api.name === name)!.baseUrl;

beforeAll(async () => {
  mock = await startMock({ port: 0, rateLimit: false, specFiles: [EASIFY, EIGHT] });
});
afterAll(async () => {
  await mock.close();
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  dirs = [];
});

async function workspace(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'conformance-config-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    await mkdir(join(dir, name, '..'), { recursive: true });
    await writeFile(join(dir, name), text);
  }
  return dir;
}

interface Cli {
  code: number;
  stdout: string;
  stderr: string;
  describe(): string;
}

async function cli(args: string[], cwd: string, env: Record<string, string | undefined> = {}): Promise<Cli> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    isTTY: false,
    env: { ...ENV, ...env },
    cwd,
  });
  return { code, stdout, stderr, describe: () => `exit ${code}\n${stderr}\n${stdout.slice(-3000)}` };
}

const resetMock = async (): Promise<void> => {
  const reset = await fetch(`${mock.url}/__mock/reset`, { method: 'POST' });
  expect(reset.ok).toBe(true);
};

const readJson = async (file: string): Promise<Record<string, unknown>> =>
  JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;

/** A node:http server that counts what it gets and answers 200 {}: nothing may reach it when a config is refused. */
async function counter(): Promise<{ url: string; count: () => number; close: () => Promise<void> }> {
  let count = 0;
  const server: Server = createServer((_req, res) => {
    count++;
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    count: () => count,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function expectOneLine(run: Cli, pattern: RegExp): void {
  expect(run.code, run.describe()).toBe(2);
  const lines = run.stderr.trim().split('\n');
  expect(lines, run.describe()).toHaveLength(1);
  expect(lines[0]).toMatch(/^conformance: /);
  expect(lines[0]).toMatch(pattern);
  expect(run.stderr).not.toMatch(STACK_FRAME);
}

describe('parsing', () => {
  test('the schema the file is checked against is a valid draft 2020-12 schema', () => {
    // The runner compiles it without the meta-schema check, so this is where a mistake in it shows.
    const ajv = new Ajv2020({ strict: true });
    expect(ajv.validateSchema(CONFIG_SCHEMA), ajv.errorsText(ajv.errors)).toBe(true);
  });

  test('values from the environment, defaults under each API, paths relative to the file, types coerced', async () => {
    const dir = await workspace({
      'conf/conformance.config.yaml': `
defaults:
  seed: 7
  timeout: \${TIMEOUT_MS}
  headers:
    Authorization: Bearer \${TOKEN}
    X-Trace: from-defaults
reports:
  json: ../reports/all.json
apis:
  - spec: ../specs/easify-contact-groups.yaml
    baseUrl: http://127.0.0.1:\${PORT:-4010}/easify/api/v2
    rateLimit: 10/s
    throttleWait: 3
    headers:
      X-Trace: own
      Customer-Id: 14532
  - name: eight
    spec: /abs/8x8.yaml
    parameters:
      accountId: \${ACCOUNT}
    operations:
      createContact: { skip: true, expectedStatuses: { positive: [201] } }
`,
    });
    const config = await loadConfig('conf/conformance.config.yaml', {
      cwd: dir,
      env: { TOKEN: 'tok-123456', TIMEOUT_MS: '2500', ACCOUNT },
    });
    expect(config.file).toBe(join('conf', 'conformance.config.yaml'));
    // Paths are the file's, opened from this process (relative to its directory when inside it).
    expect(config.reports).toEqual({ json: join(dir, 'reports', 'all.json') });
    const [easify, eight] = config.apis;
    expect(easify!.name).toBe('easify');
    expect(easify!.options).toMatchObject({
      spec: join(dir, 'specs', 'easify-contact-groups.yaml'),
      baseUrl: 'http://127.0.0.1:4010/easify/api/v2',
      seed: 7,
      timeoutMs: 2500,
      rateLimit: { limit: 10, period: 1 },
      throttleWaitMs: 3000,
    });
    // The API's header wins over the default of the same name; a YAML number is header text.
    expect(easify!.options.headers).toEqual([
      ['Authorization', 'Bearer tok-123456'],
      ['X-Trace', 'own'],
      ['Customer-Id', '14532'],
    ]);
    expect(eight!.name).toBe('eight');
    expect(eight!.options.spec).toBe('/abs/8x8.yaml');
    expect(eight!.options.parameters).toEqual({ accountId: ACCOUNT });
    expect(eight!.options.operationOverrides).toEqual({
      createContact: { skip: true, expectedStatuses: { positive: [201] } },
    });
  });

  test('a variable that is not set is one line naming the file, line and key, and nothing is sent', async () => {
    const target = await counter();
    try {
      const dir = await workspace({
        'conformance.config.yaml': `apis:\n  - spec: ${EASIFY}\n    baseUrl: ${target.url}\n    headers:\n      Authorization: Bearer \${EASIFY_TOKEN}\n`,
      });
      const run = await cli([], dir, { EASIFY_TOKEN: undefined });
      expectOneLine(
        run,
        /^conformance: conformance\.config\.yaml:5:22: apis\[0\]\.headers\.Authorization uses \$\{EASIFY_TOKEN\}, but the environment variable EASIFY_TOKEN is not set$/,
      );
      // An empty value is as unset as a missing one: a header of "Bearer " would only hide the mistake.
      expectOneLine(await cli([], dir, { EASIFY_TOKEN: '' }), /EASIFY_TOKEN is not set/);
      expect(target.count()).toBe(0);
    } finally {
      await target.close();
    }
  });

  test('every problem of the file at once, in file order, each with its line and column', async () => {
    const dir = await workspace({
      'conformance.config.yaml': `defaults:
  maxCase: 3
apis:
  - spec: ${EASIFY}
    baseURL: http://127.0.0.1:1
    concurrency: 0
    checks: [not_a_server_eror]
    headers:
      Authorization: \${NOT_SET}
  - name: second
    timeout: soon
`,
    });
    const run = await cli([], dir);
    expect(run.code, run.describe()).toBe(2);
    const problems = run.stderr
      .trim()
      .replace(/^conformance: /, '')
      .split('; ');
    expect(problems).toEqual([
      'conformance.config.yaml:2:3: defaults.maxCase is not an option here (did you mean maxCases?)',
      'conformance.config.yaml:5:5: apis[0].baseURL is not an option here (did you mean baseUrl?)',
      'conformance.config.yaml:6:18: apis[0].concurrency must be >= 1',
      expect.stringMatching(
        /^conformance\.config\.yaml:7:14: apis\[0\]\.checks\[0\] "not_a_server_eror" is not one of not_a_server_error, .* \(did you mean not_a_server_error\?\)$/,
      ),
      `conformance.config.yaml:9:22: apis[0].headers.Authorization uses \${NOT_SET}, but the environment variable NOT_SET is not set`,
      'conformance.config.yaml:10:5: apis[1].spec is required',
      'conformance.config.yaml:11:14: apis[1].timeout must be integer',
    ]);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });

  test('invalid YAML, framing headers, duplicate names and values the spec refuses are refused with their place', async () => {
    const broken = await workspace({ 'conformance.config.yaml': 'apis:\n  - spec: a\n    spec: b\n' });
    expectOneLine(
      await cli([], broken),
      /^conformance: conformance\.config\.yaml:3:5: invalid YAML: Map keys must be unique/,
    );

    const headers = await workspace({
      'conformance.config.yaml': `apis:\n  - spec: ${EASIFY}\n    headers:\n      Content-Length: "5"\n  - spec: ${EASIFY}\n`,
    });
    const run = await cli(['--dry-run'], headers);
    expectOneLine(
      run,
      /conformance\.config\.yaml:4:7: apis\[0\]\.headers\.Content-Length Content-Length is not allowed/,
    );
    expect(run.stderr).toMatch(
      /conformance\.config\.yaml:5:11: apis\[1\]\.spec names the API "easify", as apis\[0\] does/,
    );

    const values = await workspace({
      'conformance.config.yaml': `apis:
  - spec: ${EIGHT}
    parameters:
      accountId: acme
      acountId: x
    operations:
      createContct: { skip: true }
`,
    });
    const refused = await cli(['--dry-run'], values);
    expectOneLine(refused, /^conformance: 8x8: /);
    expect(refused.stderr).toContain(
      'conformance.config.yaml:7:21: apis[0].operations.createContct: ' +
        'specs/8x8-contacts.yaml has no operation "createContct" (did you mean createContact?)',
    );
    // Both problems of the value, for every operation that has the parameter, said once.
    expect(refused.stderr).toMatch(
      /conformance\.config\.yaml:4:18: apis\[0\]\.parameters\.accountId: not a valid path parameter accountId of 12 operations \(searchContacts, .*\) \(accountId: must NOT have fewer than 32 characters; accountId: must match pattern/,
    );
    expect(refused.stderr).toContain('apis[0].parameters.acountId: no operation of');
    // The value itself is not echoed: it may come from the environment.
    expect(refused.stderr).not.toContain('acme');
  });

  test('found in the working directory without --spec: the YAML file, else a JSON file, else package.json', async () => {
    const api = { spec: EASIFY, baseUrl: 'http://127.0.0.1:9/easify/api/v2' };
    for (const [file, text] of [
      ['conformance.config.yaml', `apis:\n  - name: from-yaml\n    spec: ${EASIFY}\n`],
      ['conformance.config.json', JSON.stringify({ apis: [{ name: 'from-json', ...api }] })],
      ['package.json', JSON.stringify({ name: 'x', conformance: { apis: [{ name: 'from-package', ...api }] } })],
    ] as const) {
      const dir = await workspace({ [file]: text });
      const run = await cli(['--dry-run', '--operation', 'listContactGroups', '--no-random'], dir);
      expect(run.code, run.describe()).toBe(0);
      expect(run.stdout).toMatch(
        new RegExp(
          `^from-${file.split('.').at(-1) === 'yaml' ? 'yaml' : file.startsWith('package') ? 'package' : 'json'} · `,
        ),
      );
    }
    // The line of a problem in package.json is its line in package.json.
    const dir = await workspace({
      'package.json': `{\n  "name": "x",\n  "conformance": {\n    "apis": [{ "spec": "a.yaml", "seed": -1 }]\n  }\n}\n`,
    });
    expectOneLine(await cli([], dir), /^conformance: package\.json:4:42: apis\[0\]\.seed must be >= 0$/);
    // No --spec and no config file: the usual usage error.
    expectOneLine(await cli([], await workspace({})), /required option '--spec <file>' not specified/);
  });
});

describe('against the mock', () => {
  test('per-operation skip, expected statuses and parameter values act on what is sent and judged', async () => {
    const dir = await workspace({
      'conformance.config.yaml': `
defaults:
  seed: 11
  random: false
apis:
  - name: easify
    spec: ${EASIFY}
    baseUrl: ${base('easify')}
    operations:
      deleteContactGroup: { skip: true }
      createContactGroup:
        expectedStatuses:
          positive: [201]
          negative: [422]
  - name: eight
    spec: ${EIGHT}
    baseUrl: ${base('8x8')}
    parameters:
      accountId: ${ACCOUNT}
    operations:
      searchContacts:
        parameters:
          limit: "7"
`,
    });
    const har = join(dir, 'all.har');
    const run = await cli(
      [
        '--operation',
        'createContactGroup',
        '--operation',
        'deleteContactGroup',
        '--operation',
        'searchContacts',
        '--report-json',
        join(dir, 'all.json'),
        '--report-har',
        har,
      ],
      dir,
    );
    expect(run.code, run.describe()).toBe(1);
    const report = (await readJson(join(dir, 'all.json'))) as {
      apis: {
        name: string;
        operations: Record<string, unknown>;
        failures: { operationId: string; check: string; message: string }[];
      }[];
    };
    const [easify, eight] = report.apis;
    // Skipped: not in the run, whatever --operation says.
    expect(Object.keys(easify!.operations)).toEqual(['createContactGroup']);
    // The mock creates with 200: every valid create breaks the expected 201, and nothing else fails
    // (the mock rejects invalid groups with 422, as expected).
    const failures = easify!.failures;
    expect(failures.length).toBeGreaterThan(0);
    expect(new Set(failures.map((f) => `${f.operationId} ${f.check}`))).toEqual(
      new Set(['createContactGroup positive_data_accepted']),
    );
    expect(failures[0]!.message).toBe('valid request answered 200, not one of the expected 201');
    expect(eight!.failures).toEqual([]);

    const entries = (
      JSON.parse(await readFile(har, 'utf8')) as {
        log: { entries: { request: { method: string; url: string }; _case: string; _operationId: string }[] };
      }
    ).log.entries;
    const eightCases = entries
      .filter((e) => e._operationId === 'searchContacts')
      .map((e) => ({ url: new URL(e.request.url), name: e._case }));
    expect(eightCases.length).toBeGreaterThan(10);
    // Every request is for the configured account, except the cases about the account id itself.
    for (const { url, name } of eightCases) {
      if (!url.pathname.includes(`/accounts/${ACCOUNT}/`)) expect(name).toMatch(/path accountId/);
    }
    expect(eightCases.filter(({ url }) => url.pathname.includes(`/accounts/${ACCOUNT}/`)).length).toBeGreaterThan(10);
    // The optional query parameter is sent wherever a case does not set limit itself.
    for (const { url, name } of eightCases) expect(url.searchParams.has('limit'), name).toBe(true);
    // A record's life lists on the biggest page, so the record is on it whatever else is stored.
    const plain = eightCases.filter(({ name }) => !/limit|(with|without) the record/.test(name));
    expect(plain.length).toBeGreaterThan(0);
    for (const { url, name } of plain) expect(url.searchParams.get('limit'), name).toBe('7');
  });

  test('several APIs in one process: one summary, one report of each kind, the worst exit code', async () => {
    const dir = await workspace({
      'conformance.config.yaml': `
defaults:
  seed: 5
  random: false
  headers:
    Authorization: Bearer \${SECRET_TOKEN}
reports:
  json: out/report.json
  junit: out/report.xml
  html: out/report.html
  har: out/report.har
apis:
  - name: good
    spec: ${EASIFY}
    baseUrl: ${base('easify')}
  - name: strict
    spec: ${EASIFY}
    baseUrl: ${base('easify')}
    seed: 15
    operations:
      listContactGroups:
        expectedStatuses: { positive: [204] }
  - name: gone
    spec: ${EASIFY}
    baseUrl: http://127.0.0.1:1/easify/api/v2
`,
    });
    const args = ['--operation', 'listContactGroups'];
    const secret = { SECRET_TOKEN: 'cfg-s3cret-0d5b8f3e' };
    const run = await cli(args, dir, secret);
    // One API could not be reached: that is the worst outcome, and it is said on stderr, once.
    expect(run.code, run.describe()).toBe(2);
    expect(run.stderr.trim()).toBe('conformance: gone: cannot reach http://127.0.0.1:1: connection refused');
    expect(run.stdout).toMatch(/^good · .*easify-contact-groups\.yaml against http/m);
    expect(run.stdout).toMatch(/^strict · /m);
    expect(run.stdout).toMatch(/✗ gone · .* could not run: cannot reach/);
    expect(run.stdout.trimEnd()).toMatch(
      /All APIs\nFAILED · 3 APIs \(1 passed, 1 failed, 1 could not run\) · \d+ checks: \d+ passed, \d+ failed, \d+ skipped · \d+ requests in [\d.]+ s$/,
    );
    expect(run.stdout.match(/^All APIs$/gm)).toHaveLength(1);

    const json = (await readJson(join(dir, 'out/report.json'))) as {
      summary: { failed: number; apis: Record<string, number> };
      apis: { name: string; error?: string; summary?: { failed: number } }[];
    };
    expect(json.apis.map((a) => a.name)).toEqual(['good', 'strict', 'gone']);
    expect(json.apis[0]!.summary!.failed).toBe(0);
    expect(json.apis[1]!.summary!.failed).toBeGreaterThan(0);
    expect(json.apis[2]!.error).toBe('cannot reach http://127.0.0.1:1: connection refused');
    expect(json.summary.failed).toBe(json.apis[1]!.summary!.failed);
    expect(json.summary.apis).toEqual({ total: 3, passed: 1, failed: 1, errored: 1 });

    const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(
      await readFile(join(dir, 'out/report.xml'), 'utf8'),
    ) as { testsuites: { testsuite: { name: string; failures: string; errors: string }[] } };
    const suites = xml.testsuites.testsuite.map((s) => s.name);
    expect(suites).toContain('good/listContactGroups');
    expect(suites).toContain('strict/listContactGroups');
    expect(suites).toContain('gone');
    const strict = xml.testsuites.testsuite.find((s) => s.name === 'strict/listContactGroups')!;
    expect(Number(strict.failures)).toBeGreaterThan(0);
    expect(xml.testsuites.testsuite.find((s) => s.name === 'gone')!.errors).toBe('1');

    const har = JSON.parse(await readFile(join(dir, 'out/report.har'), 'utf8')) as {
      log: { pages: { title: string }[] };
    };
    expect(har.log.pages).toHaveLength(2);
    const html = await readFile(join(dir, 'out/report.html'), 'utf8');
    expect(html.match(/easify-contact-groups\.yaml/g)!.length).toBeGreaterThanOrEqual(2);
    // A credential from the environment is masked like one given with --header, in every output.
    for (const file of ['report.json', 'report.xml', 'report.html', 'report.har']) {
      expect(await readFile(join(dir, 'out', file), 'utf8'), file).not.toContain(secret.SECRET_TOKEN);
    }
    expect(run.stdout + run.stderr).not.toContain(secret.SECRET_TOKEN);
    expect(await readFile(join(dir, 'out/report.har'), 'utf8')).toContain('Bearer ***');

    // Without the unreachable API the worst is a violation: exit 1. (The two APIs have their own
    // seeds and the mock is reset between runs: it keeps the groups a run creates, and the same
    // names again would be duplicates.)
    await resetMock();
    const reachable = await cli([...args, '--api', 'good', '--api', 'strict'], dir, secret);
    expect(reachable.code, reachable.describe()).toBe(1);
    expect(reachable.stderr).toBe('');
    await resetMock();
    const good = await cli([...args, '--api', 'good'], dir, secret);
    expect(good.code, good.describe()).toBe(0);
  });

  test('flags win over the file; one-API flags need one API', async () => {
    const dir = await workspace({
      'conformance.config.yaml': `
defaults:
  seed: 5
  maxCases: 3
  headers:
    authorization: Bearer from-the-file
apis:
  - name: easify
    spec: ${EASIFY}
    baseUrl: http://127.0.0.1:1/nowhere
  - name: eight
    spec: ${EIGHT}
    baseUrl: ${base('8x8')}
`,
    });
    const json = join(dir, 'flags.json');
    const run = await cli(
      [
        '--api',
        'easify',
        '--base-url',
        base('easify'),
        '--seed',
        '9',
        '--no-random',
        '--operation',
        'listContactGroups',
        '--header',
        'Authorization: Bearer from-the-flag',
        '--report-json',
        json,
      ],
      dir,
    );
    expect(run.code, run.describe()).toBe(0);
    const report = (await readJson(json)) as { apis: { name: string; seed: number; baseUrl: string }[] };
    expect(report.apis).toHaveLength(1);
    expect(report.apis[0]).toMatchObject({ name: 'easify', seed: 9, baseUrl: base('easify') });
    expectOneLine(
      await cli(['--base-url', base('easify')], dir),
      /--base-url is for one API and conformance\.config\.yaml runs 2; choose one with --api <name> \(easify, eight\) or --spec <file>$/,
    );
    expectOneLine(
      await cli(['--api', 'eigth'], dir),
      /--api eigth: not in conformance\.config\.yaml \(did you mean eight\?\)/,
    );
    expectOneLine(
      await cli(['--operation', 'nope'], dir),
      /unknown operation "nope": no API of the run has it \(easify, eight\)/,
    );
    // --spec with --config picks the API of that spec.
    const picked = await cli(['--config', 'conformance.config.yaml', '--spec', EIGHT, '--dry-run', '--no-random'], dir);
    expect(picked.code, picked.describe()).toBe(0);
    expect(picked.stdout).toMatch(/^eight · /);
    expect(picked.stdout).not.toMatch(/^easify · /m);
  });
});

describe('npm run check:mock', () => {
  test('runs both processes without TurboFan on two cores or fewer, unless node was given tiering flags', () => {
    expect(shortRunFlags(2, [])).toEqual({ mock: ['--no-turbofan'], here: ['--no-turbofan'] });
    expect(shortRunFlags(1, ['--max-old-space-size=512'])).toEqual({
      mock: ['--no-turbofan'],
      here: ['--no-turbofan'],
    });
    expect(shortRunFlags(4, [])).toEqual({ mock: [], here: [] });
    // Flags given to node hold in this process already; the mock gets the same.
    expect(shortRunFlags(2, ['--turbofan'])).toEqual({ mock: ['--turbofan'], here: [] });
    expect(shortRunFlags(8, ['--no-opt', '--inspect'])).toEqual({ mock: ['--no-opt'], here: [] });
    expect(shortRunFlags(2, ['--max-opt=2', '--maglev'])).toEqual({ mock: ['--max-opt=2', '--maglev'], here: [] });
  });

  test('starts the mock on a free port, runs the shipped config against it, stops it, exits with the run', async () => {
    let stdout = '';
    let stderr = '';
    const io = {
      stdout: (text: string) => (stdout += text),
      stderr: (text: string) => (stderr += text),
      isTTY: false,
      env: ENV,
      cwd: REPO_ROOT,
    };
    const small = ['--no-random', '--operation', 'listContactGroups'];
    const code = await checkMock(['--api', 'easify', ...small], io);
    expect(code, `${stderr}\n${stdout}`).toBe(0);
    const port = /against http:\/\/127\.0\.0\.1:(\d+)\/easify\/api\/v2/.exec(stdout)?.[1];
    expect(port, stdout).toBeDefined();
    expect(stdout).toMatch(/^PASSED · 1 API \(1 passed\)/m);
    // The mock is gone once the run is over.
    await expect(fetch(`http://127.0.0.1:${port}/__mock/state`)).rejects.toThrow();
    // A run the runner refuses is exit 2 (the mock it started is stopped in any case).
    stdout = '';
    expect(await checkMock(['--api', 'nope'], io)).toBe(2);
    expect(stderr).toMatch(/--api nope: not in conformance\.config\.yaml/);
  });
});
