/**
 * Runs the conformance CLI against one hostile server the way a user does: `main(argv, io)` in this
 * process, or `node bin/conformance.js` (the build) with a kill timeout, always with Basic
 * credentials and an API key to leak, and both reports asked for in a temporary directory. What it
 * returns is everything a user could see: exit code, stdout, stderr and the report files.
 */
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { XMLParser } from 'fast-xml-parser';
import { expect } from 'vitest';
import { main } from '../../conformance/cli.js';
import { runCli } from './cli-process.js';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const SPEC = 'tests/hostile/fixtures/hostile.yaml';

export const USER = 'hostile-user';
export const PASSWORD = 'Pa55-w0rd_e7c1';
export const CREDENTIAL = Buffer.from(`${USER}:${PASSWORD}`).toString('base64');
export const API_KEY = 'key-5f0c9a2b7d31';
/** What a run is given and no output may show: both header values and what the Basic one decodes to. */
export const SECRETS = [`Basic ${CREDENTIAL}`, CREDENTIAL, `${USER}:${PASSWORD}`, PASSWORD, API_KEY] as const;

export interface ReportFailure {
  operationId: string;
  check: string;
  case: string;
  message: string;
  expected?: string;
  actual?: string;
  errors?: string[];
  response: { status: number | null; headers: Record<string, string>; body: unknown };
}

export interface JsonReport {
  summary: { total: number; passed: number; failed: number; skipped: number };
  failures: ReportFailure[];
}

export interface HostileRun {
  /** null when the run was killed. */
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  jsonText?: string;
  junitText?: string;
  json?: JsonReport;
  /** For assertion messages. */
  context: string;
}

export interface HostileOptions {
  /** Arguments after the usual ones (a later --timeout wins). */
  args?: string[];
  /** Through `node bin/conformance.js` rather than in this process. */
  spawn?: boolean;
  /** Where the reports go; by default two files in a fresh temporary directory. */
  reportJson?: string;
  reportJunit?: string;
  /** Kill (or abandon) the run after this long: a hang fails the test, it never stalls the suite. */
  killAfterMs?: number;
}

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

const ENV = { CI: 'true', NO_COLOR: '1', FORCE_COLOR: '0' };

async function inProcess(args: string[], killAfterMs: number): Promise<Outcome> {
  let stdout = '';
  let stderr = '';
  let timer: NodeJS.Timeout | undefined;
  const killed = new Promise<'killed'>((resolve) => (timer = setTimeout(() => resolve('killed'), killAfterMs)));
  const code = await Promise.race([
    main(args, { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text), isTTY: false, env: ENV }),
    killed,
  ]);
  clearTimeout(timer);
  return code === 'killed' ? { code: null, stdout, stderr, timedOut: true } : { code, stdout, stderr, timedOut: false };
}

/** A report's text when it is a file (never read from a device such as /dev/full: it never ends). */
async function readReport(file: string): Promise<string | undefined> {
  const found = await stat(file).catch(() => undefined);
  return found?.isFile() ? readFile(file, 'utf8') : undefined;
}

export async function runAgainst(baseUrl: string, options: HostileOptions = {}): Promise<HostileRun> {
  const dir = await mkdtemp(join(tmpdir(), 'hostile-'));
  const reportJson = options.reportJson ?? join(dir, 'report.json');
  const reportJunit = options.reportJunit ?? join(dir, 'report.xml');
  const args = [
    '--spec',
    SPEC,
    '--base-url',
    baseUrl,
    '--header',
    `Authorization: Basic ${CREDENTIAL}`,
    '--header',
    `X-Api-Key: ${API_KEY}`,
    '--seed',
    '1',
    '--concurrency',
    '3',
    // Far beyond what any answer here needs on a loaded machine; the stalling servers get a short one.
    '--timeout',
    '20000',
    '--report-json',
    reportJson,
    '--report-junit',
    reportJunit,
    ...(options.args ?? []),
  ];
  try {
    const killAfterMs = options.killAfterMs ?? 45_000;
    const outcome = options.spawn
      ? await runCli('conformance', args, REPO_ROOT, killAfterMs)
      : await inProcess(args, killAfterMs);
    const jsonText = await readReport(reportJson);
    const junitText = await readReport(reportJunit);
    let json: JsonReport | undefined;
    try {
      json = jsonText === undefined ? undefined : (JSON.parse(jsonText) as JsonReport);
    } catch {
      // Left undefined: expectReports says the file is not JSON.
    }
    const failures = (json?.failures ?? []).map((f) => `${f.check}: ${f.message} | ${f.actual ?? ''}`.slice(0, 300));
    return {
      ...outcome,
      ...(jsonText !== undefined ? { jsonText } : {}),
      ...(junitText !== undefined ? { junitText } : {}),
      ...(json ? { json } : {}),
      context: [
        `exit=${outcome.code}${outcome.timedOut ? ' (killed)' : ''}`,
        `--- stderr ---\n${outcome.stderr.slice(0, 2000)}`,
        `--- stdout ---\n${outcome.stdout.slice(-3000)}`,
        `--- failures ---\n${failures.join('\n')}`,
      ].join('\n'),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Both reports written and readable: the JSON parses, the JUnit XML parses with one `testsuites` root. */
export function expectReports(run: HostileRun): JsonReport {
  expect(run.jsonText, run.context).toBeDefined();
  expect(run.json, `the JSON report is not JSON\n${run.context}`).toBeDefined();
  expect(run.junitText, run.context).toBeDefined();
  const junit = new XMLParser({ ignoreAttributes: false }).parse(run.junitText!) as { testsuites?: unknown };
  expect(junit.testsuites, run.context).toBeDefined();
  return run.json!;
}

/** The forms a secret takes in an output: as is, escaped in JSON, in XML or in a JSON pointer; in any case. */
function shapesOf(secret: string): string[] {
  const xml = secret.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  const pointer = secret.replace(/~/g, '~0').replace(/\//g, '~1');
  return [...new Set([secret, JSON.stringify(secret).slice(1, -1), xml, pointer].map((s) => s.toLowerCase()))];
}

/** Nothing the run was given as a secret shows in stdout, stderr or either report. */
export function expectNoSecret(run: HostileRun, secrets: readonly string[] = SECRETS): void {
  const outputs = { stdout: run.stdout, stderr: run.stderr, json: run.jsonText ?? '', junit: run.junitText ?? '' };
  for (const [where, text] of Object.entries(outputs)) {
    const lower = text.toLowerCase();
    for (const secret of secrets) {
      for (const shape of shapesOf(secret))
        expect(lower.includes(shape), `${shape} in ${where}\n${run.context}`).toBe(false);
    }
  }
}

/** Terminal output carries no control character but the newline, and no stack frame. */
export function expectCleanTerminal(run: HostileRun): void {
  for (const [where, text] of Object.entries({ stdout: run.stdout, stderr: run.stderr })) {
    const control = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/.exec(
      text,
    );
    expect(control, `raw control character in ${where} at ${control?.index}\n${run.context}`).toBeNull();
    expect(text, `stack frame in ${where}`).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  }
}

/**
 * A run that ended on a fault of the server: exit 1, both reports, and every failure is
 * `not_a_server_error` of the three cases, worded as given.
 */
export function expectServerFault(run: HostileRun, message: string, actual: RegExp): JsonReport {
  expect(run.timedOut, run.context).toBe(false);
  expect(run.code, run.context).toBe(1);
  const report = expectReports(run);
  expect(report.failures.length, run.context).toBe(3);
  for (const failure of report.failures) {
    expect(failure.check, run.context).toBe('not_a_server_error');
    expect(failure.message, run.context).toBe(message);
    expect(failure.actual, run.context).toMatch(actual);
  }
  expect(run.stdout, run.context).toContain(message);
  expect(run.stdout, run.context).toMatch(/FAILED · \d+ checks/);
  expect(run.stderr, run.context).toBe('');
  expectNoSecret(run);
  expectCleanTerminal(run);
  return report;
}

/** A run refused before any request: exit 2, exactly one line on stderr, nothing on stdout, no report. */
export function expectRefusedUpFront(run: HostileRun, line: RegExp): void {
  expect(run.timedOut, run.context).toBe(false);
  expect(run.code, run.context).toBe(2);
  expect(run.stdout, run.context).toBe('');
  expect(run.stderr.split('\n'), run.context).toEqual([expect.stringMatching(line), '']);
  expect(run.jsonText, run.context).toBeUndefined();
  expect(run.junitText, run.context).toBeUndefined();
  expectNoSecret(run);
  expectCleanTerminal(run);
}
