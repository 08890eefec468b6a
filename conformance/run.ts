/**
 * One run, start to end: load the spec and compile validators once, plan the cases, send them, check
 * every response and write the reports. Configuration problems throw ConfigError (exit 2); the
 * run's own outcome is the exit code 0 (no violation) or 1. `runMany` does the same for several
 * APIs in one process, with one summary and one file per report.
 */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, mkdir, open, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Rate } from '../lib/extensions.js';
import { isObject } from '../lib/json.js';
import { credentialNames } from '../lib/security.js';
import type { Spec } from '../lib/spec.js';
import type { ValidatorCache } from '../lib/validator.js';
import { coerceText, roundTrip } from '../lib/wire.js';
import { madeCredentialValues } from './cases/credentials.js';
import { type Plan, planCases } from './cases/plan.js';
import { buildRequest, type GivenCredentials, wireHeaders } from './cases/wire.js';
import { evaluate } from './checks/evaluate.js';
import { CHECK_NAMES, type CheckDefinition, isJudged, selectChecks } from './checks/registry.js';
import type { Clock } from './clock.js';
import { DEFAULTS, MAX_CASES_LIMIT } from './defaults.js';
import { asConfigError, ConfigError } from './errors.js';
import { type Execution, execute, NO_DELETE, UNIDENTIFIED_CREATE } from './execute.js';
import { DEFAULT_MAX_BODY_BYTES, HttpClient } from './http/client.js';
import { Pacer } from './http/pacer.js';
import { isLoopback, preflight } from './http/preflight.js';
import { headerValueProblem } from './options.js';
import {
  addConfiguredQuery,
  checkGivenCredentials,
  checkOverrides,
  defaultOrigin,
  type OperationOverride,
  type Origin,
  preferGivenSecurity,
  withExpectedStatuses,
} from './overrides.js';
import { maskedUrl, Redactor } from './redact.js';
import { bodyText, buildReport, type Report } from './report.js';
import { type PlannedLine, renderDryRun } from './reporters/dry-run.js';
import { renderHar } from './reporters/har.js';
import { renderHtml } from './reporters/html.js';
import { renderJson, renderJsonMany } from './reporters/json.js';
import { renderJunit, renderJunitMany } from './reporters/junit.js';
import { renderOverlay } from './reporters/overlay.js';
import { failedChecks, type ProgressReporter, silentProgress } from './reporters/progress.js';
import { PLAIN, type Style } from './reporters/style.js';
import { type ApiOutcome, leftBehindLines, renderSummaries, renderSummary } from './reporters/summary.js';
import { loadForRun } from './specs.js';
import type { CaseResult, LeftBehind, Scenario, TestCase } from './types.js';

export interface RunOptions {
  spec: string;
  /** Where the API is served; paths from the spec are appended to it. Optional only for a dry run. */
  baseUrl?: string;
  /** --header pairs: sent on every request, win over generated values except in header/credential cases. */
  headers?: [string, string][];
  /**
   * The values of the spec's API keys sent in the query, by parameter name (--query-credential): sent
   * instead of the run's made-up key wherever a case carries it, masked in every output.
   */
  queryCredentials?: Record<string, string>;
  /** The same for API keys sent in a cookie, by cookie name (--cookie-credential). */
  cookieCredentials?: Record<string, string>;
  seed?: number;
  checks?: string[];
  excludeChecks?: string[];
  operations?: string[];
  /** Requests per operation, everything counted (see PlanOptions.maxCases); 1 to MAX_CASES_LIMIT. */
  maxCases?: number;
  /** Random bodies fill each operation's budget (the default); false sends only the planned cases. */
  random?: boolean;
  concurrency?: number;
  timeoutMs?: number;
  /** undefined: the spec's x-rate-limit for non-loopback targets, none on loopback. */
  rateLimit?: Rate | 'none';
  dryRun?: boolean;
  live?: boolean;
  reportJson?: string;
  reportJunit?: string;
  reportHtml?: string;
  reportHar?: string;
  /** Every exchange, redacted, in the report's `exchanges` (default: when an HTML or HAR report is written). */
  recordExchanges?: boolean;
  /** An OpenAPI Overlay that removes the refuted assumptions from the spec. */
  reportOverlay?: string;
  /** Inferred rules count as documented: a refuted assumption is a failure. */
  strict?: boolean;
  /**
   * Delete every record the run created once it is done (default: for a non-loopback target);
   * what the spec cannot delete is reported as left over.
   */
  cleanup?: boolean;
  /** Longest total wait on Retry-After for throttled answers, in milliseconds. */
  throttleWaitMs?: number;
  /** Values for path and query parameters by name, wherever the spec would use its example. */
  parameters?: Record<string, unknown>;
  /** Per operationId: leave it out, the statuses its cases must get, its own parameter values. */
  operationOverrides?: Record<string, OperationOverride>;
  /** Names where `parameters`, `operationOverrides` and the credentials came from, in error messages. */
  origin?: Origin;
  progress?: ProgressReporter;
  /** Where the summary (or the dry-run listing) goes; nothing is printed when omitted. */
  write?: (text: string) => void;
  /** Colour of the summary; plain when omitted. */
  style?: Style;
  maxBodyBytes?: number;
  /** What the pacer and the throttle waits read (default: the system's); tests pass one they control. */
  clock?: Clock;
  /**
   * Aborted to stop the run (a signal): no planned case is sent after it, the cleanup still runs
   * (bounded), and the summary and reports are marked with its reason (the signal's name).
   */
  signal?: AbortSignal;
}

export interface RunResult {
  exitCode: 0 | 1;
  /** Why the run stopped before sending every planned case (the signal's name), when it did. */
  interrupted?: string;
  seed: number;
  /** Absent for a dry run. */
  report?: Report;
  results: CaseResult[];
  plan: Plan;
}

function targetUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`--base-url "${maskedUrl(raw)}" is not a URL (expected e.g. http://127.0.0.1:4010)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new ConfigError(`--base-url must be http or https, got ${url.protocol}`);
  // Never echo the URL here: it holds a secret.
  if (url.username !== '' || url.password !== '')
    throw new ConfigError(
      '--base-url must not carry credentials (user:password@); put credentials in --header, e.g. --header "Authorization: Basic ..."',
    );
  if (url.search !== '' || url.hash !== '' || /[?#]/.test(raw)) {
    throw new ConfigError(
      `--base-url must not have a query or fragment (the spec's paths are appended to it; an API key sent in the query goes in --query-credential), got "${maskedUrl(raw)}"`,
    );
  }
  return url;
}

/** What a failed write means to the person who chose the path. */
const WRITE_ERRORS: Record<string, string> = {
  ENOENT: 'no such directory, and it cannot be created there',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'it is a directory',
  ENOTDIR: 'a part of the path is a file, not a directory',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
};

const reportError = (file: string, error: unknown): ConfigError => {
  const code = (error as NodeJS.ErrnoException).code;
  const meaning = code !== undefined ? WRITE_ERRORS[code] : undefined;
  return new ConfigError(
    `cannot write report ${file}: ${meaning !== undefined ? `${meaning} (${code})` : (code ?? String(error))}`,
  );
};

/**
 * Creates the missing parent directories of a report, walking down from the first existing
 * ancestor with one non-recursive mkdir each (Node's recursive mkdir loops forever under /proc),
 * then checks the file can be written: any problem is an immediate exit 2, before a request is sent.
 */
async function prepareReport(file: string): Promise<void> {
  try {
    const missing: string[] = [];
    let dir = dirname(resolve(file));
    for (;;) {
      const found = await stat(dir).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return undefined;
        throw error;
      });
      if (found) {
        if (!found.isDirectory()) throw Object.assign(new Error(`${dir} is not a directory`), { code: 'ENOTDIR' });
        break;
      }
      missing.unshift(dir);
      const parent = dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
    for (const each of missing) await mkdir(each);
    await access(dirname(resolve(file)), constants.W_OK);
    const existing = await stat(file).catch(() => undefined);
    if (existing?.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    // Permissions say little about special file systems (/proc, /sys): opening the file for writing
    // is the only proof. A file made by the probe is removed; the report replaces it at the end.
    const handle = await open(file, 'a');
    await handle.close();
    if (!existing) await unlink(file);
  } catch (error) {
    throw reportError(file, error);
  }
}

async function writeReport(file: string, content: string): Promise<void> {
  try {
    await writeFile(file, content);
  } catch (error) {
    throw reportError(file, error);
  }
}

/**
 * A --header value for a header parameter the spec documents must satisfy its schema: otherwise
 * every case would carry it and the server would be blamed for answering it with a 4xx.
 */
function checkGivenHeaders(
  spec: Spec,
  validators: ValidatorCache,
  headers: readonly (readonly [string, string])[],
  redactor: Redactor,
): void {
  for (const [name, value] of headers) {
    // The command line and config files check this already; code calling run() gets the same answer.
    const problem = headerValueProblem(value);
    if (problem) throw new ConfigError(`--header ${name} ${problem}`);
    const parameter = spec.operations
      .flatMap((op) => op.parameters)
      .find((p) => p.in === 'header' && p.name.toLowerCase() === name.toLowerCase());
    if (!parameter?.schema) continue;
    const validate = validators.get(parameter.schema);
    if (validate(coerceText(value, parameter.schema))) continue;
    const reason = validate.errors
      .map((e) => `${e.instancePath ? `${e.instancePath} ` : ''}${e.message ?? 'invalid'}`)
      .join(', ');
    // The value of a secret header is masked here as everywhere else, whatever its length.
    const shown = redactor.headers({ [name]: value })[name] ?? '***';
    throw new ConfigError(`--header ${parameter.name}: '${shown}' does not match the spec (${reason})`);
  }
}

/** A run checked and planned, nothing sent yet. */
interface Prepared {
  options: RunOptions;
  spec: Spec;
  checks: CheckDefinition[];
  plan: Plan;
  url: URL;
  loopback: boolean;
  baseUrl: string;
  seed: number;
  nonce: string;
  headers: [string, string][];
  credentials: GivenCredentials;
  redactor: Redactor;
  validators: ValidatorCache;
  /** Reports of this API alone (the overlay; in a single run every report). */
  reports: string[];
  /** On a target holding others' records, the records the run will leave there (foreseenLeftovers). */
  leftBehind: LeftBehind[];
}

/** What a run sent and what its answers say. */
interface Sent {
  report: Report;
  results: CaseResult[];
  elapsedMs: number;
  /** Requests that went out (cases not sent, for want of a record or a step, are not counted). */
  requests: number;
  /** What stopped the run before it finished, if anything: it is raised once the reports are out. */
  interrupted?: unknown;
}

function distinctReports(files: readonly (string | undefined)[]): string[] {
  const reports = files.filter((file): file is string => file !== undefined);
  const same = reports.find((file, i) => reports.findIndex((other) => resolve(other) === resolve(file)) !== i);
  if (same !== undefined) throw new ConfigError(`${same} is given for two reports; each report needs its own file`);
  return reports;
}

/**
 * Everything that can be refused is refused here, before a request is sent. With `among` (the
 * --operation ids of a run of several APIs), the API runs those of them its spec has, and
 * undefined is returned when it has none.
 */
async function prepare(
  options: RunOptions,
  reports: string[],
  stages: { beforePlanning(url: URL): Promise<void> },
): Promise<Prepared>;
async function prepare(
  options: RunOptions,
  reports: string[],
  stages: { among?: readonly string[] },
): Promise<Prepared | undefined>;
async function prepare(options: RunOptions, reports: string[], stages: Stages): Promise<Prepared | undefined> {
  try {
    return await planRun(options, reports, stages);
  } catch (error) {
    throw asConfigError(error);
  }
}

interface Stages {
  /** Only these operations (the --operation ids of a run of several APIs): none of them, no run. */
  among?: readonly string[];
  /** Called with the target once the spec is read and the target allowed, before planning (not for a dry run). */
  beforePlanning?(url: URL): Promise<void>;
}

async function planRun(
  options: RunOptions,
  reports: string[],
  { among, beforePlanning }: Stages,
): Promise<Prepared | undefined> {
  const overrides = options.operationOverrides ?? {};
  const checks = withExpectedStatuses(selectChecks(options.checks, options.excludeChecks), overrides);
  if (checks.length === 0) throw new ConfigError(`no check left to run; valid checks: ${CHECK_NAMES.join(', ')}`);
  const maxCases = options.maxCases ?? DEFAULTS.maxCases;
  if (!Number.isInteger(maxCases) || maxCases < 1 || maxCases > MAX_CASES_LIMIT)
    throw new ConfigError(`maxCases must be an integer from 1 to ${MAX_CASES_LIMIT}, got ${maxCases}`);
  const loaded = await loadForRun(options.spec);
  const known = loaded.spec.operations.map((op) => op.operationId);
  if (among) {
    const mine = among.filter((id) => known.includes(id));
    if (mine.length === 0) return undefined;
    options = { ...options, operations: mine };
  }
  for (const id of options.operations ?? []) {
    if (!known.includes(id)) {
      throw new ConfigError(`unknown operation "${id}" in ${options.spec}; operations: ${known.join(', ')}`);
    }
  }
  const { validators } = loaded;
  const { spec: configured, optionalQuery } = checkOverrides(
    loaded.spec,
    validators,
    options.parameters ?? {},
    overrides,
    options.origin ?? defaultOrigin,
  );
  const credentials = checkGivenCredentials(
    configured,
    { query: options.queryCredentials, cookies: options.cookieCredentials },
    options.origin ?? defaultOrigin,
  );
  const spec = preferGivenSecurity(configured, {
    headers: (options.headers ?? []).map(([name]) => name),
    query: Object.keys(credentials.query),
    cookies: Object.keys(credentials.cookies),
  });
  const skipped = new Set(Object.keys(overrides).filter((id) => overrides[id]?.skip));
  const wanted = options.operations?.length ? options.operations : known;
  const operations = wanted.filter((id) => !skipped.has(id));
  if (known.length === 0) {
    // 3.1 lets a document describe webhooks alone: calls the API makes, which a run cannot send.
    const only = isObject(spec.source.webhooks) ? ' (only webhooks, which the runner does not test)' : '';
    throw new ConfigError(`${options.spec} describes no operation${only}: nothing to run`);
  }
  if (operations.length === 0) throw new ConfigError(`every operation of ${options.spec} is skipped: nothing to run`);
  // A dry run needs no target: a spec without servers (or with a relative one) prints its paths on localhost.
  const url = targetUrl(options.baseUrl ?? (options.dryRun ? new URL(spec.serverUrl, 'http://localhost').href : ''));
  const loopback = isLoopback(url);
  if (!loopback && !options.live && !options.dryRun) {
    throw new ConfigError(
      `${url.origin} is not a loopback address; a run creates records there, so pass --live to confirm (requests are paced by the spec's rate limit)`,
    );
  }
  const baseUrl = url.href.replace(/\/+$/, '');
  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
  const nonce = randomBytes(6).toString('hex');
  const headers = options.headers ?? [];
  const redactor = new Redactor(
    headers,
    credentialNames(spec.securitySchemes.values()),
    madeCredentialValues(spec.operations, nonce),
    [...Object.values(credentials.query), ...Object.values(credentials.cookies)],
  );
  checkGivenHeaders(spec, validators, headers, redactor);
  if (!options.dryRun) await beforePlanning?.(url);
  const plan = planCases(spec, validators, {
    seed,
    nonce,
    maxCases,
    random: options.random !== false,
    // Every operation but the skipped ones is the same plan as all of them: the planner's "all" is kept.
    operations: operations.length === known.length ? [] : operations,
    rateLimit: checks.some((c) => c.name === 'rate_limit'),
    judged: (draft) => isJudged(checks, draft),
    othersRecords: options.live === true || !loopback,
  });
  if (skipped.size > 0) {
    // A sequence that would exercise a skipped operation (a record's life, a link) is left out whole:
    // its steps depend on one another. Records other operations need are still made by setup requests.
    const touches = (scenario: Scenario): boolean =>
      scenario.steps.some((step) => skipped.has(step.operation.operationId));
    plan.scenarios = plan.scenarios.filter((scenario) => !touches(scenario));
    if (plan.burst && touches(plan.burst)) delete plan.burst;
  }
  addConfiguredQuery(allCases(plan), optionalQuery);
  // A run that sends nothing would pass without having judged anything: the reason is the answer.
  if (allCases(plan).length === 0) {
    const [first, ...others] = plan.skipped;
    const more = others.length > 0 ? ` (and ${others.length} more operations)` : '';
    const why = first ? `: ${first.operationId} cannot be tested: ${first.reason}${more}` : '';
    throw new ConfigError(`nothing to run in ${options.spec}${why}`);
  }
  return {
    options,
    spec,
    checks,
    plan,
    leftBehind: options.live === true || !loopback ? foreseenLeftovers(plan) : [],
    url,
    loopback,
    baseUrl,
    seed,
    nonce,
    headers,
    credentials,
    redactor,
    validators,
    reports,
  };
}

/**
 * Per create whose records no operation deletes (the cleanup has no delete for its collection), or
 * whose answer gives no id the cleanup could delete by, the records its planned valid requests make:
 * each stays on the target. A request held back makes none; an invalid one, or a duplicate or a
 * merge, is expected to make none either.
 */
function foreseenLeftovers(plan: Plan): LeftBehind[] {
  const reasons = new Map<string, string>([
    ...plan.cleanup.filter((c) => !c.remove).flatMap((c) => c.creates.map((x) => [x.operationId, NO_DELETE] as const)),
    ...plan.unidentified.map((id) => [id, UNIDENTIFIED_CREATE] as const),
  ]);
  const records = new Map<string, number>();
  for (const testCase of allCases(plan)) {
    const id = testCase.operation.operationId;
    if (!reasons.has(id) || testCase.kind !== 'positive' || testCase.request.othersRecord !== undefined) continue;
    records.set(id, (records.get(id) ?? 0) + 1);
  }
  return [...records].map(([operationId, count]) => ({
    operationId,
    records: count,
    reason: reasons.get(operationId)!,
    noRandom: plan.noRandom.includes(operationId),
  }));
}

/** The forecast said at the start of a run (for a run of several, each line names its API). */
function leftBehindText(leftBehind: readonly LeftBehind[], name?: string): string {
  return leftBehindLines(leftBehind)
    .map((line) => `${name === undefined ? '' : `${name}: `}${line}\n`)
    .join('');
}

async function probe(url: URL, options: RunOptions): Promise<void> {
  try {
    await preflight(url, options.timeoutMs ?? DEFAULTS.timeoutMs);
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
}

function plannedCounts(plan: Plan, key: (operationId: string) => string): Map<string, number> {
  const planned = new Map<string, number>();
  for (const testCase of allCases(plan)) {
    const id = key(testCase.operation.operationId);
    planned.set(id, (planned.get(id) ?? 0) + 1);
  }
  return planned;
}

/** Sends the plan and judges every answer; never throws, so what was sent is always reported. */
async function send(
  prepared: Prepared,
  progress: ProgressReporter,
  key: (operationId: string) => string,
  recordExchanges: boolean,
): Promise<Sent> {
  const { options, spec, plan, loopback, redactor } = prepared;
  const limit =
    options.rateLimit === 'none'
      ? undefined
      : (options.rateLimit ??
        (!loopback && spec.rateLimit ? { limit: spec.rateLimit.limit, period: spec.rateLimit.period } : undefined));
  const concurrency = options.concurrency ?? DEFAULTS.concurrency;
  const client = new HttpClient({
    timeoutMs: options.timeoutMs ?? DEFAULTS.timeoutMs,
    maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    connections: concurrency,
  });
  const evaluation = {
    spec,
    validators: prepared.validators,
    checks: prepared.checks,
    strict: options.strict === true,
  };
  const results: CaseResult[] = [];
  const started = performance.now();
  let interrupted: unknown;
  let execution: Execution | undefined;
  // A live target keeps what a run creates: remove it unless told not to. On loopback (a mock, a
  // server under test) only when asked, and --live asks: a team's own server on localhost is live too.
  const cleanup = options.cleanup ?? (options.live === true || !loopback);
  try {
    execution = await execute(plan, {
      spec,
      baseUrl: prepared.baseUrl,
      userHeaders: prepared.headers,
      credentials: prepared.credentials,
      client,
      pacer: new Pacer(limit, options.clock),
      ...(options.clock ? { clock: options.clock } : {}),
      concurrency,
      runNonce: prepared.nonce,
      throttleWaitMs: options.throttleWaitMs ?? DEFAULTS.throttleWaitMs,
      cleanup,
      // A run that is to leave the target as it found it touches no record it did not make.
      keepFound: cleanup || options.live === true || !loopback,
      ...(options.signal ? { signal: options.signal } : {}),
      fits: (parameter, value) => {
        // What the server reads once the value is written in the parameter's style (an id in a list
        // filter too), under the vendor's rules: an id breaking only an inferred one is still sent.
        const read = roundTrip(parameter, value);
        const rules = options.strict === true ? 'all' : 'documented';
        return read.present && prepared.validators.get(parameter.schema, rules)(read.value);
      },
      onExchange: (exchange) => {
        const result = evaluate(exchange, evaluation);
        results[exchange.testCase.seq] = result;
        progress.tick(key(exchange.testCase.operation.operationId), failedChecks(result));
      },
    });
  } catch (error) {
    // Whatever went wrong, what was sent is still reported and the verdict still printed.
    interrupted = error;
  } finally {
    await client.close();
  }
  const elapsedMs = performance.now() - started;
  const answered = results.filter((r) => r !== undefined);
  const report = buildReport(
    answered,
    {
      spec,
      specFile: options.spec,
      baseUrl: prepared.baseUrl,
      seed: prepared.seed,
      strict: options.strict === true,
      skippedOperations: plan.skipped,
      overBudget: plan.overBudget,
      cleanup: cleanup ? { cleaned: execution?.cleaned ?? 0, leftovers: execution?.leftovers ?? [] } : undefined,
      recordExchanges,
      ...(options.signal?.aborted ? { interrupted: String(options.signal.reason ?? 'abort') } : {}),
    },
    redactor,
  );
  return {
    report,
    results: answered,
    elapsedMs,
    requests: answered.filter((r) => !r.exchange.notSent).length,
    ...(interrupted !== undefined ? { interrupted } : {}),
  };
}

/**
 * Writes each report that was asked for; one that cannot be written (a full disk) costs neither
 * the others nor the summary and verdict: its error is returned, to be raised last.
 */
async function writeReports(writes: readonly [string | undefined, () => string][]): Promise<unknown> {
  let unwritten: unknown;
  for (const [file, render] of writes) {
    if (file === undefined) continue;
    try {
      await writeReport(file, render());
    } catch (error) {
      unwritten ??= error;
    }
  }
  return unwritten;
}

const overlayWrite = (prepared: Prepared, report: Report): [string | undefined, () => string] => {
  const file = prepared.options.reportOverlay;
  return [file, () => renderOverlay(report, prepared.spec, /\.json$/i.test(file ?? '') ? 'json' : 'yaml')];
};

export async function run(options: RunOptions): Promise<RunResult> {
  const reports = distinctReports([
    options.reportJson,
    options.reportJunit,
    options.reportOverlay,
    options.reportHtml,
    options.reportHar,
  ]);
  // An unreachable target is said once the spec is read, before planning (minutes for a large one).
  const prepared = await prepare(options, reports, { beforePlanning: (url) => probe(url, options) });
  const { plan, seed } = prepared;
  if (options.dryRun) {
    options.write?.(
      renderDryRun(plannedLines(plan, prepared, prepared.redactor), plan.overBudget, prepared.leftBehind),
    );
    return { exitCode: 0, seed, results: [], plan };
  }
  // Said before anything is sent: what no operation deletes stays on the target whatever the run finds.
  if (prepared.leftBehind.length > 0) options.write?.(leftBehindText(prepared.leftBehind));
  for (const file of reports) await prepareReport(file);
  const progress = options.progress ?? silentProgress;
  progress.start(plannedCounts(plan, (id) => id));
  let sent: Sent;
  try {
    sent = await send(
      prepared,
      progress,
      (id) => id,
      options.recordExchanges ?? Boolean(options.reportHtml || options.reportHar),
    );
  } finally {
    progress.stop();
  }
  const { report, elapsedMs } = sent;
  const unwritten = await writeReports([
    [options.reportJson, () => renderJson(report)],
    [options.reportJunit, () => renderJunit(report)],
    [options.reportHtml, () => renderHtml([report], { specs: [prepared.spec], elapsedMs: [elapsedMs] })],
    [options.reportHar, () => renderHar([report])],
    overlayWrite(prepared, report),
  ]);
  options.write?.(renderSummary(report, elapsedMs, sent.requests, { style: options.style ?? PLAIN }));
  if (sent.interrupted !== undefined) throw asConfigError(sent.interrupted);
  if (unwritten !== undefined) throw unwritten;
  return {
    exitCode: report.summary.failed > 0 ? 1 : 0,
    seed,
    report,
    results: sent.results,
    plan,
    ...(report.interrupted !== undefined ? { interrupted: report.interrupted } : {}),
  };
}

/** One API of a run of several: its name (unique in the run) and its options, without the shared reports. */
export interface ApiRun {
  name: string;
  options: Omit<RunOptions, 'reportJson' | 'reportJunit' | 'reportHtml' | 'reportHar' | 'progress' | 'write'>;
}

export interface RunManyOptions {
  apis: ApiRun[];
  /** One file each for every API of the run. */
  reportJson?: string;
  reportJunit?: string;
  reportHtml?: string;
  reportHar?: string;
  /** Only these operations: each API runs those of them its spec has; an API with none sits out. */
  operations?: string[];
  dryRun?: boolean;
  /** Awaited once every API is planned, before the first request: lets a target start meanwhile. */
  ready?: Promise<unknown>;
  progress?: ProgressReporter;
  write?: (text: string) => void;
  style?: Style;
  /** As RunOptions.signal, for every API of the run. */
  signal?: AbortSignal;
  /** As RunOptions.clock, for every API of the run. */
  clock?: Clock;
}

export interface ApiResult {
  name: string;
  spec: string;
  /** Absent when the API could not run (see error) or for a dry run. */
  result?: RunResult;
  /** Why the API could not run (its target unreachable), or what stopped it part way. */
  error?: string;
}

export interface RunManyResult {
  /** The worst of the APIs': 2 when one could not run, else 1 when one has a violation, else 0. */
  exitCode: 0 | 1 | 2;
  apis: ApiResult[];
  /** Why the run stopped before sending every planned case (the signal's name), when it did. */
  interrupted?: string;
}

const messageOf = (error: unknown): string => {
  const known = asConfigError(error);
  return known instanceof ConfigError ? known.message : `internal error: ${(known as Error).message}`;
};

/**
 * Several APIs in one process: each is checked and planned first (any problem stops everything
 * before a request is sent), then they run side by side, each at its own concurrency and pace,
 * under one progress display. One summary, and each report is one file covering every API. An
 * API whose target cannot be reached is reported as such and the others still run.
 */
export async function runMany(options: RunManyOptions): Promise<RunManyResult> {
  const given = options.apis.map((api) => api.name);
  const twice = given.find((name, i) => given.indexOf(name) !== i);
  if (twice !== undefined) throw new ConfigError(`two APIs are named "${twice}"; each needs its own name`);
  if (options.apis.length === 0) throw new ConfigError('no API to run');
  const shared = [options.reportJson, options.reportJunit, options.reportHtml, options.reportHar];
  distinctReports([...shared, ...options.apis.map((api) => api.options.reportOverlay)]);
  const prepared: Prepared[] = [];
  const names: string[] = [];
  const among = options.operations?.length ? options.operations : undefined;
  for (const api of options.apis) {
    const reports = distinctReports([api.options.reportOverlay]);
    const apiOptions = { ...api.options, dryRun: options.dryRun === true };
    try {
      const ready = await prepare(apiOptions, reports, among ? { among } : {});
      if (!ready) continue;
      prepared.push(ready);
      names.push(api.name);
    } catch (error) {
      if (error instanceof ConfigError) throw new ConfigError(`${api.name}: ${error.message}`);
      throw error;
    }
  }
  if (among) {
    const known = new Set(prepared.flatMap((p) => p.spec.operations.map((op) => op.operationId)));
    const unknown = among.filter((id) => !known.has(id));
    if (unknown.length > 0)
      throw new ConfigError(
        `unknown operation ${unknown.map((id) => `"${id}"`).join(', ')}: no API of the run has it (${options.apis.map((a) => a.name).join(', ')})`,
      );
  }
  if (options.dryRun) {
    for (const [i, p] of prepared.entries()) {
      options.write?.(
        `${i > 0 ? '\n' : ''}${names[i]} · ${p.options.spec}\n${renderDryRun(plannedLines(p.plan, p, p.redactor), p.plan.overBudget, p.leftBehind)}`,
      );
    }
    return {
      exitCode: 0,
      apis: prepared.map((p, i) => ({
        name: names[i]!,
        spec: p.options.spec,
        result: { exitCode: 0, seed: p.seed, results: [], plan: p.plan },
      })),
    };
  }
  for (const file of distinctReports([...shared, ...prepared.flatMap((p) => p.reports)])) await prepareReport(file);
  await options.ready;
  const probes = await Promise.allSettled(prepared.map((p) => probe(p.url, p.options)));
  const key = (name: string) => (operationId: string) => `${name} ${operationId}`;
  for (const p of prepared) {
    p.options = {
      ...p.options,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.clock ? { clock: options.clock } : {}),
    };
  }
  const reachable = prepared.filter((_, i) => probes[i]!.status === 'fulfilled');
  const forecast = reachable.map((p) => leftBehindText(p.leftBehind, names[prepared.indexOf(p)])).join('');
  if (forecast !== '') options.write?.(forecast);
  const progress = options.progress ?? silentProgress;
  const planned = new Map<string, number>();
  for (const p of reachable) {
    for (const [id, count] of plannedCounts(p.plan, key(names[prepared.indexOf(p)]!))) planned.set(id, count);
  }
  const started = performance.now();
  progress.start(planned);
  let sent: (Sent | undefined)[];
  try {
    sent = await Promise.all(
      prepared.map((p, i) =>
        probes[i]!.status === 'fulfilled'
          ? send(
              p,
              progress,
              key(names[i]!),
              p.options.recordExchanges ?? Boolean(options.reportHtml || options.reportHar),
            )
          : undefined,
      ),
    );
  } finally {
    progress.stop();
  }
  const elapsedMs = performance.now() - started;
  const outcomes: ApiOutcome[] = prepared.map((p, i) => {
    const probed = probes[i]!;
    const done = sent[i];
    if (probed.status === 'rejected' || !done) {
      return { name: names[i]!, spec: p.options.spec, error: messageOf((probed as PromiseRejectedResult).reason) };
    }
    return { name: names[i]!, report: done.report, elapsedMs: done.elapsedMs, requests: done.requests };
  });
  const ran = prepared.flatMap((p, i) => (sent[i] ? [{ prepared: p, sent: sent[i]! }] : []));
  const unwritten = await writeReports([
    [options.reportJson, () => renderJsonMany(outcomes)],
    [options.reportJunit, () => renderJunitMany(outcomes)],
    [
      options.reportHtml,
      () =>
        renderHtml(
          ran.map((r) => r.sent.report),
          { specs: ran.map((r) => r.prepared.spec), elapsedMs: ran.map((r) => r.sent.elapsedMs) },
        ),
    ],
    [options.reportHar, () => renderHar(ran.map((r) => r.sent.report))],
    ...ran.map((r) => overlayWrite(r.prepared, r.sent.report)),
  ]);
  options.write?.(renderSummaries(outcomes, elapsedMs, options.style ?? PLAIN));
  if (unwritten !== undefined) throw unwritten;
  const apis: ApiResult[] = prepared.map((p, i) => {
    const done = sent[i];
    const base = { name: names[i]!, spec: p.options.spec };
    if (!done) return { ...base, error: messageOf((probes[i] as PromiseRejectedResult).reason) };
    const result: RunResult = {
      exitCode: done.report.summary.failed > 0 ? 1 : 0,
      seed: p.seed,
      report: done.report,
      results: done.results,
      plan: p.plan,
    };
    return { ...base, result, ...(done.interrupted !== undefined ? { error: messageOf(done.interrupted) } : {}) };
  });
  const exitCode = apis.some((a) => a.error !== undefined) ? 2 : apis.some((a) => a.result?.exitCode === 1) ? 1 : 0;
  const interrupted = options.signal?.aborted ? String(options.signal.reason ?? 'abort') : undefined;
  return { exitCode, apis, ...(interrupted !== undefined ? { interrupted } : {}) };
}

function allCases(plan: Plan): TestCase[] {
  return [
    ...plan.phases.flatMap((p) => p.cases),
    ...plan.scenarios.flatMap((s) => s.steps),
    ...(plan.burst?.steps ?? []),
  ];
}

/** The dry run's view of the plan: each case's request as it would be sent, redacted. */
function plannedLines(
  plan: Plan,
  given: Pick<Prepared, 'baseUrl' | 'headers' | 'credentials'>,
  redactor: Redactor,
): PlannedLine[] {
  const wire = wireHeaders(given.headers);
  return allCases(plan).map((testCase) => {
    const built = buildRequest(
      testCase,
      given.baseUrl,
      wire,
      (linked) =>
        `{${linked.sourceOperationId}${linked.step === undefined ? '' : ` step ${linked.step + 1}`} ${linked.expression}}`,
      undefined,
      given.credentials,
    );
    const base = { seq: testCase.seq, operationId: testCase.operation.operationId, name: redactor.text(testCase.name) };
    if ('notSent' in built) return { ...base, request: { notSent: built.notSent } };
    let shownUrl = built.url;
    try {
      shownUrl = decodeURI(built.url);
    } catch {
      // A URL carrying invalid percent escapes on purpose is shown as sent.
    }
    return {
      ...base,
      request: {
        method: built.method,
        url: redactor.text(shownUrl),
        ...(built.body !== undefined ? { body: redactor.text(bodyText(built.body)) } : {}),
      },
    };
  });
}
