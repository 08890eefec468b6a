/**
 * `npm run soak:mock [-- --seconds 300 --connections 100 --idle 70]`: the load test's mix
 * (scripts/mock-traffic.ts) sent to a mock in this process for as long as asked, then the figures:
 * requests, answers per status and per kind, the records the answers said were created against the
 * records stored, RSS and heap before and after, and the rate limiter's windows at the end and,
 * after `--idle` seconds without traffic, again. Exit 1 when any answer was a 5xx, any request got no
 * answer, or created and stored disagree; 2 on a bad option.
 */
import { parseArgs } from 'node:util';
import { startMock } from '../mocks/server.js';
import { emptyTally, sendTraffic, storedCounts, TARGETS, type Tally, touchCollections } from './mock-traffic.js';

function option(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+(\.\d+)?$/.test(value)) {
    console.error(`soak-mock: --${name} must be a positive number, got "${value}"`);
    process.exit(2);
  }
  return Number(value);
}

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

function memory(): { rss: number; heap: number } {
  // Heap after a collection when node runs with --expose-gc; as it stands otherwise.
  (globalThis as { gc?: () => void }).gc?.();
  const usage = process.memoryUsage();
  return { rss: usage.rss, heap: usage.heapUsed };
}

function sorted<K>(map: Map<K, number>): [K, number][] {
  return [...map].sort(([a], [b]) => String(a).localeCompare(String(b), 'en', { numeric: true }));
}

async function main(): Promise<void> {
  let values: Record<string, string | undefined>;
  try {
    ({ values } = parseArgs({
      options: { seconds: { type: 'string' }, connections: { type: 'string' }, idle: { type: 'string' } },
    }));
  } catch (error) {
    console.error(`soak-mock: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  }
  const seconds = option(values.seconds ?? process.env.SOAK_SECONDS, 'seconds', 60);
  const connections = Math.max(1, Math.floor(option(values.connections, 'connections', 100)));
  const idle = option(values.idle, 'idle', 0);

  // Easify's rate limit as `npm start` serves it; every request carries a credential of its own.
  const mock = await startMock({ port: 0 });
  await touchCollections(mock.url);
  const before = { memory: memory(), stored: await storedCounts(mock.url) };
  console.log(
    `soak: ${seconds} s, ${connections} connections, mock at ${mock.url}; RSS ${mb(before.memory.rss)}, heap ${mb(before.memory.heap)}`,
  );

  const started = performance.now();
  const tally: Tally = emptyTally();
  let lastReport = started;
  await sendTraffic(
    {
      url: mock.url,
      connections,
      until: started + seconds * 1000,
      timeoutMs: 30_000,
      onAnswer: (t) => {
        const now = performance.now();
        if (now - lastReport < 10_000) return;
        lastReport = now;
        const windows = mock.stats().easify?.rateLimitWindows ?? 0;
        console.log(
          `  ${((now - started) / 1000).toFixed(0)} s: ${t.answered} answered, RSS ${mb(process.memoryUsage().rss)}, limiter windows ${windows}`,
        );
      },
    },
    tally,
  );
  const elapsed = (performance.now() - started) / 1000;

  const stored = await storedCounts(mock.url);
  const after = memory();
  const stats = mock.stats();
  console.log(
    `\nrequests: ${tally.answered} answered in ${elapsed.toFixed(1)} s (${(tally.answered / elapsed).toFixed(0)}/s), ${tally.failures.length} without an answer`,
  );
  console.log(
    `statuses: ${sorted(tally.statuses)
      .map(([s, n]) => `${s}x${n}`)
      .join(' ')}`,
  );
  console.log(
    `by kind:  ${sorted(tally.byKind)
      .map(([k, n]) => `${k}x${n}`)
      .join(', ')}`,
  );
  let mismatch = false;
  for (const { api } of TARGETS) {
    const created = tally.created.get(api) ?? 0;
    const added = stored.get(api)! - before.stored.get(api)!;
    if (created !== added) mismatch = true;
    console.log(`${api.padEnd(10)} created ${created}, stored ${added}${created === added ? '' : '  MISMATCH'}`);
  }
  console.log(
    `memory:   RSS ${mb(before.memory.rss)} -> ${mb(after.rss)}, heap ${mb(before.memory.heap)} -> ${mb(after.heap)}`,
  );
  console.log(
    `limiter:  ${stats.easify?.rateLimitWindows ?? 0} windows at the end (one per credential heard within the period)`,
  );
  if (idle > 0) {
    await new Promise((resolve) => setTimeout(resolve, idle * 1000));
    const rested = memory();
    console.log(
      `after ${idle} s idle: limiter ${mock.stats().easify?.rateLimitWindows ?? 0} windows, RSS ${mb(rested.rss)}, heap ${mb(rested.heap)}`,
    );
  }
  for (const line of [...tally.serverErrors, ...tally.failures.slice(0, 10)]) console.log(`  ${line}`);
  await mock.close();
  const fiveHundreds = [...tally.statuses].filter(([status]) => status >= 500).reduce((n, [, c]) => n + c, 0);
  const ok = fiveHundreds === 0 && tally.failures.length === 0 && !mismatch;
  console.log(
    ok
      ? '\nsoak: OK'
      : `\nsoak: FAILED (${fiveHundreds} 5xx, ${tally.failures.length} unanswered${mismatch ? ', created != stored' : ''})`,
  );
  process.exit(ok ? 0 : 1);
}

main().catch((error: unknown) => {
  console.error(`soak-mock: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
