/**
 * An add of one member (`POST /groups/{group_id}/users/{id}`) whose answer holds the member's record
 * (`{"user": {...}}`): the runner fails a target answering another record than the member it added,
 * and passes one answering the member; the mock answers the stored member (201 for a first add, 200
 * for a repeat, where both are documented), never the example's user.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningMock, startMock } from '../../mocks/server.js';
import { jsonServer } from '../support/json-server.js';
import type { LocalServer } from '../support/local-server.js';
import { expectFailures, runConformance, summarize } from '../support/runner.js';

const FIXTURE = 'tests/fixtures/openapi/add-member-answer.yaml';

/** A server doing what the document says; with `other`, every add answers a user no one added (999). */
function groupsServer(other: boolean): Promise<LocalServer> {
  const users = new Map<number, { id: number; name: string }>();
  const groups = new Map<number, { id: number; name: string; members: Map<number, string> }>();
  let next = 100;
  const notFound = { status: 404, body: { errors: ['Not Found'] } };
  const refused = { status: 422, body: { errors: ['The body is not a JSON object with a name'] } };
  return jsonServer(({ method, url, body, json }) => {
    const parts = url.pathname.split('/').filter(Boolean);
    const name = (body as { name?: unknown } | undefined)?.name;
    if (parts.length === 1 && method === 'POST') {
      if (!json || typeof name !== 'string') return refused;
      const record = { id: next++, name };
      if (parts[0] === 'users') users.set(record.id, record);
      else groups.set(record.id, { ...record, members: new Map() });
      return { status: 201, body: record };
    }
    if (parts[0] === 'users' && parts.length === 2 && method === 'GET') {
      const user = users.get(Number(parts[1]));
      return user ? { status: 200, body: user } : notFound;
    }
    const group = parts[0] === 'groups' ? groups.get(Number(parts[1])) : undefined;
    if (!group) return notFound;
    if (parts.length === 3 && method === 'GET')
      return {
        status: 200,
        body: { users: [...group.members].map(([id, at]) => ({ ...users.get(id)!, added_at: at })) },
      };
    const user = users.get(Number(parts[3]));
    if (parts.length !== 4 || !user) return notFound;
    if (method === 'DELETE') {
      group.members.delete(user.id);
      return { status: 204 };
    }
    const had = group.members.has(user.id);
    if (!had) group.members.set(user.id, new Date(0).toISOString());
    const answered = other ? { id: 999, name: 'Alice', added_at: '2023-02-17T11:43:55Z' } : user;
    return { status: had ? 200 : 201, body: { user: { ...answered, added_at: group.members.get(user.id) } } };
  }, refused);
}

describe('an add answering the member it added', () => {
  it('fails a target answering another record, under stateful_rules of the add alone', async () => {
    const target = await groupsServer(true);
    try {
      const run = await runConformance(['--spec', FIXTURE, '--base-url', target.url, '--seed', '7']);
      expectFailures(run, ['stateful_rules addGroupUser']);
      const failure = run.report!.failures.find((f) => f.check === 'stateful_rules')!;
      expect(failure.message).toContain('another record than the member it added');
      expect(failure.expected).toMatch(/^id \d+ \(the record added\)$/);
      expect(failure.response?.body).toMatchObject({ user: { id: 999 } });
    } finally {
      await target.close();
    }
  });

  it('passes a target answering the member', async () => {
    const target = await groupsServer(false);
    try {
      const run = await runConformance(['--spec', FIXTURE, '--base-url', target.url, '--seed', '7']);
      expectFailures(run, []);
      expect(run.report?.operations.addGroupUser?.checks.stateful_rules?.passed).toBeGreaterThan(0);
    } finally {
      await target.close();
    }
  });
});

describe('the mock', () => {
  let mock: RunningMock;
  let base: string;
  beforeAll(async () => {
    mock = await startMock({ port: 0, specFiles: [FIXTURE] });
    base = mock.apis[0]!.baseUrl;
  });
  afterAll(() => mock.close());

  const post = async (path: string, body?: unknown) => {
    const response = await fetch(`${base}${path}`, {
      method: 'POST',
      ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    return { status: response.status, body: await response.json() };
  };

  it('answers the stored member, 201 for a first add and 200 for a repeat', async () => {
    const user = (await post('/users', { name: 'Ada' })).body as { id: number };
    const group = (await post('/groups', { name: 'News' })).body as { id: number };
    const member = { id: user.id, name: 'Ada', added_at: expect.any(String) };
    expect(await post(`/groups/${group.id}/users/${user.id}`)).toEqual({ status: 201, body: { user: member } });
    expect(await post(`/groups/${group.id}/users/${user.id}`)).toEqual({ status: 200, body: { user: member } });
  });

  it('passes the runner', async () => {
    const run = await runConformance(['--spec', FIXTURE, '--base-url', base, '--seed', '7']);
    expect(run.code, `${run.describe()}\n${summarize(run.report)}`).toBe(0);
    expect(run.report?.operations.addGroupUser?.checks.stateful_rules?.passed).toBeGreaterThan(0);
  });
});
