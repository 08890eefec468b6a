/**
 * `npx conformance --spec <file> --base-url <url> [options]`. Parses and validates the command line,
 * runs, and maps the outcome to the exit code: 0 no violation, 1 violations, 2 usage or
 * configuration problem (always one line on stderr, never a stack trace).
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { CHECK_NAMES } from './checks/registry.js';
import { ConfigError } from './errors.js';
import type { RateLimit } from './http/pacer.js';
import { barProgress, lineProgress } from './reporters/progress.js';
import { DEFAULTS, type RunOptions, run } from './run.js';

const HEADER = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+):[ \t]*(.*)$/;

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: string };
  return pkg.version ?? '0.0.0';
}

function integer(flag: string, min: number): (value: string) => number {
  return (value) => {
    if (!/^\d+$/.test(value) || Number(value) < min)
      throw new ConfigError(`${flag} must be an integer >= ${min}, got "${value}"`);
    return Number(value);
  };
}

/** Framing and hop-by-hop headers: the HTTP client owns them, and a given value would break the exchange. */
const RESERVED = new Set([
  'content-length',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'upgrade',
  'expect',
  'te',
  'trailer',
  'proxy-connection',
  'host',
]);

function header(value: string, previous: [string, string][]): [string, string][] {
  const match = HEADER.exec(value);
  if (!match || /[\r\n]/.test(value))
    throw new ConfigError(`--header must look like "Name: value", got "${value.split(':')[0]}…"`);
  if (RESERVED.has(match[1]!.toLowerCase()))
    throw new ConfigError(
      `--header ${match[1]} is not allowed: framing and connection headers are set by the runner's HTTP client`,
    );
  return [...previous, [match[1]!, match[2]!.trim()]];
}

function rateLimit(value: string): RateLimit | 'none' {
  if (value === 'none') return 'none';
  const match = /^(\d+(?:\.\d+)?)\/(s|m)$/.exec(value);
  if (!match || Number(match[1]) <= 0)
    throw new ConfigError(`--rate-limit must look like 10/s or 15/m (or "none"), got "${value}"`);
  return { count: Number(match[1]), periodSeconds: match[2] === 's' ? 1 : 60 };
}

const list = (value: string): string[] =>
  value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
const collect = (value: string, previous: string[]): string[] => [...previous, value];

function program(): Command {
  return new Command('conformance')
    .description('Check a running implementation of an OpenAPI 3.1 spec against the contract.')
    .version(version(), '--version')
    .option('--spec <file>', 'the OpenAPI 3.1 spec (specs/<file>.yaml); required')
    .option('--base-url <url>', 'where the implementation is served; the spec paths are appended')
    .option(
      '--header <"Name: value">',
      'header sent on every request (repeatable); how credentials are given',
      header,
      [],
    )
    .option('--report-json <file>', 'write the JSON report')
    .option('--report-junit <file>', 'write a JUnit XML report')
    .option('--seed <n>', 'seed of the generated cases (same seed, same cases, same order)', integer('--seed', 0))
    .option('--checks <a,b>', `only these checks (${CHECK_NAMES.join(', ')})`, list)
    .option('--exclude-checks <a,b>', 'skip these checks', list)
    .option('--operation <operationId>', 'only this operation (repeatable)', collect, [])
    .option(
      '--max-cases <n>',
      'random cases per operation, on top of the examples and boundaries',
      integer('--max-cases', 0),
      DEFAULTS.maxCases,
    )
    .option('--concurrency <n>', 'requests in flight at once', integer('--concurrency', 1), DEFAULTS.concurrency)
    .option('--timeout <ms>', 'per-request timeout', integer('--timeout', 1), DEFAULTS.timeoutMs)
    .addOption(
      new Option(
        '--rate-limit <n/s|n/m>',
        "pace requests (default: the spec's x-rate-limit when the target is not loopback)",
      ).argParser(rateLimit),
    )
    .option('--dry-run', 'print the cases and send nothing')
    .option('--live', 'allow a non-loopback --base-url (a real server: records get created)')
    .exitOverride()
    .configureOutput({ writeErr: () => undefined, outputError: () => undefined });
}

interface Parsed {
  spec?: string;
  baseUrl?: string;
  header: [string, string][];
  reportJson?: string;
  reportJunit?: string;
  seed?: number;
  checks?: string[];
  excludeChecks?: string[];
  operation: string[];
  maxCases: number;
  concurrency: number;
  timeout: number;
  rateLimit?: RateLimit | 'none';
  dryRun?: boolean;
  live?: boolean;
}

function toRunOptions(parsed: Parsed): RunOptions {
  if (!parsed.spec) throw new ConfigError("required option '--spec <file>' not specified");
  if (!parsed.baseUrl && !parsed.dryRun) throw new ConfigError("required option '--base-url <url>' not specified");
  const interactive = process.stdout.isTTY === true && process.env.CI !== 'true';
  return {
    spec: parsed.spec,
    ...(parsed.baseUrl ? { baseUrl: parsed.baseUrl } : {}),
    headers: parsed.header,
    ...(parsed.seed !== undefined ? { seed: parsed.seed } : {}),
    ...(parsed.checks ? { checks: parsed.checks } : {}),
    ...(parsed.excludeChecks ? { excludeChecks: parsed.excludeChecks } : {}),
    operations: parsed.operation,
    maxCases: parsed.maxCases,
    concurrency: parsed.concurrency,
    timeoutMs: parsed.timeout,
    ...(parsed.rateLimit ? { rateLimit: parsed.rateLimit } : {}),
    dryRun: parsed.dryRun === true,
    live: parsed.live === true,
    ...(parsed.reportJson ? { reportJson: parsed.reportJson } : {}),
    ...(parsed.reportJunit ? { reportJunit: parsed.reportJunit } : {}),
    progress: interactive ? barProgress(process.stderr) : lineProgress((line) => process.stdout.write(`${line}\n`)),
    write: (text) => process.stdout.write(text),
  };
}

function fail(message: string): number {
  process.stderr.write(`conformance: ${message.replace(/^error: /, '').split('\n')[0]}\n`);
  return 2;
}

async function main(argv: string[]): Promise<number> {
  const command = program();
  try {
    command.parse(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return 0;
      return fail(error.message);
    }
    if (error instanceof ConfigError) return fail(error.message);
    throw error;
  }
  try {
    const result = await run(toRunOptions(command.opts<Parsed>()));
    return result.exitCode;
  } catch (error) {
    if (error instanceof ConfigError) return fail(error.message);
    return fail(`internal error: ${(error as Error).message}`);
  }
}

const code = await main(process.argv.slice(2)).catch((error: unknown) =>
  fail(`internal error: ${(error as Error).message}`),
);
process.exitCode = code;
// Anything still holding the event loop (a server that never closes a socket) must not keep the run alive.
setTimeout(() => process.exit(code), 2_000).unref();
