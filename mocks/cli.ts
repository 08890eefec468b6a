/**
 * `npm start`: serve every spec on one port and print where each API lives. Exit codes match the
 * runner's: 0 a clean stop, 2 bad usage or a failure to start (one line on stderr, never a stack
 * trace). `main(argv, io)` does the work without touching the process; `runCli()` wires signals.
 */
import { relative, resolve } from 'node:path';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { SpecError } from '../lib/errors.js';
import { PACKAGE_VERSION } from '../lib/package-root.js';
import { DOCS_PATH } from './docs.js';
import type { RateLimitOverride, RunningMock } from './server.js';
import { describeReload } from './watch.js';

export interface MockCliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
}

export interface MockCliResult {
  exitCode: number;
  /** The running mock, when it started. */
  mock?: RunningMock;
}

function portNumber(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) throw new InvalidArgumentError('must be a port number (0-65535)');
  return port;
}

/** `--rate-limit 3` or `--rate-limit 3/10` (requests per seconds); `off` (or the runner's `none`) disables limiting. */
function rateLimit(value: string): RateLimitOverride {
  if (value === 'off' || value === 'none') return false;
  const match = /^(\d+)(?:\/(\d+(?:\.\d+)?))?$/.exec(value);
  if (!match || Number(match[1]) < 1) throw new InvalidArgumentError('must be LIMIT, LIMIT/SECONDS or off');
  if (match[2] !== undefined && !(Number(match[2]) > 0)) throw new InvalidArgumentError('SECONDS must be above 0');
  return { limit: Number(match[1]), ...(match[2] !== undefined ? { period: Number(match[2]) } : {}) };
}

const AFTER_HELP = `
Each spec is served under the first word of its file name: specs/easify-contact-groups.yaml is
http://HOST:PORT/easify + the path of the spec's first server URL (/api/v2) + the spec's paths.

Endpoints of the mock itself:
  GET  /__docs         an API reference page per spec ("Test Request" calls this mock)
  POST /__mock/reset   clear the stored records and the rate-limit windows
  GET  /__mock/state   the stored records of every API, as JSON

--watch reloads an API when its spec file changes: the other APIs are not touched, the reloaded one
keeps the records of every collection it still describes the same way, and a version that does not
load leaves the previous one in service (one line on stderr says why).

Choosing a documented response (as Prism does):
  Prefer: code=422, example=missing-name   that status and named example
  Prefer: dynamic=true                     generated data instead of the examples
  (or the query parameters __code, __example, __dynamic)

Examples:
  $ npm start
  $ npm start -- --port 8080 --rate-limit off
  $ MOCK_PORT=0 npm start -- --stateless
  $ npm start -- --watch
  $ npx contact-mock --spec openapi.yaml --port 4011   # any one document (or several --spec)

Exit codes:
  0  stopped by Ctrl-C or SIGTERM
  2  bad usage or the mock could not start (broken spec, port taken; one line on stderr)
`;

const collect = (value: string, previous: string[]): string[] => [...previous, value];

function program(io: MockCliIo): Command {
  return new Command('contact-mock')
    .description('Mock of every API in specs/, with vendor-format errors and in-memory state')
    .version(PACKAGE_VERSION, '--version', 'print the version')
    .helpOption('-h, --help', 'show this help')
    .option('-p, --port <port>', 'port to listen on (default 4010, or env MOCK_PORT; 0 picks a free one)', portNumber)
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option('--stateless', 'answer from the specs alone: no ids, merges, duplicates or 404s from state')
    .option('--dynamic', 'generate response data from the schemas instead of using the examples')
    .option('--documented-only', 'enforce only the rules the vendors document (none marked x-inferred)')
    .option('--specs <dir>', 'directory of Swagger 2.0 / OpenAPI 3.x files (default: specs/ of this package)')
    .option('--spec <file>', 'serve this Swagger 2.0 / OpenAPI 3.x file instead (repeatable)', collect, [])
    .option('--rate-limit <limit>', 'override x-rate-limit: LIMIT, LIMIT/SECONDS, or off (or none)', rateLimit)
    .option('--watch', 'reload a spec when its file changes, keeping the state that still fits')
    .addHelpText('after', AFTER_HELP)
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.stdout(text), writeErr: () => undefined, outputError: () => undefined });
}

interface CliOptions {
  port?: number;
  host: string;
  stateless?: boolean;
  dynamic?: boolean;
  documentedOnly?: boolean;
  specs?: string;
  spec: string[];
  rateLimit?: RateLimitOverride;
  watch?: boolean;
}

/** Commander's message on one line, hints included. */
function oneLine(message: string): string {
  return message
    .replace(/^error: /, '')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => line.replace(/^\((Did you mean .*)\)$/, (_, hint: string) => `(${hint.toLowerCase()})`))
    .join(' ');
}

export async function main(argv: readonly string[], io: MockCliIo): Promise<MockCliResult> {
  const fail = (message: string): MockCliResult => {
    io.stderr(`contact-mock: ${oneLine(message)}\n`);
    return { exitCode: 2 };
  };
  const command = program(io);
  try {
    command.parse([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return { exitCode: 0 };
      return fail(error.message);
    }
    return fail(String(error));
  }
  const options = command.opts<CliOptions>();
  if (options.spec.length > 0 && options.specs !== undefined) return fail('--spec and --specs cannot be used together');
  let port = options.port ?? 4010;
  if (options.port === undefined && io.env.MOCK_PORT) {
    try {
      port = portNumber(io.env.MOCK_PORT);
    } catch {
      return fail(`MOCK_PORT must be a port number (0-65535), got "${io.env.MOCK_PORT}"`);
    }
  }
  let mock: RunningMock;
  // Loaded only to serve: --help, --version and bad usage answer without Prism, AJV or a spec read.
  const { MockStartError, startMock } = await import('./server.js');
  try {
    mock = await startMock({
      port,
      host: options.host,
      stateless: options.stateless ?? false,
      dynamic: options.dynamic ?? false,
      documentedOnly: options.documentedOnly ?? false,
      warm: true,
      ...(options.specs !== undefined ? { specsDir: options.specs } : {}),
      ...(options.spec.length > 0 ? { specFiles: options.spec.map((file) => resolve(io.cwd, file)) } : {}),
      ...(options.rateLimit !== undefined ? { rateLimit: options.rateLimit } : {}),
      ...(options.watch
        ? {
            watch: {
              onReload: (event) => {
                const line = describeReload(event, relative(io.cwd, event.specFile) || event.specFile);
                if (event.kind === 'failed') io.stderr(`contact-mock: ${line}\n`);
                else io.stdout(`${line}\n`);
              },
            },
          }
        : {}),
    });
  } catch (error) {
    if (error instanceof MockStartError || error instanceof SpecError) return fail(error.message);
    return fail(`internal error: ${error instanceof Error ? error.message : String(error)}`);
  }
  const rows = [
    ['spec', 'base URL', 'API reference'],
    ...mock.apis.map((api) => [
      relative(io.cwd, api.specFile) || api.specFile,
      api.baseUrl,
      `${mock.url}${DOCS_PATH}/${api.name}`,
    ]),
  ];
  const widths = [0, 1].map((column) => Math.max(...rows.map((row) => row[column]!.length)));
  const lines = rows.map(([spec, url, docs]) => `${spec!.padEnd(widths[0]!)}  ${url!.padEnd(widths[1]!)}  ${docs}`);
  const mode = [
    options.stateless ? 'stateless' : 'stateful',
    options.dynamic ? 'dynamic data' : 'examples',
    ...(options.documentedOnly ? ['documented rules only'] : []),
    ...(options.rateLimit === false ? ['no rate limits'] : []),
    ...(options.watch ? ['watching spec files'] : []),
  ].join(', ');
  io.stdout(
    `${lines.join('\n')}\n\nMock ready on ${mock.url} in ${Math.round(performance.now())} ms since the process ` +
      `started (${mode}).\nEvery API's reference page: ${mock.url}${DOCS_PATH}; ` +
      `POST ${mock.url}/__mock/reset clears state; Ctrl-C stops.\n`,
  );
  return { exitCode: 0, mock };
}

export async function runCli(): Promise<void> {
  // A reader that goes away (`| head`) must not turn the rest of the output into a crash.
  for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);
  // Listen for signals before announcing readiness: until a listener exists, SIGINT kills the process outright.
  let mock: RunningMock | undefined;
  let closing = false;
  const stop = (): void => {
    if (closing) return;
    closing = true;
    void (mock ? mock.close() : Promise.resolve()).then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  const result = await main(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    cwd: process.cwd(),
  });
  mock = result.mock;
  if (!mock) process.exit(result.exitCode);
  if (closing) await mock.close().then(() => process.exit(0));
}
