/**
 * `npm run bench:conformance`: how much the runner costs on top of the HTTP it sends.
 *
 * 1. A fast node:http server in a child process of its own (so client and server do not share an
 *    event loop) answers with canned, spec-valid Easify answers. The runner sends a large seeded
 *    plan for the create to it (--max-cases 4000: random bodies fill the rest of its 4,000 requests); the exact requests it sent are then replayed
 *    by a bare undici loop at the same concurrency, reading every body: the floor. After a warm-up
 *    of both, rounds alternate which side goes first; the ratio printed is the median of the
 *    per-round ratios. Goal: runner time within 1.2x of the floor.
 * 2. `npm run check:mock` from a cold process: the mock in a child on a free port, every API of
 *    conformance.config.yaml in one runner process, the mock stopped; timed from spawning it to
 *    its exit, start-up included. Goal: under 2 s. Median of BENCH_MOCK_ROUNDS runs (default 3),
 *    each beside one as `node --turbofan` (the baseline of the script's V8 flags).
 * 3. For comparison, the way it was done before the config file: the mock CLI until it is ready,
 *    then one `conformance` process per spec, all four at once.
 * BENCH_SKIP_OVERHEAD=1 skips 1, BENCH_SKIP_MOCK=1 skips 2 and 3.
 */
import { fork, spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Agent, request } from 'undici';
import type * as Conformance from '../conformance/index.js';
import type { SentRequest } from '../conformance/types.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SPEC = 'specs/easify-contact-groups.yaml';
const CONCURRENCY = 16;
const MAX_CASES = Number(process.env.BENCH_CASES ?? 4000);
/** The canned server knows the create only: the other operations would measure its wrong answers. */
const OPERATION = 'createContactGroup';
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9);
const WARM_UP = Number(process.env.BENCH_WARM_UP ?? 5);
const MOCK_ROUNDS = Number(process.env.BENCH_MOCK_ROUNDS ?? 3);
const SERVE_FLAG = '--serve';

// ---------------------------------------------------------------------------------------------
// The fast server (child process). Canned answers, chosen the cheap way a real server would: no
// credentials -> 401, a body that is not a valid CreateContactGroupRequest -> 422, else 200. The
// 200 is the same record every time (no state), so the duplicate-name scenario is the one case
// it answers "wrongly"; every other case gets a documented, schema-valid answer.

const RATE_HEADERS = { 'x-ratelimit-limit': '15', 'x-ratelimit-remaining': '14' };
const CANNED = {
  ok: JSON.stringify({
    status: true,
    message: 'Contact Group created successfully',
    data: {
      id: 1,
      name: 'x',
      contacts_count: 0,
      shared_group: false,
      default_group: false,
      created_at: '12-02-2024 03:13:35 AM',
    },
  }),
  unauthenticated: JSON.stringify({ status: false, message: 'Unauthenticated', errors: [] }),
  invalid: JSON.stringify({
    message: 'The name field is required.',
    errors: { name: ['The name field is required.'] },
  }),
};

function validCreate(req: IncomingMessage, text: string): boolean {
  if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) return false;
  try {
    const body: unknown = JSON.parse(text);
    if (!body || typeof body !== 'object' || Array.isArray(body)) return false;
    const name = (body as { name?: unknown }).name;
    return typeof name === 'string' && name.length >= 1 && [...name].length <= 255;
  } catch {
    return false;
  }
}

function answer(req: IncomingMessage, res: ServerResponse, text: string): void {
  const send = (status: number, body: string): void =>
    void res
      .writeHead(status, { 'content-type': 'application/json', ...(status === 200 ? RATE_HEADERS : {}) })
      .end(body);
  if (!/^Bearer \S/.test(req.headers.authorization ?? '')) send(401, CANNED.unauthenticated);
  else if (req.method !== 'POST' || !validCreate(req, text)) send(422, CANNED.invalid);
  else send(200, CANNED.ok);
}

function serve(): void {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => answer(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  server.keepAliveTimeout = 10_000;
  server.listen(0, '127.0.0.1', () => process.send?.({ port: (server.address() as AddressInfo).port }));
  process.on('disconnect', () => process.exit(0));
}

/** Starts this file again as the server process (same loader, so tsx applies) and waits for its port. */
function startServer(): Promise<{ url: string; stop: () => void }> {
  const child = fork(fileURLToPath(import.meta.url), [SERVE_FLAG], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
    child.once('message', (message) => {
      const { port } = message as { port: number };
      resolve({ url: `http://127.0.0.1:${port}`, stop: () => child.kill() });
    });
  });
}

// ---------------------------------------------------------------------------------------------
// The two measured sides.

interface Timing {
  wall: number;
  /** CPU of this (client) process only: the server runs elsewhere. */
  cpu: number;
}

const cpuMs = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

const since = (wall: number, cpu: number): Timing => ({ wall: performance.now() - wall, cpu: cpuMs() - cpu });

/** The floor: the same requests, the same concurrency, every body read, nothing else. */
async function bareLoop(requests: SentRequest[], concurrency: number): Promise<Timing> {
  const agent = new Agent({ connections: concurrency });
  const [wall, cpu] = [performance.now(), cpuMs()];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < requests.length) {
      const r = requests[next++]!;
      const res = await request(r.url, {
        dispatcher: agent,
        method: r.method as 'POST',
        headers: r.headers,
        ...(r.body !== undefined ? { body: r.body } : {}),
      });
      await res.body.text();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const timing = since(wall, cpu);
  await agent.close();
  return timing;
}

interface RunnerTiming {
  /** Spec load, plan, send, check, report. */
  total: Timing;
  /** From the first request to the rendered summary: what the floor is compared with. */
  sendAndCheck: Timing;
  requests: SentRequest[];
  failed: number;
}

async function runner(url: string): Promise<RunnerTiming> {
  const [wall, cpu] = [performance.now(), cpuMs()];
  let send: [number, number] = [0, 0];
  let summary = '';
  // The compiled runner, as the CLI runs it (`npm run build` first), not the sources through tsx.
  const { run } = (await import(new URL('../dist/conformance/index.js', import.meta.url).href)) as typeof Conformance;
  const result = await run({
    spec: SPEC,
    baseUrl: url,
    seed: 2,
    maxCases: MAX_CASES,
    operations: [OPERATION],
    concurrency: CONCURRENCY,
    headers: [['Authorization', 'Bearer bench-token-1234']],
    // The summary is rendered as on a terminal, then dropped: the run does all its reporting work.
    write: (text) => void (summary = text),
    progress: { start: () => void (send = [performance.now(), cpuMs()]), tick: () => undefined, stop: () => undefined },
  });
  const sendAndCheck = since(...send);
  if (summary === '') throw new Error('the runner rendered no summary');
  return {
    total: since(wall, cpu),
    sendAndCheck,
    requests: result.results.filter((r) => !r.exchange.notSent).map((r) => r.exchange.request),
    failed: result.report!.summary.failed,
  };
}

const fmt = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function runnerOverhead(): Promise<void> {
  const server = await startServer();
  try {
    // Warm-up of both sides at full size: JIT, AJV and sockets are hot before anything is timed. The
    // runner's code takes several runs to reach its steady speed (here 1.9, 1.3, 0.9, 0.8, 0.6 s).
    const warm = await runner(server.url);
    const { requests } = warm;
    for (let i = 1; i < WARM_UP; i++) await runner(server.url);
    for (let i = 0; i < WARM_UP; i++) await bareLoop(requests, CONCURRENCY);
    const rounds: { runner: RunnerTiming; floor: Timing }[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      // Alternate who goes first, so neither side always inherits the other's garbage or the server's state.
      if (round % 2 === 0) {
        const r = await runner(server.url);
        rounds.push({ runner: r, floor: await bareLoop(requests, CONCURRENCY) });
      } else {
        const floor = await bareLoop(requests, CONCURRENCY);
        rounds.push({ runner: await runner(server.url), floor });
      }
    }
    const pick = (f: (r: (typeof rounds)[number]) => number): number => median(rounds.map(f));
    const n = requests.length;
    const line = (label: string, t: (r: (typeof rounds)[number]) => Timing, unit: string): string => {
      const wall = pick((r) => t(r).wall);
      return `  ${label.padEnd(50)} ${fmt(wall)}  ${String(Math.round(n / (wall / 1000))).padStart(6)} ${unit}/s   cpu ${fmt(pick((r) => t(r).cpu))}`;
    };
    const ratio = (f: (r: (typeof rounds)[number]) => number): string => `${pick(f).toFixed(2)}x`;
    const each = rounds.map((r) => (r.runner.sendAndCheck.wall / r.floor.wall).toFixed(2)).join(' ');
    console.log(
      `runner vs bare undici loop: ${n} requests (${warm.failed} failed checks), concurrency ${CONCURRENCY}, node:http server in its own process, ${WARM_UP} warm-up runs of each, ${ROUNDS} alternating rounds (medians)`,
    );
    console.log(line('runner, whole run (load + plan + send + check + report)', (r) => r.runner.total, 'cases'));
    console.log(line('runner, send + check + report', (r) => r.runner.sendAndCheck, 'cases'));
    console.log(line('bare undici loop (floor)', (r) => r.floor, 'requests'));
    console.log(
      `  RATIO runner send+check+report / floor: ${ratio((r) => r.runner.sendAndCheck.wall / r.floor.wall)} wall (goal <= 1.2x; rounds: ${each}), ${ratio((r) => r.runner.sendAndCheck.cpu / r.floor.cpu)} client cpu`,
    );
    console.log(
      `  ratio whole run / floor:                ${ratio((r) => r.runner.total.wall / r.floor.wall)} wall, ${ratio((r) => r.runner.total.cpu / r.floor.cpu)} client cpu`,
    );
  } finally {
    server.stop();
  }
}

/** Resolves with the child's exit code; its output is collected for the caller. */
function runChild(args: string[], onLine?: (line: string) => void): { done: Promise<number | null>; kill(): void } {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, CI: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let buffered = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) onLine?.(line);
  });
  child.stderr.resume();
  return { done: new Promise((resolve) => child.on('close', resolve)), kill: () => child.kill('SIGTERM') };
}

/**
 * As a user runs it, from cold processes: `contact-mock` (what `npm start` runs) until its table is
 * printed, then one `conformance` process per spec, all four at once. The clock runs from spawning
 * the mock to the last runner's exit.
 */
async function fourSpecsAgainstMock(): Promise<void> {
  const started = performance.now();
  const apis: { spec: string; baseUrl: string }[] = [];
  let readyAt = 0;
  let signalReady = (): void => {};
  const ready = new Promise<void>((resolve) => (signalReady = resolve));
  const mock = runChild(['bin/mock.js', '--port', '0', '--rate-limit', 'off'], (line) => {
    const row = /^(specs\/\S+\.ya?ml)\s+(http:\/\/\S+)/.exec(line.trim());
    if (row) apis.push({ spec: row[1]!, baseUrl: row[2]! });
    if (line.startsWith('Mock ready')) {
      readyAt = performance.now();
      signalReady();
    }
  });
  try {
    const early = mock.done.then((code) => {
      throw new Error(`the mock exited with ${code} before it was ready`);
    });
    await Promise.race([ready, early]);
    const lines = await Promise.all(
      apis.map(async ({ spec, baseUrl }) => {
        const t = performance.now();
        const code = await runChild([
          'bin/conformance.js',
          '--spec',
          spec,
          '--base-url',
          baseUrl,
          '--seed',
          '7',
          '--header',
          'Authorization: Bearer bench-token-1234',
          '--header',
          'Customer-Id: 14532',
        ]).done;
        return `  ${spec.padEnd(38)} exit ${code}  ${fmt(performance.now() - t)}`;
      }),
    );
    const total = performance.now() - started;
    console.log(
      `for comparison, the mock CLI then four runner processes at once: ${fmt(total)} from spawning the mock to the last runner's exit (mock ready after ${fmt(readyAt - started)})`,
    );
    console.log(lines.join('\n'));
  } finally {
    mock.kill();
  }
}

/**
 * `npm run check:mock` as a user runs it, from a cold process (the compiled script, as the npm
 * script runs it, without npm's own start-up): spawn to exit. Each round also runs it as
 * `node --turbofan` (V8's optimising compiler on in both processes, whatever the core count), the
 * baseline of its V8 flags (scripts/check-mock.ts, shortRunFlags); the two alternate which goes first.
 */
async function checkMockCold(): Promise<void> {
  const cold = async (args: string[]) => {
    let verdict = '';
    const started = performance.now();
    const code = await runChild([...args, 'dist/scripts/check-mock.js'], (line) => {
      if (/^(PASSED|FAILED) · \d+ APIs/.test(line)) verdict = line;
    }).done;
    return { wall: performance.now() - started, code, verdict };
  };
  const runs: Awaited<ReturnType<typeof cold>>[] = [];
  const baseline: Awaited<ReturnType<typeof cold>>[] = [];
  for (let round = 0; round < MOCK_ROUNDS; round++) {
    if (round % 2 === 1) baseline.push(await cold(['--turbofan']));
    runs.push(await cold([]));
    if (round % 2 === 0) baseline.push(await cold(['--turbofan']));
  }
  const walls = runs.map((r) => r.wall);
  const turbofan = baseline.map((r) => r.wall);
  console.log(
    `npm run check:mock (node dist/scripts/check-mock.js), cold: ${fmt(median(walls))} median of ${runs.length} (${walls.map(fmt).join(', ')}) from spawn to exit; goal < 2 s`,
  );
  console.log(`  exit ${runs.map((r) => r.code).join(', ')} · ${runs[0]?.verdict ?? ''}`);
  console.log(
    `  the same with TurboFan in both processes (node --turbofan): ${fmt(median(turbofan))} median (${turbofan.map(fmt).join(', ')}), ${(median(turbofan) / median(walls)).toFixed(2)}x; exit ${baseline.map((r) => r.code).join(', ')}`,
  );
}

if (process.argv.includes(SERVE_FLAG)) serve();
else {
  if (!process.env.BENCH_SKIP_OVERHEAD) await runnerOverhead();
  if (!process.env.BENCH_SKIP_MOCK) {
    await checkMockCold();
    await fourSpecsAgainstMock();
  }
}
