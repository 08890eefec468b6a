/**
 * A valid body naming records the run did not make (an id-named member no create of the run feeds, a
 * list of values named for a collection in a delete's body) holds made-up values: a correct server
 * refuses it with the status it documents for them, and neither `positive_data_accepted` nor
 * `resource_availability` blames the server. A refusal of a body naming no made-up record still fails.
 */
import { describe, expect, it } from 'vitest';
import { type JsonAnswer, jsonServer } from '../support/json-server.js';
import { COMMON, expectFailures, type RunResult, runConformance, summarize } from '../support/runner.js';

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const optionalText = (value: unknown): boolean => value === undefined || typeof value === 'string';

async function runAgainst(fixture: string, url: string): Promise<RunResult> {
  return runConformance(['--spec', `tests/fixtures/openapi/${fixture}`, '--base-url', url, ...COMMON]);
}

/** The request bodies of a check's failures on an operation. */
function failedBodies(run: RunResult, check: string, operationId: string): unknown[] {
  return (run.report?.failures ?? [])
    .filter((f) => f.check === check && f.operationId === operationId)
    .map((f) => {
      const body = (f.request as { body?: unknown }).body;
      return typeof body === 'string' ? JSON.parse(body) : body;
    });
}

describe("Clerk's PATCH /users/{user_id}: primary_email_address_id names one of the user's addresses", () => {
  /** What Clerk documents: a user the create made has no email address, so any address id is refused (422). */
  function usersServer(refusesUpdates: boolean) {
    const users = new Map<string, Record<string, unknown>>();
    const refused: unknown[] = [];
    let next = 100;
    const server = jsonServer(
      ({ method, url, body, json }): JsonAnswer => {
        const [kind, id, ...rest] = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
        if (kind !== 'users' || rest.length > 0) return { status: 404 };
        if (id === undefined) {
          if (method !== 'POST' || !json || !isObject(body) || !optionalText(body.first_name)) return { status: 422 };
          const user = { id: `user_${next++}`, ...body, primary_email_address_id: null };
          users.set(user.id, user);
          return { status: 200, body: user };
        }
        const user = users.get(id);
        if (!user) return { status: 404 };
        if (method === 'GET') return { status: 200, body: user };
        const primary = isObject(body) ? body.primary_email_address_id : undefined;
        const valid =
          json &&
          isObject(body) &&
          Object.keys(body).every((key) => key === 'first_name' || key === 'primary_email_address_id') &&
          optionalText(body.first_name) &&
          (primary === null || optionalText(primary));
        if (!valid) return { status: 422 };
        if (refusesUpdates || typeof primary === 'string') {
          refused.push(body);
          return { status: 422, body: { errors: [{ code: 'form_param_value_invalid' }] } };
        }
        Object.assign(user, body);
        return { status: 200, body: user };
      },
      { status: 422 },
    );
    return { server, refused };
  }

  it('a server doing what Clerk documents refuses the made-up address id with 422, and passes', async () => {
    const { server, refused } = usersServer(false);
    const target = await server;
    try {
      const run = await runAgainst('made-up-update-member.yaml', target.url);
      expectFailures(run, []);
      expect(refused.length, summarize(run.report)).toBeGreaterThan(0);
      expect(run.report?.operations.updateUser?.checks.positive_data_accepted?.passed).toBeGreaterThan(0);
    } finally {
      await target.close();
    }
  });

  it('a server refusing every update is flagged on the updates whose body names no made-up record', async () => {
    const { server } = usersServer(true);
    const target = await server;
    try {
      const run = await runAgainst('made-up-update-member.yaml', target.url);
      expectFailures(run, ['positive_data_accepted updateUser']);
      const bodies = failedBodies(run, 'positive_data_accepted', 'updateUser');
      expect(bodies.length).toBeGreaterThan(0);
      // Only the bodies without an address id (or with null) blame the server.
      expect(bodies.filter((b) => isObject(b) && typeof b.primary_email_address_id === 'string')).toEqual([]);
    } finally {
      await target.close();
    }
  });
});

describe("Clerk's POST /organizations/{id}/memberships: the body's user_id names the member user", () => {
  /**
   * What Clerk documents: an add of a user that does not exist is 404. `refusesMembers` answers every
   * valid request under an organization 404.
   */
  function orgsServer(refusesMembers: boolean) {
    const users = new Map<string, Record<string, unknown>>();
    const orgs = new Map<string, Record<string, unknown>>();
    const members: { org: string; user: string; id: string; role: string }[] = [];
    const notFound: unknown[] = [];
    let next = 100;
    const view = (m: (typeof members)[number]) => ({ id: m.id, role: m.role, public_user_data: { user_id: m.user } });
    const server = jsonServer(
      ({ method, url, body, json }): JsonAnswer => {
        const [kind, id, sub, userId, ...rest] = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
        if (rest.length > 0) return { status: 404 };
        if (id === undefined && method === 'POST') {
          if (!json || !isObject(body)) return { status: 422 };
          if (kind === 'users' && optionalText(body.name)) {
            const user = { id: `user_${next++}`, ...body };
            users.set(user.id, user);
            return { status: 200, body: user };
          }
          if (kind !== 'orgs' || typeof body.name !== 'string') return { status: 422 };
          const org = { id: `org_${next++}`, name: body.name };
          orgs.set(org.id, org);
          return { status: 200, body: org };
        }
        if (kind === 'users') return users.has(id!) ? { status: 200, body: users.get(id!) } : { status: 404 };
        if (kind !== 'orgs' || !orgs.has(id!)) return { status: 404 };
        if (sub === undefined) return { status: 200, body: orgs.get(id!) };
        if (sub !== 'memberships') return { status: 404 };
        const add =
          isObject(body) && typeof body.user_id === 'string' && typeof body.role === 'string' ? body : undefined;
        const adds = userId === undefined && method === 'POST';
        if (adds && (!json || !add)) return { status: 422 };
        if (refusesMembers) return { status: 404 };
        if (userId !== undefined) {
          const at = members.findIndex((m) => m.org === id && m.user === userId);
          if (at < 0) return { status: 404 };
          return { status: 200, body: view(members.splice(at, 1)[0]!) };
        }
        if (method === 'GET') {
          const data = members.filter((m) => m.org === id).map(view);
          return { status: 200, body: { data, total_count: data.length } };
        }
        const { user_id: user, role } = add as { user_id: string; role: string };
        if (!users.has(user)) {
          notFound.push(add);
          return { status: 404, body: { errors: [{ code: 'resource_not_found' }] } };
        }
        if (members.some((m) => m.org === id && m.user === user)) return { status: 422 };
        const member = { org: id!, user, id: `orgmem_${next++}`, role };
        members.push(member);
        return { status: 200, body: view(member) };
      },
      { status: 422 },
    );
    return { server, notFound };
  }

  it("a server doing what Clerk documents answers 404 for the made-up user under the run's organization, and passes", async () => {
    const { server, notFound } = orgsServer(false);
    const target = await server;
    try {
      const run = await runAgainst('made-up-member-user.yaml', target.url);
      expectFailures(run, []);
      expect(notFound.length, summarize(run.report)).toBeGreaterThan(0);
    } finally {
      await target.close();
    }
  });

  it("a server answering 404 under the run's organization is flagged where nothing but that organization is named", async () => {
    const { server } = orgsServer(true);
    const target = await server;
    try {
      const run = await runAgainst('made-up-member-user.yaml', target.url);
      // The list names only the organization the run made; the add's 404 may be for its made-up user.
      expectFailures(run, ['resource_availability listMemberships']);
    } finally {
      await target.close();
    }
  });
});

describe("Gitea's DELETE /user/emails: the body's emails name the account's addresses", () => {
  const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

  /** What Gitea documents: an add keeps the addresses it is given, a delete of one the account lacks is 404. */
  function emailsServer(refusesChanges = false) {
    const emails = [{ email: 'me@example.com', primary: true }];
    const notFound: unknown[] = [];
    const server = jsonServer(
      ({ method, url, body, json }): JsonAnswer => {
        if (url.pathname !== '/api/v1/user/emails') return { status: 404 };
        const listed = isObject(body) ? (body.emails ?? []) : body === undefined ? [] : undefined;
        const valid =
          (body === undefined || json) && Array.isArray(listed) && listed.every((e) => typeof e === 'string');
        if (method === 'POST') {
          if (!valid || refusesChanges) return { status: 422 };
          // An address that is none is not added: the answer lists those that were.
          const added = listed.filter((text) => EMAIL.test(text) && !emails.some((e) => e.email === text));
          emails.push(...added.map((email) => ({ email, primary: false })));
          return { status: 201, body: added.map((email) => ({ email, primary: false })) };
        }
        const held = (text: string) => emails.some((e) => e.email === text && !e.primary);
        if (!valid || refusesChanges || !listed.every(held)) {
          notFound.push(body);
          return { status: 404 };
        }
        const kept = emails.filter((e) => !listed.includes(e.email));
        emails.splice(0, emails.length, ...kept);
        return { status: 204 };
      },
      { status: 422 },
    );
    return { server, notFound };
  }

  const run = async (refusesChanges = false) => {
    const { server, notFound } = emailsServer(refusesChanges);
    const target = await server;
    try {
      return { run: await runAgainst('made-up-delete-values.yaml', `${target.url}/api/v1`), notFound };
    } finally {
      await target.close();
    }
  };

  it('a server doing what Gitea documents answers 404 for addresses the account lacks, and passes', async () => {
    const { run: result, notFound } = await run();
    expectFailures(result, []);
    expect(notFound.length, summarize(result.report)).toBeGreaterThan(0);
    expect(result.report?.operations.userDeleteEmail?.checks.positive_data_accepted?.passed).toBeGreaterThan(0);
  });

  it('a server refusing every delete and every add is flagged on the deletes naming no address and on the adds', async () => {
    const { run: result } = await run(true);
    expectFailures(result, ['positive_data_accepted userDeleteEmail', 'positive_data_accepted userAddEmail']);
    const deletes = failedBodies(result, 'positive_data_accepted', 'userDeleteEmail');
    expect(deletes.length).toBeGreaterThan(0);
    const listing = (b: unknown): boolean => isObject(b) && Array.isArray(b.emails) && b.emails.length > 0;
    expect(deletes.filter(listing)).toEqual([]);
    // The addresses an add lists are what it adds, not records it names: their refusal is no excuse.
    expect(failedBodies(result, 'positive_data_accepted', 'userAddEmail').some(listing)).toBe(true);
  });
});

it("ids a client mints itself (Segment's userId, messageId) excuse no refusal: a server refusing every event is caught", async () => {
  const refusal = { status: 400, body: { error: 'broken' } };
  const server = await jsonServer(() => refusal, refusal);
  try {
    const run = await runConformance([
      '--spec',
      'tests/fixtures/openapi/client-minted-ids.yaml',
      '--base-url',
      server.url,
      ...COMMON,
    ]);
    expectFailures(run, ['positive_data_accepted track']);
  } finally {
    await server.close();
  }
});
