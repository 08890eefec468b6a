/**
 * The cleanup pass against servers that keep what they are sent: after a run with `--cleanup`, the
 * server holds nothing the run created, except what the spec gives no way to delete (BigChange's
 * contact groups), and exactly that is listed as left behind, in the JSON report and the summary.
 * On loopback the pass is off unless asked for (`--cleanup`, or `--live`): the same run without it
 * leaves its records. And a
 * server that already holds many records like the run's own still passes: a full page of a list
 * does not prove the run's record missing.
 */

import { request } from 'undici';
import { afterAll, describe, expect, test } from 'vitest';
import {
  type RunningServer,
  type SpecKey,
  type StoredRecord,
  specFor,
  startReferenceServer,
} from '../support/reference-server.js';
import {
  COMMON,
  eager,
  pool,
  type RunResult,
  runConformance,
  summarize,
  TOKEN,
  targetArgs,
} from '../support/runner.js';

const servers: RunningServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

const schedule = pool(3);
// Only a guard against a hang: three runs at a time share two cores with the other test files.
const KILL_AFTER_MS = 120_000;

const key = (record: StoredRecord): string => `${record.collection} ${record.id}`;

interface Outcome {
  server: RunningServer;
  /** What the server held before the run (an account's own records, such as Easify's default group). */
  before: string[];
  run: RunResult;
}

function against(spec: SpecKey, args: string[]): Promise<Outcome> {
  return eager(
    schedule(async () => {
      const server = await startReferenceServer(spec, { rateLimit: false });
      servers.push(server);
      const before = server.records().map(key);
      // The boundaries, examples and scenarios make records of every collection; the random phase adds none.
      const run = await runConformance([...targetArgs(spec, server), ...COMMON, '--no-random', ...args], {
        killAfterMs: KILL_AFTER_MS,
      });
      return { server, before, run };
    }),
  );
}

const cleaned = new Map(
  (['8x8', 'eloqua', 'easify', 'bigchange'] as const).map((spec) => [spec, against(spec, ['--cleanup'])]),
);
const kept = against('8x8', []);
const live = against('easify', ['--live']);

const context = ({ run }: Outcome): string => `${run.describe()}\n${summarize(run.report)}`;

describe.concurrent('--cleanup deletes what the run created', () => {
  test.each(['8x8', 'eloqua', 'easify'] as const)('%s: nothing the run created is left', async (spec) => {
    const outcome = await cleaned.get(spec)!;
    const { server, before, run } = outcome;
    expect(run.code, context(outcome)).toBe(0);
    expect(server.records().map(key), context(outcome)).toEqual(before);
    expect(run.report?.cleanup?.leftovers, context(outcome)).toEqual([]);
    // Something was there to clean: every collection of the spec had records made by the run.
    const report = run.report!;
    expect(report.cleanup?.cleaned, context(outcome)).toBeGreaterThan(0);
    const made = new Set(server.log.filter((r) => r.status >= 200 && r.status < 300).map((r) => r.operationId));
    for (const create of {
      '8x8': ['createContact', 'createGroup'],
      eloqua: ['createContactSegment', 'copyContactSegment'],
      easify: ['createContactGroup', 'createContact'],
    }[spec]) {
      expect(made, create).toContain(create);
    }
    expect(run.stdout, context(outcome)).toMatch(/cleanup: \d+ records? the run created deleted; 0 left behind/);
  });

  test('bigchange: its groups have no delete, and every one of them is a leftover, named with its id', async () => {
    const outcome = await cleaned.get('bigchange')!;
    const { server, before, run } = outcome;
    expect(before).toEqual([]);
    expect(run.code, context(outcome)).toBe(0);
    const remaining = server.records();
    expect(remaining.length, context(outcome)).toBeGreaterThan(0);
    const leftovers = run.report?.cleanup?.leftovers ?? [];
    // Exactly what remains: every group the run created, by the create that made it.
    expect(leftovers.map((l) => `contactGroups ${String(l.id)}`).sort(), context(outcome)).toEqual(
      remaining.map(key).sort(),
    );
    expect(new Set(leftovers.map((l) => l.operationId))).toEqual(new Set(['createContactGroup']));
    expect(run.report?.cleanup?.cleaned).toBe(0);
    // One line for them all: the first ten ids, and how many more the JSON report lists.
    const ids = leftovers.map(({ id }) => JSON.stringify(id));
    expect(ids.length).toBeGreaterThan(1);
    const more = ids.length > 10 ? ` and ${ids.length - 10} more (the JSON report lists every id)` : '';
    expect(run.stdout, context(outcome)).toContain(
      `left: createContactGroup, ${ids.length} records (the spec documents no delete for these records): ids ${ids.slice(0, 10).join(', ')}${more}\n`,
    );
    expect(run.stdout.match(/ {2}left: /g)).toHaveLength(1);
    expect(run.stdout).toMatch(
      new RegExp(`cleanup: 0 records the run created deleted; ${leftovers.length} left behind`),
    );
  });
});

test('on loopback the cleanup is off unless asked for: the records stay and the report says nothing of it', async () => {
  const outcome = await kept;
  const { server, run } = outcome;
  expect(run.code, context(outcome)).toBe(0);
  expect(server.records().length, context(outcome)).toBeGreaterThan(0);
  expect(run.report, context(outcome)).not.toHaveProperty('cleanup');
  expect(run.stdout).not.toMatch(/cleanup:/);
});

test("--live asks for the cleanup on loopback too (a team's own server on localhost is live)", async () => {
  const outcome = await live;
  const { server, before, run } = outcome;
  expect(run.code, context(outcome)).toBe(0);
  expect(server.records().map(key), context(outcome)).toEqual(before);
  expect(run.report?.cleanup?.cleaned, context(outcome)).toBeGreaterThan(0);
});

test("a server already holding a page of records like the run's own: the lifecycle still finds its record", async () => {
  const server = await startReferenceServer('8x8');
  servers.push(server);
  // The run's lifecycle creates its contact from the spec's first example: 25 contacts of that country
  // fill the list's default page (20) of a search by it, oldest first.
  const spec = await specFor('8x8');
  const example = spec.operations.find((o) => o.operationId === 'createContact')!.requestBody!.content[0]!.examples[0]!;
  const country = (example.value as { country: string }).country;
  for (let i = 0; i < 25; i++) {
    const answer = await request(`${server.baseUrl}/api/v1/accounts/4f1f1e0c-6a7b-4d2e-9a41-2c0f1d8e7b35/contacts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ country, addresses: { email: `earlier-${i}@example.com` } }),
    });
    expect(answer.statusCode).toBe(201);
    await answer.body.text();
  }
  const run = await runConformance([...targetArgs('8x8', server), ...COMMON, '--no-random'], {
    killAfterMs: KILL_AFTER_MS,
  });
  expect(run.report?.failures, `${run.describe()}\n${summarize(run.report)}`).toEqual([]);
  expect(run.code).toBe(0);
});
