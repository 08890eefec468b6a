/**
 * An action under a record's path (`POST /things/{id}/archive`) asked about an id the run never
 * created: on a target holding others' records (`--live`) it goes out only after the record's read
 * (`GET /things/{id}`) answered not found, as an update does; an action with no read to ask first
 * (`POST /labels/{labelId}/pin`) is held back and listed as not sent, with its reason, in the dry
 * run and in the report.
 */
import { afterAll, expect, test } from 'vitest';
import { type JsonAnswer, jsonServer } from '../support/json-server.js';
import type { LocalServer } from '../support/local-server.js';
import { COMMON, expectFailures, runConformance, summarize } from '../support/runner.js';

const SPEC = 'tests/fixtures/openapi/action-made-up-id.yaml';
const HELD =
  /pinLabel an id never created \(\d+\): POST names an id no create returned by labelId \(\d+\), and no read of the same id documents its not found to ask first: not sent to a target holding others' records/;

/**
 * What the fixture documents: records the run makes, 404 for any other id. `othersExist`: every id
 * names a record (everybody else's); `archivesAny`: an archive of an id never created succeeds.
 */
function thingsServer(requests: string[], options: { othersExist?: boolean; archivesAny?: boolean } = {}) {
  const things = new Map<number, string>();
  const labels = new Map<number, string>();
  let next = 1;
  return jsonServer(({ method, url, body }): JsonAnswer => {
    requests.push(`${method} ${url.pathname}`);
    const name = (body as { name?: unknown } | undefined)?.name;
    const create = (into: Map<number, string>): JsonAnswer => {
      if (typeof name !== 'string' || name.length > 20) return { status: 422, body: {} };
      into.set(next, name);
      return { status: 201, body: { id: next++, name } };
    };
    if (method === 'POST' && url.pathname === '/things') return create(things);
    if (method === 'POST' && url.pathname === '/labels') return create(labels);
    const match = /^\/(things|labels)\/([^/]+)(\/archive|\/pin)?$/.exec(url.pathname);
    if (!match) return { status: 404, body: {} };
    if (!/^\d+$/.test(match[2]!)) return { status: 404, body: {} };
    const id = Number(match[2]);
    const known = (match[1] === 'things' ? things : labels).has(id) || options.othersExist === true;
    if (method === 'GET' && match[1] === 'things' && !match[3])
      return known
        ? { status: 200, body: { id, name: things.get(id) ?? "someone else's" } }
        : { status: 404, body: {} };
    if (method === 'POST' && (match[3] === '/archive' || match[3] === '/pin'))
      return known || (options.archivesAny === true && match[3] === '/archive')
        ? { status: 204 }
        : { status: 404, body: {} };
    return { status: 404, body: {} };
  });
}

const servers: LocalServer[] = [];
const start = async (requests: string[], options?: Parameters<typeof thingsServer>[1]) => {
  const server = await thingsServer(requests, options);
  servers.push(server);
  return server.url;
};
afterAll(async () => {
  for (const server of servers) await server.close();
});

const madeUp = (requests: string[], path: RegExp) => requests.filter((r) => path.test(r));

test('the live dry run guards the action by its record read and lists the unguarded one as not sent', async () => {
  const run = await runConformance(
    ['--spec', SPEC, '--base-url', 'https://api.example.com', '--live', '--dry-run', ...COMMON],
    { json: false },
  );
  expect(run.code, run.describe()).toBe(0);
  expect(run.stdout).toMatch(HELD);
  const archive = /archiveThing an id never created \((\d+)\)\n\s+POST \S+\/things\/(\d+)\/archive/.exec(run.stdout);
  expect(archive, run.stdout).not.toBeNull();
  // The step before it reads the same id.
  expect(run.stdout).toContain(
    `getThing an id never created (${archive![1]})\n    GET https://api.example.com/things/${archive![1]}\n#`,
  );
});

test('--live against a correct server: the guarded archive goes out, the pin is reported not sent, no failure', async () => {
  const requests: string[] = [];
  const base = await start(requests);
  const run = await runConformance(['--spec', SPEC, '--base-url', base, '--live', ...COMMON]);
  expectFailures(run, []);
  const reads = madeUp(requests, /^GET \/things\/9990\d+$/);
  expect(reads.length, requests.join('\n')).toBeGreaterThan(0);
  expect(madeUp(requests, /^POST \/things\/9990\d+\/archive$/).length, requests.join('\n')).toBe(1);
  expect(madeUp(requests, /^POST \/labels\/9990\d+\/pin$/), requests.join('\n')).toEqual([]);
  const held = run.report?.notSentBy.filter((e) => e.operationId === 'pinLabel') ?? [];
  expect(held.map((e) => e.reason).join('\n'), summarize(run.report)).toMatch(
    /no read of the same id documents its not found to ask first: not sent to a target holding others' records/,
  );
  // The summary counts it with the pin's other held case (its `1.5` path id).
  expect(run.stdout).toMatch(/note: \d+ planned requests were not sent:[\s\S]*pinLabel: 2 \(/);
});

test('--live against a server archiving an id never created: caught by resource_availability alone', async () => {
  const requests: string[] = [];
  const base = await start(requests, { archivesAny: true });
  const run = await runConformance(['--spec', SPEC, '--base-url', base, '--live', ...COMMON]);
  expectFailures(run, ['resource_availability archiveThing']);
});

test("--live against a server where every id is somebody's: the read finds one, the archive is not sent", async () => {
  const requests: string[] = [];
  const base = await start(requests, { othersExist: true });
  const run = await runConformance(['--spec', SPEC, '--base-url', base, '--live', ...COMMON, '--no-cleanup']);
  expect(run.report, run.describe()).toBeDefined();
  expect(madeUp(requests, /^GET \/things\/9990\d+$/).length, requests.join('\n')).toBeGreaterThan(0);
  expect(madeUp(requests, /^POST \/(things|labels)\/9990\d+\/(archive|pin)$/), requests.join('\n')).toEqual([]);
});
