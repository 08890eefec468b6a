/**
 * A membership named by its path alone (`PUT|DELETE /groups/{groupId}/users/{userId}` beside
 * `GET /groups/{groupId}/users`): the runner feeds both ids from the run's creates and follows the
 * membership through the member list, so a server that answers the change and keeps nothing fails.
 */
import { afterEach, expect, it } from 'vitest';
import { startMock } from '../../mocks/server.js';
import { type JsonAnswer, type JsonRequest, jsonServer } from '../support/json-server.js';
import type { LocalServer } from '../support/local-server.js';
import { COMMON, expectFailures, runConformance, summarize } from '../support/runner.js';

const FIXTURE = 'tests/fixtures/openapi/path-membership.yaml';
const KEY = ['--header', 'X-Api-Key: k'];

type Profile = Record<string, unknown>;
const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The document's users, groups and memberships; `keeps: false` answers a membership change and keeps nothing. */
function membershipServer(keeps: boolean) {
  const users = new Map<string, { id: string; profile?: Profile }>();
  const groups = new Map<string, { id: string; profile?: Profile }>();
  const members = new Map<string, Set<string>>();
  const changes: string[] = [];
  let next = 100;
  const profileOf = (body: unknown, field: string): Profile | undefined | false => {
    if (!isObject(body)) return false;
    if (body.profile === undefined) return undefined;
    if (!isObject(body.profile)) return false;
    const value = body.profile[field];
    return value === undefined || typeof value === 'string' ? body.profile : false;
  };
  const handle = ({ method, url, body, json, headers }: JsonRequest): JsonAnswer => {
    if (!headers['x-api-key']) return { status: 401 };
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    const [kind, id, sub, memberId] = parts;
    if (kind === 'users' && parts.length === 1 && method === 'POST') {
      const profile = profileOf(body, 'login');
      if (!json || profile === false || profile === undefined) return { status: 400 };
      const user = { id: `u${next++}`, profile };
      users.set(user.id, user);
      return { status: 200, body: user };
    }
    if (kind === 'groups' && parts.length === 1 && method === 'POST') {
      const profile = profileOf(body, 'name');
      if (!json || profile === false) return { status: 400 };
      const group = { id: `g${next++}`, ...(profile ? { profile } : {}) };
      groups.set(group.id, group);
      return { status: 200, body: group };
    }
    if (parts.length === 2 && method === 'GET') {
      const found = (kind === 'users' ? users : kind === 'groups' ? groups : undefined)?.get(id!);
      return found ? { status: 200, body: found } : { status: 404 };
    }
    if (kind !== 'groups' || sub !== 'users' || !groups.has(id!)) return { status: 404 };
    const held = members.get(id!) ?? new Set<string>();
    members.set(id!, held);
    if (parts.length === 3 && method === 'GET') return { status: 200, body: [...held].map((u) => users.get(u)) };
    if (parts.length !== 4 || !users.has(memberId!)) return { status: 404 };
    changes.push(`${method} ${id}/${memberId}`);
    if (method === 'PUT' && keeps) held.add(memberId!);
    else if (method === 'DELETE') held.delete(memberId!);
    return method === 'PUT' || method === 'DELETE' ? { status: 204 } : { status: 405 };
  };
  return { handle, changes, users, groups };
}

let server: LocalServer | undefined;
afterEach(() => server?.close());

it('passes against the mock, which keeps the membership', async () => {
  const mock = await startMock({ port: 0, specFiles: [FIXTURE] });
  try {
    const run = await runConformance(['--spec', FIXTURE, '--base-url', mock.apis[0]!.baseUrl, ...KEY, ...COMMON]);
    expectFailures(run, []);
    // The member list was asked after the add and after the remove, and judged.
    expect(run.report?.operations.listGroupUsers?.checks.stateful_rules?.passed).toBeGreaterThanOrEqual(2);
  } finally {
    await mock.close();
  }
});

it('passes against a correct server, naming in every change a user and a group the run made', async () => {
  const api = membershipServer(true);
  server = await jsonServer(api.handle);
  const run = await runConformance(['--spec', FIXTURE, '--base-url', server.url, ...KEY, ...COMMON]);
  expectFailures(run, []);
  expect(run.report?.operations.listGroupUsers?.checks.stateful_rules?.passed).toBeGreaterThanOrEqual(2);
  const named = api.changes.map((change) => change.split(' ')[1]!.split('/'));
  expect(named.some(([group, user]) => api.groups.has(group!) && api.users.has(user!))).toBe(true);
});

it('flags a server that answers the add and drops the membership, by the member list alone', async () => {
  server = await jsonServer(membershipServer(false).handle);
  const run = await runConformance(['--spec', FIXTURE, '--base-url', server.url, ...KEY, ...COMMON]);
  expectFailures(run, ['stateful_rules listGroupUsers']);
  expect(run.report?.failures.map((f) => f.message)).toEqual([
    'the member list does not hold the record added in this run',
  ]);
});

it('on a live target, sends no membership change but one naming a user and a group the run made', async () => {
  const run = await runConformance(
    ['--spec', FIXTURE, '--base-url', 'https://api.example.com', '--live', '--dry-run', ...KEY, ...COMMON],
    { json: false },
  );
  expect(run.code, run.describe()).toBe(0);
  const changes = run.stdout.split('\n').filter((line) => /^\s+(PUT|DELETE) /.test(line));
  expect(changes.length).toBeGreaterThan(0);
  for (const line of changes) expect(line).toMatch(/\/groups\/\{addGroup [^}]*\}\/users\/\{createUser [^}]*\}$/);
});

it('a member list of memberships ({userId, role}), not of member records, is no list step: the mock and the run agree', async () => {
  const spec = 'tests/fixtures/openapi/path-membership-objects.yaml';
  const args = ['--seed', '7', '--header', 'X-Api-Key: k'];
  const plan = await runConformance(['--spec', spec, '--base-url', 'http://127.0.0.1:9', '--dry-run', ...args], {
    json: false,
  });
  // The membership is still changed on records the run made, and not looked for in the list.
  expect(plan.stdout).toMatch(/assignUserToGroup · lifecycle: assignUserToGroup adds the member/);
  expect(plan.stdout).not.toMatch(/listGroupUsers · lifecycle/);
  const mock = await startMock({ port: 0, specFiles: [spec] });
  try {
    const run = await runConformance(['--spec', spec, '--base-url', mock.apis[0]!.baseUrl, ...args]);
    expect(run.code, `${run.describe()}\n${summarize(run.report)}`).toBe(0);
  } finally {
    await mock.close();
  }
});
