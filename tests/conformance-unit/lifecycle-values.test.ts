/**
 * What the lifecycle writes and reads back: the create and the update write values of their own (a
 * server keeping names unique takes both; an update it does not keep is seen), and a read is compared
 * one level down too (HubSpot's `properties`).
 */
import { expect, it } from 'vitest';
import { isObject } from '../../lib/json.js';
import { startMock } from '../../mocks/server.js';
import { jsonServer } from '../support/json-server.js';
import type { LocalServer } from '../support/local-server.js';
import { expectFailures, runConformance, summarize } from '../support/runner.js';

const FIXTURE = 'tests/fixtures/openapi/lifecycle-update.yaml';

type Fault = 'none' | 'update not kept' | 'nested read wrong';
type Contact = { id: string; name: string; properties: { firstname: string } };

/** Contacts with unique names, as the document's prose says; `fault` breaks one thing. */
function contactsServer(fault: Fault): Promise<LocalServer> {
  const contacts = new Map<string, Contact>();
  let next = 1;
  const valid = (body: unknown): body is Contact => {
    if (!isObject(body) || typeof body.name !== 'string') return false;
    const { properties } = body;
    return isObject(properties) && typeof properties.firstname === 'string' && properties.firstname.length <= 40;
  };
  const taken = (name: unknown, self?: string) => [...contacts.values()].some((c) => c.name === name && c.id !== self);
  return jsonServer(({ method, url, body, json }) => {
    if (body !== undefined && !json) return { status: 400 };
    const id = /^\/contacts\/([^/]+)$/.exec(url.pathname)?.[1];
    if (id === undefined) {
      if (method !== 'POST' || !valid(body) || taken(body.name)) return { status: 400 };
      const contact = { ...body, id: String(next++) };
      contacts.set(contact.id, contact);
      return { status: 201, body: contact };
    }
    const contact = contacts.get(decodeURIComponent(id));
    if (!contact) return { status: 404 };
    if (method === 'GET') {
      const shown = fault === 'nested read wrong' ? { ...contact, properties: { firstname: 'WRONG' } } : contact;
      return { status: 200, body: shown };
    }
    if (method === 'DELETE') {
      contacts.delete(contact.id);
      return { status: 204 };
    }
    if (!valid(body) || taken(body.name, contact.id)) return { status: 400 };
    const updated = { ...contact, ...body };
    if (fault !== 'update not kept') contacts.set(contact.id, updated);
    return { status: 200, body: updated };
  });
}

it.each([
  ['none', 'nothing (it keeps names unique, as its prose says)'],
  ['update not kept', 'the record does not show what the updateContact wrote'],
  ['nested read wrong', 'the record does not show what the create wrote'],
] as const)('a server with the fault "%s" fails with: %s', async (fault, message) => {
  const target = await contactsServer(fault);
  try {
    const run = await runConformance(['--spec', FIXTURE, '--base-url', target.url, '--seed', '7']);
    if (fault === 'none') {
      expect(run.code, `${run.describe()}\n${summarize(run.report)}`).toBe(0);
      expect(run.report?.operations.getContact?.checks.stateful_rules?.passed).toBeGreaterThanOrEqual(2);
    } else {
      expect(run.code, run.describe()).toBe(1);
      const failures = run.report?.failures ?? [];
      expect(new Set(failures.map((f) => f.check))).toEqual(new Set(['stateful_rules']));
      expect(failures.map((f) => f.message)).toContain(message);
    }
  } finally {
    await target.close();
  }
});

/** Lists whose members an upsert PUT sets; `orphans` keeps a deleted list's members readable. */
function listsServer(orphans: boolean): Promise<LocalServer> {
  const lists = new Map<string, { name: string; members: Map<string, { id: string; email: string }> }>();
  let next = 1;
  const type = 'application/problem+json';
  const problem = { status: 404, body: { title: 'Not Found', status: 404 }, type };
  const invalid = { status: 400, body: { title: 'Bad Request', status: 400 }, type };
  const text = (body: unknown, name: string) =>
    isObject(body) && typeof body[name] === 'string' ? body[name] : undefined;
  return jsonServer(({ method, url, body, json }) => {
    if (body !== undefined && !json) return invalid;
    const [, id, members, member] = /^\/lists(?:\/([^/]+)(\/members)?(?:\/([^/]+))?)?$/.exec(url.pathname) ?? [];
    if (id === undefined) {
      const name = text(body, 'name');
      if (name === undefined) return invalid;
      lists.set(String(next), { name, members: new Map() });
      return { status: 200, body: { id: String(next++), name } };
    }
    const orphaned = orphans && members !== undefined && Number(id) < next;
    const list = lists.get(id) ?? (orphaned ? { name: '', members: new Map() } : undefined);
    if (!list) return problem;
    if (!members) {
      if (method === 'DELETE') return lists.delete(id) ? { status: 204 } : problem;
      return { status: 200, body: { id, name: list.name } };
    }
    if (member === undefined && method === 'GET') return { status: 200, body: { members: [...list.members.values()] } };
    const email = text(body, 'email');
    if (email === undefined) return invalid;
    const key = member ?? `m${list.members.size + 1}`;
    list.members.set(key, { id: key, email });
    return { status: 200, body: list.members.get(key) };
  }, invalid);
}

it.each([
  [false, 'a correct server, whose PUT adds a member it does not know, passes'],
  [true, "a server still listing a deleted list's members fails resource_availability alone"],
])('errors only under default (orphans: %s): %s', async (orphans) => {
  const target = await listsServer(orphans);
  try {
    const run = await runConformance([
      '--spec',
      'tests/fixtures/openapi/parents-by-default.yaml',
      '--base-url',
      target.url,
      '--seed',
      '7',
    ]);
    expectFailures(run, orphans ? ['resource_availability listMembers'] : []);
    expect(run.report?.operations.listMembers?.checks.resource_availability?.passed).toBeGreaterThan(0);
  } finally {
    await target.close();
  }
});

it('errors only under default: the mock names the list in its members list, answers 404 under a deleted or never-made one, and the run passes', async () => {
  const spec = 'tests/fixtures/openapi/parents-by-default.yaml';
  const mock = await startMock({ port: 0, specFiles: [spec] });
  try {
    const base = mock.apis[0]!.baseUrl;
    const made = await fetch(`${base}/lists`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'n' }),
    });
    const { id } = (await made.json()) as { id: string };
    const members = await fetch(`${base}/lists/${id}/members`);
    // The list's own id, as the path names it, not the example's.
    expect(await members.json()).toMatchObject({ members: [], list_id: id });
    expect((await fetch(`${base}/lists/${id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await fetch(`${base}/lists/${id}/members`)).status).toBe(404);
    expect((await fetch(`${base}/lists/never-made/members`)).status).toBe(404);
    const run = await runConformance(['--spec', spec, '--base-url', base, '--seed', '7']);
    expect(run.code, `${run.describe()}\n${summarize(run.report)}`).toBe(0);
  } finally {
    await mock.close();
  }
});

it.each([
  ['PATCH', 'the updateThing'],
  ['PUT', 'the replaceThing'],
])(
  'a record written by a PATCH and a PUT: a server not keeping its %s fails stateful_rules (after %s)',
  async (lost, after) => {
    const things = new Map<string, { id: string; name: string }>();
    const target = await jsonServer(({ method, url, body, json }) => {
      const name = isObject(body) && typeof body.name === 'string' ? body.name : undefined;
      const id = /^\/things\/([^/]+)$/.exec(url.pathname)?.[1];
      if (id === undefined) {
        if (!json || name === undefined) return { status: 400 };
        const thing = { id: String(things.size + 1), name };
        things.set(thing.id, thing);
        return { status: 201, body: thing };
      }
      const thing = things.get(id);
      if (!thing) return { status: 404 };
      if (method === 'GET') return { status: 200, body: thing };
      if (!json || name === undefined) return { status: 400 };
      if (method !== lost) things.set(id, { id, name });
      return { status: 200, body: { id, name } };
    });
    try {
      const run = await runConformance([
        '--spec',
        'tests/fixtures/openapi/two-writes.yaml',
        '--base-url',
        target.url,
        '--seed',
        '7',
      ]);
      expect(run.code, run.describe()).toBe(1);
      const failures = run.report?.failures ?? [];
      expect(new Set(failures.map((f) => f.check))).toEqual(new Set(['stateful_rules']));
      expect(failures.map((f) => f.message)).toContain(`the record does not show what ${after} wrote`);
    } finally {
      await target.close();
    }
  },
);

it('writes that require no property still write a name the read must show: an update not kept fails', async () => {
  const things = new Map<string, { id: string; name?: string }>();
  const target = await jsonServer(({ method, url, body, json }) => {
    if (body !== undefined && (!json || !isObject(body))) return { status: 400 };
    const name = isObject(body) && typeof body.name === 'string' ? body.name : undefined;
    const id = /^\/things\/([^/]+)$/.exec(url.pathname)?.[1];
    if (id === undefined) {
      const thing = { id: String(things.size + 1), ...(name !== undefined ? { name } : {}) };
      things.set(thing.id, thing);
      return { status: 201, body: { name: '', ...thing } };
    }
    const thing = things.get(id);
    if (!thing) return { status: 404 };
    if (method === 'GET') return { status: 200, body: { name: '', ...thing } };
    // The update is answered as kept, and forgotten.
    return { status: 200, body: { ...thing, ...(name !== undefined ? { name } : {}) } };
  });
  try {
    const run = await runConformance([
      '--spec',
      'tests/fixtures/openapi/optional-writes.yaml',
      '--base-url',
      target.url,
      '--seed',
      '7',
    ]);
    expect(run.code, run.describe()).toBe(1);
    expect(run.report?.failures.map((f) => `${f.check}: ${f.message}`)).toContain(
      'stateful_rules: the record does not show what the updateThing wrote',
    );
  } finally {
    await target.close();
  }
});

it.each([
  [false, 'a server reading a deleted record back as deleted, as documented, passes'],
  [true, 'a server reading it back as it was fails resource_availability'],
])('a deleted record read back with a 200 (stale: %s): %s', async (stale) => {
  const things = new Map<string, { id: string; name: string; deleted?: true }>();
  const target = await jsonServer(
    ({ method, url, body, json }) => {
      const id = /^\/things\/([^/]+)$/.exec(url.pathname)?.[1];
      if (id === undefined) {
        const name = isObject(body) && typeof body.name === 'string' ? body.name : undefined;
        if (!json || name === undefined) return { status: 400, body: { error: 'invalid' } };
        const thing = { id: `t${things.size + 1}`, name };
        things.set(thing.id, thing);
        return { status: 200, body: thing };
      }
      const thing = things.get(id);
      if (!thing) return { status: 404, body: { error: 'no such thing' } };
      if (method === 'DELETE') {
        thing.deleted = true;
        return { status: 200, body: { id, deleted: true } };
      }
      return { status: 200, body: thing.deleted && !stale ? { id, deleted: true } : { id, name: thing.name } };
    },
    { status: 400, body: { error: 'not JSON' } },
  );
  try {
    const spec = 'tests/fixtures/openapi/deleted-reads-back.yaml';
    const run = await runConformance(['--spec', spec, '--base-url', target.url, '--seed', '7']);
    if (!stale) expect(run.code, `${run.describe()}\n${summarize(run.report)}`).toBe(0);
    else {
      expect(run.code, run.describe()).toBe(1);
      expect(new Set(run.report?.failures.map((f) => f.check))).toEqual(new Set(['resource_availability']));
    }
  } finally {
    await target.close();
  }
});

it("a create whose records are read back by email only: a server refusing a second contact of an email passes (Brevo's)", async () => {
  const contacts = new Map<string, number>();
  const target = await jsonServer(({ method, url, body, json }) => {
    const email = isObject(body) && typeof body.email === 'string' ? body.email : undefined;
    const named = !isObject(body) || body.name === undefined || typeof body.name === 'string';
    if (url.pathname === '/v3/contacts') {
      if (!named) return { status: 400 };
      if (method !== 'POST' || !json || email === undefined || !/^[^@\s]+@[^@\s]+$/.test(email)) return { status: 400 };
      if (contacts.has(email))
        return { status: 400, body: { code: 'duplicate_parameter', message: 'Contact already exist' } };
      contacts.set(email, contacts.size + 1);
      return { status: 201, body: { id: contacts.size } };
    }
    const asked = decodeURIComponent(url.pathname.slice('/v3/contacts/'.length));
    const id = contacts.get(asked);
    return id === undefined ? { status: 404 } : { status: 200, body: { email: asked, id } };
  });
  try {
    const run = await runConformance([
      '--spec',
      'tests/fixtures/openapi/emails-unique.yaml',
      '--base-url',
      `${target.url}/v3`,
      '--seed',
      '7',
    ]);
    expect(run.code, `${run.describe()}\n${summarize(run.report)}`).toBe(0);
    expect(contacts.size).toBeGreaterThan(5);
  } finally {
    await target.close();
  }
});

it('an id never created answered 200 with deleted: true is found, not gone: only a record the run deleted reads back so', async () => {
  const target = await jsonServer(
    ({ method, url, body, json }) => {
      const id = /^\/things\/([^/]+)$/.exec(url.pathname)?.[1];
      if (id !== undefined) return { status: 200, body: { id: decodeURIComponent(id), deleted: true } };
      const name = isObject(body) && typeof body.name === 'string' ? body.name : undefined;
      if (method !== 'POST' || !json || name === undefined) return { status: 400, body: { error: 'invalid' } };
      return { status: 200, body: { id: 't1', name } };
    },
    { status: 400, body: { error: 'not JSON' } },
  );
  try {
    const spec = 'tests/fixtures/openapi/deleted-reads-back.yaml';
    const run = await runConformance(['--spec', spec, '--base-url', target.url, '--seed', '7']);
    expect(run.code, run.describe()).toBe(1);
    expect(run.report?.failures.map((f) => `${f.check}: ${f.message}`)).toContain(
      'resource_availability: id never created answered 200',
    );
  } finally {
    await target.close();
  }
});
