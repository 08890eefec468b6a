/**
 * `npx conformance --spec <file> --base-url <url> [options]`, or `npx conformance` with a config file
 * (`--config <file>`, else conformance.config.yaml in the working directory) to run its APIs in one
 * process. Parses and validates the command line, runs, and maps the outcome to the exit code: 0 no
 * violation, 1 violations, 2 usage or configuration problem (one line on stderr, never a stack trace).
 *
 * `main(argv, io)` does all of it without touching the process, so tests call it in-process;
 * `runCli()` wires it to the real process.
 */
import { Command, CommanderError, Option } from 'commander';
import type { Rate as RateLimit } from '../lib/extensions.js';
import { PACKAGE_VERSION } from '../lib/package-root.js';
import { CHECK_NAMES } from './checks/registry.js';
import type { Clock } from './clock.js';
import type { Flags } from './config.js';
import { DEFAULTS, INTERRUPTED_CLEANUP_MS, MAX_CASES_LIMIT, SIGNAL_EXIT_CODES } from './defaults.js';
import { ConfigError } from './errors.js';
import {
  flagOrigin,
  HEADER_NAME,
  headerValueProblem,
  LIMITS,
  parseRateLimit,
  RESERVED_HEADERS,
  rateLimitProblem,
  reservedHeaderReason,
} from './options.js';
import { printable } from './reporters/summary.js';
import type { RunOptions } from './run.js';

/** What the CLI may touch of the outside world. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Whether stdout is an interactive terminal (progress bar, colour). */
  isTTY: boolean;
  env: Readonly<Record<string, string | undefined>>;
  /** The stream the progress bar draws on, when interactive. */
  progressStream?: NodeJS.WriteStream;
  /** Where a config file is looked for and relative paths start (default: the process's). */
  cwd?: string;
  /** Settles once the targets of a config run can be reached (a mock still starting): nothing is sent before. */
  targetsReady?: Promise<unknown>;
  /**
   * Aborted, with the signal's name as its reason, when the run must stop (SIGINT, SIGTERM): the run
   * cleans up, reports what it sent and exits with the signal's code.
   */
  interrupt?: AbortSignal;
  /** What the run's pace and Retry-After waits read (default: the system's); tests pass one they control. */
  clock?: Clock;
}

function integer(flag: string, min: number, max = Number.MAX_SAFE_INTEGER): (value: string) => number {
  return (value) => {
    if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
      throw new ConfigError(`${flag} must be an integer from ${min} to ${max}, got "${value}"`);
    }
    return Number(value);
  };
}

/**
 * What a malformed --header may be quoted by: its first word, when that can only be a header name
 * (`Authorization Bearer x`, `X-Api-Key=x`). A lone word, one before base64 padding or one that starts
 * with a digit may be the secret itself, so nothing is quoted then.
 */
function nameLike(value: string): string | undefined {
  const match = /^([^\s=:]+)[\s=:]+(.*)$/s.exec(value);
  if (!match || !/^[A-Za-z]/.test(match[1]!) || match[1]!.length > 64 || !HEADER_NAME.test(match[1]!)) {
    return undefined;
  }
  return /[^\s=]/.test(match[2]!) ? match[1] : undefined;
}

function header(value: string, previous: [string, string][]): [string, string][] {
  const colon = value.indexOf(':');
  const name = value.slice(0, Math.max(colon, 0));
  if (colon === -1 || !HEADER_NAME.test(name)) {
    // The value is never quoted: it is usually the credentials.
    const shown = nameLike(value);
    throw new ConfigError(`--header must look like "Name: value"${shown ? `, got "${shown} …"` : ''}`);
  }
  if (RESERVED_HEADERS.has(name.toLowerCase())) throw new ConfigError(`--header ${reservedHeaderReason(name)}`);
  const text = value.slice(colon + 1);
  const problem = headerValueProblem(text);
  if (problem) throw new ConfigError(`--header ${name} ${problem}`);
  return [...previous, [name, text.trim()]];
}

/** `name=value` for an API key the spec sends in the query or a cookie; the value is never quoted. */
const credential =
  (flag: string) =>
  (value: string, previous: Record<string, string> = {}): Record<string, string> => {
    const equals = value.indexOf('=');
    if (equals < 1) throw new ConfigError(`${flag} must look like "name=value"`);
    const name = value.slice(0, equals);
    if (Object.hasOwn(previous, name)) throw new ConfigError(`${flag} ${name} is given twice`);
    return { ...previous, [name]: value.slice(equals + 1) };
  };

function rateLimit(value: string): RateLimit | 'none' {
  const problem = rateLimitProblem(value);
  if (problem) throw new ConfigError(`--rate-limit ${problem}`);
  return parseRateLimit(value)!;
}

/** An option given twice would silently run one spec against another's URL: the second is refused. */
const once =
  (flag: string) =>
  (value: string, previous: string | undefined): string => {
    if (previous !== undefined)
      throw new ConfigError(`${flag} is given twice; a run takes one (a config file lists several)`);
    return value;
  };

const list = (value: string): string[] =>
  value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
const collect = (value: string, previous: string[]): string[] => [...previous, value];

const EXAMPLES = `
Examples:
  $ conformance                      # every API of ./conformance.config.yaml, one summary
  $ conformance --config ci.config.yaml --api easify --report-html reports/easify.html
  $ conformance --spec specs/easify-contact-groups.yaml --base-url http://127.0.0.1:4010/easify/api/v2 \\
      --header "Authorization: Bearer any-token"
  $ conformance --spec specs/8x8-contacts.yaml --base-url http://localhost:8080 --seed 42 \\
      --header "Authorization: Bearer $TOKEN" --report-json reports/8x8.json --report-junit reports/8x8.xml
  $ conformance --spec specs/easify-contact-groups.yaml --base-url https://backend.easify.app/api/v2 --live \\
      --header "Authorization: Bearer $EASIFY_TOKEN" --max-cases 3

Exit codes:
  0  no violation
  1  at least one violation
  2  bad usage, unreadable spec, unwritable report, unreachable target, or a target speaking
     TLS behind http:// (plain HTTP behind https://) (one line on stderr)
  130, 143  stopped by SIGINT (Ctrl-C), SIGTERM: no planned case is sent after the signal, the cleanup
     deletes what the run created (at most ${INTERRUPTED_CLEANUP_MS / 1000} s), the summary (marked INTERRUPTED) and the
     reports are written; a second signal exits at once, with no cleanup or report
  A run of a config file's APIs exits with the worst of theirs.
`;

function program(): Command {
  return new Command('conformance')
    .description('Check a running implementation of an OpenAPI spec against the contract.')
    .version(PACKAGE_VERSION, '--version', 'print the version')
    .helpOption('-h, --help', 'show this help')
    .option('--spec <file>', 'the OpenAPI spec (specs/<file>.yaml); required without a config file', once('--spec'))
    .option('--config <file>', 'run the APIs of this config file (default: ./conformance.config.yaml when no --spec)')
    .option('--api <name>', 'only this API of the config file (repeatable)', collect, [])
    .option(
      '--base-url <url>',
      "where the implementation is served; the spec paths are appended (with --dry-run: the spec's server URL when absent)",
      once('--base-url'),
    )
    .option(
      '--header <"Name: value">',
      'header sent on every request (repeatable); how credentials are given',
      header,
      [],
    )
    .option(
      '--query-credential <name=value>',
      "the value of an API key the spec sends in the query (repeatable): sent instead of the run's made-up key, masked in every output",
      credential('--query-credential'),
    )
    .option(
      '--cookie-credential <name=value>',
      'the same for an API key the spec sends in a cookie (repeatable)',
      credential('--cookie-credential'),
    )
    .option('--report-json <file>', 'write the JSON report')
    .option('--report-junit <file>', 'write a JUnit XML report')
    .option('--report-html <file>', 'write an HTML report (one self-contained file: coverage, failures, assumptions)')
    .option('--report-har <file>', 'write every exchange as HAR 1.2 (redacted), for a browser or any HAR viewer')
    .option('--report-overlay <file>', 'write an OpenAPI Overlay that removes the refuted assumptions from the spec')
    .option('--strict', 'treat inferred rules (x-inferred) as documented: a refuted assumption is a failure')
    .option('--seed <n>', 'seed of the generated cases (same seed, same cases, same order)', integer('--seed', 0))
    .option('--checks <a,b>', `only these checks (${CHECK_NAMES.join(', ')})`, list)
    .option('--exclude-checks <a,b>', 'skip these checks', list)
    .option('--operation <operationId>', 'only this operation (repeatable)', collect, [])
    .option(
      '--max-cases <n>',
      `requests per operation in all: examples, boundaries, violations, header and auth cases and scenario steps, then random bodies fill the rest (1-${MAX_CASES_LIMIT})`,
      integer('--max-cases', 1, MAX_CASES_LIMIT),
      DEFAULTS.maxCases,
    )
    .option(
      '--no-random',
      'no random bodies: only examples, boundaries, violations, header and auth cases and scenarios',
    )
    .option(
      '--concurrency <n>',
      'requests in flight at once',
      integer('--concurrency', 1, LIMITS.concurrency),
      DEFAULTS.concurrency,
    )
    .option('--timeout <ms>', 'per-request timeout', integer('--timeout', 1, LIMITS.timeoutMs), DEFAULTS.timeoutMs)
    .addOption(
      new Option(
        '--rate-limit <n/s|n/m|none>',
        "pace requests, or none (or off) for unpaced (default: the spec's x-rate-limit when the target is not loopback)",
      ).argParser(rateLimit),
    )
    .option(
      '--throttle-wait <seconds>',
      `longest total wait on Retry-After for throttled answers (default ${DEFAULTS.throttleWaitMs / 1000})`,
      integer('--throttle-wait', 0, LIMITS.throttleWaitSeconds),
    )
    .option('--cleanup', 'delete every record the run created once it is done (the default with --live)')
    .option('--no-cleanup', 'keep the records the run created')
    .option('--dry-run', 'print the cases and send nothing')
    .option('--live', 'allow a non-loopback --base-url (a real server: records get created)')
    .addHelpText('after', EXAMPLES)
    .exitOverride()
    .configureOutput({ writeErr: () => undefined, outputError: () => undefined });
}

interface Parsed {
  spec?: string;
  config?: string;
  api: string[];
  baseUrl?: string;
  header: [string, string][];
  queryCredential?: Record<string, string>;
  cookieCredential?: Record<string, string>;
  reportJson?: string;
  reportJunit?: string;
  reportHtml?: string;
  reportHar?: string;
  reportOverlay?: string;
  strict?: boolean;
  throttleWait?: number;
  cleanup?: boolean;
  seed?: number;
  checks?: string[];
  excludeChecks?: string[];
  operation: string[];
  maxCases: number;
  random: boolean;
  concurrency: number;
  timeout: number;
  rateLimit?: RateLimit | 'none';
  dryRun?: boolean;
  live?: boolean;
}

/** The progress display, the summary's destination and its colour: the same for one API or several. */
async function terminal(io: CliIo): Promise<Pick<RunOptions, 'progress' | 'write' | 'style'>> {
  const interactive = io.isTTY && io.env.CI !== 'true';
  const { barProgress, lineProgress } = await import('./reporters/progress.js');
  const { colorEnabled, createStyle } = await import('./reporters/style.js');
  const style = createStyle(colorEnabled(io.env, io.isTTY));
  return {
    progress:
      interactive && io.progressStream
        ? barProgress(io.progressStream, { style })
        : lineProgress((line) => io.stdout(`${line}\n`)),
    write: (text) => io.stdout(text),
    style,
  };
}

async function toRunOptions(parsed: Parsed, io: CliIo): Promise<RunOptions> {
  if (!parsed.spec) {
    throw new ConfigError(
      "required option '--spec <file>' not specified (nor --config <file>, and there is no conformance.config.yaml here)",
    );
  }
  if (!parsed.baseUrl && !parsed.dryRun) throw new ConfigError("required option '--base-url <url>' not specified");
  const reports = ['reportJson', 'reportJunit', 'reportHtml', 'reportHar', 'reportOverlay'] as const;
  const report = reports.find((key) => parsed[key] !== undefined);
  if (parsed.dryRun && report) {
    const flag = `--${report.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
    throw new ConfigError(`--dry-run sends nothing, so there is no ${flag} to write: drop one of them`);
  }
  return {
    spec: parsed.spec,
    ...(parsed.baseUrl ? { baseUrl: parsed.baseUrl } : {}),
    headers: parsed.header,
    queryCredentials: parsed.queryCredential ?? {},
    cookieCredentials: parsed.cookieCredential ?? {},
    origin: flagOrigin,
    ...(parsed.seed !== undefined ? { seed: parsed.seed } : {}),
    ...(parsed.checks ? { checks: parsed.checks } : {}),
    ...(parsed.excludeChecks ? { excludeChecks: parsed.excludeChecks } : {}),
    operations: parsed.operation,
    maxCases: parsed.maxCases,
    random: parsed.random,
    concurrency: parsed.concurrency,
    timeoutMs: parsed.timeout,
    ...(parsed.rateLimit ? { rateLimit: parsed.rateLimit } : {}),
    dryRun: parsed.dryRun === true,
    live: parsed.live === true,
    ...(parsed.reportJson ? { reportJson: parsed.reportJson } : {}),
    ...(parsed.reportJunit ? { reportJunit: parsed.reportJunit } : {}),
    ...(parsed.reportHtml ? { reportHtml: parsed.reportHtml } : {}),
    ...(parsed.reportHar ? { reportHar: parsed.reportHar } : {}),
    ...(parsed.reportOverlay ? { reportOverlay: parsed.reportOverlay } : {}),
    strict: parsed.strict === true,
    ...(parsed.cleanup !== undefined ? { cleanup: parsed.cleanup } : {}),
    ...(parsed.throttleWait !== undefined ? { throttleWaitMs: parsed.throttleWait * 1000 } : {}),
    ...(await terminal(io)),
  };
}

/** The flags given on the command line (not commander's defaults): they win over the config file. */
function givenFlags(command: Command, parsed: Parsed): Flags {
  const given = (key: keyof Parsed): boolean => command.getOptionValueSource(key) === 'cli';
  const pick = <K extends keyof Parsed>(key: K): Parsed[K] | undefined => (given(key) ? parsed[key] : undefined);
  const flags: Flags = {
    headers: parsed.header,
    queryCredentials: parsed.queryCredential ?? {},
    cookieCredentials: parsed.cookieCredential ?? {},
    apis: parsed.api,
    operations: parsed.operation,
  };
  const copy: [keyof Flags, Parsed[keyof Parsed] | undefined][] = [
    ['spec', parsed.spec],
    ['baseUrl', parsed.baseUrl],
    ['reportJson', parsed.reportJson],
    ['reportJunit', parsed.reportJunit],
    ['reportHtml', parsed.reportHtml],
    ['reportHar', parsed.reportHar],
    ['reportOverlay', parsed.reportOverlay],
    ['strict', parsed.strict],
    ['seed', parsed.seed],
    ['checks', parsed.checks],
    ['excludeChecks', parsed.excludeChecks],
    ['maxCases', pick('maxCases')],
    ['random', pick('random')],
    ['concurrency', pick('concurrency')],
    ['timeoutMs', pick('timeout')],
    ['rateLimit', parsed.rateLimit],
    ['throttleWaitMs', parsed.throttleWait !== undefined ? parsed.throttleWait * 1000 : undefined],
    ['cleanup', parsed.cleanup],
    ['dryRun', parsed.dryRun],
    ['live', parsed.live],
  ];
  for (const [key, value] of copy) if (value !== undefined) Object.assign(flags, { [key]: value });
  return flags;
}

/** Every API of the config file the flags select, in one process; the exit code is the worst of them. */
async function runConfig(file: string, command: Command, parsed: Parsed, io: CliIo, cwd: string): Promise<number> {
  const { configuredRun, loadConfig } = await import('./config.js');
  const { runMany } = await import('./run.js');
  const config = await loadConfig(file, { cwd, env: io.env });
  const result = await runMany({
    ...configuredRun(config, givenFlags(command, parsed), cwd),
    ...(await terminal(io)),
    ...(io.targetsReady ? { ready: io.targetsReady } : {}),
    ...(io.interrupt ? { signal: io.interrupt } : {}),
    ...(io.clock ? { clock: io.clock } : {}),
  });
  for (const api of result.apis) {
    if (api.error !== undefined) io.stderr(`conformance: ${printable(api.name)}: ${printable(oneLine(api.error))}\n`);
  }
  return result.exitCode;
}

/** Commander's message on one line: `error: unknown option '--max-case'\n(Did you mean --max-cases?)`. */
function oneLine(message: string): string {
  return message
    .replace(/^error: /, '')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => line.replace(/^\((Did you mean .*)\)$/, (_, hint: string) => `(${hint.toLowerCase()})`))
    .join(' ');
}

export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const fail = (message: string): number => {
    // A message may quote what a server sent: it must not drive the terminal.
    io.stderr(`conformance: ${printable(oneLine(message))}\n`);
    return 2;
  };
  const command = program().configureOutput({
    writeOut: (text) => io.stdout(text),
    writeErr: () => undefined,
    outputError: () => undefined,
  });
  try {
    command.parse([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return 0;
      return fail(error.message);
    }
    if (error instanceof ConfigError) return fail(error.message);
    return fail(`internal error: ${(error as Error).message}`);
  }
  try {
    const parsed = command.opts<Parsed>();
    const cwd = io.cwd ?? process.cwd();
    const configFile =
      parsed.config ?? (parsed.spec === undefined ? await (await import('./config.js')).findConfig(cwd) : undefined);
    if (configFile !== undefined) {
      const code = await runConfig(configFile, command, parsed, io, cwd);
      return interruptedCode(io) ?? code;
    }
    if (parsed.api.length > 0) throw new ConfigError('--api selects APIs of a config file: give --config <file>');
    // Loaded only for a run: --help and --version answer without the HTTP client, AJV and the generators.
    const { run } = await import('./run.js');
    const result = await run({
      ...(await toRunOptions(parsed, io)),
      ...(io.interrupt ? { signal: io.interrupt } : {}),
      ...(io.clock ? { clock: io.clock } : {}),
    });
    return interruptedCode(io) ?? result.exitCode;
  } catch (error) {
    if (error instanceof ConfigError) return fail(error.message);
    return fail(`internal error: ${(error as Error).message}`);
  }
}

/** The exit code of a run a signal stopped, once the run has cleaned up and reported. */
function interruptedCode(io: CliIo): number | undefined {
  if (!io.interrupt?.aborted) return undefined;
  return SIGNAL_EXIT_CODES[String(io.interrupt.reason)] ?? SIGNAL_EXIT_CODES.SIGINT;
}

/**
 * The first SIGINT or SIGTERM asks the run to stop and clean up; a second one means "now": the
 * process exits at once, leaving whatever the cleanup had not reached.
 */
function interruptOnSignals(): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const signals = ['SIGINT', 'SIGTERM'] as const;
  const handle = (name: (typeof signals)[number]): void => {
    if (controller.signal.aborted) process.exit(SIGNAL_EXIT_CODES[name]);
    process.stderr.write(
      `\nconformance: ${name}: no more cases are sent; deleting what the run created (at most ${INTERRUPTED_CLEANUP_MS / 1000} s) and writing the reports; ${name} again exits at once\n`,
    );
    controller.abort(name);
  };
  for (const name of signals) process.on(name, handle);
  const dispose = (): void => {
    for (const name of signals) process.off(name, handle);
  };
  return { signal: controller.signal, dispose };
}

export async function runCli(): Promise<void> {
  // A reader that goes away (`| head`) must not turn the rest of the output into a crash.
  for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);
  const interrupt = interruptOnSignals();
  const code = await main(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    isTTY: process.stdout.isTTY === true,
    env: process.env,
    progressStream: process.stderr,
    interrupt: interrupt.signal,
  });
  interrupt.dispose();
  process.exitCode = code;
  // Anything still holding the event loop (a server that never closes a socket) must not keep the run alive.
  setTimeout(() => process.exit(code), 2_000).unref();
}
