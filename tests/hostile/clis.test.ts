/**
 * The two command lines agree, and neither takes an absurd request as work: usage errors are exit 2
 * with one line on stderr in both, `-h` is help in both, both print the same `--version`, the mock's
 * help names its own endpoints and `Prefer`, and a `--max-cases` no run could finish is refused up
 * front instead of planned. Both CLIs are called in this process through their `main(argv, io)`.
 */
import { describe, expect, it } from 'vitest';
import { main as runnerMain } from '../../conformance/cli.js';
import { PACKAGE_VERSION } from '../../lib/package-root.js';
import { main as mockMain } from '../../mocks/cli.js';
import { runConformance } from '../support/runner.js';

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

async function mock(argv: string[]): Promise<Outcome> {
  let stdout = '';
  let stderr = '';
  const result = await mockMain(argv, {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    env: {},
    cwd: process.cwd(),
  });
  // Nothing here should start a server; one that did is closed before failing the test.
  await result.mock?.close();
  expect(result.mock, 'no server started').toBeUndefined();
  return { code: result.exitCode, stdout, stderr };
}

async function runner(argv: string[]): Promise<Outcome> {
  let stdout = '';
  let stderr = '';
  const code = await runnerMain(argv, {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    isTTY: false,
    env: { NO_COLOR: '1' },
  });
  return { code, stdout, stderr };
}

describe('the mock and the runner agree', () => {
  it('-h is help in both, the same text as --help; the mock names its endpoints and Prefer', async () => {
    for (const cli of [mock, runner]) {
      const [short, long] = [await cli(['-h']), await cli(['--help'])];
      expect(short.code).toBe(0);
      expect(short.stderr).toBe('');
      expect(short.stdout).toMatch(/^Usage: /);
      expect(short.stdout).toBe(long.stdout);
    }
    const help = (await mock(['--help'])).stdout;
    for (const text of ['POST /__mock/reset', 'GET  /__mock/state', 'Prefer: code=', '--host <host>', '--version'])
      expect(help).toContain(text);
  });

  it('--version prints the same version in both', async () => {
    for (const cli of [mock, runner]) {
      const version = await cli(['--version']);
      expect(version).toEqual({ code: 0, stdout: `${PACKAGE_VERSION}\n`, stderr: '' });
    }
  });

  it('a usage error is exit 2 and one line on stderr in both', async () => {
    const cases: [typeof mock, string[], RegExp][] = [
      [mock, ['--bogus'], /^contact-mock: unknown option '--bogus'\n$/],
      [runner, ['--bogus'], /^conformance: unknown option '--bogus'\n$/],
      [mock, ['--port', '99999'], /^contact-mock: .*--port.*\n$/],
      [mock, ['--rate-limit', 'lots'], /^contact-mock: .*--rate-limit.*\n$/],
      [
        runner,
        ['--spec', 'specs/easify-contact-groups.yaml', '--concurrency', 'many'],
        /^conformance: .*--concurrency.*\n$/,
      ],
    ];
    for (const [cli, argv, message] of cases) {
      const outcome = await cli(argv);
      expect(outcome.code, argv.join(' ')).toBe(2);
      expect(outcome.stdout, argv.join(' ')).toBe('');
      expect(outcome.stderr, argv.join(' ')).toMatch(message);
    }
  });
});

describe('a plan no run could finish', () => {
  it('--max-cases 100000000 --dry-run: exit 2 at once, naming the bound, nothing planned or printed', async () => {
    const run = await runConformance(
      [
        '--spec',
        'specs/easify-contact-groups.yaml',
        '--base-url',
        'http://127.0.0.1:9',
        '--max-cases',
        '100000000',
        '--dry-run',
      ],
      // A plan built in full would take minutes and gigabytes: this kill bound only keeps a regression from stalling the suite.
      { json: false, killAfterMs: 30_000 },
    );
    expect(run.timedOut, run.describe()).toBe(false);
    expect(run.code, run.describe()).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe('conformance: --max-cases must be an integer from 1 to 10000, got "100000000"\n');
  });
});
