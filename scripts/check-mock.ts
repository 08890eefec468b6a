/**
 * `npm run check:mock`: starts the mock on a free port, runs every API of conformance.config.yaml
 * against it in one runner process, stops the mock, and exits with the run's exit code (0, 1, or 2
 * when the mock cannot start). Arguments go to the runner:
 * `npm run check:mock -- --api easify --report-html reports/mock.html`.
 *
 * The mock starts in a child process while this one loads the runner and the specs and plans the
 * cases: both are mostly CPU, so on two cores they overlap; the first request waits for the mock to be ready.
 * On a machine of two cores or fewer both processes run without V8's optimising compiler (shortRunFlags).
 * `npm run build` compiles this file to dist/scripts/ (what the npm script runs); tsx runs it too.
 */
import { spawn } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { createServer } from 'node:net';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import type { CliIo } from '../conformance/cli.js';
import { ConfigError } from '../conformance/errors.js';
import { PACKAGE_ROOT } from '../lib/package-root.js';

/** V8's flags that choose the optimising tiers (`node --turbofan` names TurboFan, `--opt` is its alias). */
const TIERING_FLAG = /^--(no-)?(opt|turbofan|maglev)$|^--max-opt=/;

/**
 * The V8 flags both processes run with. They live a second or two, and TurboFan compiles hot
 * functions on background threads: where no core is spare for those, the compiles take CPU from the
 * two main threads and never pay for themselves in that time (on two cores, 3.4 s of CPU with them
 * and 2.4 s without; the main threads 10-15 % slower, the run 2.0 s against 1.45 s, medians of 5).
 * With more cores they run beside the main threads, which then gain from them. Tiering flags given
 * to node itself (`node --turbofan dist/scripts/check-mock.js`) win, and the mock gets them too.
 */
export function shortRunFlags(cores: number, execArgv: readonly string[]): { mock: string[]; here: string[] } {
  const given = execArgv.filter((flag) => TIERING_FLAG.test(flag));
  if (given.length > 0) return { mock: given, here: [] };
  const flags = cores <= 2 ? ['--no-turbofan'] : [];
  return { mock: flags, here: flags };
}

const SHORT_RUN = shortRunFlags(availableParallelism(), process.execArgv);

/** A port nothing listens on now; the mock takes it a moment later (if another process does first, exit 2 says so). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        address && typeof address === 'object' ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

interface MockProcess {
  /** Resolves when the mock serves; rejects (ConfigError) when it exits first. */
  ready: Promise<void>;
  stop(): Promise<void>;
}

function startMock(port: number): MockProcess {
  const child = spawn(
    process.execPath,
    [
      ...SHORT_RUN.mock,
      join(PACKAGE_ROOT, 'bin', 'mock.js'),
      '--port',
      String(port),
      '--host',
      '127.0.0.1',
      '--rate-limit',
      'off',
    ],
    { cwd: PACKAGE_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const ready = new Promise<void>((resolve, reject) => {
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (stdout.includes('Mock ready on')) resolve();
    });
    child.once('error', (error) => reject(new ConfigError(`the mock did not start: ${error.message}`)));
    void exited.then((code) =>
      reject(new ConfigError(`the mock did not start (exit ${code}): ${stderr.trim().split('\n')[0] ?? ''}`)),
    );
  });
  return {
    ready,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

export async function checkMock(argv: readonly string[], io: Omit<CliIo, 'targetsReady'>): Promise<number> {
  const port = await freePort();
  const mock = startMock(port);
  // A run refused before it waits for the mock must not leave the mock's failure unhandled.
  mock.ready.catch(() => undefined);
  try {
    // The runner's modules load after the mock is spawned: its start overlaps them too.
    const { main } = await import('../conformance/cli.js');
    // The mock is thrown away after the run: nothing to clean up (a --cleanup given still wins).
    return await main(['--config', join(PACKAGE_ROOT, 'conformance.config.yaml'), '--no-cleanup', ...argv], {
      ...io,
      env: { ...io.env, MOCK_PORT: String(port) },
      targetsReady: mock.ready,
    });
  } finally {
    await mock.stop();
  }
}

const invoked = process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
if (invoked) {
  // Before the runner's modules load (checkMock imports them): the flag holds for all of their code.
  for (const flag of SHORT_RUN.here) setFlagsFromString(flag);
  for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);
  process.exitCode = await checkMock(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    isTTY: process.stdout.isTTY === true,
    env: process.env,
    progressStream: process.stderr,
    cwd: process.cwd(),
  });
}
