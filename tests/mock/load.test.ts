/**
 * The mock under load, at a size a test can afford: 100 connections at once sending valid,
 * duplicate, invalid, malformed, oversized, wrongly typed and unauthenticated creates to the four
 * APIs (scripts/mock-traffic.ts; `npm run soak:mock` sends the same mix for as long as asked).
 * No 5xx, no request left without an answer, the server still answering afterwards, and exactly as
 * many records stored as answers said were created. Counts only: nothing here depends on speed.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type RunningMock, startMock } from '../../mocks/server.js';
import { KINDS, sendTraffic, storedCounts, TARGETS, touchCollections } from '../../scripts/mock-traffic.js';

const REQUESTS = 1200;
let mock: RunningMock;

beforeAll(async () => {
  // As `npm start` serves it: Easify's rate limit on (every request here carries a credential of its own).
  mock = await startMock({ port: 0 });
});
afterAll(() => mock.close());

it('100 connections of mixed requests: no 5xx, every request answered, created equals stored', async () => {
  await touchCollections(mock.url);
  const before = await storedCounts(mock.url);
  // A generous bound per request, so that a hang fails this test instead of stalling the suite.
  const tally = await sendTraffic({ url: mock.url, connections: 100, requests: REQUESTS, timeoutMs: 30_000 });
  const context = JSON.stringify({
    statuses: Object.fromEntries(tally.statuses),
    failures: tally.failures.slice(0, 5),
    serverErrors: tally.serverErrors,
  });

  expect(tally.failures, context).toEqual([]);
  expect(tally.answered, context).toBe(REQUESTS);
  expect(tally.serverErrors, context).toEqual([]);
  expect([...tally.statuses.keys()].filter((status) => status >= 500)).toEqual([]);
  // Every kind was sent, and only valid and duplicate requests were ever accepted.
  const kinds = new Set([...tally.byKind.keys()].map((key) => key.split(' ')[0]));
  expect([...kinds].sort()).toEqual([...KINDS].sort());
  for (const [key, count] of tally.byKind) {
    const [kind, status] = key.split(' ') as [string, string];
    if (kind !== 'valid' && kind !== 'duplicate')
      expect(Number(status), `${kind}: ${count}x ${status}`).toBeGreaterThanOrEqual(400);
  }

  // The server still answers, and holds exactly what it said it created.
  const after = await storedCounts(mock.url);
  for (const { api } of TARGETS) {
    const created = tally.created.get(api) ?? 0;
    expect(created, `${api}: some creates`).toBeGreaterThan(0);
    expect(after.get(api)! - before.get(api)!, `${api}: stored vs created`).toBe(created);
  }
  // One rate-limit window per credential the Easify requests carried, none for the others.
  expect(mock.stats().easify!.rateLimitWindows).toBeGreaterThan(0);
  expect(mock.stats().bigchange!.rateLimitWindows).toBe(0);
});
