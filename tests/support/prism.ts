/**
 * `prism mock <file>` as a user runs it: a child process on 127.0.0.1, on a port the system picks
 * (`-p 0`; the port is read from Prism's "listening on" line, so no other process can take it in
 * between), serving a file as it is.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from './reference-server.js';

export interface RunningPrism {
  /** `http://127.0.0.1:<port>`: Prism serves the file's paths from its root. */
  baseUrl: string;
  close(): Promise<void>;
}

const PRISM = join(REPO_ROOT, 'node_modules', '.bin', 'prism');

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Starts Prism on `file`; rejects (and stops it) when it is not listening within `startWithinMs`. */
export async function startPrism(file: string, startWithinMs = 30_000): Promise<RunningPrism> {
  const child = spawn(
    process.execPath,
    [PRISM, 'mock', '--host', '127.0.0.1', '--port', '0', '--cors', 'false', file],
    {
      cwd: REPO_ROOT,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  try {
    const baseUrl = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`prism did not listen within ${startWithinMs} ms:\n${output}`)),
        startWithinMs,
      );
      let started = false;
      // Prism logs every request: once it listens, its output is drained and dropped.
      const read = (chunk: Buffer) => {
        if (started) return;
        output += chunk.toString('utf8');
        const listening = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
        if (listening) {
          started = true;
          clearTimeout(timer);
          resolve(listening[1]!);
        }
      };
      child.stdout!.on('data', read);
      child.stderr!.on('data', read);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`prism exited (${code}) before listening:\n${output}`));
      });
    });
    return { baseUrl, close: () => stop(child) };
  } catch (error) {
    await stop(child);
    throw error;
  }
}
