/**
 * Drives the conformance runner the way its users do, through its command line: `main(argv, io)`
 * in this process, or `node bin/conformance.js ...` from the repository root, then reads its exit
 * code, its output and its report files. Nothing here knows the runner's internals.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { expect } from 'vitest';
import { main } from '../../conformance/cli.js';
import type { Clock } from '../../conformance/clock.js';
import { REPO_ROOT, type RunningServer, SPEC_FILES, type SpecKey } from './reference-server.js';

export interface ReportFailure {
  operationId: string;
  check: string;
  case: unknown;
  message: string;
  expected?: string;
  request: unknown;
  response: { status: number; headers: Record<string, unknown>; body: unknown } | null;
  curl: string;
}

export type Verdict = 'confirmed' | 'refuted' | 'untested';

/** One assumption of the spec (`x-inferred`) and how the run decided it. */
export interface ReportAssumption {
  operationId: string | null;
  pointer: string;
  keyword: string;
  reason: string;
  verdict: Verdict;
  /** The deciding case, the status and media type it got; null when untested (and without a Content-Type). */
  case: string | null;
  status: number | null;
  mediaType: string | null;
}

export interface JsonReport {
  summary: {
    total: number;
    passed: number;
    failed: number;
    skipped: number;
    assumptions: Record<Verdict, number>;
  };
  failures: ReportFailure[];
  assumptions: ReportAssumption[];
  strict: boolean;
  /** Per operation: its cases and, per check, how they came out. */
  operations: Record<string, { cases: number; checks: Record<string, CheckTally> }>;
  /** With the cleanup pass: the records it deleted (or found gone) and those it left behind. */
  cleanup?: {
    cleaned: number;
    /** `id` null and `sentWith` its unique values for a create that got no answer in time. */
    leftovers: { operationId: string; id: unknown; reason: string; sentWith?: Record<string, unknown> }[];
  };
  /** The signal that stopped the run before it sent every planned case. */
  interrupted?: string;
  /** The document's webhook operations, which no run tests. */
  webhooks?: number;
  /** Operations no case could be planned for, with the reason. */
  skippedOperations?: { operationId: string; reason: string }[];
  unreached?: string[];
  notSent: number;
  notSentBy: { operationId: string; reason: string; requests: number }[];
}

export interface RunResult {
  /** Exit code; null when the process was killed (see timedOut). */
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  durationMs: number;
  /** Raw text of the JSON report, when one was asked for and written. */
  jsonText?: string;
  report?: JsonReport;
  junit?: string;
  /** The text of the Overlay written with --report-overlay, when one was asked for. */
  overlay?: string;
  /** `exit=1 stderr=...` for assertion messages. */
  describe(): string;
}

export interface RunOptions {
  /**
   * Run the CLI as a child process (`node bin/conformance.js`, the compiled build) instead of calling
   * its `main(argv, io)` in this process. In-process is the default: it is the same code without a
   * process start per run; spawned runs are kept for what only a process shows (exit, signals).
   */
  spawn?: boolean;
  /** Ask for a JSON report (default true). */
  json?: boolean;
  junit?: boolean;
  /** Ask for an Overlay of the refuted assumptions (`--report-overlay`, YAML). */
  overlay?: boolean;
  /** Kill the runner after this long (default 45 s): a hang is a failure, never a stuck suite. */
  killAfterMs?: number;
  /**
   * The time the runner's pace and Retry-After waits read (in-process runs only): a virtual clock
   * shared with the server lets a run honour long Retry-Afters at no real cost.
   */
  clock?: Clock;
}

/**
 * Arguments of every ordinary run: fixed seed, some concurrency, a bounded wait, and every planned
 * case of every operation (8x8's createContact has the most, 129) with no random bodies: what a
 * test expects to be judged is never cut by the budget. Random bodies are the corpus tests' part.
 */
export const COMMON = ['--seed', '7', '--max-cases', '1000', '--no-random', '--concurrency', '4', '--timeout', '30000'];

export const TOKEN = 'test-token-0d5b8f3e';

/**
 * Arguments every run against a server of ours needs: spec, base URL, credentials, seed. A `null`
 * token gives no Authorization header: the runner then makes credentials of its own.
 */
export function targetArgs(
  key: SpecKey,
  server: Pick<RunningServer, 'baseUrl'>,
  token: string | null = TOKEN,
): string[] {
  const args = ['--spec', SPEC_FILES[key], '--base-url', server.baseUrl];
  if (token !== null) args.push('--header', `Authorization: Bearer ${token}`);
  if (key === 'bigchange') args.push('--header', 'Customer-Id: 14532');
  return args;
}

export async function runConformance(args: string[], options: RunOptions = {}): Promise<RunResult> {
  const dir = await mkdtemp(join(tmpdir(), 'conformance-test-'));
  const jsonPath = join(dir, 'report.json');
  const junitPath = join(dir, 'report.xml');
  const overlayPath = join(dir, 'overlay.yaml');
  const fullArgs = [...args];
  if (options.json !== false) fullArgs.push('--report-json', jsonPath);
  if (options.junit) fullArgs.push('--report-junit', junitPath);
  if (options.overlay) fullArgs.push('--report-overlay', overlayPath);
  const started = Date.now();
  try {
    const { code, stdout, stderr, timedOut } = options.spawn
      ? await spawned(fullArgs, options.killAfterMs ?? 45_000)
      : await inProcess(fullArgs, options.killAfterMs ?? 45_000, options.clock);
    const result: RunResult = {
      code,
      stdout,
      stderr,
      timedOut,
      durationMs: Date.now() - started,
      describe: () =>
        `exit=${code}${timedOut ? ' (killed: timed out)' : ''}\n--- stderr ---\n${stderr.slice(0, 3000)}\n--- stdout (tail) ---\n${stdout.slice(-3000)}`,
    };
    if (options.json !== false) {
      const text = await readFile(jsonPath, 'utf8').catch(() => undefined);
      if (text !== undefined) {
        result.jsonText = text;
        result.report = JSON.parse(text) as JsonReport;
      }
    }
    if (options.junit) {
      const xml = await readFile(junitPath, 'utf8').catch(() => undefined);
      if (xml !== undefined) result.junit = xml;
    }
    if (options.overlay) {
      const text = await readFile(overlayPath, 'utf8').catch(() => undefined);
      if (text !== undefined) result.overlay = text;
    }
    return result;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

const RUN_ENV = { CI: 'true', NO_COLOR: '1', FORCE_COLOR: '0' };

async function spawned(args: string[], killAfterMs: number): Promise<Outcome> {
  const child = spawn(process.execPath, ['bin/conformance.js', ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...RUN_ENV },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, killAfterMs);
  const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
  clearTimeout(timer);
  return { code, stdout, stderr, timedOut };
}

async function inProcess(args: string[], killAfterMs: number, clock?: Clock): Promise<Outcome> {
  let stdout = '';
  let stderr = '';
  const run = main(args, {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    isTTY: false,
    env: { ...process.env, ...RUN_ENV },
    ...(clock ? { clock } : {}),
  });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), killAfterMs)));
  const code = await Promise.race([run, timeout]);
  clearTimeout(timer);
  return code === 'timeout'
    ? { code: null, stdout, stderr, timedOut: true }
    : { code, stdout, stderr, timedOut: false };
}

/** The distinct check names of the failures in a report, sorted. */
export function failingChecks(report: JsonReport | undefined): string[] {
  return [...new Set((report?.failures ?? []).map((f) => f.check))].sort();
}

/** The assumptions of a verdict as `{pointer, keyword}`, in report order. */
export function assumptionsWith(
  report: JsonReport | undefined,
  verdict: Verdict,
): { pointer: string; keyword: string }[] {
  return (report?.assumptions ?? [])
    .filter((a) => a.verdict === verdict)
    .map(({ pointer, keyword }) => ({ pointer, keyword }));
}

export const refutedAssumptions = (report: JsonReport | undefined) => assumptionsWith(report, 'refuted');

/** One line per failure, for assertion messages. */
export function summarize(report: JsonReport | undefined): string {
  if (!report) return '(no JSON report)';
  const lines = report.failures
    .slice(0, 25)
    .map((f) => `${f.check} ${f.operationId}: ${String(f.message).split('\n')[0]?.slice(0, 200)}`);
  const decided = report.assumptions
    .filter((a) => a.verdict !== 'confirmed')
    .map((a) => `${a.verdict} ${a.keyword} at ${a.pointer}${a.case ? ` by "${a.case}" (${a.status})` : ''}`);
  return `summary=${JSON.stringify(report.summary)}\n${lines.join('\n')}${report.failures.length > 25 ? `\n... ${report.failures.length - 25} more` : ''}${decided.length > 0 ? `\n${decided.join('\n')}` : ''}`;
}

/** A Node stack frame (`    at fn (file:line:col)`): must never reach a user. */
export const STACK_FRAME = /^\s+at .+(:\d+:\d+\)?|\(native\)|<anonymous>)$/m;

/**
 * A run refused before any request: exit 2 and one `conformance: ` line on stderr matching `reason`,
 * no stack frame, and none of `hidden` (secrets given to it) anywhere in its output.
 */
export function expectRefused(run: RunResult, reason: RegExp, hidden: readonly string[] = []): void {
  expect(run.timedOut, run.describe()).toBe(false);
  expect(run.code, run.describe()).toBe(2);
  const lines = run.stderr.trim().split('\n');
  expect(lines, run.describe()).toHaveLength(1);
  expect(lines[0], run.describe()).toMatch(/^conformance: /);
  expect(lines[0], run.describe()).toMatch(reason);
  expect(run.stderr, run.describe()).not.toMatch(STACK_FRAME);
  for (const text of hidden) expect(run.stderr + run.stdout, `"${text}" is shown`).not.toContain(text);
}

export interface CheckTally {
  passed: number;
  failed: number;
  skipped: number;
}

/**
 * Outcomes per check, read from the JUnit report: a <testcase> is attributed to every check name
 * that appears in its name or classname; no child = passed, <failure> = failed, <skipped> = skipped.
 */
export function junitTally(xml: string, checks: readonly string[]): Map<string, CheckTally> {
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    isArray: (name) => ['testsuite', 'testcase'].includes(name),
  });
  const doc = parser.parse(xml) as { testsuites?: { testsuite?: { testcase?: Record<string, unknown>[] }[] } };
  const tally = new Map<string, CheckTally>(checks.map((c) => [c, { passed: 0, failed: 0, skipped: 0 }]));
  for (const suite of doc.testsuites?.testsuite ?? []) {
    for (const testcase of suite.testcase ?? []) {
      const label = `${String(testcase['@_name'] ?? '')} ${String(testcase['@_classname'] ?? '')}`;
      const outcome: keyof CheckTally = 'failure' in testcase ? 'failed' : 'skipped' in testcase ? 'skipped' : 'passed';
      for (const check of checks) {
        if (new RegExp(`\\b${check}\\b`).test(label)) tally.get(check)![outcome] += 1;
      }
    }
  }
  return tally;
}

export interface JunitCase {
  suite: string;
  name: string;
  outcome: keyof CheckTally;
  /** The message of its <failure> or <skipped>. */
  message?: string;
}

/** The last reports parsed: several assertions read the same run's JUnit, each parse is costly. */
const parsedJunit = new Map<string, readonly JunitCase[]>();

/** Every <testcase> of a JUnit report, with its suite and outcome. */
export function junitCases(xml: string): JunitCase[] {
  let cases = parsedJunit.get(xml);
  if (!cases) {
    cases = parseJunit(xml);
    if (parsedJunit.size >= 16) parsedJunit.delete(parsedJunit.keys().next().value!);
    parsedJunit.set(xml, cases);
  }
  return cases.map((testcase) => ({ ...testcase }));
}

function parseJunit(xml: string): JunitCase[] {
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    isArray: (name) => ['testsuite', 'testcase'].includes(name),
  });
  type Outcome = { '@_message'?: string } | string;
  const doc = parser.parse(xml) as {
    testsuites?: {
      testsuite?: {
        '@_name'?: string;
        testcase?: { '@_name'?: string; failure?: Outcome; skipped?: Outcome }[];
      }[];
    };
  };
  const messageOf = (outcome: Outcome | undefined): string | undefined =>
    typeof outcome === 'object' ? outcome['@_message'] : undefined;
  return (doc.testsuites?.testsuite ?? []).flatMap((suite) =>
    (suite.testcase ?? []).map((testcase): JunitCase => {
      const outcome: keyof CheckTally = 'failure' in testcase ? 'failed' : 'skipped' in testcase ? 'skipped' : 'passed';
      const message = messageOf(testcase.failure ?? testcase.skipped);
      return {
        suite: String(suite['@_name'] ?? ''),
        name: String(testcase['@_name'] ?? ''),
        outcome,
        ...(message !== undefined ? { message } : {}),
      };
    }),
  );
}

/**
 * At most `limit` tasks at a time. Test files start all their runner processes up front through a
 * pool (vitest runs the files one after another on a small machine, and its per-file concurrency
 * leaves cores idle while processes start); each test then awaits its own run.
 */
export function pool(limit: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    while (active >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    active += 1;
    try {
      return await task();
    } finally {
      active -= 1;
      waiting.shift()?.();
    }
  };
}

/** Starts a task now; the returned promise is awaited later by a test (no unhandled rejection meanwhile). */
export function eager<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

/**
 * The run's verdict is exactly `failures` (`check operationId`): none, an exit 0 and nothing failed;
 * else an exit 1 and those failures alone, each server fault flagged by the check meant for it.
 */
export function expectFailures(run: RunResult, failures: readonly string[]): void {
  if (failures.length === 0) {
    expect(run.code, `${run.describe()}\n${summarize(run.report)}`).toBe(0);
    return;
  }
  expect(run.code, run.describe()).toBe(1);
  expect(new Set(run.report?.failures.map((f) => `${f.check} ${f.operationId}`))).toEqual(new Set(failures));
}
