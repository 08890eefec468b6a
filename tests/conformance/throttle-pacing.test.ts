/**
 * A throttled answer holds the whole run: after a 429 (the spec's rate-limit status or not) with
 * Retry-After, no request reaches the server until that time has passed, whether the case is
 * retried (within --throttle-wait) or reported as throttled. The cleanup's deletes wait out
 * Retry-After too, within a cap of their own, so what the run created is still deleted. And every
 * request on the wire is paced, the client's own resend after a closed connection included.
 *
 * The runner and the servers read one injected clock that moves only when the runner waits, so
 * "no request inside the Retry-After" is counted on the server, never timed: Retry-After 600 s
 * costs no real time, and a slow machine cannot make a request look late or early.
 */
import { afterAll, describe, expect, test } from 'vitest';
import type { Clock } from '../../conformance/clock.js';
import { type RunOptions, run } from '../../conformance/run.js';
import type { Fault } from '../support/reference/core.js';
import {
  REPO_ROOT,
  type RunningServer,
  SPEC_FILES,
  type SpecKey,
  type StoredRecord,
  startReferenceServer,
} from '../support/reference-server.js';
import { virtualClock } from '../support/virtual-clock.js';

const servers: RunningServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

interface Arrival {
  at: number;
  method: string;
  throttled: boolean;
}

/** A server fault: answers 429 with `Retry-After` to the requests `when` picks, and notes every arrival. */
function throttling(
  clock: Clock,
  retryAfterS: number,
  when: (index: number, method: string, path: string) => boolean,
): { fault: Fault; arrivals: Arrival[] } {
  const arrivals: Arrival[] = [];
  const fault: Fault = {
    name: 'throttles',
    description: `answers 429 with Retry-After: ${retryAfterS}`,
    socket: (_req, res, ex) => {
      const throttled = when(ex.index, ex.method, ex.path);
      arrivals.push({ at: clock.now(), method: ex.method, throttled });
      if (!throttled) return false;
      res.writeHead(429, { 'Content-Type': 'application/json', 'Retry-After': String(retryAfterS) });
      res.end(JSON.stringify({ message: `Too many requests. Try again in ${retryAfterS} seconds` }));
      return true;
    },
  };
  return { fault, arrivals };
}

/** The same, for a window: every request from the `from`th on, until `retryAfterS` after the first 429. */
function throttlingWindow(clock: Clock, from: number, retryAfterS: number) {
  let started: number | undefined;
  return throttling(clock, retryAfterS, (index) => {
    if (index < from) return false;
    started ??= clock.now();
    return clock.now() - started < retryAfterS * 1000;
  });
}

const key = (record: StoredRecord): string => `${record.collection} ${record.id}`;

async function runAgainst(spec: SpecKey, fault: Fault, clock: Clock, extra: Partial<RunOptions> = {}) {
  const server = await startReferenceServer(spec, { rateLimit: false, faults: [fault], clock: () => clock.now() });
  servers.push(server);
  const before = server.records().map(key);
  const result = await run({
    spec: `${REPO_ROOT}/${SPEC_FILES[spec]}`,
    baseUrl: server.baseUrl,
    headers: [['Authorization', 'Bearer test-token-5c1d']],
    seed: 7,
    maxCases: 4,
    random: false,
    // One request at a time: every request after a 429 was sent after its answer arrived.
    concurrency: 1,
    cleanup: true,
    clock,
    ...extra,
  });
  return { server, before, report: result.report! };
}

/** Requests that arrived after the first 429 and before its Retry-After had passed. */
function inside(arrivals: Arrival[], retryAfterS: number): Arrival[] {
  const first = arrivals.findIndex((a) => a.throttled);
  expect(first, 'the server throttled a request').toBeGreaterThanOrEqual(0);
  const from = arrivals[first]!.at;
  return arrivals.slice(first + 1).filter((a) => a.at < from + retryAfterS * 1000);
}

describe.concurrent('a throttled answer pauses the run', () => {
  test("the spec's rate-limit status with a Retry-After longer than --throttle-wait: nothing is sent inside it", async () => {
    const clock = virtualClock();
    const { fault, arrivals } = throttlingWindow(clock, 10, 600);
    const { report } = await runAgainst('easify', fault, clock);
    expect(inside(arrivals, 600)).toEqual([]);
    expect(arrivals.length).toBeGreaterThan(20);
    // 600 s is past the 10 s budget: the case is reported as throttled, not retried.
    expect(report.throttled).toBe(1);
    expect(arrivals.filter((a) => a.throttled)).toHaveLength(1);
  });

  test('a 429 when the spec documents no rate limit: nothing is sent inside its Retry-After', async () => {
    const clock = virtualClock();
    const { fault, arrivals } = throttlingWindow(clock, 10, 600);
    await runAgainst('eloqua', fault, clock);
    expect(inside(arrivals, 600)).toEqual([]);
    expect(arrivals.length).toBeGreaterThan(20);
  });

  test('a 503 with Retry-After holds the run as a 429 does', async () => {
    const clock = virtualClock();
    let started: number | undefined;
    const arrivals: Arrival[] = [];
    const fault: Fault = {
      name: 'unavailable',
      description: 'answers 503 with Retry-After: 600 for ten minutes from the 10th request',
      socket: (_req, res, ex) => {
        const throttled = ex.index >= 10 && clock.now() - (started ??= clock.now()) < 600_000;
        arrivals.push({ at: clock.now(), method: ex.method, throttled });
        if (!throttled) return false;
        res.writeHead(503, { 'Content-Type': 'text/plain', 'Retry-After': '600' });
        res.end('down for maintenance');
        return true;
      },
    };
    await runAgainst('eloqua', fault, clock);
    expect(inside(arrivals, 600)).toEqual([]);
  });
});

test('a server asking for a day (Retry-After: 86400) does not hold the run: the rest is not sent, the run ends', async () => {
  const clock = virtualClock();
  const { fault, arrivals } = throttlingWindow(clock, 10, 86_400);
  const startedAt = clock.now();
  const { report } = await runAgainst('eloqua', fault, clock);
  // Nothing went out inside the day asked for, and the run did not wait it out.
  expect(inside(arrivals, 86_400)).toEqual([]);
  expect(clock.now() - startedAt).toBeLessThan(86_400_000);
  const reasons = report.notSentBy.map((n) => n.reason);
  expect(reasons.join('\n')).toMatch(/the server asked the run to wait more than 15 min \(Retry-After\)/);
});

describe.concurrent('the cleanup waits out Retry-After', () => {
  test('a delete answered 429 with Retry-After 120 is sent again after it, and the records are gone', async () => {
    const clock = virtualClock();
    const seen = new Set<string>();
    const { fault, arrivals } = throttling(clock, 120, (_, method, path) => {
      if (method !== 'DELETE' || seen.has(path)) return false;
      seen.add(path);
      return true;
    });
    const { server, before, report } = await runAgainst('easify', fault, clock);
    expect(report.cleanup?.leftovers).toEqual([]);
    expect(report.cleanup?.cleaned).toBeGreaterThan(0);
    expect(server.records().map(key)).toEqual(before);
    expect(inside(arrivals, 120)).toEqual([]);
  });

  test('a Retry-After past the cleanup wait leaves the record, reported with why, and the run ends', async () => {
    const clock = virtualClock();
    let cleanup = false;
    const { fault } = throttling(clock, 3600, (_, method) => {
      // The planned cases are over once the cleanup's deletes come: from then on every delete is refused.
      cleanup ||= method === 'DELETE';
      return cleanup && method === 'DELETE';
    });
    const { report } = await runAgainst('easify', fault, clock);
    const reasons = new Set(report.cleanup?.leftovers.map((l) => l.reason));
    expect(
      [...reasons].some((r) => /past the cleanup's 15 min wait on Retry-After/.test(r)),
      [...reasons].join('\n'),
    ).toBe(true);
  });
});

test("the client's resend after a connection closed without an answer waits for the pace like any request", async () => {
  const clock = virtualClock();
  const arrivals: number[] = [];
  const closed = new Set<string>();
  const fault: Fault = {
    name: 'closes idle connections',
    description: 'closes the connection of the first GET of each path without an answer',
    socket: (req, _res, ex) => {
      arrivals.push(clock.now());
      if (ex.method !== 'GET' || closed.has(ex.path)) return false;
      closed.add(ex.path);
      req.socket.destroy();
      return true;
    },
  };
  await runAgainst('eloqua', fault, clock, { rateLimit: { limit: 4, period: 1 }, cleanup: false });
  expect(closed.size).toBeGreaterThan(0);
  // 4 a second: every request on the wire starts at least 250 ms after the one before it.
  const gaps = arrivals.slice(1).map((at, i) => at - arrivals[i]!);
  expect(gaps.filter((gap) => gap < 250)).toEqual([]);
});
