/**
 * Either CLI as a user starts it (`node bin/conformance.js` or `node bin/mock.js`, the build) in a
 * directory of the test's choosing, killed when it outlives its own timeout: a hang fails the test,
 * it never stalls the suite. A mock that comes up is stopped at once: the tests here expect none to.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface CliOutcome {
  /** null when the process was killed. */
  code: number | null;
  stdout: string;
  stderr: string;
  /** Killed after its timeout. */
  timedOut: boolean;
  /** A mock that printed its ready line (and was then stopped). */
  served: boolean;
}

export function runCli(
  cli: 'conformance' | 'mock',
  args: string[],
  cwd: string,
  killAfterMs = 30_000,
): Promise<CliOutcome> {
  const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', `${cli}.js`), ...args], {
    cwd,
    env: { ...process.env, CI: 'true', NO_COLOR: '1', FORCE_COLOR: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let timedOut = false;
  let served = false;
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    if (!served && stdout.includes('Mock ready')) {
      served = true;
      child.kill('SIGKILL');
    }
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, killAfterMs);
  return new Promise((resolve) =>
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, timedOut, served });
    }),
  );
}

/** `exit=2 timedOut=false served=false stderr=...` for assertion messages. */
export const describeOutcome = (outcome: CliOutcome): string =>
  `exit=${outcome.code} timedOut=${outcome.timedOut} served=${outcome.served}\nstdout=${outcome.stdout.slice(0, 500)}\nstderr=${outcome.stderr.slice(0, 500)}`;
