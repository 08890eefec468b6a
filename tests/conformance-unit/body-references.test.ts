/**
 * Bodies naming records of other collections by a name for their id (`user_id`, `organization_id`):
 * fed records the run made, and an item path named so (`/memberships/{user_id}`) fed what the create sent.
 */
import { describe, expect, it } from 'vitest';
import { isObject } from '../../lib/json.js';
import { startMock } from '../../mocks/server.js';
import { type JsonAnswer, jsonServer } from '../support/json-server.js';
import { expectFailures, runConformance, summarize } from '../support/runner.js';

const fixture = (name: string) => `tests/fixtures/openapi/${name}.yaml`;

describe("a membership naming its user and organization in its body (Zendesk's organization_memberships)", () => {
  const SPEC = fixture('membership-body-refs');

  /** Users, organizations and memberships as Zendesk keeps them: one membership per pair, 422 for a second. */
  function zendesk(fault?: 'forgets' | 'sticky') {
    let next = 1000;
    const users = new Map<number, object>();
    const orgs = new Map<number, object>();
    const memberships = new Map<number, { id: number; user_id: number; organization_id: number }>();
    // `sticky`: a deleted membership still blocks its pair.
    const ghosts = new Set<string>();
    const text = (v: unknown) => typeof v === 'string' && v.length >= 1 && v.length <= 20;
    return jsonServer(
      ({ method, url, body, json }): JsonAnswer => {
        const path = url.pathname.replace(/^\/api\/v2/, '');
        const made = (wrapper: string, into: Map<number, object>): JsonAnswer => {
          const sent = isObject(body) ? body[wrapper] : undefined;
          if (!json || !isObject(sent) || !text(sent.name) || Object.keys(sent).some((k) => k !== 'name'))
            return { status: 400 };
          const record = { id: next++, name: sent.name };
          into.set(record.id, record);
          return { status: 201, body: { [wrapper]: record } };
        };
        if (path === '/users' && method === 'POST') return made('user', users);
        if (path === '/organizations' && method === 'POST') return made('organization', orgs);
        const item = /^\/(users|organizations|organization_memberships)\/(\d+)$/.exec(path);
        if (item) {
          const store = { users, organizations: orgs, organization_memberships: memberships }[item[1] as 'users'];
          const id = Number(item[2]);
          const record = store.get(id);
          if (!record) return { status: 404 };
          if (method === 'DELETE' && fault === 'sticky' && item[1] === 'organization_memberships') {
            const gone = memberships.get(id)!;
            ghosts.add(`${gone.user_id} ${gone.organization_id}`);
          }
          if (method === 'DELETE') store.delete(id);
          const wrapper = {
            users: 'user',
            organizations: 'organization',
            organization_memberships: 'organization_membership',
          };
          return method === 'DELETE'
            ? { status: 204 }
            : { status: 200, body: { [wrapper[item[1] as 'users']]: record } };
        }
        if (path !== '/organization_memberships') return { status: 404 };
        if (method === 'GET') return { status: 200, body: { organization_memberships: [...memberships.values()] } };
        const sent = isObject(body) ? body.organization_membership : undefined;
        if (!json || !isObject(sent) || !Number.isInteger(sent.user_id) || !Number.isInteger(sent.organization_id))
          return { status: 422 };
        const [user, org] = [sent.user_id as number, sent.organization_id as number];
        if (!users.has(user) || !orgs.has(org)) return { status: 422 };
        if ([...memberships.values()].some((m) => m.user_id === user && m.organization_id === org))
          return { status: 422 };
        if (ghosts.has(`${user} ${org}`)) return { status: 422 };
        const membership = { id: next++, user_id: user, organization_id: org };
        if (fault !== 'forgets') memberships.set(membership.id, membership);
        return { status: 201, body: { organization_membership: membership } };
      },
      { status: 422 },
    );
  }

  it('a live run names only the users and organizations it made in a membership it creates', async () => {
    const run = await runConformance(
      ['--spec', SPEC, '--base-url', 'https://api.example.com', '--seed', '7', '--live', '--dry-run'],
      { json: false },
    );
    expect(run.code, run.describe()).toBe(0);
    const lines = run.stdout.split('\n');
    const creates = lines.filter((line, i) => /^#\d+ createMembership .*positive/.test(lines[i - 1] ?? '') && line);
    expect(creates.length).toBeGreaterThan(0);
    for (const line of creates) {
      // No valid create sends a number of its own there: 72 may be someone's user.
      expect(line).toContain('"user_id":"{createUser $response.body#/user/id}"');
      expect(line).toContain('"organization_id":"{createOrganization $response.body#/organization/id}"');
    }
  });

  it('a server keeping one membership per pair passes: a repeated pair refused as documented is no violation', async () => {
    const server = await zendesk();
    try {
      const run = await runConformance(['--spec', SPEC, '--base-url', server.url, '--seed', '7', '--cleanup']);
      expect(run.code, `${run.describe()}\n${summarize(run.report)}`).toBe(0);
      expect(run.stdout).toMatch(/getMembership +resource_availability +[1-9]/);
    } finally {
      await server.close();
    }
  });

  it('a server refusing a pair whose membership was deleted is caught: a deletion frees the pair', async () => {
    const server = await zendesk('sticky');
    try {
      const args = ['--spec', SPEC, '--base-url', server.url, '--seed', '7', '--cleanup', '--concurrency', '1'];
      expectFailures(await runConformance(args), ['positive_data_accepted createMembership']);
    } finally {
      await server.close();
    }
  });

  it('a server answering memberships it never keeps is caught', async () => {
    const server = await zendesk('forgets');
    try {
      expectFailures(await runConformance(['--spec', SPEC, '--base-url', server.url, '--seed', '7', '--cleanup']), [
        'resource_availability getMembership',
        'resource_availability deleteMembership',
      ]);
    } finally {
      await server.close();
    }
  });
});

describe("a membership path naming the member user (Clerk's /orgs/{org_id}/memberships/{user_id})", () => {
  const SPEC = fixture('member-path-names-user');

  function clerk(fault?: 'by-membership-id') {
    let next = 1;
    const users = new Map<string, { id: string; name?: string }>();
    const orgs = new Map<string, Map<string, { id: string; role: string; public_user_data: { user_id: string } }>>();
    const names = new Map<string, string>();
    return jsonServer(
      ({ method, url, body, json }): JsonAnswer => {
        const sent = isObject(body) ? body : {};
        if (url.pathname === '/users' && method === 'POST') {
          const user = { id: `user_${next++}`, ...(typeof sent.name === 'string' ? { name: sent.name } : {}) };
          users.set(user.id, user);
          return { status: 200, body: user };
        }
        if (url.pathname === '/orgs' && method === 'POST') {
          if (!json || typeof sent.name !== 'string') return { status: 422 };
          const id = `org_${next++}`;
          orgs.set(id, new Map());
          names.set(id, sent.name);
          return { status: 200, body: { id, name: sent.name } };
        }
        const [, kind, id, sub, member] = url.pathname.split('/');
        if (kind === 'users') return users.has(id!) ? { status: 200, body: users.get(id!) } : { status: 404 };
        const org = orgs.get(id!);
        if (!org) return { status: 404 };
        if (sub === undefined) return { status: 200, body: { id, name: names.get(id!) } };
        if (url.pathname.endsWith('/memberships')) {
          if (method === 'GET') return { status: 200, body: { data: [...org.values()], total_count: org.size } };
          if (!json || typeof sent.user_id !== 'string' || typeof sent.role !== 'string') return { status: 422 };
          if (!users.has(sent.user_id)) return { status: 404 };
          if (org.has(sent.user_id)) return { status: 422 };
          const membership = { id: `orgmem_${next++}`, role: sent.role, public_user_data: { user_id: sent.user_id } };
          org.set(sent.user_id, membership);
          return { status: 200, body: membership };
        }
        if (member === undefined) return { status: 404 };
        const key =
          fault === 'by-membership-id'
            ? [...org.keys()].find((k) => org.get(k)!.id === member)
            : decodeURIComponent(member);
        if (key === undefined) return { status: 404 };
        const membership = org.get(key);
        if (!membership) return { status: 404 };
        if (method === 'DELETE') org.delete(key);
        else if (typeof sent.role === 'string') membership.role = sent.role;
        else return { status: 422 };
        return { status: 200, body: membership };
      },
      { status: 422 },
    );
  }

  it('the update and delete name the member by the user the create sent, not the membership id', async () => {
    const server = await clerk();
    try {
      const run = await runConformance(['--spec', SPEC, '--base-url', server.url, '--seed', '7', '--cleanup']);
      expect(run.code, `${run.describe()}\n${summarize(run.report)}`).toBe(0);
      expect(run.stdout).toMatch(/updateMembership +resource_availability +[1-9]\d* +0/);
    } finally {
      await server.close();
    }
  });

  it('a server naming memberships by their own id there is caught', async () => {
    const server = await clerk('by-membership-id');
    try {
      const run = await runConformance(['--spec', SPEC, '--base-url', server.url, '--seed', '7', '--cleanup']);
      expect(run.code, run.describe()).toBe(1);
      expect(run.report?.failures.map((f) => f.check)).toContain('resource_availability');
    } finally {
      await server.close();
    }
  });
});

it("a membership naming its user and group as objects ({user: {id}}, Box's) names the ones the run made", async () => {
  const run = await runConformance(
    [
      '--spec',
      fixture('membership-ref-objects'),
      '--base-url',
      'https://api.example.com',
      '--seed',
      '7',
      '--live',
      '--dry-run',
    ],
    { json: false },
  );
  expect(run.code, run.describe()).toBe(0);
  const lines = run.stdout.split('\n');
  const creates = lines.filter((line, i) => /^#\d+ createMembership .*positive/.test(lines[i - 1] ?? '') && line);
  expect(creates.length).toBeGreaterThan(0);
  for (const line of creates)
    expect(line).toContain(
      '{"user":{"id":"{createUser $response.body#/id}"},"group":{"id":"{createGroup $response.body#/id}"}}',
    );
});

it('a reference the body takes as text is sent as the text of a record\'s number ("user_id": "7")', async () => {
  const mock = await startMock({ port: 0, specFiles: [fixture('text-ref-number-id')] });
  try {
    const run = await runConformance([
      '--spec',
      fixture('text-ref-number-id'),
      '--base-url',
      mock.apis[0]!.baseUrl,
      '--seed',
      '7',
    ]);
    expect(run.code, `${run.describe()}\n${summarize(run.report)}`).toBe(0);
  } finally {
    await mock.close();
  }
});
