/**
 * The CLI as `npm start` runs it (node bin/mock.js, compiled), as a child process: the table of base URLs,
 * MOCK_PORT, a clean stop on SIGTERM/SIGINT, and a one-line error for a taken port.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const children: ChildProcess[] = [];

function startCli(
  args: string[],
  env: Record<string, string> = {},
): { child: ChildProcess; output: () => { stdout: string; stderr: string }; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['bin/mock.js', ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => ({ stdout, stderr }), exited };
}

async function waitFor(predicate: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)),
  );
}

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

describe('contact-mock CLI', () => {
  it('prints the table of spec -> base URL, serves on MOCK_PORT and stops cleanly on SIGTERM', async () => {
    // MOCK_PORT=0: the kernel picks a free port as the CLI binds it and the ready line says which,
    // so no other process can take it in between (probing a port, closing it and handing it over
    // races with every other test process). 4010 is outside the ephemeral range the kernel picks from, so a CLI that ignored
    // MOCK_PORT and used its default would show here.
    const cli = startCli([], { MOCK_PORT: '0' });
    await waitFor(() => cli.output().stdout.includes('Mock ready'), 'the ready line');
    const { stdout } = cli.output();
    const base = /Mock ready on (http:\/\/127\.0\.0\.1:\d+) /.exec(stdout)?.[1];
    expect(base, stdout).toBeDefined();
    expect(new URL(base!).port).not.toBe('4010');
    expect(stdout).toMatch(new RegExp(`specs/8x8-contacts\\.yaml\\s+${base}/8x8\\s`));
    expect(stdout).toMatch(new RegExp(`specs/bigchange-contact-groups\\.yaml\\s+${base}/bigchange\\s`));
    expect(stdout).toMatch(new RegExp(`specs/easify-contact-groups\\.yaml\\s+${base}/easify/api/v2\\s`));
    expect(stdout).toMatch(new RegExp(`specs/eloqua-contact-segments\\.yaml\\s+${base}/eloqua\\s`));
    const response = await request(`${base}/easify/api/v2/contact-groups/create`, {
      method: 'POST',
      headers: { authorization: 'Bearer t', 'content-type': 'application/json' },
      body: '{"name":"from the CLI"}',
    });
    expect(response.statusCode).toBe(200);
    await response.body.dump();
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
  });

  it('stops on SIGINT too (Ctrl-C)', async () => {
    const cli = startCli(['--port', '0']);
    await waitFor(() => cli.output().stdout.includes('Mock ready'), 'the ready line');
    cli.child.kill('SIGINT');
    expect(await cli.exited).toBe(0);
    expect(cli.output().stderr).toBe('');
  });

  it('reports a taken port in one line, without a stack trace, and exits non-zero', async () => {
    const blocker = createServer();
    const port = await listen(blocker);
    try {
      const cli = startCli(['--port', String(port)]);
      const code = await cli.exited;
      expect(code).not.toBe(0);
      const { stderr, stdout } = cli.output();
      expect(stderr).toBe(
        `contact-mock: port 127.0.0.1:${port} is already in use (choose another with --port or MOCK_PORT)\n`,
      );
      expect(stdout).toBe('');
    } finally {
      await new Promise((r) => blocker.close(r));
    }
  });

  it('--rate-limit off, or none as the runner says it, serves without limits and says so', async () => {
    for (const word of ['off', 'none']) {
      const cli = startCli(['--port', '0', '--rate-limit', word]);
      await waitFor(() => cli.output().stdout.includes('Mock ready'), 'the ready line');
      expect(cli.output().stdout).toMatch(/\(stateful, examples, no rate limits\)/);
      const base = /Mock ready on (http:\/\/127\.0\.0\.1:\d+) /.exec(cli.output().stdout)![1];
      // Easify documents 15 requests a minute: the 16th and later are not throttled.
      for (let i = 0; i < 20; i++) {
        const answer = await request(`${base}/easify/api/v2/contact-groups`, {
          headers: { authorization: 'Bearer one-token' },
        });
        await answer.body.dump();
        expect(answer.statusCode, `request ${i + 1} with --rate-limit ${word}`).toBe(200);
      }
      cli.child.kill('SIGTERM');
      await cli.exited;
    }
  });

  it('--spec serves one document of any folder; a missing one, or --spec with --specs, is one line and exit 2', async () => {
    const cli = startCli(['--port', '0', '--spec', 'tests/corpus/oai-link-example.json']);
    await waitFor(() => cli.output().stdout.includes('Mock ready'), 'the ready line');
    const { stdout } = cli.output();
    expect(stdout).toMatch(/^tests\/corpus\/oai-link-example\.json +http:\/\/127\.0\.0\.1:\d+\/oai /m);
    // Only that document: the package's own specs are not served.
    expect(stdout).not.toMatch(/easify/);
    const base = /Mock ready on (http:\/\/127\.0\.0\.1:\d+) /.exec(stdout)![1];
    const docs = await request(`${base}/__docs/oai/openapi.json`);
    expect(docs.statusCode).toBe(200);
    await docs.body.dump();
    cli.child.kill('SIGTERM');
    await cli.exited;

    for (const [args, says] of [
      [['--spec', 'nope.yaml'], /^contact-mock: spec file not found: .*nope\.yaml\n$/],
      [['--spec', 'a.yaml', '--specs', 'specs'], /^contact-mock: --spec and --specs cannot be used together\n$/],
    ] as const) {
      const refused = startCli(['--port', '0', ...args]);
      expect(await refused.exited).toBe(2);
      expect(refused.output().stderr).toMatch(says);
    }
  });

  it.each([
    ['lots', 'must be LIMIT, LIMIT/SECONDS or off'],
    ['5/0', 'SECONDS must be above 0'],
  ])('rejects --rate-limit %s in one line', async (value, says) => {
    const cli = startCli(['--rate-limit', value]);
    expect(await cli.exited).toBe(2);
    expect(cli.output().stderr.trim().split('\n')).toHaveLength(1);
    expect(cli.output().stderr).toContain('--rate-limit');
    expect(cli.output().stderr).toContain(says);
  });
});
