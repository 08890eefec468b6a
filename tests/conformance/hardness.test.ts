/**
 * Hardness: a misbehaving network or server is a failure of the case and the run goes on to the
 * end; a bad command line or an unreachable target is exit 2 with a one-line reason and no stack
 * trace. Nothing is sent on a usage error. In-process; compiled-cli.test.ts spawns the same runs.
 */

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { HARDNESS } from '../support/faulty-servers.js';
import { expectSurvived } from '../support/hardness.js';
import { type RunningServer, SPEC_FILES, startReferenceServer } from '../support/reference-server.js';
import { COMMON, type RunResult, runConformance, STACK_FRAME, targetArgs } from '../support/runner.js';

const servers: RunningServer[] = [];
let tmp = '';

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'conformance-hardness-'));
});

/**
 * A reachable, conformant target for a bad-input run; the run is then given to `check`, and the
 * server must have seen no request at all: a usage error is found before anything is sent.
 */
async function badInput(args: (server: RunningServer) => string[], reason: RegExp): Promise<void> {
  const server = await startReferenceServer('bigchange');
  servers.push(server);
  const run = await runConformance(args(server), { json: false });
  expectOneLineReason(run, reason);
  expect(server.requestCount, 'a usage error must be found before anything is sent').toBe(0);
}

afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  await rm(tmp, { recursive: true, force: true });
});

function expectOneLineReason(run: RunResult, reason: RegExp) {
  const context = run.describe();
  expect(run.timedOut, context).toBe(false);
  expect(run.code, context).toBe(2);
  const output = `${run.stderr}${run.stdout}`.trim();
  expect(output.split('\n'), `expected exactly one line\n${context}`).toHaveLength(1);
  expect(output, context).toMatch(reason);
  expect(output, context).not.toMatch(STACK_FRAME);
  expect(output, context).not.toMatch(/\b(TypeError|ReferenceError|SyntaxError|Error):? .*\n?\s+at /);
}

/**
 * A loopback port that refuses connections for as long as the test holds it: the local end of a
 * connection of our own. Nothing listens on it, so a connection to it is refused at once, and
 * nothing else can bind it meanwhile (the kernel's port picking skips it and an explicit bind gets
 * EADDRINUSE). Probing a free port and closing it instead races with every other test process,
 * any of which may be handed that port before the runner tries it.
 */
async function refusingPort(): Promise<{ port: number; release(): Promise<void> }> {
  const accepted: Socket[] = [];
  const listener = createServer((socket) => accepted.push(socket));
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  const holder = connect((listener.address() as { port: number }).port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => holder.once('connect', resolve).once('error', reject));
  return {
    port: holder.localPort!,
    release: async () => {
      holder.destroy();
      for (const socket of accepted) socket.destroy();
      await new Promise<void>((resolve) => listener.close(() => resolve()));
    },
  };
}

const HANG = HARDNESS.filter((h) => h.name === 'hang');
const OTHER_HARDNESS = HARDNESS.filter((h) => h.name !== 'hang');

// One concurrent suite: the runs below are independent processes against their own servers.
describe.concurrent('hardness', () => {
  describe.concurrent('a misbehaving server is a failure of the case, never a crash or a hang', () => {
    test.each(OTHER_HARDNESS.map((h) => [h.name, h] as const))('%s', async (_name, hardness) => {
      await expectSurvived(hardness, servers, { spawn: false });
    });
  });

  describe.concurrent('bad input: exit 2, one clear line, no stack trace, nothing sent', () => {
    test('--help names every option of the issue; --version prints the version', async () => {
      const [help, version] = await Promise.all([
        runConformance(['--help'], { json: false }),
        runConformance(['--version'], { json: false }),
      ]);
      expect(help.code, help.describe()).toBe(0);
      for (const option of [
        '--spec',
        '--base-url',
        '--header',
        '--report-json',
        '--report-junit',
        '--seed',
        '--checks',
        '--exclude-checks',
        '--operation',
        '--max-cases',
        '--concurrency',
        '--timeout',
        '--rate-limit',
        '--dry-run',
        '--live',
      ]) {
        expect(help.stdout, help.describe()).toContain(option);
      }
      expect(version.code, version.describe()).toBe(0);
      expect(version.stdout.trim()).toMatch(/^v?\d+\.\d+\.\d+/);
    });

    test('unreachable base URL', async () => {
      const refusing = await refusingPort();
      try {
        const run = await runConformance(
          [
            '--spec',
            SPEC_FILES.bigchange,
            '--base-url',
            `http://127.0.0.1:${refusing.port}`,
            '--header',
            'Authorization: Bearer x',
            ...COMMON,
          ],
          { json: false },
        );
        expectOneLineReason(run, /127\.0\.0\.1|unreachable|connect|ECONNREFUSED/i);
      } finally {
        await refusing.release();
      }
    });

    test('missing --spec', async () => {
      await badInput((s) => ['--base-url', s.baseUrl], /spec/i);
    });

    test('spec file that does not exist', async () => {
      await badInput((s) => ['--spec', 'specs/no-such-spec.yaml', '--base-url', s.baseUrl], /no-such-spec\.yaml/);
    });

    test('spec that is a directory (unreadable)', async () => {
      await badInput((s) => ['--spec', 'specs', '--base-url', s.baseUrl], /specs/);
    });

    test('spec that is not valid YAML', async () => {
      const file = join(tmp, 'broken.yaml');
      await writeFile(file, 'openapi: 3.1.0\npaths: {\n  /x: [unclosed\n');
      await badInput((s) => ['--spec', file, '--base-url', s.baseUrl], /yaml|broken\.yaml/i);
    });

    test('unknown check in --checks', async () => {
      await badInput(
        (s) => [...targetArgs('bigchange', s), '--checks', 'response_schema,no_such_check'],
        /no_such_check/,
      );
    });

    test('unknown check in --exclude-checks', async () => {
      await badInput((s) => [...targetArgs('bigchange', s), '--exclude-checks', 'nope_check'], /nope_check/);
    });

    test('non-loopback base URL without --live', async () => {
      expectOneLineReason(
        await runConformance([...targetArgs('bigchange', { baseUrl: 'https://api.bigchange.com' })], { json: false }),
        /--live/,
      );
    });

    test('bad --rate-limit', async () => {
      await badInput((s) => [...targetArgs('bigchange', s), '--rate-limit', 'fast'], /rate-limit|rate limit/i);
    });

    test('bad --max-cases', async () => {
      await badInput((s) => [...targetArgs('bigchange', s), '--max-cases', 'many'], /max-cases/);
    });

    test('unknown --operation', async () => {
      await badInput((s) => [...targetArgs('bigchange', s), '--operation', 'deleteEverything'], /deleteEverything/);
    });
  });

  describe('dry run', () => {
    test('--dry-run prints the cases and sends nothing', async () => {
      const server = await startReferenceServer('8x8');
      servers.push(server);
      const run = await runConformance([...targetArgs('8x8', server), ...COMMON, '--dry-run'], { json: false });
      expect(run.code, run.describe()).toBe(0);
      expect(run.stdout, run.describe()).toMatch(/createContact/);
      expect(server.requestCount).toBe(0);
    });
  });
});

// After the concurrent suite, on its own: its legitimate requests must not wait behind the other runs.
describe('a server that never answers is a timeout of the case, never a hang of the run', () => {
  test.each(HANG.map((h) => [h.name, h] as const))('%s', async (_name, hardness) => {
    await expectSurvived(hardness, servers, { spawn: false });
  });
});
