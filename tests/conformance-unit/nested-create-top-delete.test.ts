/**
 * Records a create under a parent's record makes for a collection at the top that has a create of its
 * own (`POST /users/{user_id}/organization_memberships` beside `POST /organization_memberships`, both
 * answering one membership): the run follows them at the top, and its cleanup deletes them there, or
 * under the parent where the spec documents a delete there.
 */
import { describe, expect, it } from 'vitest';
import { isObject } from '../../lib/json.js';
import { startMock } from '../../mocks/server.js';
import { type JsonAnswer, jsonServer } from '../support/json-server.js';
import { COMMON, expectFailures, runConformance, summarize } from '../support/runner.js';
import { sendJsonFor } from '../support/send-json.js';

const TOP_ONLY = 'tests/fixtures/openapi/nested-create-top-delete.yaml';
const NESTED_ITEMS = 'tests/fixtures/openapi/nested-create-nested-delete.yaml';
const NESTED_READ = 'tests/fixtures/openapi/nested-create-nested-read.yaml';

interface Membership {
  id: number;
  user_id: number;
  role: string;
  /** Made through `/users/{user_id}/organization_memberships`. */
  nested: boolean;
}

/**
 * What a server may get wrong: `keepsNested` answers a delete of a membership made under a user and
 * keeps it; `apart` keeps such memberships apart from the top's, which neither reads nor deletes them.
 */
type Fault = 'keepsNested' | 'apart';

/** A text of 1 to 30 characters, as the fixtures' `name` and `role`. */
const text = (value: unknown): value is string => typeof value === 'string' && value.length >= 1 && value.length <= 30;

/** The one object a body wraps under `name`, with its other members none (the fixtures' wrapped bodies). */
const wrapped = (body: unknown, name: string): Record<string, unknown> | undefined => {
  const inner = isObject(body) ? body[name] : undefined;
  return isObject(inner) ? inner : undefined;
};

/**
 * Users and their memberships, kept as one server keeps them: a membership made under a user is a
 * membership like any other, read and deleted at the top (and under its user where the spec says so).
 */
function membershipServer(fault?: Fault) {
  let next = 1;
  const users = new Map<number, { id: number; name: string }>();
  const memberships = new Map<number, Membership>();
  const deletes: string[] = [];
  const shown = ({ id, user_id, role }: Membership) => ({ organization_membership: { id, user_id, role } });
  const seenAtTop = (m: Membership | undefined) => (m && fault === 'apart' && m.nested ? undefined : m);
  const remove = (m: Membership, path: string): JsonAnswer => {
    deletes.push(`${path.replace(/\d+/g, 'N')} of a membership made ${m.nested ? 'under its user' : 'at the top'}`);
    if (!(fault === 'keepsNested' && m.nested)) memberships.delete(m.id);
    return { status: 204 };
  };
  const create = (user_id: unknown, role: unknown, nested: boolean): JsonAnswer => {
    if (!Number.isSafeInteger(user_id) || !text(role)) return { status: 400 };
    const made = { id: next++, user_id: user_id as number, role, nested };
    memberships.set(made.id, made);
    return { status: 201, body: shown(made) };
  };
  const server = jsonServer(({ method, url, body, json }): JsonAnswer => {
    const path = url.pathname;
    const ok = body === undefined || json;
    if (path === '/users' && method === 'POST') {
      const name = wrapped(body, 'user')?.name;
      if (!ok || !text(name)) return { status: 400 };
      const user = { id: next++, name };
      users.set(user.id, user);
      return { status: 201, body: { user } };
    }
    if (path === '/organization_memberships' && method === 'POST') {
      const sent = wrapped(body, 'organization_membership');
      return ok && sent ? create(sent.user_id, sent.role, false) : { status: 400 };
    }
    const user = /^\/users\/(\d+)(\/.*)?$/.exec(path);
    const userId = user ? Number(user[1]) : undefined;
    if (user && userId !== undefined && !users.has(userId)) return { status: 404 };
    if (user && user[2] === undefined) {
      if (method === 'GET') return { status: 200, body: { user: users.get(userId!) } };
      if (method === 'DELETE') {
        users.delete(userId!);
        return { status: 204 };
      }
      return { status: 404 };
    }
    if (user && user[2] === '/organization_memberships') {
      if (method === 'GET') {
        const held = [...memberships.values()].filter((m) => m.user_id === userId);
        return { status: 200, body: { organization_memberships: held.map((m) => shown(m).organization_membership) } };
      }
      const sent = wrapped(body, 'organization_membership');
      return method === 'POST' && ok && sent ? create(userId, sent.role, true) : { status: 400 };
    }
    const under = /^\/organization_memberships\/(\d+)$/.exec(user?.[2] ?? '');
    if (under) {
      const found = memberships.get(Number(under[1]));
      if (!found || found.user_id !== userId) return { status: 404 };
      if (method === 'GET') return { status: 200, body: shown(found) };
      return method === 'DELETE' ? remove(found, path) : { status: 404 };
    }
    const top = /^\/organization_memberships\/(\d+)$/.exec(path);
    const found = top ? seenAtTop(memberships.get(Number(top[1]))) : undefined;
    if (!found) return { status: 404 };
    if (method === 'GET') return { status: 200, body: shown(found) };
    return method === 'DELETE' ? remove(found, path) : { status: 404 };
  });
  return { server, users, memberships, deletes };
}

const run = (spec: string, baseUrl: string) =>
  runConformance(['--spec', spec, '--base-url', baseUrl, ...COMMON, '--cleanup']);

describe('a membership made under a user, where only the top reads and deletes one', () => {
  it('is read and deleted at the top by the run and its cleanup: nothing is left, on the server or in the report', async () => {
    const target = membershipServer();
    const server = await target.server;
    try {
      const result = await run(TOP_ONLY, server.url);
      expectFailures(result, []);
      expect(result.report?.cleanup?.leftovers, summarize(result.report)).toEqual([]);
      expect(result.stdout).toMatch(/cleanup: [1-9]\d* records the run created deleted; 0 left behind/);
      // The records made under a user were followed at the top: read after the create, gone after the delete.
      expect(result.report?.operations.getMembership?.checks.stateful_rules?.passed).toBeGreaterThan(0);
      expect(target.memberships.size, JSON.stringify([...target.memberships.values()])).toBe(0);
      expect(target.users.size).toBe(0);
    } finally {
      await server.close();
    }
  });

  it('a delete that answers and keeps them is caught by the read after it, and the cleanup lists what stays', async () => {
    const target = membershipServer('keepsNested');
    const server = await target.server;
    try {
      const result = await run(TOP_ONLY, server.url);
      expectFailures(result, ['resource_availability getMembership']);
      expect(new Set(result.report?.failures.map((f) => f.case))).toEqual(
        new Set(['lifecycle: getMembership the deleted record']),
      );
      const kept = [...target.memberships.values()];
      expect(kept.length).toBeGreaterThan(0);
      expect(kept.every((m) => m.nested)).toBe(true);
      const left = result.report?.cleanup?.leftovers ?? [];
      expect(left.map((l) => l.id).sort()).toEqual(kept.map((m) => m.id).sort());
      for (const leftover of left) {
        expect(leftover.operationId).toBe('createUserMembership');
        expect(leftover.reason).toBe('deleteMembership answered a success 3 times, and the record still reads');
      }
    } finally {
      await server.close();
    }
  });

  it('a top that holds none of them fails the read after the create, and its not-found deletes none: they are listed as left', async () => {
    const target = membershipServer('apart');
    const server = await target.server;
    try {
      const result = await run(TOP_ONLY, server.url);
      expectFailures(result, ['resource_availability getMembership']);
      expect(new Set(result.report?.failures.map((f) => f.case))).toEqual(
        new Set(['lifecycle: getMembership the record after the create']),
      );
      const nested = [...target.memberships.values()].filter((m) => m.nested);
      expect(nested.length).toBeGreaterThan(0);
      const left = result.report?.cleanup?.leftovers ?? [];
      expect(left.map((l) => l.id).sort()).toEqual(nested.map((m) => m.id).sort());
      for (const leftover of left) expect(leftover.reason).toBe('deleteMembership answered 404');
    } finally {
      await server.close();
    }
  });
});

describe('a membership made under a user, where the user has item paths of it too', () => {
  it('is deleted under its user by the cleanup: nothing is left', async () => {
    const target = membershipServer();
    const server = await target.server;
    try {
      const result = await run(NESTED_ITEMS, server.url);
      expectFailures(result, []);
      expect(result.report?.cleanup?.leftovers, summarize(result.report)).toEqual([]);
      expect(target.memberships.size, JSON.stringify([...target.memberships.values()])).toBe(0);
      expect(target.users.size).toBe(0);
      // Each under the path it was made under: the delete under the user is the one documented for it.
      expect(new Set(target.deletes)).toEqual(
        new Set([
          '/organization_memberships/N of a membership made at the top',
          '/users/N/organization_memberships/N of a membership made under its user',
        ]),
      );
    } finally {
      await server.close();
    }
  });
});

describe('a membership made under a user, where the user has a read of it but no delete', () => {
  it('is read under its user and deleted at the top: nothing is left', async () => {
    const target = membershipServer();
    const server = await target.server;
    try {
      const result = await run(NESTED_READ, server.url);
      expectFailures(result, []);
      expect(result.report?.cleanup?.leftovers, summarize(result.report)).toEqual([]);
      expect(result.report?.operations.getUserMembership?.checks.stateful_rules?.passed).toBeGreaterThan(0);
      expect(target.memberships.size, JSON.stringify([...target.memberships.values()])).toBe(0);
      expect(target.users.size).toBe(0);
      expect(new Set(target.deletes)).toEqual(
        new Set([
          '/organization_memberships/N of a membership made at the top',
          '/organization_memberships/N of a membership made under its user',
        ]),
      );
    } finally {
      await server.close();
    }
  });
});

describe('against the mock', () => {
  it.each([TOP_ONLY, NESTED_ITEMS, NESTED_READ])(
    '%s: the run passes, and its cleanup leaves nothing in the mock',
    async (spec) => {
      const mock = await startMock({ port: 0, specFiles: [spec] });
      try {
        const result = await run(spec, mock.apis[0]!.baseUrl);
        expectFailures(result, []);
        expect(result.report?.cleanup?.leftovers, summarize(result.report)).toEqual([]);
        expect(result.report?.cleanup?.cleaned).toBeGreaterThan(0);
        const state = await sendJsonFor<Record<string, Record<string, unknown[]>>>(`${mock.url}/__mock/state`, 'GET');
        expect(Object.values(state[mock.apis[0]!.name]!).flat()).toEqual([]);
      } finally {
        await mock.close();
      }
    },
  );
});

describe('on a live target', () => {
  it("deletes each membership made under a user at the top: the run's own record, by the id its create answered", async () => {
    const result = await runConformance(
      ['--spec', TOP_ONLY, '--base-url', 'https://api.example.com', '--live', '--dry-run', '--seed', '7'],
      { json: false },
    );
    expect(result.code, result.describe()).toBe(0);
    const lines = result.stdout.split('\n');
    // Planned, not held back as another's record: the line after the case is its request.
    const at = lines.findIndex((line) =>
      /^ {4}DELETE https:\/\/api\.example\.com\/organization_memberships\/\{createUserMembership step 1 /.test(line),
    );
    expect(at, result.stdout.slice(-3000)).toBeGreaterThan(0);
    expect(lines[at - 1]).toMatch(/^#\d+ deleteMembership · lifecycle: deleteMembership the record$/);
  });

  it('a run with --live (a loopback server of your own) leaves nothing behind it could remove', async () => {
    const target = membershipServer();
    const server = await target.server;
    try {
      const result = await runConformance(['--spec', TOP_ONLY, '--base-url', server.url, ...COMMON, '--live']);
      expectFailures(result, []);
      expect(result.report?.cleanup?.leftovers, summarize(result.report)).toEqual([]);
      expect(target.memberships.size, JSON.stringify([...target.memberships.values()])).toBe(0);
      expect(target.users.size).toBe(0);
    } finally {
      await server.close();
    }
  });
});
