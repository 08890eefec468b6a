/**
 * Members added and removed as one list of ids in the body (`POST|DELETE /organizations/{id}/members`
 * with `{"members": [...]}`) beside the holder's member list (`GET /organizations/{id}/members`): the
 * runner follows the membership through that list as it does a membership its path names, so a
 * server that answers the change and keeps nothing fails the same check; a correct server and the
 * mock pass.
 */
import { afterEach, expect, it } from 'vitest';
import { isObject } from '../../lib/json.js';
import { startMock } from '../../mocks/server.js';
import { type JsonAnswer, type JsonRequest, jsonServer } from '../support/json-server.js';
import type { LocalServer } from '../support/local-server.js';
import { COMMON, expectFailures, runConformance } from '../support/runner.js';

const FIXTURE = 'tests/fixtures/openapi/members-body-list-listed.yaml';

type Fault = 'none' | 'keeps no member' | 'never removes';

/** The document's users, organizations and members, nothing more; `fault` breaks how members are kept. */
function organizationServer(fault: Fault) {
  const users = new Map<string, { user_id: string; name: string }>();
  const organizations = new Map<string, { id: string; name: string }>();
  const members = new Map<string, Set<string>>();
  const changes: { method: string; organization: string; users: string[] }[] = [];
  let next = 100;
  const named = (body: unknown): string | undefined =>
    isObject(body) &&
    Object.keys(body).length === 1 &&
    typeof body.name === 'string' &&
    body.name.length >= 1 &&
    body.name.length <= 50
      ? body.name
      : undefined;
  const listed = (body: unknown): string[] | undefined =>
    isObject(body) &&
    Object.keys(body).length === 1 &&
    Array.isArray(body.members) &&
    body.members.length >= 1 &&
    body.members.length <= 10 &&
    body.members.every((id) => typeof id === 'string')
      ? (body.members as string[])
      : undefined;
  const handle = ({ method, url, body, json }: JsonRequest): JsonAnswer => {
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    const [kind, id, sub] = parts;
    if (parts.length === 1 && method === 'POST') {
      const name = json ? named(body) : undefined;
      if (name === undefined) return { status: 400 };
      if (kind === 'users') {
        const user = { user_id: `u${next++}`, name };
        users.set(user.user_id, user);
        return { status: 201, body: user };
      }
      if (kind === 'organizations') {
        const organization = { id: `o${next++}`, name };
        organizations.set(organization.id, organization);
        members.set(organization.id, new Set());
        return { status: 201, body: organization };
      }
      return { status: 404 };
    }
    if (parts.length === 2 && method === 'GET') {
      const found = kind === 'users' ? users.get(id!) : kind === 'organizations' ? organizations.get(id!) : undefined;
      return found ? { status: 200, body: found } : { status: 404 };
    }
    if (kind !== 'organizations' || sub !== 'members' || parts.length !== 3) return { status: 404 };
    const held = members.get(id!);
    if (!held) return { status: 404 };
    if (method === 'GET') return { status: 200, body: [...held].flatMap((user) => users.get(user) ?? []) };
    if (method !== 'POST' && method !== 'DELETE') return { status: 405 };
    const ids = json ? listed(body) : undefined;
    if (ids === undefined) return { status: 400 };
    changes.push({ method, organization: id!, users: ids });
    for (const user of ids) {
      if (method === 'POST' && fault !== 'keeps no member' && users.has(user)) held.add(user);
      if (method === 'DELETE' && fault !== 'never removes') held.delete(user);
    }
    return { status: 204 };
  };
  return { handle, changes, users, organizations };
}

let server: LocalServer | undefined;
afterEach(() => server?.close());

it('plans the membership through the member list: the made user added, listed, removed, unlisted', async () => {
  const run = await runConformance(['--spec', FIXTURE, '--dry-run', ...COMMON], { json: false });
  expect(run.code, run.describe()).toBe(0);
  const lines = run.stdout.split('\n');
  const steps = lines.filter((line) => / · lifecycle: (addMembers|listMembers|removeMembers) /.test(line));
  expect(steps.map((line) => line.replace(/^#\d+ /, ''))).toEqual([
    'addMembers · lifecycle: addMembers adds the member',
    'listMembers · lifecycle: listMembers with the member',
    'removeMembers · lifecycle: removeMembers removes the member',
    'listMembers · lifecycle: listMembers without the member',
  ]);
  // Each change names the one user the scenario made, by the id its create answered.
  for (const step of steps.filter((line) => /(add|remove)Members/.test(line))) {
    const request = lines[lines.indexOf(step) + 1];
    expect(request).toMatch(/\{"members":\["\{createUser step 1 \$response\.body#\/user_id\}"\]\}$/);
  }
});

it('passes against a correct server, the member list judged after the add and after the removal', async () => {
  const api = organizationServer('none');
  server = await jsonServer(api.handle);
  const run = await runConformance(['--spec', FIXTURE, '--base-url', server.url, ...COMMON]);
  expectFailures(run, []);
  expect(run.report?.operations.listMembers?.checks.stateful_rules?.passed).toBeGreaterThanOrEqual(2);
  // The scenario's changes named a user and an organization the run made.
  expect(api.changes.some((c) => api.organizations.has(c.organization) && c.users.every((u) => api.users.has(u)))).toBe(
    true,
  );
});

it('flags a server that answers the add and keeps no member, by the member list alone', async () => {
  server = await jsonServer(organizationServer('keeps no member').handle);
  const run = await runConformance(['--spec', FIXTURE, '--base-url', server.url, ...COMMON]);
  expectFailures(run, ['stateful_rules listMembers']);
  expect(run.report?.failures.map((f) => f.message)).toEqual([
    'the member list does not hold the record added in this run',
  ]);
});

it('flags a server that answers the removal and keeps the member, by the member list alone', async () => {
  server = await jsonServer(organizationServer('never removes').handle);
  const run = await runConformance(['--spec', FIXTURE, '--base-url', server.url, ...COMMON]);
  expectFailures(run, ['stateful_rules listMembers']);
  expect(run.report?.failures.map((f) => f.message)).toEqual([
    'the member list still holds a record removed in this run',
  ]);
});

it('passes against the mock, which lists the members a body added and drops those it removed', async () => {
  const mock = await startMock({ port: 0, specFiles: [FIXTURE] });
  try {
    const run = await runConformance(['--spec', FIXTURE, '--base-url', mock.apis[0]!.baseUrl, ...COMMON]);
    expectFailures(run, []);
    expect(run.report?.operations.listMembers?.checks.stateful_rules?.passed).toBeGreaterThanOrEqual(2);
  } finally {
    await mock.close();
  }
});
