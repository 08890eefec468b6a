/**
 * Secrets stay out of every output however they are named and however a server writes them back:
 * a header is secret when a secret word is anywhere in its name (`AccessToken`, `X-AuthToken`,
 * `Authentication`), and a given secret is masked HTML-escaped (with any entity for each character)
 * and base64-encoded too, in the summary, the JSON, HAR and HTML reports.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import type { IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { Redactor } from '../../conformance/redact.js';
import { type LocalServer, localServer } from '../support/local-server.js';
import { SPEC_FILES } from '../support/reference-server.js';
import { runConformance } from '../support/runner.js';

const escapeHtml = (text: string): string =>
  text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
const base64 = (text: string): string => Buffer.from(text).toString('base64');

test('a secret word anywhere in a header name makes it secret; ordinary headers stay readable', () => {
  const secretNames = [
    'AccessToken',
    'X-AuthToken',
    'Authentication',
    'Authorization',
    'X-Api-Key',
    'ApiKey',
    'X-Client-Secret',
    'X-Password',
    'Passwd',
    'SessionId',
    'Set-Cookie',
    'X-Credential',
    'X-Hub-Signature-256',
  ];
  const ordinary = ['Customer-Id', 'Content-Type', 'Accept', 'User-Agent', 'X-Request-Id', 'WWW-Authenticate'];
  const redactor = new Redactor([]);
  for (const name of secretNames) expect(redactor.headers({ [name]: 'v4lue' }), name).toEqual({ [name]: '***' });
  for (const name of ordinary) expect(redactor.headers({ [name]: 'v4lue' }), name).toEqual({ [name]: 'v4lue' });
});

test('a given secret is masked HTML-escaped with any entity, and base64-encoded', () => {
  const secret = `hunter2&pass<x>"q'`;
  const basic = 'ann:s3cr&t!';
  const redactor = new Redactor([
    ['X-AuthToken', secret],
    ['Authorization', `Basic ${base64(basic)}`],
  ]);
  for (const form of [
    escapeHtml(secret),
    'hunter2&#38;pass&#x3C;x&#62;&#x22;q&apos;',
    'hunter2&amp;pass<x>"q\'',
    'HUNTER2&AMP;PASS&LT;X&GT;&QUOT;Q&#039;',
    base64(secret),
    Buffer.from(secret).toString('base64url'),
    base64(secret).replace(/=+$/, ''),
    base64('s3cr&t!'),
    escapeHtml(basic),
  ]) {
    expect(redactor.text(`<p>${form}</p>`), form).toBe('<p>***</p>');
  }
  // A body excerpt cut inside the escaped or encoded form.
  expect(redactor.text(`x ${escapeHtml(secret).slice(0, 12)}…`)).toBe('x ***…');
  expect(redactor.text(`x ${base64(secret).slice(0, 10)}…`)).toBe('x ***…');
});

test('a secret inside a longer base64 text is masked at any byte alignment', () => {
  const token = 'sk_live_Abc123XyZ';
  const redactor = new Redactor([['Authorization', `Bearer ${token}`]]);
  // Every way of reading base64 runs of the output back: no decoding shows the token again.
  const decodings = (text: string): string[] =>
    (text.match(/[A-Za-z0-9+/_-]{4,}/g) ?? []).flatMap((run) =>
      [0, 1, 2, 3].map((offset) =>
        Buffer.from(run.slice(offset).replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('latin1'),
      ),
    );
  for (const prefix of ['', 'a', 'ab', '{"auth":" ']) {
    for (const encode of [(t: string) => base64(t), (t: string) => Buffer.from(t).toString('base64url')]) {
      const echoed = encode(`${prefix}Bearer ${token}","n":1}`);
      expect(
        decodings(echoed).some((d) => d.includes(token)),
        prefix,
      ).toBe(true);
      const masked = redactor.text(`x-trace: ${echoed}`);
      expect(masked, prefix).toContain('***');
      expect(
        decodings(masked).filter((d) => d.includes(token)),
        prefix,
      ).toEqual([]);
    }
  }
});

// ---------------------------------------------------------------------------------------------
// End to end: a server that echoes every header HTML-escaped and base64-encoded
// ---------------------------------------------------------------------------------------------

let server: LocalServer;
let baseUrl = '';
const seen: IncomingHttpHeaders[] = [];
let dir = '';

beforeAll(async () => {
  server = await localServer((req, res) => {
    seen.push(req.headers);
    const pairs = Object.entries(req.headers).map(([name, value]) => `${name}: ${String(value)}`);
    const body = JSON.stringify({
      error: `rejected ${escapeHtml(pairs.join('; '))}`,
      encoded: Object.values(req.headers).map((value) => base64(String(value))),
    });
    res.writeHead(500, { 'content-type': 'application/json', 'x-echo': escapeHtml(pairs.join('; ')) }).end(body);
  });
  baseUrl = server.url;
  dir = await mkdtemp(join(tmpdir(), 'redact-forms-'));
});
afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

test('no secret reaches stdout, the JSON, HAR or HTML report, as sent, HTML-escaped or base64', async () => {
  const id = randomBytes(6).toString('hex');
  const secrets = {
    AccessToken: `at-${id}-1111`,
    'X-AuthToken': `xat-${id}-2222`,
    Authentication: `an-${id}-3333`,
    'X-Api-Key': `hunter2&pass<${id}>"q'`,
  };
  const har = join(dir, 'run.har');
  const html = join(dir, 'run.html');
  const run = await runConformance(
    [
      '--spec',
      SPEC_FILES.bigchange,
      '--base-url',
      baseUrl,
      '--header',
      'Customer-Id: 14532',
      ...Object.entries(secrets).flatMap(([name, value]) => ['--header', `${name}: ${value}`]),
      '--no-random',
      '--max-cases',
      '3',
      '--concurrency',
      '4',
      '--timeout',
      '5000',
      '--seed',
      '1',
      '--report-har',
      har,
      '--report-html',
      html,
    ],
    { killAfterMs: 40_000 },
  );
  expect(run.timedOut, run.describe()).toBe(false);
  expect(run.code, run.describe()).toBe(1);
  // The secrets were sent and echoed: there was something to leak.
  expect(seen.some((headers) => headers.accesstoken === secrets.AccessToken)).toBe(true);
  expect(seen.some((headers) => headers['x-api-key'] === secrets['X-Api-Key'])).toBe(true);
  const outputs: [string, string][] = [
    ['stdout', run.stdout],
    ['stderr', run.stderr],
    ['JSON report', run.jsonText ?? ''],
    ['HAR report', await readFile(har, 'utf8')],
    ['HTML report', await readFile(html, 'utf8')],
  ];
  for (const [where, text] of outputs) {
    if (where !== 'stderr') expect(text.length, where).toBeGreaterThan(0);
    for (const secret of Object.values(secrets)) {
      const forms = [secret, escapeHtml(secret), base64(secret), JSON.stringify(secret).slice(1, -1), id];
      for (const form of forms) expect(text.includes(form), `${where} shows ${JSON.stringify(form)}`).toBe(false);
    }
  }
  // The names stay; ordinary headers keep their values.
  const curl = run.report!.failures[0]!.curl;
  expect(curl).toContain("-H 'accesstoken: ***'");
  expect(curl).toContain("-H 'x-authtoken: ***'");
  expect(curl).toContain("-H 'authentication: ***'");
  expect(curl).toContain("-H 'customer-id: 14532'");
});
