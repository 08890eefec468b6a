/**
 * A base URL is refused when it carries a query or a fragment, and the refusal quotes it: a token
 * put there (`?access_token=...`) must not reach the terminal or a CI log. The name of a query
 * parameter may be shown (it tells the user what to move), its value and the fragment never.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { REPO_ROOT, SPEC_FILES } from '../support/reference-server.js';
import { runConformance } from '../support/runner.js';

const SECRET = 'sk_live_Q7x9Zt4';
const SPEC = join(REPO_ROOT, SPEC_FILES.eloqua);

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'base-url-secrets-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe.concurrent('a secret in the base URL is never printed', () => {
  test.each([
    [
      'a query value',
      `http://127.0.0.1:9/eloqua?access_token=${SECRET}`,
      /got "http:\/\/127\.0\.0\.1:9\/eloqua\?access_token=\*\*\*"/,
    ],
    ['a fragment', `http://127.0.0.1:9/eloqua#${SECRET}`, /got "http:\/\/127\.0\.0\.1:9\/eloqua#\*\*\*"/],
    ['a bare query word', `http://127.0.0.1:9/eloqua?${SECRET}&a=b`, /eloqua\?\*\*\*&a=\*\*\*"/],
    [
      'a URL that does not parse',
      `http://exa mple.com/?api_key=${SECRET}`,
      /"http:\/\/exa mple\.com\/\?api_key=\*\*\*" is not a URL/,
    ],
    // A password holding '/', '?' or '#' makes the URL unparsable: it is masked up to its last '@'.
    [
      'a password with a slash',
      `http://user:a/${SECRET}@127.0.0.1:9/eloqua`,
      /"http:\/\/\*\*\*@127\.0\.0\.1:9\/eloqua"/,
    ],
    ['a password with a question mark', `http://user:a?${SECRET}@127.0.0.1:9/eloqua`, /"http:\/\/\*\*\*@127\.0\.0\.1/],
    ['a password with a hash', `http://user:a#${SECRET}@127.0.0.1:9/x`, /"http:\/\/\*\*\*@127\.0\.0\.1:9\/x"/],
  ])('%s in --base-url', async (_, baseUrl, shown) => {
    const run = await runConformance(['--spec', SPEC, '--base-url', baseUrl], { json: false });
    expect(run.code, run.describe()).toBe(2);
    expect(run.stderr).toMatch(shown);
    expect(run.stderr + run.stdout).not.toContain(SECRET);
  });

  test('a query value in a config file baseUrl', async () => {
    const file = join(dir, 'query.yaml');
    await writeFile(
      file,
      [
        'apis:',
        '  - name: eloqua',
        `    spec: ${SPEC}`,
        `    baseUrl: http://127.0.0.1:9/eloqua?api_key=${SECRET}`,
      ].join('\n'),
    );
    const run = await runConformance(['--config', file], { json: false });
    expect(run.code, run.describe()).toBe(2);
    expect(run.stderr).toMatch(/eloqua: --base-url must not have a query or fragment .*api_key=\*\*\*/);
    expect(run.stderr + run.stdout).not.toContain(SECRET);
  });
});
