/**
 * Shapes met in public descriptions of contact APIs (Intercom's, Klaviyo's), each reduced to a
 * fixture: the runner plans them, the mock serves them, and neither fails a server doing what they say.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isObject } from '../../lib/json.js';
import { startMock } from '../../mocks/server.js';
import { type JsonAnswer, jsonServer } from '../support/json-server.js';
import type { LocalServer } from '../support/local-server.js';
import { expectFailures, runConformance, summarize } from '../support/runner.js';
import { sendJson, sendJsonFor } from '../support/send-json.js';

const fixture = (name: string) => `tests/fixtures/openapi/${name}.yaml`;

/** The runner on a fixture against a base URL (the mock of it, or a server doing what it says): a pass. */
async function expectPasses(name: string, baseUrl: string): Promise<void> {
  const run = await runConformance(['--spec', fixture(name), '--base-url', baseUrl, '--seed', '7']);
  expect(run.code, `${run.describe()}\n${summarize(run.report)}`).toBe(0);
}

describe('public shapes', () => {
  let mock: Awaited<ReturnType<typeof startMock>> | undefined;
  let server: LocalServer | undefined;
  afterEach(async () => {
    await mock?.close();
    await server?.close();
    mock = undefined;
    server = undefined;
  });

  it('a oneOf of an integer or a list, with a list as its example, is planned (no branch is both)', async () => {
    const run = await runConformance(
      ['--spec', fixture('oneof-integer-or-list'), '--base-url', 'http://127.0.0.1:9', '--dry-run'],
      {
        json: false,
      },
    );
    expect(run.code, run.describe()).toBe(0);
    expect(run.stdout).toMatch(/\d+ requests planned/);
  });

  it('an API key sent as the Authorization header takes any scheme: no wrong-scheme case unless its form is given', async () => {
    // Any Authorization value is the key's, as the document says; /groups' key must look like `SSWS x`.
    server = await jsonServer(({ url, headers }) => {
      const given = headers.authorization;
      if (given === undefined) return { status: 403 };
      if (url.pathname === '/groups' && !/^(SSWS \S+|Bearer .+)$/.test(given)) return { status: 403 };
      return { status: 200, body: [{ id: 'u1' }] };
    });
    const args = ['--spec', fixture('apikey-in-authorization'), '--base-url', server.url, '--seed', '7'];
    const run = await runConformance([...args, '--header', 'Authorization: SSWS 00aBcD']);
    expect(run.code, `${run.describe()}\n${summarize(run.report)}`).toBe(0);
    const plan = await runConformance([...args, '--dry-run'], { json: false });
    expect(plan.stdout).not.toMatch(/listUsers · auth: wrong scheme/);
    expect(plan.stdout).toMatch(/listGroups · auth: wrong scheme/);
  });

  it("a create path ending in a slash is its items' collection: the mock keeps them, the run follows them", async () => {
    mock = await startMock({ port: 0, specFiles: [fixture('trailing-slash-collection')] });
    const baseUrl = mock.apis[0]!.baseUrl;
    const created = await sendJsonFor<{ contact: { id: string } }>(`${baseUrl}/contacts/`, 'POST', {
      firstName: 'Ada',
    });
    const read = (await (await fetch(`${baseUrl}/contacts/${created.contact.id}`)).json()) as unknown;
    expect(read).toEqual({ contact: { id: created.contact.id, firstName: 'Ada' } });
    expect((await fetch(`${baseUrl}/contacts/${created.contact.id}`, { method: 'DELETE' })).status).toBe(200);
    expect((await fetch(`${baseUrl}/contacts/${created.contact.id}`)).status).toBe(404);
    await expectPasses('trailing-slash-collection', baseUrl);
    // A server that ignores updates is caught through the record's life.
    const contacts = new Map<string, string | undefined>();
    let next = 100;
    server = await jsonServer(({ method, url, body, json }) => {
      const id = /^\/contacts\/([^/]+)$/.exec(url.pathname)?.[1];
      const firstName = (body as { firstName?: unknown } | undefined)?.firstName;
      const valid = json && isObject(body) && (firstName === undefined || typeof firstName === 'string');
      if (method === 'POST' && url.pathname === '/contacts/') {
        if (!valid) return { status: 400 };
        const made = String(next++);
        contacts.set(made, firstName as string | undefined);
        return { status: 201, body: { contact: { id: made, firstName: contacts.get(made) } } };
      }
      if (id === undefined || !contacts.has(id)) return { status: 404 };
      if (method === 'PUT' && !valid) return { status: 400 };
      if (method === 'DELETE') {
        contacts.delete(id);
        return { status: 200, body: { succeded: true } };
      }
      return { status: 200, body: { contact: { id, firstName: contacts.get(id) } } };
    });
    const run = await runConformance(['--spec', fixture('trailing-slash-collection'), '--base-url', server.url]);
    expectFailures(run, ['stateful_rules getContact']);
  });

  it('a create names the scope its list is asked for by as the example does: a scoped server passes', async () => {
    const contacts = new Map<string, { id: string; locationId: string; firstName?: string }>();
    server = await jsonServer(({ method, url, body, json }) => {
      const id = /^\/contacts\/([^/]+)$/.exec(url.pathname)?.[1];
      if (id !== undefined) {
        const contact = contacts.get(id);
        return contact ? { status: 200, body: { contact } } : { status: 404 };
      }
      if (method === 'GET') {
        const location = url.searchParams.get('locationId');
        if (!location) return { status: 400 };
        return { status: 200, body: { contacts: [...contacts.values()].filter((c) => c.locationId === location) } };
      }
      const sent = body as { locationId?: unknown; firstName?: unknown } | undefined;
      const valid =
        json &&
        isObject(sent) &&
        typeof sent.locationId === 'string' &&
        (sent.firstName === undefined || typeof sent.firstName === 'string');
      if (!valid) return { status: 400 };
      const contact = {
        id: String(contacts.size + 1),
        locationId: sent.locationId as string,
        ...(sent.firstName === undefined ? {} : { firstName: sent.firstName as string }),
      };
      contacts.set(contact.id, contact);
      return { status: 201, body: { contact } };
    });
    const run = await runConformance(['--spec', fixture('scoped-create'), '--base-url', server.url, '--seed', '7']);
    expect(run.code, `${run.describe()}\n${summarize(run.report)}`).toBe(0);
    // The lifecycle found its record in the list of its location.
    expect(run.report?.operations.getContacts?.checks.stateful_rules?.passed).toBeGreaterThan(0);
  });

  it('a scope the config file gives is written in the bodies of the records made in it', async () => {
    const contacts: { id: string; locationId: string }[] = [];
    server = await jsonServer(({ method, url, body, json }) => {
      const id = /^\/contacts\/([^/]+)$/.exec(url.pathname)?.[1];
      if (id !== undefined) {
        const contact = contacts.find((c) => c.id === id);
        return contact ? { status: 200, body: { contact } } : { status: 404 };
      }
      if (method === 'GET') {
        const location = url.searchParams.get('locationId');
        return location
          ? { status: 200, body: { contacts: contacts.filter((c) => c.locationId === location) } }
          : { status: 400 };
      }
      const sent = isObject(body) ? body : undefined;
      if (
        !json ||
        !sent ||
        typeof sent.locationId !== 'string' ||
        (sent.firstName !== undefined && typeof sent.firstName !== 'string')
      )
        return { status: 400 };
      const contact = { id: String(contacts.length + 1), locationId: sent.locationId };
      contacts.push(contact);
      return { status: 201, body: { contact } };
    });
    const dir = await mkdtemp(join(tmpdir(), 'scope-'));
    const config = join(dir, 'conformance.config.yaml');
    const spec = join(process.cwd(), fixture('scoped-create'));
    await writeFile(
      config,
      `apis:\n  - name: scoped\n    spec: ${spec}\n    baseUrl: ${server.url}\n    seed: 7\n    parameters:\n      locationId: my-own-location\n`,
    );
    try {
      const run = await runConformance(['--config', config]);
      expect(run.code, run.describe()).toBe(0);
      // Every record made with the example's body is made in the location given, and its list finds it.
      expect(contacts.filter((c) => c.locationId === 've9EPM428h8vShlRW1KT')).toEqual([]);
      expect(contacts.filter((c) => c.locationId === 'my-own-location').length).toBeGreaterThan(1);
      // No valid list request asks for another location.
      const plan = await runConformance(['--config', config, '--dry-run'], { json: false });
      const lines = plan.stdout.split('\n');
      const asked = lines.flatMap((line, i) =>
        /getContacts · positive/.test(line) ? [/locationId=([^&\s]*)/.exec(lines[i + 1] ?? '')?.[1]] : [],
      );
      expect(asked.length).toBeGreaterThan(0);
      expect(asked.filter((location) => location !== 'my-own-location')).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a property named `properties` is a schema like any other: nullable beside its $ref, served and judged', async () => {
    mock = await startMock({ port: 0, specFiles: [fixture('property-named-properties')] });
    const baseUrl = mock.apis[0]!.baseUrl;
    expect((await fetch(`${baseUrl}/forms`)).status).toBe(200);
    await expectPasses('property-named-properties', baseUrl);
  });

  it('properties named `example` and `nullable` in a 3.0 document stay properties through the upgrade', async () => {
    mock = await startMock({ port: 0, specFiles: [fixture('keyword-named-properties')] });
    const baseUrl = mock.apis[0]!.baseUrl;
    const post = (body: unknown) =>
      fetch(`${baseUrl}/things`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await post({ example: 5, nullable: null })).status).toBe(201);
    expect((await post({ example: 'five' })).status).toBe(400);
    await expectPasses('keyword-named-properties', baseUrl);
  });

  it('a $ref beside a description shares its target: the mock answers the target, not a "$ref" member', async () => {
    mock = await startMock({ port: 0, specFiles: [fixture('ref-beside-description')] });
    const baseUrl = mock.apis[0]!.baseUrl;
    const answer = (await (await fetch(`${baseUrl}/campaigns`)).json()) as { audiences: Record<string, unknown> };
    expect(Object.keys(answer.audiences)).toEqual(['included']);
  });

  it('a record whose schema reaches the same schemas along thousands of paths is read back, not a 500', async () => {
    mock = await startMock({ port: 0, specFiles: [fixture('shared-deep-schemas')] });
    const baseUrl = mock.apis[0]!.baseUrl;
    const made = await fetch(`${baseUrl}/flows`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ attributes: { name: 'a' } }),
    });
    expect(made.status).toBe(200);
    const read = await fetch(`${baseUrl}/flows/1`);
    expect(read.status).toBe(200);
    expect(await read.json()).toMatchObject({ attributes: { name: 'a' } });
  });

  it.each([
    ['410 (a record gone)', 'gone-only'],
    ['404 (no such record)', 'not-found-only'],
  ])('where only %s is documented, no refusal of a malformed query is asked: both readings pass', async (_, name) => {
    for (const refuses of [false, true]) {
      server = await jsonServer(({ url }) =>
        refuses && url.searchParams.has('verbose') && !/^(true|false)$/.test(url.searchParams.get('verbose')!)
          ? { status: 400 }
          : { status: 200, body: {} },
      );
      await expectPasses(name, server.url);
      await server.close();
      server = undefined;
    }
  });

  it('a 404 to a malformed query of a path naming nothing unknown is no refusal: caught; a 400 is one', async () => {
    for (const refusal of [404, 400]) {
      server = await jsonServer(({ url }) => {
        const limit = url.searchParams.get('limit');
        return limit !== null && !/^([1-9]|10)$/.test(limit) ? { status: refusal } : { status: 200, body: [] };
      });
      const run = await runConformance([
        '--spec',
        fixture('not-found-beside-bad-request'),
        '--base-url',
        server.url,
        '--seed',
        '7',
      ]);
      if (refusal === 400) expect(run.code, `${run.describe()}\n${summarize(run.report)}`).toBe(0);
      else {
        expect(run.report?.failures.map((f) => f.check)).toContain('negative_data_rejected');
        expect(run.stdout).toContain('a not-found refuses no malformed query');
      }
      await server.close();
      server = undefined;
    }
  });

  it("a URL sent where the record answers an object (Intercom's avatar) is not read back as the text sent", async () => {
    const contacts = new Map<string, { id: string; avatar: { image_url: string } }>();
    server = await jsonServer(({ method, url, body, json }) => {
      if (method === 'POST') {
        const avatar = (body as { avatar?: unknown } | undefined)?.avatar;
        if (!json || typeof avatar !== 'string' || avatar.length > 60) return { status: 400 };
        const contact = { id: String(contacts.size + 1), avatar: { image_url: avatar } };
        contacts.set(contact.id, contact);
        return { status: 200, body: contact };
      }
      const contact = contacts.get(url.pathname.split('/').at(-1)!);
      return contact ? { status: 200, body: contact } : { status: 404 };
    });
    await expectPasses('avatar-shape', server.url);
  });

  it('--live: a merge naming a record by reference in its body is held back; a create with an id of its own goes', async () => {
    const sent: string[] = [];
    server = await jsonServer(({ method, url, body }) => {
      sent.push(`${method} ${url.pathname} ${JSON.stringify(body)}`);
      return url.pathname === '/profiles' ? { status: 201, body: { id: 'p1' } } : { status: 202 };
    });
    await runConformance(['--spec', fixture('merge-by-reference'), '--base-url', server.url, '--seed', '7', '--live']);
    expect(sent.filter((line) => line.includes('01GDDKASAP8TKDDA2GRZDSVP4H'))).toEqual([]);
    expect(sent.some((line) => line.startsWith('POST /profiles') && line.includes('"external_id":"mine-1"'))).toBe(
      true,
    );
  });
});

describe('a record typed by an anyOf of objects', () => {
  /** Groups whose update is kept, or (`keeps`) answered and dropped. */
  const groupsServer = (keeps: boolean) => {
    const groups = new Map<string, { id: string; profile: Record<string, string> }>();
    let next = 1;
    return jsonServer(({ method, url, body, json, headers }) => {
      if (!headers['x-api-key']) return { status: 401 };
      const id = /^\/groups\/([^/]+)$/.exec(url.pathname)?.[1];
      const profile = isObject(body) ? body.profile : undefined;
      const valid =
        json &&
        isObject(body) &&
        (profile === undefined || (isObject(profile) && Object.values(profile).every((v) => typeof v === 'string')));
      if (id === undefined) {
        if (!valid) return { status: 400 };
        const group = { id: String(next++), profile: (profile ?? {}) as Record<string, string> };
        groups.set(group.id, group);
        return { status: 200, body: group };
      }
      const group = groups.get(id);
      if (!group) return { status: 404 };
      if (method === 'DELETE') {
        groups.delete(id);
        return { status: 204 };
      }
      if (method === 'PUT') {
        if (!valid) return { status: 400 };
        if (!keeps) group.profile = (profile ?? {}) as Record<string, string>;
      }
      return { status: 200, body: group };
    });
  };
  const args = (url: string) => [
    '--spec',
    'tests/fixtures/openapi/anyof-profile-update.yaml',
    '--base-url',
    url,
    '--seed',
    '7',
    '--header',
    'X-Api-Key: k',
  ];

  it('its texts are compared after an update: a server that keeps it passes, one that drops it fails', async () => {
    const correct = await groupsServer(false);
    try {
      const run = await runConformance(args(correct.url));
      expect(run.code, `${run.describe()}\n${summarize(run.report)}`).toBe(0);
    } finally {
      await correct.close();
    }
    const broken = await groupsServer(true);
    try {
      expectFailures(await runConformance(args(broken.url)), ['stateful_rules getGroup']);
    } finally {
      await broken.close();
    }
  });
});

describe('a partial update by POST beside a replace by PUT', () => {
  const FIXTURE = 'post-update-beside-put';
  const call = (url: string, method: string, body?: unknown) => sendJson(url, method, body, { 'x-api-key': 'k' });

  it('the mock merges the POST into the record and refuses an id it does not hold; the run passes', async () => {
    const mock = await startMock({ port: 0, specFiles: [fixture(FIXTURE)] });
    try {
      const base = mock.apis[0]!.baseUrl;
      const made = (await (await call(`${base}/users`, 'POST', { profile: { firstName: 'Ada' } })).json()) as {
        id: string;
      };
      await call(`${base}/users/${made.id}`, 'POST', { profile: { nickName: 'Countess' } });
      expect(await (await call(`${base}/users/${made.id}`, 'GET')).json()).toEqual({
        id: made.id,
        profile: { firstName: 'Ada', nickName: 'Countess' },
      });
      expect((await call(`${base}/users/999`, 'POST', { profile: { nickName: 'x' } })).status).toBe(404);
      const run = await runConformance([
        ...['--spec', fixture(FIXTURE), '--base-url', base, '--seed', '7', '--header', 'X-Api-Key: k'],
      ]);
      expect(run.code, `${run.describe()}\n${summarize(run.report)}`).toBe(0);
      expect(run.report?.operations.updateUser?.checks.resource_availability?.passed).toBeGreaterThan(0);
    } finally {
      await mock.close();
    }
  });
});

it("a create documenting a Location header answers the stored record's own URL there, which reads it", async () => {
  const mock = await startMock({ port: 0, specFiles: [fixture('create-location')] });
  try {
    const base = mock.apis[0]!.baseUrl;
    const created = await sendJson(`${base}/users`, 'POST', { username: 'ada' });
    const { id } = (await created.json()) as { id: string };
    expect(created.headers.get('location')).toBe(`${base}/users/${id}`);
    expect(await (await fetch(created.headers.get('location')!)).json()).toEqual({ id, username: 'ada' });
    await expectPasses('create-location', base);
  } finally {
    await mock.close();
  }
});

describe('a create answering no body but where its record is (Location)', () => {
  /** Keycloak's way: 201, the new user's URL in Location, no body. */
  function usersServer(fault?: 'forgets' | 'no-location') {
    const users = new Map<string, Record<string, unknown>>();
    let next = 1;
    let base = '';
    const valid = (body: unknown): body is Record<string, unknown> =>
      isObject(body) &&
      typeof body.username === 'string' &&
      body.username.length >= 1 &&
      body.username.length <= 40 &&
      (body.enabled === undefined || typeof body.enabled === 'boolean');
    const server = jsonServer(({ method, url, body, json }): JsonAnswer => {
      const id = /^\/users\/([^/]+)$/.exec(url.pathname)?.[1];
      if (id === undefined) {
        if (method === 'GET') return { status: 200, body: [...users.values()] };
        if (!json || !valid(body)) return { status: 400 };
        const user = { ...body, id: next++ };
        if (fault !== 'forgets') users.set(String(user.id), user);
        return { status: 201, headers: fault === 'no-location' ? {} : { location: `${base}/users/${user.id}` } };
      }
      const user = users.get(id);
      if (!user) return { status: 404 };
      if (method === 'GET') return { status: 200, body: user };
      if (method === 'DELETE') {
        users.delete(id);
        return { status: 204 };
      }
      if (!json || !valid(body)) return { status: 400 };
      users.set(id, { ...body, id: user.id });
      return { status: 204 };
    });
    return {
      users,
      server: server.then((started) => {
        base = started.url;
        return started;
      }),
    };
  }

  const run = (baseUrl: string) =>
    runConformance(['--spec', fixture('location-only-create'), '--base-url', baseUrl, '--seed', '7', '--cleanup']);

  it('the mock keeps the record, answers its URL in Location and no body; the runner follows and deletes it', async () => {
    const mock = await startMock({ port: 0, specFiles: [fixture('location-only-create')] });
    try {
      const base = mock.apis[0]!.baseUrl;
      const created = await sendJson(`${base}/users`, 'POST', { username: 'ada' });
      expect(created.status).toBe(201);
      expect(await created.text()).toBe('');
      const location = created.headers.get('location')!;
      expect(location).toMatch(new RegExp(`^${base}/users/[^/]+$`));
      // The id is made as the read shows ids (an integer), though the create's answer shows none.
      expect(await (await fetch(location)).json()).toEqual({ id: Number(location.split('/').at(-1)), username: 'ada' });
      const result = await run(base);
      expect(result.code, `${result.describe()}\n${summarize(result.report)}`).toBe(0);
      expect(result.stdout).toMatch(/cleanup: [1-9]\d* records the run created deleted; 0 left behind/);
    } finally {
      await mock.close();
    }
  });

  it('a server doing just that passes, its records read, updated and deleted by the id Location gives', async () => {
    const { users, server } = usersServer();
    const { url, close } = await server;
    try {
      const result = await run(url);
      expect(result.code, `${result.describe()}\n${summarize(result.report)}`).toBe(0);
      // The lifecycle read the record it made: the stateful checks ran, and nothing made is left.
      expect(result.stdout).toMatch(/getUser +stateful_rules +[1-9]/);
      expect(users.size).toBe(0);
    } finally {
      await close();
    }
  });

  it('a server answering a Location it never stores is caught by the read after the create', async () => {
    const { server } = usersServer('forgets');
    const { url, close } = await server;
    try {
      // Each operation on the record it said it made finds nothing; an invalid update answered 404
      // there is refused for the missing record, not for its body.
      expectFailures(await run(url), [
        'resource_availability getUser',
        'resource_availability updateUser',
        'resource_availability deleteUser',
        'negative_data_rejected updateUser',
      ]);
    } finally {
      await close();
    }
  });

  it('a server leaving out the Location it documents as optional passes; what it made is listed, not guessed', async () => {
    const { users, server } = usersServer('no-location');
    const { url, close } = await server;
    try {
      const result = await run(url);
      expect(result.code, `${result.describe()}\n${summarize(result.report)}`).toBe(0);
      expect(users.size).toBeGreaterThan(0);
      expect(result.stdout).toMatch(
        new RegExp(`cleanup: 0 records the run created deleted; ${users.size} left behind`),
      );
    } finally {
      await close();
    }
  });
});

it('a client-chosen id the list may be filtered by is made unique per case: a server holding it unique passes', async () => {
  const contacts = new Map<string, { id: string; externalId: string; name: string }>();
  const server = await jsonServer(({ method, url, body, json }) => {
    const id = /^\/contacts\/([^/]+)$/.exec(url.pathname)?.[1];
    if (id !== undefined) {
      const contact = contacts.get(id);
      return contact ? { status: 200, body: contact } : { status: 404 };
    }
    if (method === 'GET') {
      const wanted = url.searchParams.get('externalId');
      return { status: 200, body: [...contacts.values()].filter((c) => wanted === null || c.externalId === wanted) };
    }
    const sent = isObject(body) ? body : {};
    const text = (v: unknown) => typeof v === 'string' && v.length >= 1 && v.length <= 40;
    if (!json || !isObject(body) || Object.keys(sent).some((k) => k !== 'externalId' && k !== 'name'))
      return { status: 400 };
    if (!text(sent.externalId) || !text(sent.name)) return { status: 400 };
    if ([...contacts.values()].some((c) => c.externalId === sent.externalId)) return { status: 409 };
    const contact = { id: `c${contacts.size + 1}`, externalId: sent.externalId as string, name: sent.name as string };
    contacts.set(contact.id, contact);
    return { status: 201, body: contact };
  });
  try {
    await expectPasses('client-chosen-id', server.url);
    expect(contacts.size).toBeGreaterThan(1);
  } finally {
    await server.close();
  }
});

it('a text field holding JSON (its example) is sent as it is, not stamped into something no parser reads', async () => {
  const run = await runConformance(
    ['--spec', fixture('json-text-field'), '--base-url', 'http://127.0.0.1:9', '--seed', '7', '--dry-run'],
    { json: false },
  );
  // (the malformed-JSON case's body aside: it is cut short on purpose)
  const bodies = run.stdout.split('\n').flatMap((line) => {
    try {
      const body: unknown = JSON.parse(line.slice(line.indexOf(' {') + 1));
      return isObject(body) && typeof body.params === 'string' && body.params.startsWith('{') ? [body.params] : [];
    } catch {
      return [];
    }
  });
  expect(bodies.length).toBeGreaterThan(0);
  for (const params of bodies) expect(() => JSON.parse(params), params).not.toThrow();
});

it('a list one wrapper down is the array named for its collection, not the first array of the first wrapper', async () => {
  const mock = await startMock({ port: 0, specFiles: [fixture('list-beside-links')] });
  try {
    const base = mock.apis[0]!.baseUrl;
    const made = await sendJsonFor<{ id: string }>(`${base}/contacts`, 'POST', { name: 'Ada' });
    const list = (await (await fetch(`${base}/contacts`)).json()) as { data: { contacts: { id: string }[] } };
    expect(list.data.contacts.map((c) => c.id)).toEqual([made.id]);
    await expectPasses('list-beside-links', base);
  } finally {
    await mock.close();
  }
});

it('a 404 for an id the run made up (its create untested) is judged by no check, documented or not', async () => {
  const mock = await startMock({ port: 0, specFiles: [fixture('untested-create-reads')] });
  try {
    const run = await runConformance([
      ...['--spec', fixture('untested-create-reads'), '--base-url', mock.apis[0]!.baseUrl, '--seed', '7'],
    ]);
    expect(run.code, `${run.describe()}\n${summarize(run.report)}`).toBe(0);
    expect(run.stdout).toContain('getMediaById was never asked about a record the run made');
  } finally {
    await mock.close();
  }
});

it("a nested record is named by its path's last parameter, whatever order the parameters are declared in", async () => {
  const mock = await startMock({ port: 0, specFiles: [fixture('nested-params-reordered')] });
  try {
    const base = mock.apis[0]!.baseUrl;
    const post = (path: string, body: unknown) =>
      sendJsonFor<{ id: string }>(`${base}${path}`, 'POST', body, { authorization: 'Bearer x' });
    const audience = await post('/audiences', { name: 'news' });
    await post(`/audiences/${audience.id}/contacts`, { email: 'ada@example.com' });
    const read = await fetch(`${base}/audiences/${audience.id}/contacts/ada@example.com`, {
      headers: { authorization: 'Bearer x' },
    });
    expect(read.status).toBe(200);
    expect(await read.json()).toMatchObject({ email: 'ada@example.com' });
    const run = await runConformance([
      ...['--spec', fixture('nested-params-reordered'), '--base-url', base, '--seed', '7'],
      ...['--header', 'Authorization: Bearer x'],
    ]);
    expect(run.code, `${run.describe()}\n${summarize(run.report)}`).toBe(0);
  } finally {
    await mock.close();
  }
});

it("neither a contact's labels nor a filter's answer are records made: the mock keeps none, the cleanup lists none", async () => {
  const mock = await startMock({ port: 0, specFiles: [fixture('labels-and-filter')] });
  try {
    const base = mock.apis[0]!.baseUrl;
    const run = await runConformance([
      '--spec',
      fixture('labels-and-filter'),
      '--base-url',
      base,
      '--seed',
      '7',
      '--cleanup',
    ]);
    expect(run.code, `${run.describe()}\n${summarize(run.report)}`).toBe(0);
    expect(run.report?.cleanup?.leftovers).toEqual([]);
    const state = (await (await fetch(`${mock.url}/__mock/state`)).json()) as Record<string, Record<string, unknown>>;
    expect(Object.keys(Object.values(state)[0] ?? {}).filter((collection) => collection !== '/contacts')).toEqual([]);
  } finally {
    await mock.close();
  }
});

describe('a read that wraps the record its create answers at the top', () => {
  const FIXTURE = 'read-wraps-record';
  /** Contacts kept as Chatwoot answers them; `keeps`: a broken server whose update changes nothing. */
  const contactsServer = (keeps: boolean) => {
    const contacts = new Map<number, { id: number; name?: string; email?: string | null }>();
    let next = 1;
    return jsonServer(({ method, url, body, json, headers }) => {
      if (!headers.api_access_token) return { status: 401 };
      const path = /^\/api\/v1\/accounts\/\d+\/contacts(?:\/(\d+))?$/.exec(url.pathname);
      if (!path) return { status: 404, body: { description: 'not found' } };
      const id = path[1] === undefined ? Number.NaN : Number(path[1]);
      const sent = isObject(body) ? body : undefined;
      const valid =
        json &&
        sent !== undefined &&
        (sent.name === undefined || typeof sent.name === 'string') &&
        (sent.email === undefined || sent.email === null || typeof sent.email === 'string');
      if (Number.isNaN(id)) {
        if (method === 'GET')
          return { status: 200, body: { meta: { count: contacts.size }, payload: [...contacts.values()] } };
        if (!valid || typeof sent?.inbox_id !== 'number') return { status: 400, body: { description: 'invalid' } };
        const contact = {
          id: next++,
          ...(typeof sent.name === 'string' ? { name: sent.name } : {}),
          ...(sent.email !== undefined ? { email: sent.email as string | null } : {}),
        };
        contacts.set(contact.id, contact);
        return { status: 200, body: { id: contact.id, payload: [contact] } };
      }
      const contact = contacts.get(id);
      if (!contact) return { status: 404, body: { description: 'not found' } };
      if (method === 'DELETE') {
        contacts.delete(id);
        return { status: 200 };
      }
      if (method === 'PUT') {
        if (!valid) return { status: 400, body: { description: 'invalid' } };
        if (!keeps) Object.assign(contact, sent);
        return { status: 204 };
      }
      return { status: 200, body: { payload: contact } };
    });
  };
  // The state of the record is what is judged here (the server checks no more of its input than that).
  const args = (url: string) => [
    ...['--spec', fixture(FIXTURE), '--base-url', url, '--seed', '7', '--header', 'api_access_token: x'],
    ...['--checks', 'stateful_rules,resource_availability'],
  ];

  it('the mock reads the stored record into the wrapper; a correct server passes, one dropping updates fails', async () => {
    const mock = await startMock({ port: 0, specFiles: [fixture(FIXTURE)] });
    try {
      const base = `${mock.apis[0]!.baseUrl}/api/v1/accounts/1/contacts`;
      const headers = { 'content-type': 'application/json', api_access_token: 'x' };
      const made = await fetch(base, { method: 'POST', headers, body: JSON.stringify({ inbox_id: 1, name: 'Ada' }) });
      const { id } = (await made.json()) as { id: number };
      expect(await (await fetch(`${base}/${id}`, { headers })).json()).toEqual({ payload: { id, name: 'Ada' } });
    } finally {
      await mock.close();
    }
    for (const keeps of [false, true]) {
      const target = await contactsServer(keeps);
      try {
        const run = await runConformance(args(target.url));
        if (keeps) expectFailures(run, ['stateful_rules contactDetails']);
        else expect(run.code, `${run.describe()}\n${summarize(run.report)}`).toBe(0);
      } finally {
        await target.close();
      }
    }
  });
});
