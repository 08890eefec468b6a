/**
 * A header the HTTP client cannot send is refused before the run, never blamed on the server: a
 * value with a character outside RFC 9110's field-value (a control character, one beyond Latin-1),
 * on the command line or in a config file, exits 2 with one line that names the header and never
 * quotes its value; nor does a --header that is not `Name: value` at all.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'undici';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { headerValueProblem } from '../../conformance/options.js';
import { type LocalServer, localServer } from '../support/local-server.js';
import { REPO_ROOT, SPEC_FILES } from '../support/reference-server.js';
import { expectRefused, runConformance } from '../support/runner.js';

/** Every request it gets, with the value of its `x-note` header. */
let server: LocalServer;
let baseUrl = '';
const received: (string | undefined)[] = [];
let dir = '';

beforeAll(async () => {
  server = await localServer((req, res) => {
    received.push(req.headers['x-note'] as string | undefined);
    res.writeHead(500, { 'content-type': 'text/plain' }).end('no');
  });
  baseUrl = server.url;
  dir = await mkdtemp(join(tmpdir(), 'header-values-'));
});
afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

/** A short run: a bad header must stop it before the first request, a good one must not. */
const ARGS = ['--no-random', '--max-cases', '2', '--concurrency', '2', '--timeout', '3000', '--seed', '1'];
const target = (): string[] => [
  '--spec',
  SPEC_FILES.bigchange,
  '--base-url',
  baseUrl,
  '--header',
  'Customer-Id: 14532',
];

describe.concurrent('a --header value the HTTP client cannot send exits 2 before any request', () => {
  test.each([
    ['a control character', 'Bearer SECRET\u0001tok9', /--header Authorization has a control character \(U\+0001\)/],
    ['DEL', 'Bearer SECRET\u007ftok9', /--header Authorization has a control character \(U\+007F\)/],
    [
      'a character beyond Latin-1',
      'Bearer SECRETząbtok9',
      /--header Authorization has a character beyond Latin-1 \(U\+0105\)/,
    ],
    ['an emoji', 'Bearer SECRET\u{1F600}tok9', /--header Authorization has a character beyond Latin-1 \(U\+1F600\)/],
    ['a line break', 'Bearer SECRET\ntok9', /--header Authorization must be one line/],
  ])('%s', async (_, value, reason) => {
    const before = received.length;
    const run = await runConformance([...target(), ...ARGS, '--header', `Authorization: ${value}`], {
      json: false,
      killAfterMs: 20_000,
    });
    expectRefused(run, reason, ['SECRET', 'tok9']);
    expect(received.length).toBe(before);
  });

  test('also from the compiled command, as a process', async () => {
    const run = await runConformance([...target(), ...ARGS, '--header', 'X-Api-Key: SECRET\u0001tok9'], {
      spawn: true,
      json: false,
      killAfterMs: 20_000,
    });
    expectRefused(run, /--header X-Api-Key has a control character/, ['SECRET', 'tok9']);
  });
});

describe.concurrent('a config file header value the HTTP client cannot send exits 2 before any request', () => {
  test.each([
    [
      'a control character',
      '"Bearer SECRET\\x01tok9"',
      /apis\[0\]\.headers\.Authorization has a control character \(U\+0001\)/,
    ],
    [
      'a character beyond Latin-1',
      '"Bearer SECRETąbtok9"',
      /apis\[0\]\.headers\.Authorization has a character beyond Latin-1 \(U\+0105\)/,
    ],
  ])('%s', async (name, value, reason) => {
    const file = join(dir, `${name.replace(/\W+/g, '-')}.yaml`);
    await writeFile(
      file,
      [
        'apis:',
        `  - spec: ${JSON.stringify(join(REPO_ROOT, SPEC_FILES.bigchange))}`,
        `    baseUrl: ${baseUrl}`,
        '    headers:',
        `      Authorization: ${value}`,
        '      Customer-Id: 14532',
        '',
      ].join('\n'),
    );
    const before = received.length;
    const run = await runConformance(['--config', file, ...ARGS], { json: false, killAfterMs: 20_000 });
    expectRefused(run, reason, ['SECRET', 'tok9']);
    expect(received.length).toBe(before);
  });
});

describe.concurrent('a --header that is not "Name: value" never shows the value', () => {
  test.each([
    ['Authorization Bearer SECRET123', /--header must look like "Name: value", got "Authorization …"$/],
    ['X-Api-Key=SECRET123', /--header must look like "Name: value", got "X-Api-Key …"$/],
    ['Bearer SECRET123:tok9', /--header must look like "Name: value", got "Bearer …"$/],
    // A lone word, one before base64 padding or one starting with a digit may be the secret itself.
    ['SECRET123tok9', /--header must look like "Name: value"$/],
    ['SECRET123tok9 ', /--header must look like "Name: value"$/],
    ['U0VDUkVUMTIzdG9rOQ==', /--header must look like "Name: value"$/],
    ['0SECRET123 tok9', /--header must look like "Name: value"$/],
  ])('%j', async (header, reason) => {
    const run = await runConformance([...target(), ...ARGS, '--header', header], { json: false, killAfterMs: 20_000 });
    expectRefused(run, reason, ['SECRET', 'tok9', 'U0VDUkVU']);
  });
});

test('what is refused is exactly what the HTTP client refuses: tab, space, visible ASCII and Latin-1 pass', async () => {
  const client = new Client(baseUrl);
  const codes = [...Array(0x200).keys(), 0x2028, 0xfeff, 0x1f600];
  try {
    for (const code of codes) {
      const value = `a${String.fromCodePoint(code)}b`;
      const sent = await client.request({ method: 'GET', path: '/', headers: { 'x-probe': value } }).then(
        async (answer) => {
          await answer.body.dump();
          return true;
        },
        (error: { code?: string }) => {
          expect(error.code).toBe('UND_ERR_INVALID_ARG');
          return false;
        },
      );
      expect(headerValueProblem(value) === undefined, `U+${code.toString(16)}`).toBe(sent);
    }
  } finally {
    await client.close();
  }
});

test('a value with a tab and Latin-1 characters is sent as given', async () => {
  const run = await runConformance([...target(), ...ARGS, '--header', 'X-Note: café\tcrème'], {
    json: false,
    killAfterMs: 30_000,
  });
  expect(run.timedOut, run.describe()).toBe(false);
  expect(run.code, run.describe()).toBe(1);
  expect(received).toContain('café\tcrème');
});

describe('a --header that breaks its documented schema', () => {
  test('is refused naming the header; a secret value is masked there as everywhere', async () => {
    const spec = join(dir, 'keyed.yaml');
    await writeFile(
      spec,
      [
        'openapi: 3.1.0',
        'info: {title: Keyed, version: "1"}',
        'paths:',
        '  /things:',
        '    get:',
        '      operationId: listThings',
        '      parameters:',
        '        - {name: X-Api-Key, in: header, required: true, schema: {type: string, pattern: "^key-[0-9]+$"}}',
        '      responses: {"200": {description: ok}}',
      ].join('\n'),
    );
    const secret = 'SECRET-not-a-key-77';
    const run = await runConformance(
      ['--spec', spec, '--base-url', baseUrl, '--header', `X-Api-Key: ${secret}`, ...ARGS],
      {
        json: false,
      },
    );
    expectRefused(run, /^conformance: --header X-Api-Key: '\*\*\*' does not match the spec \(must match pattern/, [
      secret,
    ]);
    // A secret too short to be masked in free text is still masked as the header's value.
    const short = await runConformance(['--spec', spec, '--base-url', baseUrl, '--header', 'X-Api-Key: ab1', ...ARGS], {
      json: false,
    });
    expectRefused(short, /^conformance: --header X-Api-Key: '\*\*\*' does not match the spec/, ["'ab1'"]);
  });
});
