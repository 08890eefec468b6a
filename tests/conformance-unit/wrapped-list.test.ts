/**
 * A list one wrapper down (`{"data": {"results": [...], "total": 2}}`, beside a create answering
 * `{"data": {...}}`): the mock lists what was created there and counts it, and the runner's lifecycle
 * asks the list for the record it made.
 */
import { describe, expect, it } from 'vitest';
import { startMock } from '../../mocks/server.js';
import { jsonServer } from '../support/json-server.js';
import { expectFailures, runConformance, summarize } from '../support/runner.js';

const FIXTURE = 'tests/fixtures/openapi/list-under-data-results.yaml';

interface Page {
  data: { results: { id: number; name: string }[]; total: number; page: number; per_page: number };
}

/** A server that does what the document says; `hides`: a broken one whose list never holds a record. */
async function listsServer(hides = false) {
  const lists = new Map<number, { id: number; name: string }>();
  let next = 100;
  return jsonServer(({ method, url, body }) => {
    const id = /^\/lists\/([^/]+)$/.exec(url.pathname)?.[1];
    if (id !== undefined) {
      const list = lists.get(Number(id));
      return list ? { status: 200, body: { data: list } } : { status: 404 };
    }
    if (method === 'POST') {
      const name = (body as { name?: unknown } | undefined)?.name;
      const list = { id: next++, name: typeof name === 'string' ? name : '' };
      lists.set(list.id, list);
      return { status: 200, body: { data: list } };
    }
    const results = hides ? [] : [...lists.values()];
    return { status: 200, body: { data: { results, total: results.length, page: 1, per_page: 20 } } };
  });
}

describe('a list under data.results', () => {
  it('the mock lists the records created, counts them and pages them', async () => {
    const mock = await startMock({ port: 0, specFiles: [FIXTURE] });
    try {
      const baseUrl = mock.apis[0]!.baseUrl;
      const made: number[] = [];
      for (const name of ['one', 'two']) {
        const created = await fetch(`${baseUrl}/lists`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ name }),
        });
        made.push(((await created.json()) as { data: { id: number } }).data.id);
      }
      const all = (await (await fetch(`${baseUrl}/lists`)).json()) as Page;
      expect(all.data.results.map((list) => [list.id, list.name])).toEqual([
        [made[0], 'one'],
        [made[1], 'two'],
      ]);
      expect(all.data.total).toBe(2);
      const second = (await (await fetch(`${baseUrl}/lists?per_page=1&page=2`)).json()) as Page;
      expect(second.data).toMatchObject({ results: [{ id: made[1], name: 'two' }], total: 2, page: 2, per_page: 1 });
      const run = await runConformance(['--spec', FIXTURE, '--base-url', baseUrl, '--seed', '7']);
      expect(run.code, `${run.describe()}\n${summarize(run.report)}`).toBe(0);
    } finally {
      await mock.close();
    }
  });

  it('the lifecycle asks the list for the record it made: a correct server passes', async () => {
    const target = await listsServer();
    try {
      const run = await runConformance(['--spec', FIXTURE, '--base-url', target.url, '--seed', '7']);
      expect(run.code, `${run.describe()}\n${summarize(run.report)}`).toBe(0);
      expect(run.report?.operations.getLists?.checks.stateful_rules?.passed).toBeGreaterThan(0);
    } finally {
      await target.close();
    }
  });

  it('a server whose list never holds the created record is caught by the list step alone', async () => {
    const target = await listsServer(true);
    try {
      const run = await runConformance(['--spec', FIXTURE, '--base-url', target.url, '--seed', '7']);
      expectFailures(run, ['stateful_rules getLists']);
    } finally {
      await target.close();
    }
  });
});
