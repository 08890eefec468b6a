/**
 * Ctrl-C (SIGINT) or SIGTERM in the middle of a run: the runner stops sending planned cases, deletes
 * what it created, prints the summary marked INTERRUPTED, writes every report asked for and exits
 * 130 (SIGINT) or 143 (SIGTERM); a second signal exits at once. The real CLI, spawned, against a
 * server that keeps what it is sent: the signal goes out once the server has stored records, so the
 * test waits on the server, never on a clock.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import type { Fault } from '../support/reference/core.js';
import {
  REPO_ROOT,
  type RunningServer,
  SPEC_FILES,
  type StoredRecord,
  startReferenceServer,
} from '../support/reference-server.js';
import { type JsonReport, targetArgs } from '../support/runner.js';

const servers: RunningServer[] = [];
const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

// Only a guard against a hang: a cold CLI on a loaded machine takes a while to reach its third create.
const KILL_AFTER_MS = 120_000;
const key = (record: StoredRecord): string => `${record.collection} ${record.id}`;

/** A server fault that resolves `stored` once `count` creates have been answered 2xx. */
function noticingCreates(count: number): { fault: Fault; stored: Promise<void> } {
  let seen = 0;
  let resolve!: () => void;
  const stored = new Promise<void>((r) => (resolve = r));
  const fault: Fault = {
    name: 'notices creates',
    description: 'the reference behaviour; tells the test when records were stored',
    overrides: {
      finish: (next, reply, ex, s) => {
        const done = next(reply, ex, s);
        if (ex.operation.resource?.action === 'create' && done.status < 300 && ++seen === count) resolve();
        return done;
      },
    },
  };
  return { fault, stored };
}

interface Spawned {
  child: ChildProcess;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; killed: boolean }>;
  output: () => string;
}

/** The compiled CLI, with a kill timer of its own: a hang fails the test instead of stalling the suite. */
function spawnCli(args: string[]): Spawned {
  const child = spawn(process.execPath, ['bin/conformance.js', ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, CI: 'true', NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  let killed = false;
  const timer = setTimeout(() => {
    killed = true;
    child.kill('SIGKILL');
  }, KILL_AFTER_MS);
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null; killed: boolean }>((resolve) =>
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, killed });
    }),
  );
  return { child, exit, output: () => output };
}

async function reportsDir(): Promise<{ dir: string; args: string[] }> {
  const dir = await mkdtemp(join(tmpdir(), 'interrupt-'));
  dirs.push(dir);
  const args = ['json', 'junit', 'html', 'har'].flatMap((kind) => [`--report-${kind}`, join(dir, `report.${kind}`)]);
  return { dir, args };
}

/** A run long enough to be interrupted: every planned case, paced, cleaning up after itself. */
const RUN = ['--seed', '7', '--max-cases', '1000', '--no-random', '--concurrency', '4', '--rate-limit', '20/s'];

// Each test waits as long as its runs take (each has its own kill timer); four CLIs start at once.
describe.concurrent('a signal mid-run', { timeout: 3 * KILL_AFTER_MS }, () => {
  test.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('%s: cleanup, summary, reports, exit %i', async (signal, code) => {
    const { fault, stored } = noticingCreates(3);
    const server = await startReferenceServer('eloqua', { rateLimit: false, faults: [fault] });
    servers.push(server);
    const before = server.records().map(key);
    const { dir, args } = await reportsDir();
    const run = spawnCli([...targetArgs('eloqua', server), ...RUN, '--cleanup', ...args]);
    await Promise.race([stored, run.exit]);
    expect(server.records().length, run.output()).toBeGreaterThan(before.length);
    run.child.kill(signal);
    const exit = await run.exit;
    expect(exit, run.output()).toEqual({ code, signal: null, killed: false });
    expect(server.records().map(key), run.output()).toEqual(before);
    for (const kind of ['json', 'junit', 'html', 'har'])
      expect((await stat(join(dir, `report.${kind}`))).size).toBeGreaterThan(0);
    const report = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8')) as JsonReport;
    expect(report.interrupted).toBe(signal);
    expect(report.cleanup?.leftovers).toEqual([]);
    expect(report.cleanup?.cleaned).toBeGreaterThan(0);
    expect(
      report.notSentBy.some((n) => n.reason === `the run was interrupted (${signal})`),
      run.output(),
    ).toBe(true);
    expect(run.output()).toContain(`INTERRUPTED (${signal})`);
    expect(await readFile(join(dir, 'report.html'), 'utf8')).toContain(`INTERRUPTED (${signal})`);
  });

  test('a second signal exits at once, even while the cleanup waits on the server', async () => {
    const { fault, stored } = noticingCreates(3);
    let signalled = false;
    let resolveDelete!: () => void;
    const deleting = new Promise<void>((r) => (resolveDelete = r));
    // Once signalled, the server never answers a delete: only the second signal can end the cleanup early.
    const hang: Fault = {
      name: 'hangs deletes',
      description: 'never answers a DELETE after the signal',
      socket: (_req, _res, ex) => {
        if (!signalled || ex.method !== 'DELETE') return false;
        resolveDelete();
        return true;
      },
    };
    const server = await startReferenceServer('eloqua', { rateLimit: false, faults: [fault, hang] });
    servers.push(server);
    const { args } = await reportsDir();
    // The deletes would hang for the whole --timeout (300 s), longer than the kill timer allows.
    const run = spawnCli([...targetArgs('eloqua', server), ...RUN, '--timeout', '300000', '--cleanup', ...args]);
    await Promise.race([stored, run.exit]);
    signalled = true;
    run.child.kill('SIGINT');
    await Promise.race([deleting, run.exit]);
    run.child.kill('SIGINT');
    const exit = await run.exit;
    expect(exit, run.output()).toEqual({ code: 130, signal: null, killed: false });
  });

  test('a signal during the cleanup bounds it too: a delete held back by Retry-After 300 is left, listed, exit 130', async () => {
    let resolveCleanup!: () => void;
    const cleaning = new Promise<void>((r) => (resolveCleanup = r));
    // Only creates are planned, so the first DELETE is the cleanup's: every one is told to wait 5 minutes.
    const throttleDeletes: Fault = {
      name: 'throttles deletes',
      description: 'answers every DELETE 429 with Retry-After: 300',
      socket: (_req, res, ex) => {
        if (ex.method !== 'DELETE') return false;
        resolveCleanup();
        res.writeHead(429, { 'Content-Type': 'application/json', 'Retry-After': '300' });
        res.end('{"message":"Too many requests"}');
        return true;
      },
    };
    const server = await startReferenceServer('eloqua', { rateLimit: false, faults: [throttleDeletes] });
    servers.push(server);
    const { dir, args } = await reportsDir();
    const only = ['--operation', 'createContactSegment', '--seed', '7', '--max-cases', '5', '--no-random'];
    const run = spawnCli([...targetArgs('eloqua', server), ...only, '--cleanup', ...args]);
    await Promise.race([cleaning, run.exit]);
    run.child.kill('SIGINT');
    // Without the bound the cleanup would wait out the 300 s and the kill timer would end it.
    const exit = await run.exit;
    expect(exit, run.output()).toEqual({ code: 130, signal: null, killed: false });
    const report = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8')) as JsonReport;
    const leftovers = report.cleanup?.leftovers ?? [];
    expect(leftovers.length, run.output()).toBeGreaterThan(0);
    for (const leftover of leftovers) expect(leftover.reason, run.output()).toMatch(/30 s/);
  });

  test('a config file run: SIGINT cleans up every API and exits 130', async () => {
    const { fault, stored } = noticingCreates(3);
    const server = await startReferenceServer('eloqua', { rateLimit: false, faults: [fault] });
    servers.push(server);
    const before = server.records().map(key);
    const { dir } = await reportsDir();
    const config = join(dir, 'conformance.config.yaml');
    await writeFile(
      config,
      [
        'apis:',
        '  - name: eloqua',
        `    spec: ${join(REPO_ROOT, SPEC_FILES.eloqua)}`,
        `    baseUrl: ${server.baseUrl}`,
        '    headers: {Authorization: Bearer test-token-0d5b8f3e}',
        '    cleanup: true',
      ].join('\n'),
    );
    const run = spawnCli(['--config', config, ...RUN, '--report-json', join(dir, 'report.json')]);
    await Promise.race([stored, run.exit]);
    run.child.kill('SIGINT');
    const exit = await run.exit;
    expect(exit, run.output()).toEqual({ code: 130, signal: null, killed: false });
    expect(server.records().map(key), run.output()).toEqual(before);
    const report = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8')) as { apis: JsonReport[] };
    expect(report.apis[0]?.interrupted).toBe('SIGINT');
  });
});
