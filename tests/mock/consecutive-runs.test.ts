/**
 * Runs of the conformance runner one after another against one mock as `npm start` serves it
 * (Easify's 15 requests a minute per credential included), at the runner's default concurrency (8)
 * and throttle wait, over all four specs: with a fresh token per run, and with one token reused run
 * after run, whose quota the earlier runs have used up. Every run exits 0: a throttled answer the
 * run cannot prove premature is not a failure. The mock's rate-limit clock stands still, so no
 * window frees up between runs however slowly the machine goes, and every Retry-After is the whole
 * minute, longer than the runner waits (it counts the answer and goes on without sleeping).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { main } from '../../conformance/cli.js';
import { type RunningMock, startMock } from '../../mocks/server.js';
import { REPO_ROOT, type SpecKey } from '../support/reference-server.js';
import { runConformance, summarize, targetArgs } from '../support/runner.js';
import { virtualClock } from '../support/virtual-clock.js';

const SPECS: readonly { key: SpecKey; prefix: string }[] = [
  { key: 'bigchange', prefix: 'bigchange' },
  { key: '8x8', prefix: '8x8' },
  { key: 'eloqua', prefix: 'eloqua' },
  { key: 'easify', prefix: 'easify' },
];
const RUNS = 3;

const now = Date.parse('2026-01-01T00:00:00Z');
let mock: RunningMock;
beforeAll(async () => {
  mock = await startMock({ port: 0, clock: () => now });
});
afterAll(() => mock.close());

/** One round: each spec run once (the four APIs at once: they share nothing), seeds new per round. */
async function round(n: number, token: (key: SpecKey) => string) {
  return Promise.all(
    SPECS.map(async ({ key, prefix }) => {
      const baseUrl = mock.apis.find((api) => api.name === prefix)!.baseUrl;
      // Another seed per run against a mock that keeps its records (these seeds meet none of each other's
      // unique values; the README's way is --cleanup).
      // The run honours the mock's Retry-After on a clock of its own, without spending it: the mock's
      // clock stands still, so its window never empties.
      const run = await runConformance(
        [...targetArgs(key, { baseUrl }, token(key)), '--seed', `${n}`, '--max-cases', '2'],
        { clock: virtualClock() },
      );
      return { key, run };
    }),
  );
}

describe('consecutive runs against the default mock all exit 0', () => {
  test('a fresh token per run', async () => {
    for (let n = 1; n <= RUNS; n++) {
      for (const { key, run } of await round(n, (key) => `fresh-${key}-${n}`)) {
        expect(run.code, `run ${n}, ${key}: ${run.describe()}\n${summarize(run.report)}`).toBe(0);
      }
    }
  });

  test('one token reused run after run', async () => {
    for (let n = 1; n <= RUNS; n++) {
      for (const { key, run } of await round(100 + n, () => 'reused-token')) {
        expect(run.code, `run ${n}, ${key}: ${run.describe()}\n${summarize(run.report)}`).toBe(0);
        // From the second run on, the token's quota is gone before the run starts: throttled, not judged.
        if (key === 'easify' && n > 1) {
          expect((run.report as unknown as { throttled?: number }).throttled, run.describe()).toBeGreaterThan(0);
          expect(run.stdout).toMatch(/answers were throttled \(the spec's rate-limit status\) and not judged/);
        }
      }
    }
  });
});

test('the shipped config, run twice against one mock: both pass (each run picks its own seed)', async () => {
  const port = new URL(mock.apis[0]!.baseUrl).port;
  for (let n = 1; n <= 2; n++) {
    let out = '';
    const code = await main(['--config', `${REPO_ROOT}conformance.config.yaml`, '--max-cases', '5'], {
      stdout: (text) => (out += text),
      stderr: (text) => (out += text),
      isTTY: false,
      env: { ...process.env, MOCK_PORT: port, NO_COLOR: '1' },
      clock: virtualClock(),
    });
    expect(code, `run ${n}\n${out}`).toBe(0);
    expect(out).toMatch(/^PASSED · 4 APIs/m);
  }
});
