/**
 * `npm run bench:cli`: the cold start of both CLIs, as a user pays it: a fresh `node bin/...` process
 * each time, timed from spawn to exit (or, for the mock, to its first answer).
 *
 * Rows: `node -e ''` (what any Node process costs here, the floor), `--version` and `--help` of both
 * CLIs, a tiny real run of the runner (one operation, no random cases, against a mock started once
 * beforehand) and the mock from spawn to its first answered request. Rounds interleave the rows so
 * that a machine busy with something else slows them all alike; each row prints the median and the
 * fastest of BENCH_SPAWNS rounds (default 15), and the median above the floor. Goal: --version and
 * --help of both CLIs within a small fraction of the 0.58 s the runner's --version once took.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ROUNDS = Number(process.env.BENCH_SPAWNS ?? 15);
const SPEC = 'specs/easify-contact-groups.yaml';
const OPERATION = 'listContactGroups';

interface Row {
  name: string;
  /** One timed sample in milliseconds. */
  sample(): Promise<number>;
}

/** Spawn to exit, in milliseconds; a non-zero exit other than `allowed` stops the benchmark. */
function timed(args: readonly string[], allowed: readonly number[] = [0]): () => Promise<number> {
  return () =>
    new Promise((resolve, reject) => {
      const started = performance.now();
      const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('error', reject);
      child.on('close', (code) => {
        const elapsed = performance.now() - started;
        if (allowed.includes(code ?? -1)) resolve(elapsed);
        else reject(new Error(`node ${args.join(' ')} exited ${code}: ${stderr.trim().split('\n')[0]}`));
      });
    });
}

/** Resolves with the URL the mock prints once it listens. */
function mockReady(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /Mock ready on (\S+)/.exec(out);
      if (match) resolve(match[1]!);
    });
    child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => reject(new Error(`the mock exited ${code} before it was ready: ${err.trim()}`)));
  });
}

function startMock(): { child: ChildProcess; ready: Promise<string> } {
  const child = spawn(process.execPath, ['bin/mock.js', '--port', '0', '--rate-limit', 'off'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return { child, ready: mockReady(child) };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const closed = new Promise((resolve) => child.once('close', resolve));
  child.kill('SIGTERM');
  await closed;
}

/** The mock from spawn to the answer of its first request (every spec loaded, Prism included). */
async function mockFirstAnswer(): Promise<number> {
  const started = performance.now();
  const { child, ready } = startMock();
  try {
    const url = await ready;
    const response = await fetch(`${url}/easify/api/v2/contact-groups`, {
      headers: { authorization: 'Bearer bench' },
    });
    await response.arrayBuffer();
    if (response.status >= 500) throw new Error(`the mock answered ${response.status}`);
    return performance.now() - started;
  } finally {
    await stop(child);
  }
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

async function main(): Promise<void> {
  if (!existsSync(join(ROOT, 'dist', 'conformance', 'cli.js'))) {
    console.error('bench-cli: dist/ is missing; run `npm run build` (or `npm ci`) first');
    process.exitCode = 2;
    return;
  }
  // One mock serves every tiny run; it is reset before each so that every run meets the same state.
  const target = startMock();
  const mockUrl = await target.ready;
  const tinyRun = timed(
    [
      'bin/conformance.js',
      '--spec',
      SPEC,
      '--base-url',
      `${mockUrl}/easify/api/v2`,
      '--operation',
      OPERATION,
      '--no-random',
      '--header',
      'Authorization: Bearer bench',
    ],
    [0, 1],
  );
  const rows: Row[] = [
    { name: "node -e ''", sample: timed(['-e', '']) },
    { name: 'conformance --version', sample: timed(['bin/conformance.js', '--version']) },
    { name: 'conformance --help', sample: timed(['bin/conformance.js', '--help']) },
    { name: 'contact-mock --version', sample: timed(['bin/mock.js', '--version']) },
    { name: 'contact-mock --help', sample: timed(['bin/mock.js', '--help']) },
    {
      name: `conformance, ${OPERATION} only, --no-random`,
      sample: async () => {
        await fetch(`${mockUrl}/__mock/reset`, { method: 'POST' }).then((r) => r.arrayBuffer());
        return tinyRun();
      },
    },
    { name: 'contact-mock, spawn to first answer', sample: mockFirstAnswer },
  ];
  const samples = rows.map(() => [] as number[]);
  try {
    // A round of every row first, unrecorded: the disk cache is warm for all of them alike.
    for (const row of rows) await row.sample();
    for (let round = 0; round < ROUNDS; round++) {
      for (const [index, row] of rows.entries()) samples[index]!.push(await row.sample());
    }
  } finally {
    await stop(target.child);
  }
  const floor = median(samples[0]!);
  const width = Math.max(...rows.map((row) => row.name.length));
  console.log(`Cold start, ${ROUNDS} spawns each (Node ${process.versions.node}, ${ROOT})`);
  console.log(`${'command'.padEnd(width)}  median    fastest   median above node -e ''`);
  for (const [index, row] of rows.entries()) {
    const values = samples[index]!;
    const ms = (value: number): string => `${Math.round(value)} ms`.padEnd(10);
    const above = index === 0 ? '' : `${Math.round(median(values) - floor)} ms`;
    console.log(`${row.name.padEnd(width)}  ${ms(median(values))}${ms(Math.min(...values))}${above}`);
  }
}

await main();
