/**
 * Hostile input against the real mock: 10,000 distinct credentials flood the rate limiter, and once
 * their window has passed it holds no more windows than before. The limiter's memory is judged by
 * the windows it holds and its time is an injected clock; nothing here measures time. 10,000
 * pipelined requests: in the e2e tier, beside the other load tests.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningMock, startMock } from '../../mocks/server.js';
import { pipelined, sendRaw } from './support/raw-http.js';

describe('rate-limit windows of credentials no longer heard from', () => {
  let now = Date.parse('2026-01-01T00:00:00Z');
  let limited: RunningMock;
  let limitedPort: number;
  beforeAll(async () => {
    // Easify's own x-rate-limit (15 a minute per credential), on a clock the test moves.
    limited = await startMock({ port: 0, clock: () => now });
    limitedPort = Number(new URL(limited.url).port);
  });
  afterAll(() => limited.close());

  it('10,000 distinct tokens, then a window later: the limiter holds as many windows as before', async () => {
    const base = limited.stats().easify!.rateLimitWindows;
    // Malformed JSON: counted by the limiter (it comes before validation), then refused at once.
    const flood = (from: number) =>
      Array.from(
        { length: 2500 },
        (_, i) =>
          `POST /easify/api/v2/contact-groups/create HTTP/1.1\r\nHost: mock\r\n` +
          `Authorization: Bearer flood-${from + i}\r\nContent-Type: application/json\r\nContent-Length: 1\r\n\r\n{`,
      );
    const statuses = (
      await Promise.all([0, 2500, 5000, 7500].map((from) => pipelined(limitedPort, flood(from))))
    ).flat();
    expect(statuses).toHaveLength(10_000);
    expect(statuses.filter((status) => status !== 422)).toEqual([]);
    expect(limited.stats().easify!.rateLimitWindows).toBe(base + 10_000);

    now += 59_999;
    expect(limited.stats().easify!.rateLimitWindows, 'still inside the window').toBe(base + 10_000);
    now += 2;
    expect(limited.stats().easify!.rateLimitWindows).toBe(base);

    // And a request after the idle time is admitted and counted as usual.
    const after = await sendRaw(limitedPort, 'GET', '/easify/api/v2/contact-groups', { authorization: 'Bearer late' });
    expect(after.status).toBe(200);
    expect(limited.stats().easify!.rateLimitWindows).toBe(base + 1);
  });
});
