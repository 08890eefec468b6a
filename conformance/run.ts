/**
 * One run, start to end: load the spec and compile validators once, plan the cases, send them, check
 * every response and write the reports. Configuration problems throw ConfigError (exit 2); the
 * run's own outcome is the exit code 0 (no violation) or 1.
 */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, mkdir, open, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { SpecError } from '../lib/errors.js';
import { credentialNames } from '../lib/security.js';
import { loadSpec, type Spec } from '../lib/spec.js';
import { ValidatorCache } from '../lib/validator.js';
import { coerceText } from '../lib/wire.js';
import { type Plan, planCases } from './cases/plan.js';
import { buildRequest, wireHeaders } from './cases/wire.js';
import { evaluate } from './checks/evaluate.js';
import { CHECK_NAMES, isJudged, selectChecks } from './checks/registry.js';
import { DEFAULTS, MAX_CASES_LIMIT } from './defaults.js';
import { ConfigError } from './errors.js';
import { type Execution, execute } from './execute.js';
import { DEFAULT_MAX_BODY_BYTES, HttpClient } from './http/client.js';
import { Pacer, type RateLimit } from './http/pacer.js';
import { isLoopback, preflight } from './http/preflight.js';
import { Redactor } from './redact.js';
import { bodyText, buildReport, type Report } from './report.js';
import { type PlannedLine, renderDryRun } from './reporters/dry-run.js';
import { renderHar } from './reporters/har.js';
import { renderHtml } from './reporters/html.js';
import { renderJson } from './reporters/json.js';
import { renderJunit } from './reporters/junit.js';
import { renderOverlay } from './reporters/overlay.js';
import { type ProgressReporter, silentProgress } from './reporters/progress.js';
import { renderSummary } from './reporters/summary.js';
import type { CaseResult, TestCase } from './types.js';

export interface RunOptions {
  spec: string;
  /** Where the API is served; paths from the spec are appended to it. Optional only for a dry run. */
  baseUrl?: string;
  /** --header pairs: sent on every request, win over generated values except in header/credential cases. */
  headers?: [string, string][];
  seed?: number;
  checks?: string[];
  excludeChecks?: string[];
  operations?: string[];
  /** Requests per operation, everything counted (see PlanOptions.maxCases); 1 to MAX_CASES_LIMIT. */
  maxCases?: number;
  concurrency?: number;
  timeoutMs?: number;
  /** undefined: the spec's x-rate-limit for non-loopback targets, none on loopback. */
  rateLimit?: RateLimit | 'none';
  dryRun?: boolean;
  live?: boolean;
  reportJson?: string;
  reportJunit?: string;
  reportHtml?: string;
  reportHar?: string;
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
  progress?: ProgressReporter;
  /** Where the summary (or the dry-run listing) goes; nothing is printed when omitted. */
  write?: (text: string) => void;
  maxBodyBytes?: number;
}

export interface RunResult {
  exitCode: 0 | 1;
  seed: number;
  /** Absent for a dry run. */
  report?: Report;
  results: CaseResult[];
  plan: Plan;
}

async function load(file: string): Promise<Spec> {
  try {
    return await loadSpec(file);
  } catch (error) {
    if (error instanceof SpecError) throw new ConfigError(error.message);
    throw error;
  }
}

function targetUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(
      `--base-url "${raw.replace(/\/\/[^/@]*@/, '//***@')}" is not a URL (expected e.g. http://127.0.0.1:4010)`,
    );
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
      `--base-url must not have a query or fragment (the spec's paths are appended to it), got "${raw}"`,
    );
  }
  return url;
}

const reportError = (file: string, error: unknown): ConfigError =>
  new ConfigError(`cannot write report ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);

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
): void {
  for (const [name, value] of headers) {
    const parameter = spec.operations
      .flatMap((op) => op.parameters)
      .find((p) => p.in === 'header' && p.name.toLowerCase() === name.toLowerCase());
    if (!parameter?.schema) continue;
    const validate = validators.get(parameter.schema);
    if (validate(coerceText(value, parameter.schema))) continue;
    const reason = validate.errors
      .map((e) => `${e.instancePath ? `${e.instancePath} ` : ''}${e.message ?? 'invalid'}`)
      .join(', ');
    throw new ConfigError(`--header ${parameter.name}: '${value}' does not match the spec (${reason})`);
  }
}

/** Compiles every response body and header schema up front, so no request waits for AJV. */
function compileResponseValidators(spec: Spec, validators: ValidatorCache): void {
  for (const response of spec.operations.flatMap((op) => op.responses)) {
    for (const media of response.content) if (media.schema) validators.get(media.schema);
    for (const header of response.headers) if (header.schema) validators.get(header.schema);
  }
}

export async function run(options: RunOptions): Promise<RunResult> {
  const checks = selectChecks(options.checks, options.excludeChecks);
  if (checks.length === 0) throw new ConfigError(`no check left to run; valid checks: ${CHECK_NAMES.join(', ')}`);
  const reports = [
    options.reportJson,
    options.reportJunit,
    options.reportOverlay,
    options.reportHtml,
    options.reportHar,
  ].filter((file): file is string => file !== undefined);
  const same = reports.find((file, i) => reports.findIndex((other) => resolve(other) === resolve(file)) !== i);
  if (same !== undefined) throw new ConfigError(`${same} is given for two reports; each report needs its own file`);
  const maxCases = options.maxCases ?? DEFAULTS.maxCases;
  if (!Number.isInteger(maxCases) || maxCases < 1 || maxCases > MAX_CASES_LIMIT)
    throw new ConfigError(`maxCases must be an integer from 1 to ${MAX_CASES_LIMIT}, got ${maxCases}`);
  const spec = await load(options.spec);
  const known = spec.operations.map((op) => op.operationId);
  for (const id of options.operations ?? []) {
    if (!known.includes(id)) {
      throw new ConfigError(`unknown operation "${id}" in ${options.spec}; operations: ${known.join(', ')}`);
    }
  }
  const url = targetUrl(options.baseUrl ?? (options.dryRun ? spec.serverUrl : ''));
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
  const redactor = new Redactor(headers, credentialNames(spec.securitySchemes.values()));
  const validators = new ValidatorCache();
  validators.register(spec);
  checkGivenHeaders(spec, validators, headers);
  compileResponseValidators(spec, validators);
  const plan = planCases(spec, validators, {
    seed,
    nonce,
    maxCases,
    operations: options.operations ?? [],
    rateLimit: checks.some((c) => c.name === 'rate_limit'),
    judged: (draft) => isJudged(checks, draft),
  });

  if (options.dryRun) {
    options.write?.(renderDryRun(plannedLines(plan, baseUrl, headers, redactor), plan.overBudget));
    return { exitCode: 0, seed, results: [], plan };
  }

  for (const file of reports) await prepareReport(file);
  const timeoutMs = options.timeoutMs ?? DEFAULTS.timeoutMs;
  try {
    await preflight(url, timeoutMs);
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
  const limit =
    options.rateLimit === 'none'
      ? undefined
      : (options.rateLimit ??
        (!loopback && spec.rateLimit
          ? { count: spec.rateLimit.limit, periodSeconds: spec.rateLimit.period }
          : undefined));
  const concurrency = options.concurrency ?? DEFAULTS.concurrency;
  const client = new HttpClient({
    timeoutMs,
    maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    connections: concurrency,
  });
  const progress = options.progress ?? silentProgress;
  const planned = new Map<string, number>();
  for (const testCase of allCases(plan)) {
    planned.set(testCase.operation.operationId, (planned.get(testCase.operation.operationId) ?? 0) + 1);
  }
  const evaluation = { spec, validators, checks, strict: options.strict === true };
  const results: CaseResult[] = [];
  const started = performance.now();
  progress.start(planned);
  let interrupted: unknown;
  let execution: Execution | undefined;
  // A live target keeps what a run creates: remove it unless told not to; on loopback only when asked.
  const cleanup = options.cleanup ?? !loopback;
  try {
    execution = await execute(plan, {
      spec,
      baseUrl,
      userHeaders: headers,
      client,
      ...(limit ? { pacer: new Pacer(limit) } : {}),
      concurrency,
      runNonce: nonce,
      throttleWaitMs: options.throttleWaitMs ?? DEFAULTS.throttleWaitMs,
      cleanup,
      onExchange: (exchange) => {
        const result = evaluate(exchange, evaluation);
        results[exchange.testCase.seq] = result;
        progress.tick(result);
      },
    });
  } catch (error) {
    // Whatever went wrong, what was sent is still reported and the verdict still printed.
    interrupted = error;
  } finally {
    progress.stop();
    await client.close();
  }
  const elapsed = performance.now() - started;
  const answered = results.filter((r) => r !== undefined);
  const report = buildReport(
    answered,
    {
      spec,
      specFile: options.spec,
      baseUrl,
      seed,
      strict: options.strict === true,
      skippedOperations: plan.skipped,
      overBudget: plan.overBudget,
      cleanup: cleanup ? { cleaned: execution?.cleaned ?? 0, leftovers: execution?.leftovers ?? [] } : undefined,
    },
    redactor,
  );
  // One report that cannot be written (a full disk) must not cost the others, the summary or the verdict.
  const writes: [string | undefined, () => string][] = [
    [options.reportJson, () => renderJson(report)],
    [options.reportJunit, () => renderJunit(report)],
    [options.reportHtml, () => renderHtml([report], { specs: [spec], elapsedMs: [elapsed] })],
    [options.reportHar, () => renderHar([report])],
    [
      options.reportOverlay,
      () => renderOverlay(report, spec, /\.json$/i.test(options.reportOverlay ?? '') ? 'json' : 'yaml'),
    ],
  ];
  let unwritten: unknown;
  for (const [file, render] of writes) {
    if (file === undefined) continue;
    try {
      await writeReport(file, render());
    } catch (error) {
      unwritten ??= error;
    }
  }
  options.write?.(renderSummary(report, elapsed, answered.filter((r) => !r.exchange.notSent).length));
  if (interrupted !== undefined) throw interrupted;
  if (unwritten !== undefined) throw unwritten;
  return { exitCode: report.summary.failed > 0 ? 1 : 0, seed, report, results: answered, plan };
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
  baseUrl: string,
  headers: readonly (readonly [string, string])[],
  redactor: Redactor,
): PlannedLine[] {
  const wire = wireHeaders(headers);
  return allCases(plan).map((testCase) => {
    const built = buildRequest(
      testCase,
      baseUrl,
      wire,
      (linked) =>
        `{${linked.sourceOperationId}${linked.step === undefined ? '' : ` step ${linked.step + 1}`} ${linked.expression}}`,
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
