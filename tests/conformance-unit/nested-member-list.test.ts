/**
 * A member list whose items name their member in an object of its own (`GET /teams/{id}/users`
 * answering `{"members": [{"user": {"id": ..., "type": "user_reference"}, "role": ...}]}` beside
 * `PUT|DELETE /teams/{id}/users/{user_id}`): the runner reads the member's id at `user.id`, so the
 * membership's life is followed through the list; a server that answers the change and keeps
 * nothing fails, a correct server and the mock pass.
 */
import { afterEach, expect, it } from 'vitest';
import { isObject } from '../../lib/json.js';
import { startMock } from '../../mocks/server.js';
import { type JsonAnswer, type JsonRequest, jsonServer } from '../support/json-server.js';
import type { LocalServer } from '../support/local-server.js';
import { COMMON, expectFailures, runConformance } from '../support/runner.js';

const FIXTURE = 'tests/fixtures/openapi/path-membership-nested-member.yaml';
const ROLES = ['observer', 'responder', 'manager'];

type Fault = 'none' | 'keeps no member' | 'never removes';

/** The document's users, teams and memberships, nothing more; `fault` breaks how members are kept. */
function teamServer(fault: Fault) {
  const users = new Map<string, { id: string; name: string }>();
  const teams = new Map<string, { id: string; name: string }>();
  const members = new Map<string, Map<string, string>>();
  const changes: string[] = [];
  let next = 100;
  const named = (body: unknown): string | undefined =>
    isObject(body) &&
    Object.keys(body).length === 1 &&
    typeof body.name === 'string' &&
    body.name.length >= 1 &&
    body.name.length <= 50
      ? body.name
      : undefined;
  const handle = ({ method, url, body, json }: JsonRequest): JsonAnswer => {
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    const [kind, id, sub, userId] = parts;
    if (parts.length === 1 && method === 'POST') {
      const name = json ? named(body) : undefined;
      if (name === undefined) return { status: 400 };
      const record = { id: `${kind === 'users' ? 'P' : 'T'}${next++}`, name };
      if (kind === 'users') users.set(record.id, record);
      else if (kind === 'teams') {
        teams.set(record.id, record);
        members.set(record.id, new Map());
      } else return { status: 404 };
      return { status: 201, body: record };
    }
    if (parts.length === 2 && method === 'GET') {
      const found = (kind === 'users' ? users : kind === 'teams' ? teams : undefined)?.get(id!);
      return found ? { status: 200, body: found } : { status: 404 };
    }
    const held = kind === 'teams' && sub === 'users' ? members.get(id!) : undefined;
    if (!held) return { status: 404 };
    if (parts.length === 3 && method === 'GET')
      return {
        status: 200,
        body: { members: [...held].map(([user, role]) => ({ user: { id: user, type: 'user_reference' }, role })) },
      };
    if (parts.length !== 4 || !users.has(userId!)) return { status: 404 };
    if (method === 'PUT') {
      // The role is optional; a JSON body sends nothing else.
      const sent = body === undefined ? {} : body;
      if ((body !== undefined && !json) || !isObject(sent) || Object.keys(sent).some((key) => key !== 'role'))
        return { status: 400 };
      if (sent.role !== undefined && !ROLES.includes(sent.role as string)) return { status: 400 };
      changes.push(`PUT ${id}/${userId}`);
      if (fault !== 'keeps no member') held.set(userId!, (sent.role as string | undefined) ?? 'responder');
      return { status: 204 };
    }
    if (method === 'DELETE') {
      changes.push(`DELETE ${id}/${userId}`);
      if (fault !== 'never removes') held.delete(userId!);
      return { status: 204 };
    }
    return { status: 405 };
  };
  return { handle, changes, users, teams };
}

let server: LocalServer | undefined;
afterEach(() => server?.close());

it('plans the membership through the member list, which names each member at user.id', async () => {
  const run = await runConformance(['--spec', FIXTURE, '--dry-run', ...COMMON], { json: false });
  expect(run.code, run.describe()).toBe(0);
  const steps = run.stdout
    .split('\n')
    .filter((line) => / · lifecycle: (addUserToTeam|listTeamMembers|removeUserFromTeam) /.test(line))
    .map((line) => line.replace(/^#\d+ /, ''));
  expect(steps).toEqual([
    'addUserToTeam · lifecycle: addUserToTeam adds the member',
    'listTeamMembers · lifecycle: listTeamMembers with the member',
    'removeUserFromTeam · lifecycle: removeUserFromTeam removes the member',
    'listTeamMembers · lifecycle: listTeamMembers without the member',
  ]);
});

it('passes against a correct server, the member list judged after the add and after the removal', async () => {
  const api = teamServer('none');
  server = await jsonServer(api.handle);
  const run = await runConformance(['--spec', FIXTURE, '--base-url', server.url, ...COMMON]);
  expectFailures(run, []);
  expect(run.report?.operations.listTeamMembers?.checks.stateful_rules?.passed).toBeGreaterThanOrEqual(2);
  const named = api.changes.map((change) => change.split(' ')[1]!.split('/'));
  expect(named.some(([team, user]) => api.teams.has(team!) && api.users.has(user!))).toBe(true);
});

it('flags a server that answers the add and keeps no member, naming where it looked', async () => {
  server = await jsonServer(teamServer('keeps no member').handle);
  const run = await runConformance(['--spec', FIXTURE, '--base-url', server.url, ...COMMON]);
  expectFailures(run, ['stateful_rules listTeamMembers']);
  expect(run.report?.failures.map((f) => f.message)).toEqual([
    'the member list does not hold the record added in this run',
  ]);
  expect(run.report?.failures[0]?.expected).toMatch(/^an item with user\/id "P\d+"$/);
});

it('flags a server that answers the removal and keeps the member', async () => {
  server = await jsonServer(teamServer('never removes').handle);
  const run = await runConformance(['--spec', FIXTURE, '--base-url', server.url, ...COMMON]);
  expectFailures(run, ['stateful_rules listTeamMembers']);
  expect(run.report?.failures.map((f) => f.message)).toEqual([
    'the member list still holds a record removed in this run',
  ]);
});

it('passes against the mock, which shows each member it keeps in its own user object', async () => {
  const mock = await startMock({ port: 0, specFiles: [FIXTURE] });
  try {
    const run = await runConformance(['--spec', FIXTURE, '--base-url', mock.apis[0]!.baseUrl, ...COMMON]);
    expectFailures(run, []);
    expect(run.report?.operations.listTeamMembers?.checks.stateful_rules?.passed).toBeGreaterThanOrEqual(2);
  } finally {
    await mock.close();
  }
});
