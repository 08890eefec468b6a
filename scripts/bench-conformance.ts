/**
 * `npm run bench:conformance`: how much the runner costs on top of the HTTP it sends.
 *
 * 1. One fast local node:http server. The runner sends a large seeded plan to it (--max-cases
 *    raises the random phase); then the exact requests it sent are replayed by a bare undici loop
 *    at the same concurrency. The loop is the floor: the ratio is the runner's overhead
 *    (generation, checks, reports). Goal: runner send+check time within 1.2x of the floor.
 * 2. All four specs against the local mock, start-up included. Goal: under 5 s.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, request } from 'undici';
import { run } from '../conformance/index.js';
import { startMock } from '../mocks/server.js';
import type { SentRequest } from '../conformance/types.js';

const SPEC = 'specs/easify-contact-groups.yaml';
const CONCURRENCY = 16;
const RANDOM_CASES = Number(process.env.BENCH_CASES ?? 4000);

/** Answers every request at once with a documented success body and headers. */
function fastServer(): Promise<{ server: Server; url: string }> {
  const body = JSON.stringify({ status: true, message: 'Contact Group created successfully', data: { id: 1, name: 'x', contacts_count: 0, shared_group: false, default_group: false, created_at: '12-02-2024 03:13:35 AM' } });
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json', 'x-ratelimit-limit': '15', 'x-ratelimit-remaining': '14' }).end(body));
  });
  server.keepAliveTimeout = 10_000;
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })));
}

interface Timing {
  wall: number;
  /** CPU of this process (runner or loop, plus the in-process server, the same for both). */
  cpu: number;
}

const cpuMs = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

async function bareLoop(requests: SentRequest[], concurrency: number): Promise<Timing> {
  const agent = new Agent({ connections: concurrency });
  const started = performance.now();
  const cpuStarted = cpuMs();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < requests.length) {
      const r = requests[next++]!;
      const res = await request(r.url, { dispatcher: agent, method: r.method as 'POST', headers: r.headers, ...(r.body !== undefined ? { body: r.body } : {}) });
      await res.body.text();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const timing = { wall: performance.now() - started, cpu: cpuMs() - cpuStarted };
  await agent.close();
  return timing;
}

const fmt = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

const ROUNDS = 5;
const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function runnerOverhead(): Promise<void> {
  const { server, url } = await fastServer();
  try {
    const runner = async (): Promise<{ total: Timing; sendAndCheck: Timing; requests: SentRequest[] }> => {
      const started = performance.now();
      const cpuStarted = cpuMs();
      let sendStarted = 0;
      let sendCpuStarted = 0;
      const result = await run({
        spec: SPEC,
        baseUrl: url,
        seed: 2,
        maxCases: RANDOM_CASES,
        concurrency: CONCURRENCY,
        progress: {
          start: () => {
            sendStarted = performance.now();
            sendCpuStarted = cpuMs();
          },
          tick: () => undefined,
          stop: () => undefined,
        },
      });
      const [end, cpuEnd] = [performance.now(), cpuMs()];
      return {
        total: { wall: end - started, cpu: cpuEnd - cpuStarted },
        sendAndCheck: { wall: end - sendStarted, cpu: cpuEnd - sendCpuStarted },
        requests: result.results.filter((r) => !r.exchange.notSent).map((r) => r.exchange.request),
      };
    };
    // Warm-up of both sides at full size: JIT and sockets are hot before anything is timed.
    const { requests } = await runner();
    await bareLoop(requests, CONCURRENCY);
    const rounds: { total: Timing; sendAndCheck: Timing; floor: Timing }[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const measured = await runner();
      rounds.push({ ...measured, floor: await bareLoop(requests, CONCURRENCY) });
    }
    const pick = (f: (r: (typeof rounds)[number]) => number): number => median(rounds.map(f));
    const n = requests.length;
    const line = (label: string, wall: number, cpu: number, unit: string): string =>
      `  ${label.padEnd(48)} ${fmt(wall)}  ${String(Math.round(n / (wall / 1000))).padStart(6)} ${unit}/s   cpu ${fmt(cpu)}`;
    console.log(`runner vs bare undici loop: ${n} requests, concurrency ${CONCURRENCY}, one local node:http server, median of ${ROUNDS} alternating rounds`);
    console.log(line('runner, whole run (plan + send + check + report)', pick((r) => r.total.wall), pick((r) => r.total.cpu), 'cases'));
    console.log(line('runner, send + check + report', pick((r) => r.sendAndCheck.wall), pick((r) => r.sendAndCheck.cpu), 'cases'));
    console.log(line('bare undici loop (floor)', pick((r) => r.floor.wall), pick((r) => r.floor.cpu), 'requests'));
    const ratio = (f: (r: (typeof rounds)[number]) => number): string => pick(f).toFixed(2);
    console.log(`  ratio send+check / floor: wall ${ratio((r) => r.sendAndCheck.wall / r.floor.wall)}x, cpu ${ratio((r) => r.sendAndCheck.cpu / r.floor.cpu)}x (goal <= 1.2x)`);
    console.log(`  ratio whole run / floor:  wall ${ratio((r) => r.total.wall / r.floor.wall)}x, cpu ${ratio((r) => r.total.cpu / r.floor.cpu)}x`);
  } finally {
    server.close();
  }
}

async function fourSpecsAgainstMock(): Promise<void> {
  const started = performance.now();
  const mock = await startMock({ port: 0 });
  const startedUp = performance.now();
  const lines: string[] = [];
  try {
    for (const api of mock.apis) {
      const t = performance.now();
      const result = await run({
        spec: api.specFile,
        baseUrl: api.baseUrl,
        seed: 7,
        headers: [['Authorization', 'Bearer bench-token-1234'], ['Customer-Id', '14532']],
      });
      const report = result.report!;
      lines.push(`  ${api.name.padEnd(10)} ${String(result.results.length).padStart(4)} requests  ${fmt(performance.now() - t)}  exit ${result.exitCode}  (${report.summary.failed} failed, ${report.throttled} throttled)`);
    }
  } finally {
    await mock.close();
  }
  const total = performance.now() - started;
  console.log(`all four specs against the local mock: ${fmt(total)} including mock start-up (${fmt(startedUp - started)}) (goal < 5 s)`);
  console.log(lines.join('\n'));
}

await runnerOverhead();
await fourSpecsAgainstMock();
