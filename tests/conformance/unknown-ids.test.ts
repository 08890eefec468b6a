/**
 * An id the run never created may be someone else's record on a live target: a change to it goes
 * out only after a read of that id answered not found. Against a server on which every id names a
 * record (the accounts of others), the made-up id is read and never deleted with `--live`, while
 * on loopback without it (a mock, a server under test) the delete is sent as before.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type LocalServer, localServer } from '../support/local-server.js';
import { runConformance } from '../support/runner.js';

const SPEC = 'tests/fixtures/openapi/things.yaml';
let server: LocalServer;
let base = '';
const requests: string[] = [];
const created = new Set<number>();
let next = 1;

beforeAll(async () => {
  server = await localServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      requests.push(`${req.method} ${req.url}`);
      const id = Number(/^\/things\/(\d+)$/.exec(req.url ?? '')?.[1]);
      const json = (status: number, value?: unknown) => {
        res.writeHead(status, value === undefined ? {} : { 'content-type': 'application/json' });
        res.end(value === undefined ? undefined : JSON.stringify(value));
      };
      if (req.method === 'POST' && req.url === '/things') {
        let name: unknown;
        try {
          name = (JSON.parse(body) as { name?: unknown }).name;
        } catch {
          return json(400);
        }
        if (typeof name !== 'string' || name.length > 20) return json(400);
        created.add(next);
        return json(201, { id: next++, name });
      }
      if (!Number.isInteger(id)) return json(req.url?.startsWith('/things/') ? 400 : 404);
      // Every id names a record: those the run made, and everybody else's.
      if (req.method === 'GET') return json(200, { id, name: created.has(id) ? 'made' : 'someone else' });
      if (req.method === 'DELETE') return json(204);
      return json(404);
    });
  });
  base = server.url;
});
afterAll(() => server.close());

const madeUpDeletes = () =>
  requests.filter((r) => {
    const id = Number(/^DELETE \/things\/(\d+)$/.exec(r)?.[1]);
    return Number.isInteger(id) && !created.has(id);
  });

test('with --live the made-up id is read first, found, and never deleted', async () => {
  requests.length = 0;
  const run = await runConformance(['--spec', SPEC, '--base-url', base, '--seed', '7', '--live', '--no-cleanup'], {
    killAfterMs: 120_000,
  });
  expect(run.timedOut, run.describe()).toBe(false);
  const reads = requests.filter((r) => /^GET \/things\/99900\d+$/.test(r));
  expect(reads.length, run.describe()).toBeGreaterThan(0);
  expect(madeUpDeletes(), run.describe()).toEqual([]);
  // The step that was held back is reported as not sent, with its reason.
  expect(JSON.stringify(run.report?.notSentBy ?? {}), run.describe()).toContain('deleteThing');
});

test('on loopback without --live the made-up id is deleted as planned', async () => {
  requests.length = 0;
  const run = await runConformance(['--spec', SPEC, '--base-url', base, '--seed', '7'], { killAfterMs: 120_000 });
  expect(run.timedOut, run.describe()).toBe(false);
  expect(madeUpDeletes().length, run.describe()).toBeGreaterThan(0);
});
