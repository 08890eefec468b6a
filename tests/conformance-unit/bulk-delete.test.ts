/**
 * A bulk delete (a list of ids as the body of a DELETE on the collection's path) names only records
 * the run made: never an example's ids, which on a live target are anyone's records.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMock } from '../../mocks/server.js';
import { jsonServer } from '../support/json-server.js';
import { expectFailures, runConformance, summarize } from '../support/runner.js';

const FIXTURE = 'tests/fixtures/openapi/bulk-delete.yaml';

/** A server that does what the document says, its ids counting from 100 so an example's 1-4 name nothing. */
async function listsServer() {
  const lists = new Map<number, { id: number; name: string }>();
  const made = new Set<number>();
  const deletes: unknown[] = [];
  let next = 100;
  const target = await jsonServer(({ method, url, body, json }) => {
    const id = /^\/lists\/([^/]+)$/.exec(url.pathname)?.[1];
    if (id !== undefined) {
      const list = lists.get(Number(id));
      return list ? { status: 200, body: list } : { status: 404 };
    }
    if (method === 'POST') {
      const name = (body as { name?: unknown } | undefined)?.name;
      if (!json || typeof name !== 'string') return { status: 400 };
      const list = { id: next++, name };
      lists.set(list.id, list);
      made.add(list.id);
      return { status: 201, body: list };
    }
    // Every list sent, valid or not: an invalid one must not carry anyone's ids either.
    if (Array.isArray(body)) deletes.push(body);
    if (!json || !Array.isArray(body) || !body.every(Number.isInteger)) return { status: 400 };
    for (const listId of body) lists.delete(listId);
    return { status: 204 };
  });
  return { target, made, deletes };
}

describe('a bulk delete', () => {
  let lists: Awaited<ReturnType<typeof listsServer>>;
  beforeAll(async () => {
    lists = await listsServer();
  });
  afterAll(() => lists.target.close());

  it('names only records the run made, one per valid case, and in an invalid case ids no record has; a correct server passes', async () => {
    const run = await runConformance(['--spec', FIXTURE, '--base-url', lists.target.url, '--seed', '7']);
    expect(run.code, `${run.describe()}\n${summarize(run.report)}`).toBe(0);
    const named = lists.deletes.flat().filter(Number.isInteger);
    expect(named.length).toBeGreaterThan(0);
    // A record the run made, or (in an invalid case) an id far above any a server counts to.
    expect(named.filter((id) => !lists.made.has(id as number) && (id as number) < 999_000_000)).toEqual([]);
    expect(run.report?.operations.deleteLists?.checks.positive_data_accepted?.passed).toBeGreaterThan(0);
    // No case is left that leans on a record a bulk delete took away.
    expect(run.report?.operations.getList?.checks.resource_availability?.failed ?? 0).toBe(0);
  });
});

it('the mock deletes every listed record it holds: the run passes and a deleted list is gone', async () => {
  const mock = await startMock({ port: 0, specFiles: [FIXTURE] });
  try {
    const baseUrl = mock.apis[0]!.baseUrl;
    const run = await runConformance(['--spec', FIXTURE, '--base-url', baseUrl, '--seed', '7']);
    expect(run.code, `${run.describe()}\n${summarize(run.report)}`).toBe(0);
    const create = (name: string) =>
      fetch(`${baseUrl}/lists`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name }),
      }).then((r) => r.json() as Promise<{ id: number }>);
    const [a, b] = [await create('a'), await create('b')];
    const removed = await fetch(`${baseUrl}/lists`, {
      method: 'DELETE',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([a.id, 999_999]),
    });
    expect(removed.status).toBe(204);
    expect((await fetch(`${baseUrl}/lists/${a.id}`)).status).toBe(404);
    expect((await fetch(`${baseUrl}/lists/${b.id}`)).status).toBe(200);
  } finally {
    await mock.close();
  }
});

it('a list with no example, one of at least two ids, one of bounded ids: the mock and the runner agree', async () => {
  const spec = 'tests/fixtures/openapi/bulk-delete-bounded.yaml';
  const mock = await startMock({ port: 0, specFiles: [spec] });
  try {
    const run = await runConformance(['--spec', spec, '--base-url', mock.apis[0]!.baseUrl, '--seed', '7']);
    expect(run.code, `${run.describe()}\n${summarize(run.report)}`).toBe(0);
    // The lifecycle deletes its record through the bulk delete that may name one, and reads it gone.
    expect(run.report?.operations.get_plain?.checks.resource_availability?.passed).toBeGreaterThan(0);
    expect(run.report?.operations.delete_pairs?.checks.positive_data_accepted?.passed).toBeGreaterThan(0);
  } finally {
    await mock.close();
  }
});

describe('a bulk delete by a list of ids in the query (`DELETE /persons?ids=1,2`)', () => {
  const QUERY_FIXTURE = 'tests/fixtures/openapi/bulk-delete-query.yaml';

  /** Persons with ids from 100; `keeps`: a broken server that answers every delete and deletes nothing. */
  async function personsServer(keeps = false) {
    const persons = new Map<number, { id: number; name: string }>();
    const made = new Set<number>();
    const named: string[] = [];
    let next = 100;
    const target = await jsonServer(({ method, url, body, json }) => {
      const id = /^\/persons\/([^/]+)$/.exec(url.pathname)?.[1];
      if (id !== undefined) {
        const person = persons.get(Number(id));
        return person ? { status: 200, body: { success: true, data: person } } : { status: 404 };
      }
      if (method === 'POST') {
        const name = (body as { name?: unknown } | undefined)?.name;
        if (!json || typeof name !== 'string') return { status: 400 };
        const person = { id: next++, name };
        persons.set(person.id, person);
        made.add(person.id);
        return { status: 201, body: { success: true, data: person } };
      }
      const ids = url.searchParams.get('ids');
      if (ids === null) return { status: 400 };
      named.push(...ids.split(','));
      const list = ids.split(',').map(Number);
      if (!list.every(Number.isInteger)) return { status: 400 };
      if (!keeps) for (const personId of list) persons.delete(personId);
      return { status: 200, body: { success: true, data: { id: list } } };
    });
    return { target, made, named };
  }

  it('names only records the run made and follows one through its delete; a correct server passes', async () => {
    const persons = await personsServer();
    try {
      const run = await runConformance(['--spec', QUERY_FIXTURE, '--base-url', persons.target.url, '--seed', '7']);
      expect(run.code, `${run.describe()}\n${summarize(run.report)}`).toBe(0);
      expect(persons.named.length).toBeGreaterThan(0);
      expect(persons.named.filter((id) => !persons.made.has(Number(id)))).toEqual([]);
      expect(run.report?.operations.deletePersons?.checks.positive_data_accepted?.passed).toBeGreaterThan(0);
      // The lifecycle read the deleted record back: gone.
      expect(run.report?.operations.getPerson?.checks.stateful_rules?.passed).toBeGreaterThan(0);
    } finally {
      await persons.target.close();
    }
  });

  it('a server that answers the delete and keeps the record is caught: the deleted record still reads', async () => {
    const persons = await personsServer(true);
    try {
      const run = await runConformance(['--spec', QUERY_FIXTURE, '--base-url', persons.target.url, '--seed', '7']);
      expectFailures(run, ['resource_availability getPerson']);
    } finally {
      await persons.target.close();
    }
  });

  it('the mock deletes every record the comma-separated ids name: the run passes and a deleted person is gone', async () => {
    const mock = await startMock({ port: 0, specFiles: [QUERY_FIXTURE] });
    try {
      const baseUrl = mock.apis[0]!.baseUrl;
      const run = await runConformance(['--spec', QUERY_FIXTURE, '--base-url', baseUrl, '--seed', '7']);
      expect(run.code, `${run.describe()}\n${summarize(run.report)}`).toBe(0);
      const create = (name: string) =>
        fetch(`${baseUrl}/persons`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ name }),
        }).then((r) => r.json() as Promise<{ data: { id: number } }>);
      const [a, b, c] = [await create('a'), await create('b'), await create('c')];
      const removed = await fetch(`${baseUrl}/persons?ids=${a.data.id},${b.data.id},999999`, { method: 'DELETE' });
      expect(removed.status).toBe(200);
      expect((await fetch(`${baseUrl}/persons/${a.data.id}`)).status).toBe(404);
      expect((await fetch(`${baseUrl}/persons/${b.data.id}`)).status).toBe(404);
      expect((await fetch(`${baseUrl}/persons/${c.data.id}`)).status).toBe(200);
    } finally {
      await mock.close();
    }
  });
});
