/**
 * What the terminal shows: colour only when it should be (a TTY, NO_COLOR, FORCE_COLOR, set per run
 * through the CLI's io, never read from this process), the elapsed time and estimate on the
 * progress bar (an injected clock), warnings when most answers are 401/403, 404 or 429 (real
 * node:http servers answering so), and every validation problem listed, by the runner and the mock.
 */

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { main } from '../../conformance/cli.js';
import { barProgress, duration, progressText } from '../../conformance/reporters/progress.js';
import { colorEnabled, createStyle } from '../../conformance/reporters/style.js';
import { type RunningMock, startMock } from '../../mocks/server.js';
import { REPO_ROOT } from '../support/reference-server.js';
import { virtualClock } from '../support/virtual-clock.js';

const EASIFY = join(REPO_ROOT, 'specs/easify-contact-groups.yaml');
const EIGHT = join(REPO_ROOT, 'specs/8x8-contacts.yaml');
const ESC = '\u001b[';
/** A small run: one operation, no random cases. */
const SMALL = ['--seed', '3', '--no-random', '--operation', 'listContactGroups', '--throttle-wait', '0'];

let mock: RunningMock;
const servers: Server[] = [];
const dirs: string[] = [];

beforeAll(async () => {
  mock = await startMock({ port: 0, rateLimit: false, specFiles: [EASIFY, EIGHT] });
});
afterAll(async () => {
  await mock.close();
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

const easifyUrl = (): string => mock.apis.find((api) => api.name === 'easify')!.baseUrl;

/** A server that answers every request the same way. */
async function answering(status: number, body: string, headers: Record<string, string> = {}): Promise<string> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    req.on('end', () => res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(body));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

async function run(
  args: string[],
  terminal: { isTTY: boolean; env: Record<string, string | undefined> },
): Promise<Outcome> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    isTTY: terminal.isTTY,
    // Only what the test gives: the colour of this process's own terminal must not leak in.
    env: { PATH: process.env.PATH, ...terminal.env },
    // The run honours every Retry-After (a server that throttles everything asks for minutes) without spending it.
    clock: virtualClock(),
  });
  return { code, stdout, stderr };
}

describe('colour', () => {
  test.each([
    [{}, false, false],
    [{}, true, true],
    [{ NO_COLOR: '1' }, true, false],
    [{ NO_COLOR: '' }, true, true],
    [{ TERM: 'dumb' }, true, false],
    [{ FORCE_COLOR: '1' }, false, true],
    [{ FORCE_COLOR: '0' }, true, false],
    [{ FORCE_COLOR: 'false' }, true, false],
    [{ FORCE_COLOR: '1', NO_COLOR: '1' }, false, true],
    [{ FORCE_COLOR: '', NO_COLOR: '1' }, true, false],
  ])('env %j, TTY %s: colour %s', (env, isTTY, expected) => {
    expect(colorEnabled(env, isTTY)).toBe(expected);
  });

  test('a run on a terminal shows its verdict in colour; NO_COLOR, a pipe or FORCE_COLOR=0 show none', async () => {
    const args = ['--spec', EASIFY, '--base-url', easifyUrl(), ...SMALL];
    // Each run its own seed: the mock keeps what a run creates, and the same names again are duplicates.
    const onTerminal = await run([...args, '--seed', '20'], { isTTY: true, env: { CI: 'true' } });
    expect(onTerminal.code, onTerminal.stderr).toBe(0);
    expect(onTerminal.stdout).toContain(`${ESC}1m${ESC}32mPASSED${ESC}39m${ESC}22m ·`);
    for (const [seed, isTTY, env] of [
      ['21', true, { CI: 'true', NO_COLOR: '1' }],
      ['22', false, { CI: 'true' }],
      ['23', true, { CI: 'true', FORCE_COLOR: '0' }],
    ] as const) {
      const plain = await run([...args, '--seed', seed], { isTTY, env });
      expect(plain.code, plain.stderr).toBe(0);
      expect(plain.stdout).not.toContain('\u001b');
      expect(plain.stdout).toMatch(/^PASSED · \d+ checks: \d+ passed, 0 failed, \d+ skipped$/m);
    }
  });

  test('FORCE_COLOR colours failures in a pipe; what the server sent stays escaped', async () => {
    // A body that breaks the 200 schema, carrying an escape sequence of its own.
    const url = await answering(200, JSON.stringify({ status: 'yes\u001b[2J', data: 5 }));
    const result = await run(['--spec', EASIFY, '--base-url', url, ...SMALL], {
      isTTY: false,
      env: { CI: 'true', FORCE_COLOR: '1' },
    });
    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout).toMatch(/\u001b\[31m✗ \w+ · listContactGroups · \d+ cases?\u001b\[39m/);
    expect(result.stdout).toContain(`${ESC}1m${ESC}31mFAILED${ESC}39m${ESC}22m ·`);
    expect(result.stdout).toMatch(/\u001b\[31m\d+ failed\u001b\[39m, \d+ skipped/);
    // Every escape in the output is one of ours (colour on, colour off): the server's shows as text.
    expect(result.stdout).toContain('\\u001b[2J');
    expect(
      result.stdout.match(/\u001b\[[0-9;]*[A-Za-z]/g)!.every((code) => /^\u001b\[(1|22|31|32|33|39)m$/.test(code)),
    ).toBe(true);
  });
});

describe('progress bar', () => {
  test('elapsed time and an estimate of the time left, from the pace so far', () => {
    expect(duration(0)).toBe('0s');
    expect(duration(59_400)).toBe('59s');
    expect(duration(65_000)).toBe('1m05s');
    expect(duration(2 * 3600_000 + 3 * 60_000)).toBe('2h03m');
    expect(progressText({ done: 0, total: 10, failed: 0, elapsedMs: 1500 })).toBe(
      '0/10 requests · 0 failed checks · 2s elapsed · ETA --',
    );
    expect(progressText({ done: 5, total: 10, failed: 0, elapsedMs: 2000 })).toBe(
      '5/10 requests · 0 failed checks · 2s elapsed · ETA 2s',
    );
    const red = progressText({ done: 1, total: 4, failed: 2, elapsedMs: 1000 }, createStyle(true));
    expect(red).toBe(`1/4 requests · ${ESC}31m2 failed checks${ESC}39m · 1s elapsed · ETA 3s`);
  });

  test('the bar on a terminal: the clock keeps moving while no answer comes', () => {
    let now = 0;
    let written = '';
    const stream = {
      isTTY: true,
      columns: 200,
      write(chunk: string, callback?: () => void): boolean {
        written += chunk;
        callback?.();
        return true;
      },
      on: () => stream,
      once: () => stream,
      removeListener: () => stream,
    } as unknown as NodeJS.WriteStream;
    const bar = barProgress(stream, { now: () => now });
    bar.start(
      new Map([
        ['a', 6],
        ['b', 4],
      ]),
    );
    expect(written).toContain('0/10 requests · 0 failed checks · 0s elapsed · ETA --');
    now = 2000;
    for (let i = 0; i < 4; i++) bar.tick('a', 0);
    bar.tick('b', 1);
    // Nothing more is answered for a minute (a Retry-After, a slow server): the elapsed time still moves.
    now = 62_000;
    bar.stop();
    expect(written).toContain('5/10 requests · 1 failed checks · 1m02s elapsed · ETA 1m02s');
    expect(written).toMatch(/conformance \[[█░]+\] 5\/10/);
  });
});

describe('warnings about the answers', () => {
  const warningsOf = async (url: string, extra: string[] = []) => {
    const dir = await mkdtemp(join(tmpdir(), 'conformance-terminal-'));
    dirs.push(dir);
    const json = join(dir, 'report.json');
    const result = await run(['--spec', EASIFY, '--base-url', url, ...SMALL, ...extra, '--report-json', json], {
      isTTY: false,
      env: { CI: 'true' },
    });
    const report = JSON.parse(await readFile(json, 'utf8')) as {
      warnings: { kind: string; statuses: number[]; count: number; answered: number }[];
    };
    return { result, warnings: report.warnings };
  };

  test('a server that answers 401 to everything: are the credentials right?', async () => {
    const { result, warnings } = await warningsOf(
      await answering(401, JSON.stringify({ status: false, message: 'Unauthenticated', errors: [] })),
    );
    expect(warnings).toHaveLength(1);
    const [warning] = warnings;
    expect(warning).toMatchObject({ kind: 'credentials', statuses: [401, 403] });
    // The cases without credentials are meant to get 401: they are not counted.
    expect(warning!.count).toBe(warning!.answered);
    expect(warning!.answered).toBeGreaterThan(3);
    expect(result.stdout).toContain(
      `warning: ${warning!.count} of ${warning!.answered} answers were 401/403: are the credentials right?`,
    );
  });

  test('404 to everything: is the base URL right? 429: is the pace right?', async () => {
    const notFound = await warningsOf(await answering(404, '{"message":"Not Found"}'));
    expect(notFound.warnings.map((w) => w.kind)).toEqual(['base-url']);
    expect(notFound.result.stdout).toMatch(/warning: (\d+) of \1 answers were 404: is the base URL right\?/);
    const throttled = await warningsOf(
      await answering(429, '{"message":"Too Many Attempts."}', { 'retry-after': '60' }),
    );
    expect(throttled.warnings.map((w) => w.kind)).toEqual(['pace']);
    expect(throttled.result.stdout).toMatch(/warning: (\d+) of \1 answers were 429: is the pace right\?/);
  });

  test('a correct server gets no warning', async () => {
    const { result, warnings } = await warningsOf(easifyUrl(), ['--seed', '4']);
    expect(result.code, result.stderr).toBe(0);
    expect(warnings).toEqual([]);
    expect(result.stdout).not.toContain('warning:');
  });
});

describe('validation messages list every problem', () => {
  test('the mock: both rules an account id breaks, in the message', async () => {
    const base = mock.apis.find((api) => api.name === '8x8')!.baseUrl;
    const response = await fetch(`${base}/api/v1/accounts/acme/contacts`, {
      method: 'POST',
      headers: { authorization: 'Bearer any-token', 'content-type': 'application/json' },
      body: JSON.stringify({ addresses: [] }),
    });
    expect(response.status).toBe(400);
    const { message } = (await response.json()) as { message: string };
    expect(message).toContain('accountId must NOT have fewer than 32 characters');
    expect(message).toContain('accountId must match pattern');
    expect(message).not.toMatch(/more problem/);
  });

  test('the runner: every schema error of an answer, each on its line', async () => {
    const url = await answering(200, JSON.stringify({ status: 'yes', message: 7, data: 5 }));
    const result = await run(['--spec', EASIFY, '--base-url', url, ...SMALL], { isTTY: false, env: { CI: 'true' } });
    expect(result.code).toBe(1);
    const group = result.stdout.split('\n✗ ').find((part) => part.startsWith('response_schema · listContactGroups'));
    expect(group, result.stdout).toBeDefined();
    for (const line of ['/status: must be boolean', '/message: must be string']) expect(group).toContain(`    ${line}`);
    expect(result.stdout).not.toMatch(/more problem/);
  });
});
