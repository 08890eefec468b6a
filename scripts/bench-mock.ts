/**
 * `npm run bench:mock`: the mock (stateful, in one process) against bare `prism mock` on the same
 * spec and against a bare node:http server answering a fixed 201 (the ceiling), for a valid and an
 * invalid create. Every server runs as a child process so that autocannon, here, never competes
 * with the server for its event loop. Also times the startup of all four APIs, and the rate of 8x8
 * creates (each a new contact) on an empty store and with 50,000 contacts stored, seeded through
 * the API itself (`BENCH_STORED` changes the number).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { startMock } from '../mocks/server.js';

const root = resolve(fileURLToPath(import.meta.url), '../..');
const SPEC = 'specs/bigchange-contact-groups.yaml';
const DURATION = Number(process.env.BENCH_SECONDS ?? 4);
const CONNECTIONS = 20;
const HEADERS = { authorization: 'Bearer bench-token', 'customer-id': '14532', 'content-type': 'application/json' };
const VALID = JSON.stringify({ name: 'Field engineers' });
const STORED = Number(process.env.BENCH_STORED ?? 50_000);
const CONTACTS = '/8x8/api/v1/accounts/4f1f1e0c-6a7b-4d2e-9a41-2c0f1d8e7b35/contacts';
const INVALID = JSON.stringify({});
/** Prism's default; it logs every request, which is how users run it. */
const PRISM_LOG_LEVEL = 'info';

interface Figures {
  rps: number;
  p99: number;
  statuses: string;
}

function freePort(): Promise<number> {
  return new Promise((resolvePort) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

/** Spawns a server and resolves once its output contains `ready`; the output keeps being drained. */
function spawnServer(
  command: string,
  args: string[],
  ready: string,
): Promise<{ child: ChildProcess; startupMs: number }> {
  const started = performance.now();
  const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolveStart, reject) => {
    let seen = '';
    const onData = (chunk: Buffer): void => {
      if (seen.includes(ready)) return;
      seen += chunk.toString();
      if (seen.includes(ready)) resolveStart({ child, startupMs: performance.now() - started });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) =>
      reject(new Error(`${command} ${args.join(' ')} exited with ${code}: ${seen.slice(-500)}`)),
    );
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  child.removeAllListeners('exit');
  await new Promise<void>((done) => {
    child.once('exit', () => done());
    child.kill('SIGTERM');
  });
}

async function load(url: string, body: string, seconds = DURATION): Promise<Figures> {
  const result = await autocannon({
    url,
    method: 'POST',
    headers: HEADERS,
    body,
    connections: CONNECTIONS,
    duration: seconds,
  });
  const statuses = Object.entries(result.statusCodeStats ?? {})
    .map(([status, { count }]) => `${status}x${count ?? 0}`)
    .join(' ');
  return {
    rps: result.requests.average,
    p99: result.latency.p99,
    statuses: result.errors > 0 ? `${statuses} errors=${result.errors}` : statuses,
  };
}

/** A new phone number per request: every create stores a contact (none merges into another). */
let contactNumber = 0;
const newContact = (request: autocannon.Request): autocannon.Request => ({
  ...request,
  body: JSON.stringify({
    firstName: 'Bench',
    addresses: { msisdn: `+4479${String(contactNumber++).padStart(9, '0')}` },
  }),
});

interface Server {
  origin: string;
  pid: number | undefined;
}

/** Linux's USER_HZ, the unit of /proc/<pid>/stat times, is 100 wherever Node runs. */
const CLOCK_TICKS = 100;

/** CPU seconds a process has used (Linux /proc); undefined elsewhere. */
function cpuSeconds(pid: number | undefined): number | undefined {
  try {
    // Fields 14 and 15 (user and system time, in clock ticks) come after the parenthesised command name.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}

interface CreateRun {
  figures: Figures;
  requests: number;
  /** CPU seconds the mock spent on them. */
  cpu: number | undefined;
}

/** 8x8 creates for `seconds`, or exactly `amount` of them. */
async function createContacts(server: Server, run: { seconds: number } | { amount: number }): Promise<CreateRun> {
  const cpuBefore = cpuSeconds(server.pid);
  const result = await autocannon({
    url: server.origin,
    connections: CONNECTIONS,
    ...('amount' in run ? { amount: run.amount } : { duration: run.seconds }),
    requests: [
      {
        method: 'POST',
        path: CONTACTS,
        headers: { authorization: 'Bearer bench-token', 'content-type': 'application/json' },
        setupRequest: newContact,
      },
    ],
  });
  const cpuAfter = cpuSeconds(server.pid);
  const statuses = Object.entries(result.statusCodeStats ?? {})
    .map(([status, { count }]) => `${status}x${count ?? 0}`)
    .join(' ');
  return {
    figures: {
      rps: result.requests.average,
      p99: result.latency.p99,
      statuses: result.errors > 0 ? `${statuses} errors=${result.errors}` : statuses,
    },
    requests: result.requests.total,
    cpu: cpuBefore !== undefined && cpuAfter !== undefined ? cpuAfter - cpuBefore : undefined,
  };
}

async function storedContacts(origin: string): Promise<number> {
  const response = await fetch(`${origin}/__mock/state`);
  const state = (await response.json()) as { '8x8'?: { contacts?: unknown[] } };
  return state['8x8']?.contacts?.length ?? 0;
}

interface Scaling {
  figures: Figures;
  /** The mock's CPU milliseconds per create: what a busy machine changes least. */
  cpuMsPerCreate: number | undefined;
}

/** Several runs as one: the mean rate, the worst p99, the statuses and the CPU time added up. */
function combined(runs: readonly CreateRun[]): Scaling {
  const statuses = new Map<string, number>();
  for (const { figures } of runs) {
    for (const part of figures.statuses.split(' ')) {
      const [status, count] = part.split('x');
      if (status && count) statuses.set(status, (statuses.get(status) ?? 0) + Number(count));
    }
  }
  const requests = runs.reduce((sum, run) => sum + run.requests, 0);
  const cpu = runs.every((run) => run.cpu !== undefined) ? runs.reduce((sum, run) => sum + run.cpu!, 0) : undefined;
  return {
    figures: {
      rps: runs.reduce((sum, run) => sum + run.figures.rps, 0) / runs.length,
      p99: Math.max(...runs.map((run) => run.figures.p99)),
      statuses: [...statuses].map(([status, count]) => `${status}x${count}`).join(' '),
    },
    cpuMsPerCreate: cpu !== undefined && requests > 0 ? (cpu * 1000) / requests : undefined,
  };
}

/**
 * 8x8 creates with STORED contacts and on an empty store, in two mock processes made alike: each
 * makes STORED contacts first (the warm-up), then one is emptied again. Their runs alternate, so
 * that the machine's load, which drifts, weighs on both the same.
 */
async function scaling(full: Server, empty: Server): Promise<{ empty: Scaling; full: Scaling; seeded: number }> {
  for (const server of [full, empty]) {
    await fetch(`${server.origin}/__mock/reset`, { method: 'POST' });
    await createContacts(server, { amount: STORED });
  }
  const seeded = await storedContacts(full.origin);
  const runs = { full: [] as CreateRun[], empty: [] as CreateRun[] };
  for (let round = 0; round < 3; round++) {
    for (const which of round % 2 === 0 ? (['full', 'empty'] as const) : (['empty', 'full'] as const)) {
      // The empty store is emptied before each of its runs: it holds no more than one run's creates.
      if (which === 'empty') await fetch(`${empty.origin}/__mock/reset`, { method: 'POST' });
      runs[which].push(await createContacts(which === 'full' ? full : empty, { seconds: DURATION }));
    }
  }
  return { full: combined(runs.full), empty: combined(runs.empty), seeded };
}

async function measure(url: string, body: string): Promise<Figures> {
  await load(url, body, 1); // warm-up: JIT, validators, connections
  return load(url, body);
}

const CEILING = `require('node:http').createServer((req, res) => { req.resume(); req.on('end', () => { res.writeHead(201, { 'content-type': 'application/json' }); res.end('{"id":1}'); }); }).listen(Number(process.argv[1]), '127.0.0.1', () => console.log('ceiling ready'));`;

async function main(): Promise<void> {
  // Startup of all four APIs: in-process (startMock) and as `npm start` does it (a fresh process).
  const inProcessStart = performance.now();
  const probe = await startMock({ port: 0 });
  const inProcessMs = performance.now() - inProcessStart;
  await probe.close();

  const mockPort = await freePort();
  const mock = await spawnServer(process.execPath, [join('bin', 'mock.js'), '--port', String(mockPort)], 'Mock ready');
  const emptyPort = await freePort();
  const emptyMock = await spawnServer(
    process.execPath,
    [join('bin', 'mock.js'), '--port', String(emptyPort)],
    'Mock ready',
  );
  const prismPort = await freePort();
  const prism = await spawnServer(
    join(root, 'node_modules/.bin/prism'),
    ['mock', '-p', String(prismPort), '--errors=false', '-v', PRISM_LOG_LEVEL, SPEC],
    'Prism is listening',
  );
  const ceilingPort = await freePort();
  const ceiling = await spawnServer(process.execPath, ['-e', CEILING, String(ceilingPort)], 'ceiling ready');

  try {
    const mockUrl = `http://127.0.0.1:${mockPort}/bigchange/v1/contactGroups`;
    const prismUrl = `http://127.0.0.1:${prismPort}/v1/contactGroups`;
    const rows: [string, Figures][] = [
      ['mock, valid create (201, stateful)', await measure(mockUrl, VALID)],
      ['mock, invalid create (422)', await measure(mockUrl, INVALID)],
      [`prism mock -v ${PRISM_LOG_LEVEL}, valid create`, await measure(prismUrl, VALID)],
      [`prism mock -v ${PRISM_LOG_LEVEL}, invalid create`, await measure(prismUrl, INVALID)],
      ['node:http fixed 201 (ceiling)', await measure(`http://127.0.0.1:${ceilingPort}/`, VALID)],
    ];
    const contacts = await scaling(
      { origin: `http://127.0.0.1:${mockPort}`, pid: mock.child.pid },
      { origin: `http://127.0.0.1:${emptyPort}`, pid: emptyMock.child.pid },
    );
    rows.push(
      ['mock, 8x8 create, empty store (3 runs)', contacts.empty.figures],
      [`mock, 8x8 create, ${contacts.seeded.toLocaleString('en')} stored (3 runs)`, contacts.full.figures],
    );
    const [mockValid, mockInvalid, prismValid, prismInvalid, top] = rows.map(([, f]) => f) as [
      Figures,
      Figures,
      Figures,
      Figures,
      Figures,
    ];
    const width = Math.max(...rows.map(([name]) => name.length));
    console.log(`\n${CONNECTIONS} connections, ${DURATION} s per run after a 1 s warm-up, spec ${SPEC}\n`);
    console.log(`${'target'.padEnd(width)}  ${'req/s'.padStart(8)}  ${'p99 ms'.padStart(7)}  statuses`);
    for (const [name, f] of rows)
      console.log(
        `${name.padEnd(width)}  ${f.rps.toFixed(0).padStart(8)}  ${String(f.p99).padStart(7)}  ${f.statuses}`,
      );
    const ratio = (a: Figures, b: Figures): string => (a.rps / b.rps).toFixed(2);
    console.log(
      `\nmock / prism mock:  valid ${ratio(mockValid, prismValid)}x, invalid ${ratio(mockInvalid, prismInvalid)}x (goal >= 1.5)`,
    );
    console.log(`mock / node:http ceiling:  valid ${ratio(mockValid, top)}x, invalid ${ratio(mockInvalid, top)}x`);
    const stored = contacts.seeded.toLocaleString('en');
    console.log(
      `8x8 create rate with ${stored} contacts stored / with none: ${ratio(contacts.full.figures, contacts.empty.figures)}x (goal >= 0.8)`,
    );
    const [cpuFull, cpuEmpty] = [contacts.full.cpuMsPerCreate, contacts.empty.cpuMsPerCreate];
    if (cpuFull !== undefined && cpuEmpty !== undefined)
      console.log(
        `8x8 create, mock CPU per create: ${cpuEmpty.toFixed(3)} ms with none stored, ${cpuFull.toFixed(3)} ms with ${stored} (none / ${stored}: ${(cpuEmpty / cpuFull).toFixed(2)}x)`,
      );
    console.log(
      `startup of all four APIs: startMock() ${inProcessMs.toFixed(0)} ms; \`npm start\`-style process to ready ${mock.startupMs.toFixed(0)} ms (goal < 2000 ms); prism mock (one spec) ${prism.startupMs.toFixed(0)} ms`,
    );
  } finally {
    await Promise.all([stop(mock.child), stop(emptyMock.child), stop(prism.child), stop(ceiling.child)]);
  }
}

main().catch((error: unknown) => {
  console.error(`bench-mock: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
