/**
 * Records no operation of the document deletes stay on a live target: the run says, before it sends
 * anything (its dry run, the start of the run), how many each such create will leave, worded as the
 * cleanup's leftovers, and plans no random bodies for it (each would be one more). Loopback runs
 * without --live keep their plan.
 */
import { afterAll, expect, test } from 'vitest';
import { type JsonAnswer, jsonServer } from '../support/json-server.js';
import type { LocalServer } from '../support/local-server.js';
import { expectFailures, runConformance } from '../support/runner.js';

const SPEC = 'tests/fixtures/openapi/undeletable-creates.yaml';
// Random bodies on: the default of a live run, whose budget they fill.
const ARGS = ['--seed', '7', '--max-cases', '40', '--concurrency', '4', '--timeout', '30000'];
const FORECAST =
  /^left behind: createThing, (\d+) records: the spec documents no delete for these records \(no random bodies planned for it: each would be one more\)$/m;

/** What the fixture documents: things are made and read, notes made, read and deleted. `forgetsThings`: a made thing never reads back. */
function recordsServer(options: { forgetsThings?: boolean } = {}) {
  const stores = { things: new Map<number, string>(), notes: new Map<number, string>() };
  let next = 1;
  return jsonServer(
    ({ method, url, body, json }): JsonAnswer => {
      const [, kind, idText, more] = url.pathname.split('/');
      if ((kind !== 'things' && kind !== 'notes') || more !== undefined) return { status: 404, body: {} };
      const store = stores[kind];
      const field = kind === 'things' ? 'thing' : 'note';
      if (idText === undefined) {
        const name = (body as { name?: unknown } | undefined)?.name;
        if (method !== 'POST') return { status: 404, body: {} };
        if (!json || typeof body !== 'object' || body === null || typeof name !== 'string' || name.length > 20)
          return { status: 422, body: {} };
        const id = next++;
        if (!(kind === 'things' && options.forgetsThings)) store.set(id, name);
        return { status: 201, body: { [field]: { id, name } } };
      }
      const id = /^\d+$/.test(idText) ? Number(idText) : undefined;
      const name = id === undefined ? undefined : store.get(id);
      if (name === undefined) return { status: 404, body: {} };
      if (method === 'GET') return { status: 200, body: { [field]: { id, name } } };
      if (method === 'DELETE' && kind === 'notes') {
        store.delete(id!);
        return { status: 204 };
      }
      return { status: 404, body: {} };
    },
    { status: 422, body: {} },
  );
}

const servers: LocalServer[] = [];
afterAll(async () => {
  for (const server of servers) await server.close();
});

const dryRun = (target: string[]) => runConformance(['--spec', SPEC, ...target, '--dry-run', ...ARGS], { json: false });

test('the live dry run says what it will leave behind, and plans no random body for it', async () => {
  const run = await dryRun(['--base-url', 'https://api.example.com', '--live']);
  expect(run.code, run.describe()).toBe(0);
  const records = Number(FORECAST.exec(run.stdout)?.[1]);
  // Its valid requests: an example-less create's every-property body, its boundaries, the scenarios' creates.
  expect(records, run.stdout).toBeGreaterThan(0);
  expect(records).toBe(run.stdout.match(/^#\d+ createThing · (positive|stateful|lifecycle|setup)/gm)?.length);
  expect(run.stdout).not.toMatch(/createThing · positive: random/);
  // Notes can be deleted: no forecast, and their random bodies fill the budget.
  expect(run.stdout).not.toMatch(/left behind: createNote/);
  expect(run.stdout).toMatch(/createNote · positive: random/);
  // The same seed, the same plan.
  expect((await dryRun(['--base-url', 'https://api.example.com', '--live'])).stdout).toBe(run.stdout);
});

test('on loopback without --live the plan keeps its random bodies and says nothing of leftovers', async () => {
  const run = await dryRun(['--base-url', 'http://127.0.0.1:5702']);
  expect(run.code, run.describe()).toBe(0);
  expect(run.stdout).not.toMatch(/left behind/);
  expect(run.stdout).toMatch(/createThing · positive: random/);
});

test('--live against a correct server: said first, and the cleanup leaves exactly what was foreseen', async () => {
  const server = await recordsServer();
  servers.push(server);
  const run = await runConformance(['--spec', SPEC, '--base-url', server.url, '--live', ...ARGS]);
  expectFailures(run, []);
  const records = Number(FORECAST.exec(run.stdout)?.[1]);
  expect(run.stdout.startsWith('left behind: createThing'), run.stdout.slice(0, 300)).toBe(true);
  const left = run.report?.cleanup?.leftovers ?? [];
  expect(left.length).toBe(records);
  expect(new Set(left.map((l) => `${l.operationId}: ${l.reason}`))).toEqual(
    new Set(['createThing: the spec documents no delete for these records']),
  );
});

test('--live against a server whose things never read back: caught by resource_availability', async () => {
  const server = await recordsServer({ forgetsThings: true });
  servers.push(server);
  const run = await runConformance(['--spec', SPEC, '--base-url', server.url, '--live', ...ARGS]);
  expectFailures(run, ['resource_availability getThing']);
});

test('a create whose answer gives no id the cleanup could delete by is foreseen too, and gets no random body', async () => {
  const unidentified = 'tests/fixtures/openapi/create-without-id-answer-live.yaml';
  const plan = (target: string[]) =>
    runConformance(['--spec', unidentified, ...target, '--dry-run', ...ARGS], { json: false });
  const live = await plan(['--base-url', 'https://api.example.com', '--live']);
  expect(live.code, live.describe()).toBe(0);
  expect(live.stdout).toMatch(
    /^left behind: createNote, \d+ records: created: the spec does not say where its answer gives the new id, so it was not deleted \(no random bodies planned for it: each would be one more\)$/m,
  );
  expect(live.stdout).not.toMatch(/createNote · positive: random/);
  // On loopback without --live nothing is foreseen and the random bodies stay.
  const loopback = await plan(['--base-url', 'http://127.0.0.1:9']);
  expect(loopback.stdout).not.toMatch(/left behind/);
  expect(loopback.stdout).toMatch(/createNote · positive: random #1/);
});
