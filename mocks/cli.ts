/**
 * `npm start`: serve every spec on one port and print where each API lives. Bad options and start
 * failures are one line on stderr and a non-zero exit, never a stack trace.
 */
import { relative } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { SpecError } from '../lib/errors.js';
import { MockStartError, type RateLimitOverride, startMock } from './server.js';

function portNumber(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) throw new InvalidArgumentError('must be a port number (0-65535)');
  return port;
}

/** `--rate-limit 3` or `--rate-limit 3/10` (requests per seconds); `off` disables limiting. */
function rateLimit(value: string): RateLimitOverride {
  if (value === 'off') return false;
  const match = /^(\d+)(?:\/(\d+(?:\.\d+)?))?$/.exec(value);
  if (!match || Number(match[1]) < 1) throw new InvalidArgumentError('must be LIMIT, LIMIT/SECONDS or off');
  return { limit: Number(match[1]), ...(match[2] !== undefined ? { period: Number(match[2]) } : {}) };
}

const program = new Command()
  .name('contact-mock')
  .description('Mock of every API in specs/, with vendor-format errors and in-memory state')
  .option('-p, --port <port>', 'port to listen on (default 4010, or env MOCK_PORT)', portNumber)
  .option('-h, --host <host>', 'interface to listen on', '127.0.0.1')
  .option('--stateless', 'answer from the specs alone: no ids, merges, duplicates or 404s from state')
  .option('--dynamic', 'generate response data from the schemas instead of using the examples')
  .option('--specs <dir>', 'directory of OpenAPI files')
  .option('--rate-limit <limit>', 'override x-rate-limit: LIMIT, LIMIT/SECONDS, or off', rateLimit)
  .helpOption('--help', 'show this help')
  .showHelpAfterError(false);

interface CliOptions {
  port?: number;
  host: string;
  stateless?: boolean;
  dynamic?: boolean;
  specs?: string;
  rateLimit?: RateLimitOverride;
}

async function main(): Promise<void> {
  program.parse();
  const options = program.opts<CliOptions>();
  let port = options.port ?? 4010;
  if (options.port === undefined && process.env.MOCK_PORT) {
    try {
      port = portNumber(process.env.MOCK_PORT);
    } catch {
      throw new MockStartError(`MOCK_PORT must be a port number (0-65535), got "${process.env.MOCK_PORT}"`);
    }
  }
  const mock = await startMock({
    port,
    host: options.host,
    stateless: options.stateless ?? false,
    dynamic: options.dynamic ?? false,
    ...(options.specs !== undefined ? { specsDir: options.specs } : {}),
    ...(options.rateLimit !== undefined ? { rateLimit: options.rateLimit } : {}),
  });
  // Listen for signals before announcing readiness: until a listener exists, SIGINT kills the process outright.
  let closing = false;
  const stop = (): void => {
    if (closing) return;
    closing = true;
    void mock.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);

  const rows = mock.apis.map((api) => [relative(process.cwd(), api.specFile) || api.specFile, api.baseUrl]);
  const width = Math.max(4, ...rows.map(([spec]) => spec!.length));
  const lines = [`${'spec'.padEnd(width)}  base URL`, ...rows.map(([spec, url]) => `${spec!.padEnd(width)}  ${url}`)];
  const mode = [options.stateless ? 'stateless' : 'stateful', options.dynamic ? 'dynamic data' : 'examples'].join(', ');
  process.stdout.write(
    `${lines.join('\n')}\n\nMock ready on ${mock.url} in ${Math.round(performance.now())} ms since the process started (${mode}); POST ${mock.url}/__mock/reset clears state. Ctrl-C stops.\n`,
  );
}

main().catch((error: unknown) => {
  const known = error instanceof MockStartError || error instanceof SpecError;
  process.stderr.write(
    `contact-mock: ${known ? error.message : error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(known ? 1 : 2);
});
