/**
 * The reference server is the yardstick of the runner's tests: before trusting "the runner finds
 * nothing wrong with it", check over real HTTP that it does what the specs say, and that every
 * reply it sent validated against the spec (it checks each reply itself, into `violations`).
 */

import { request } from 'undici';
import { afterEach, describe, expect, test } from 'vitest';
import { ASSUMPTION_FAULTS, FAULTS } from '../support/faulty-servers.js';
import {
  DEFAULT_GROUP_ID,
  type RunningServer,
  type ServerOptions,
  type SpecKey,
  startReferenceServer,
} from '../support/reference-server.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ACCOUNT = '4f1f1e0c-6a7b-4d2e-9a41-2c0f1d8e7b35';

const servers: RunningServer[] = [];
afterEach(async () => {
  // Every reply of a reference server conforms to its spec.
  for (const server of servers.splice(0)) {
    await server.close();
    expect(server.violations, `${server.key} sent non-conforming replies`).toEqual([]);
  }
});

async function start(key: SpecKey, options: ServerOptions = {}) {
  const server = await startReferenceServer(key, options);
  servers.push(server);
  return server;
}

interface Sent {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  text: string;
}

async function send(
  url: string,
  method: 'POST' | 'PATCH' | 'PUT' | 'DELETE',
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Sent> {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  const response = await request(url, {
    method,
    body: raw,
    headers: { 'content-type': 'application/json', ...headers },
  });
  const text = await response.body.text();
  let parsed: unknown;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: response.statusCode, headers: response.headers, body: parsed, text };
}

/** A request without a body (a read, a list, a delete or update by parameters). */
async function call(url: string, method: 'GET' | 'DELETE' | 'PATCH', headers: Record<string, string>): Promise<Sent> {
  const response = await request(url, { method, headers });
  const text = await response.body.text();
  return {
    status: response.statusCode,
    headers: response.headers,
    body: text === '' ? undefined : JSON.parse(text),
    text,
  };
}

const bearer = { authorization: 'Bearer abc' };

describe('BigChange reference', () => {
  test('auth, Customer-Id, ids, PATCH state and errors follow the spec', async () => {
    const s = await start('bigchange');
    const create = `${s.baseUrl}/v1/contactGroups`;
    const h = { ...bearer, 'customer-id': '14532' };

    const noAuth = await send(create, 'POST', { name: 'x' }, { 'customer-id': '14532' });
    expect(noAuth.status).toBe(401);
    expect(noAuth.headers['content-type']).toBe('application/problem+json');
    expect(noAuth.body).toMatchObject({ status: 401, title: 'Unauthorized' });
    expect(
      (await send(create, 'POST', { name: 'x' }, { authorization: 'Basic YTpi', 'customer-id': '1' })).status,
    ).toBe(401);

    const noCustomer = await send(create, 'POST', { name: 'x' }, bearer);
    expect(noCustomer.status).toBe(400);
    expect(noCustomer.body).toMatchObject({ status: 400 });
    expect((await send(create, 'POST', { name: 'x' }, { ...bearer, 'customer-id': 'abc' })).status).toBe(400);
    expect(
      (await send(create, 'POST', { name: 'x' }, { ...bearer, 'customer-id': '99999999999999999999' })).status,
    ).toBe(400);

    const first = await send(create, 'POST', { name: 'Field engineers' }, h);
    // No bound survives in BigChange's pages: a long name is a name.
    const second = await send(create, 'POST', { name: 'A'.repeat(300) }, h);
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    const firstId = (first.body as { id: number }).id;
    expect((second.body as { id: number }).id).toBeGreaterThan(firstId);

    const empty = await send(create, 'POST', { name: '' }, h);
    expect(empty.status).toBe(422);
    expect(empty.body).toMatchObject({ status: 422, errors: { name: ['The Name field is required.'] } });
    expect((await send(create, 'POST', {}, h)).status).toBe(422);
    expect((await send(create, 'POST', '{"name": ', h)).status).toBe(400);
    expect((await send(create, 'POST', '', h)).status).toBe(400);
    const wrongType = await request(create, {
      method: 'POST',
      body: '{"name":"x"}',
      headers: { ...h, 'content-type': 'text/plain' },
    });
    expect(wrongType.statusCode).toBe(400);
    await wrongType.body.text();

    const patch = await send(`${create}/${firstId}`, 'PATCH', { name: 'Renamed' }, h);
    expect(patch.status).toBe(204);
    expect(patch.text).toBe('');
    expect(s.state.bigchange.groups.get(firstId)?.name).toBe('Renamed');
    // The update's name is optional and unbounded; what must be there is one value to update.
    expect((await send(`${create}/${firstId}`, 'PATCH', { name: '' }, h)).status).toBe(204);
    for (const noValue of [{}, { nickname: 'x' }]) {
      const refused = await send(`${create}/${firstId}`, 'PATCH', noValue, h);
      expect(refused.status).toBe(422);
      expect(refused.body).toMatchObject({ errors: { body: ['At least one optional value must be provided.'] } });
    }
    const unknown = await send(`${create}/99999`, 'PATCH', { name: 'x' }, h);
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ status: 404, detail: 'Contact group 99999 was not found.' });
    expect((await send(`${create}/abc`, 'PATCH', { name: 'x' }, h)).status).toBe(400);
  });
});

describe('8x8 reference', () => {
  test('merge: one match 200 merged, two matches 409, none 201; errors are {code,message,errorId,timestamp}', async () => {
    const s = await start('8x8');
    const url = `${s.baseUrl}/api/v1/accounts/${ACCOUNT}/contacts`;
    const a = await send(url, 'POST', { firstName: 'Ann', addresses: { msisdn: '+6591234567' } }, bearer);
    const b = await send(url, 'POST', { addresses: { email: 'b@example.com' } }, bearer);
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    const merged = await send(
      url,
      'POST',
      { lastName: 'Ng', addresses: { msisdn: '+6591234567', lineId: 'ann' } },
      bearer,
    );
    expect(merged.status).toBe(200);
    expect(merged.body).toMatchObject({
      id: (a.body as { id: number }).id,
      firstName: 'Ann',
      lastName: 'Ng',
      addresses: { msisdn: '+6591234567', lineId: 'ann' },
    });
    const conflict = await send(url, 'POST', { addresses: { msisdn: '+6591234567', email: 'b@example.com' } }, bearer);
    expect(conflict.status).toBe(409);
    expect(conflict.body).toMatchObject({ code: 1003 });
    expect((conflict.body as { errorId: string }).errorId).toMatch(UUID);
    expect(s.state.eightByEight.contacts.size).toBe(2);

    const invalid = await send(url, 'POST', { addresses: { msisdn: 'abc' } }, bearer);
    expect(invalid.status).toBe(400);
    expect(invalid.body).toMatchObject({ code: 1002, message: expect.any(String) });
    expect((invalid.body as { errorId: string }).errorId).toMatch(UUID);
    expect(Number.isNaN(Date.parse((invalid.body as { timestamp: string }).timestamp))).toBe(false);
    // At least one of the seven addresses; other properties are allowed next to one, never instead.
    for (const addresses of [{}, { skype: 'ann' }]) {
      const none = await send(url, 'POST', { addresses }, bearer);
      expect(none.status).toBe(400);
      expect(none.body).toMatchObject({ code: 1000, message: 'addresses: at least one address should be provided' });
    }
    const extra = await send(url, 'POST', { addresses: { zaloId: 'z-1', skype: 'ann' } }, bearer);
    expect(extra.status).toBe(201);
    expect((extra.body as { addresses: unknown }).addresses).toEqual({ zaloId: 'z-1' });
    expect((await send(url, 'POST', { addresses: { email: 'x@example.com' }, country: 'USA' }, bearer)).status).toBe(
      400,
    );
    expect(
      (
        await send(
          `${s.baseUrl}/api/v1/accounts/not-an-account/contacts`,
          'POST',
          { addresses: { email: 'y@example.com' } },
          bearer,
        )
      ).status,
    ).toBe(400);
    const noAuth = await send(url, 'POST', { addresses: { email: 'z@example.com' } });
    expect(noAuth.status).toBe(401);
    expect(noAuth.body).toMatchObject({ code: 1100, message: 'Unauthorized' });
  });
});

describe('Eloqua reference', () => {
  test("Basic or Bearer, numeric string ids, Oracle's requirement names, read-only properties ignored", async () => {
    const s = await start('eloqua');
    const url = `${s.baseUrl}/api/REST/2.0/assets/contact/segment`;
    const one = await send(
      url,
      'POST',
      { name: 'Q3 webinar attendees' },
      { authorization: 'Basic c2l0ZVx1c2VyOnBhc3M=' },
    );
    expect(one.status).toBe(201);
    expect((one.body as { id: string }).id).toMatch(/^[0-9]+$/);
    const two = await send(url, 'POST', { name: 'Other', folderId: '999', type: 'Other', isStale: 'true' }, bearer);
    expect(two.status).toBe(201);
    expect(two.body).toMatchObject({ type: 'ContactSegment', folderId: '1204', isStale: 'false' });
    expect(Number((two.body as { id: string }).id)).toBeGreaterThan(Number((one.body as { id: string }).id));
    const duplicate = await send(url, 'POST', { name: 'Q3 webinar attendees' }, bearer);
    expect(duplicate.status).toBe(400);
    expect(duplicate.body).toEqual([
      expect.objectContaining({
        property: 'name',
        requirement: { type: 'UniquenessRequirement' },
        value: 'Q3 webinar attendees',
      }),
    ]);
    const missing = await send(url, 'POST', {}, bearer);
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual([
      expect.objectContaining({ property: 'name', requirement: { type: 'NotNullRequirement' } }),
    ]);
    // Oracle states no bound on a name.
    expect((await send(url, 'POST', { name: 'x'.repeat(101) }, bearer)).status).toBe(201);
    const wrongScheme = await send(url, 'POST', { name: 'n' }, { authorization: 'Token abc' });
    expect(wrongScheme.status).toBe(401);
    expect(wrongScheme.body).toBe('Not authenticated.');
  });
});

describe('Easify reference', () => {
  test('base path /api/v2, duplicate 422, Laravel errors, rate limit 429 with Retry-After on its clock', async () => {
    let now = Date.UTC(2024, 1, 12, 3, 13, 35);
    const s = await start('easify', { rateLimit: { limit: 4, periodMs: 30_000 }, clock: () => now });
    expect(s.baseUrl).toMatch(/\/api\/v2$/);
    const url = `${s.baseUrl}/contact-groups/create`;
    const ok = await send(url, 'POST', { name: 'My Contact Group' }, bearer);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ status: true, data: { name: 'My Contact Group', contacts_count: 0 } });
    expect((ok.body as { data: { created_at: string } }).data.created_at).toBe('12-02-2024 03:13:35 AM');
    expect(ok.headers['x-ratelimit-remaining']).toBe('3');
    const dup = await send(url, 'POST', { name: 'My Contact Group' }, bearer);
    expect(dup.status).toBe(422);
    expect(dup.body).toEqual({
      message: 'The name has already been taken.',
      errors: { name: ['The name has already been taken.'] },
    });
    expect((await send(url, 'POST', { name: '' }, bearer)).status).toBe(422);
    expect((await send(url, 'POST', { name: 'x' }, { authorization: 'Bearer other' })).status).toBe(200);
    now += 10_000;
    expect((await send(url, 'POST', { name: 'y' }, bearer)).status).toBe(200);
    const limited = await send(url, 'POST', { name: 'z' }, bearer);
    expect(limited.status).toBe(429);
    // The first request of the window was 10 s ago: its slot frees in 20 s.
    expect(limited.headers['retry-after']).toBe('20');
    expect(limited.body).toEqual({ status: false, message: 'Too many requests. Try again in 20 seconds', errors: [] });
    now += 20_000;
    expect((await send(url, 'POST', { name: 'z' }, bearer)).status).toBe(200);
    const noAuth = await send(url, 'POST', { name: 'n' });
    expect(noAuth.status).toBe(401);
    expect(noAuth.body).toEqual({ status: false, message: 'Unauthenticated', errors: [] });
  });
});

describe('the lifecycle operations, with state', () => {
  test('BigChange: the list filters by name prefix and ids, sorts, pages, and shows what the update wrote', async () => {
    const s = await start('bigchange');
    const groups = `${s.baseUrl}/v1/contactGroups`;
    const h = { ...bearer, 'customer-id': '14532' };
    const ids: number[] = [];
    for (const name of ['Field engineers', 'field office', 'Office']) {
      ids.push(((await send(groups, 'POST', { name }, h)).body as { id: number }).id);
    }
    const names = async (query: string) => {
      const page = await call(`${groups}?${query}`, 'GET', h);
      expect(page.status, page.text).toBe(200);
      return (page.body as { items: { name: string }[] }).items.map((g) => g.name);
    };
    expect(await names('name=FIELD')).toEqual(['Field engineers', 'field office']);
    expect(await names(`id=${ids[0]}&id=${ids[2]}`)).toEqual(['Field engineers', 'Office']);
    expect(await names('sortBy=name&direction=descending')).toEqual(['Office', 'field office', 'Field engineers']);
    const second = await call(`${groups}?pageSize=2&pageNumber=2`, 'GET', h);
    expect(second.body).toEqual({
      items: [{ id: ids[2], name: 'Office' }],
      pageNumber: 2,
      pageSize: 2,
      pageItemCount: 1,
    });
    expect((await send(`${groups}/${ids[2]}`, 'PATCH', { name: 'Back office' }, h)).status).toBe(204);
    expect(await names(`id=${ids[2]}`)).toEqual(['Back office']);
    for (const bad of ['pageSize=0', 'pageNumber=0', 'id=abc', 'sortBy=id']) {
      const refused = await call(`${groups}?${bad}`, 'GET', h);
      expect(refused.status, bad).toBe(400);
      expect(refused.headers['content-type']).toBe('application/problem+json');
    }
    expect((await call(groups, 'GET', bearer)).status).toBe(400);
    expect(s.records()).toHaveLength(3);
  });

  test('8x8: contacts are read, patched for real, searched and deleted; a deleted id is 404 everywhere', async () => {
    const s = await start('8x8');
    const contacts = `${s.baseUrl}/api/v1/accounts/${ACCOUNT}/contacts`;
    const a = await send(
      contacts,
      'POST',
      { firstName: 'Ann', country: 'SG', addresses: { msisdn: '+6591234567' } },
      bearer,
    );
    const b = await send(
      contacts,
      'POST',
      { firstName: 'Bo', country: 'US', addresses: { email: 'bo@example.com' } },
      bearer,
    );
    const id = (a.body as { id: number }).id;
    const read = await call(`${contacts}/${id}`, 'GET', bearer);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(a.body);
    // 8x8's own example: add a LINE id, remove the phone number, then the names.
    const patch = [
      { op: 'add', path: '/addresses/lineId', value: 'ann.line' },
      { op: 'remove', path: '/addresses/msisdn' },
      { op: 'replace', path: '/lastName', value: 'Ng' },
      { op: 'replace', path: '/FIRSTNAME', value: 'Anne' },
    ];
    const patched = await send(`${contacts}/${id}`, 'PATCH', patch, bearer);
    expect(patched.status, patched.text).toBe(200);
    expect(patched.body).toMatchObject({ id, firstName: 'Anne', lastName: 'Ng', addresses: { lineId: 'ann.line' } });
    expect((patched.body as { addresses: object }).addresses).not.toHaveProperty('msisdn');
    expect((await call(`${contacts}/${id}`, 'GET', bearer)).body).toEqual(patched.body);
    // A failed test, a contact left without an address and a path the model lacks change nothing.
    for (const refused of [
      [
        { op: 'test', path: '/firstName', value: 'Ann' },
        { op: 'replace', path: '/lastName', value: 'X' },
      ],
      [{ op: 'remove', path: '/addresses/lineId' }],
      [{ op: 'add', path: '/nickname', value: 'A' }],
    ]) {
      const answer = await send(`${contacts}/${id}`, 'PATCH', refused, bearer);
      expect(answer.status, JSON.stringify(refused)).toBe(400);
      expect(answer.body).toMatchObject({ code: expect.any(Number) });
    }
    expect((await call(`${contacts}/${id}`, 'GET', bearer)).body).toEqual(patched.body);

    const search = async (query: string) =>
      (await call(`${contacts}?${query}`, 'GET', bearer)).body as {
        items: { id: number }[];
        totalCount: number;
        totalFiltered: number;
        page: number;
        hasNextPage: boolean;
      };
    expect((await search('country=sg')).items.map((c) => c.id)).toEqual([id]);
    expect((await search('query=BO@EXAMPLE')).items.map((c) => c.id)).toEqual([(b.body as { id: number }).id]);
    expect(await search('limit=1&offset=1')).toMatchObject({
      page: 2,
      totalCount: 2,
      totalFiltered: 2,
      hasNextPage: false,
    });
    expect((await search('limit=1')).hasNextPage).toBe(true);
    expect((await call(`${contacts}?limit=501`, 'GET', bearer)).status).toBe(400);

    expect((await call(`${contacts}/${id}`, 'DELETE', bearer)).status).toBe(204);
    for (const [method, body] of [
      ['GET', undefined],
      ['PATCH', [{ op: 'replace', path: '/firstName', value: 'X' }]],
      ['DELETE', undefined],
    ] as const) {
      const gone = body
        ? await send(`${contacts}/${id}`, method as 'PATCH', body, bearer)
        : await call(`${contacts}/${id}`, method, bearer);
      expect(gone.status, method).toBe(404);
      expect(gone.body).toMatchObject({ code: 1300, message: `Unable to find contact with id ${id}` });
    }
    expect((await search('')).items.map((c) => c.id)).not.toContain(id);
    expect((await call(`${contacts}/not-a-number`, 'GET', bearer)).status).toBe(404);
  });

  test('8x8: group names are unique, membership shows in the count, a patch finds /isblacklist', async () => {
    const s = await start('8x8');
    const groups = `${s.baseUrl}/api/v1/accounts/${ACCOUNT}/groups`;
    const contacts = `${s.baseUrl}/api/v1/accounts/${ACCOUNT}/contacts`;
    const group = await send(groups, 'POST', { name: 'Newsletter' }, bearer);
    expect(group.status).toBe(201);
    expect(group.body).toMatchObject({ contacts: 0, name: 'Newsletter', isBlacklist: false });
    const gid = (group.body as { id: number }).id;
    const taken = await send(groups, 'POST', { name: 'Newsletter' }, bearer);
    expect(taken.status).toBe(409);
    expect(taken.body).toMatchObject({ code: 5003 });
    const other = (await send(groups, 'POST', { name: 'VIP' }, bearer)).body as { id: number };
    expect(
      (await send(`${groups}/${other.id}`, 'PATCH', [{ op: 'replace', path: '/name', value: 'Newsletter' }], bearer))
        .status,
    ).toBe(409);
    // 8x8's example writes the path in lower case and the boolean as a string.
    const blacklisted = await send(
      `${groups}/${gid}`,
      'PATCH',
      [{ op: 'replace', path: '/isblacklist', value: 'true' }],
      bearer,
    );
    expect(blacklisted.status, blacklisted.text).toBe(200);
    expect(blacklisted.body).toMatchObject({ id: gid, isBlacklist: true });

    const ids: number[] = [];
    for (const email of ['a@example.com', 'b@example.com']) {
      ids.push(((await send(contacts, 'POST', { addresses: { email } }, bearer)).body as { id: number }).id);
    }
    const added = await send(`${groups}/${gid}/contacts`, 'POST', { contacts: [...ids, 999] }, bearer);
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ id: gid, contacts: 2 });
    expect((await call(`${contacts}/${ids[0]}`, 'GET', bearer)).body).toMatchObject({
      groups: [{ id: gid, name: 'Newsletter', contacts: 2 }],
    });
    const members = (await call(`${contacts}?groupId=${gid}`, 'GET', bearer)).body as { items: { id: number }[] };
    expect(members.items.map((c) => c.id)).toEqual(ids);
    const removed = await send(`${groups}/${gid}/contacts`, 'DELETE', { contacts: [ids[0]] }, bearer);
    expect(removed.status).toBe(200);
    expect(removed.body).toMatchObject({ contacts: 1 });
    expect((await call(`${contacts}/${ids[1]}`, 'DELETE', bearer)).status).toBe(204);
    expect((await call(`${groups}/${gid}`, 'GET', bearer)).body).toMatchObject({ contacts: 0 });
    const found = (await call(`${groups}?name=letter`, 'GET', bearer)).body as { items: { id: number }[] };
    expect(found.items.map((g) => g.id)).toEqual([gid]);

    expect((await call(`${groups}/${gid}`, 'DELETE', bearer)).status).toBe(204);
    expect((await call(`${groups}/${gid}`, 'GET', bearer)).status).toBe(404);
    expect((await send(`${groups}/${gid}/contacts`, 'POST', { contacts: ids }, bearer)).status).toBe(404);
    // A membership body that cannot be read: 8x8 documents no 400 there, only the 404.
    const unreadable = await send(`${groups}/${other.id}/contacts`, 'POST', '{"contacts": [', bearer);
    expect(unreadable.status).toBe(404);
    expect(unreadable.body).toMatchObject({ code: 1000 });
  });

  test('Eloqua: a segment is read at a depth, replaced, copied into a new one, listed by search and deleted', async () => {
    let now = Date.UTC(2024, 5, 20);
    const s = await start('eloqua', { clock: () => now });
    const segment = `${s.baseUrl}/api/REST/2.0/assets/contact/segment`;
    const created = (
      await send(segment, 'POST', { name: 'Q3 webinar attendees', elements: [{ isIncluded: 'true' }] }, bearer)
    ).body as { id: string; createdAt: string };
    const minimal = await call(`${segment}/${created.id}?depth=minimal`, 'GET', bearer);
    expect(minimal.body).toEqual({
      type: 'ContactSegment',
      id: created.id,
      name: 'Q3 webinar attendees',
      createdAt: created.createdAt,
      createdBy: '11',
      updatedAt: created.createdAt,
      updatedBy: '11',
      depth: 'minimal',
    });
    expect((await call(`${segment}/${created.id}?depth=deep`, 'GET', bearer)).body).toMatchObject({
      depth: 'complete',
      elements: [{ isIncluded: 'true' }],
    });
    now += 86_400_000;
    const replaced = await send(
      `${segment}/${created.id}`,
      'PUT',
      { name: 'Q3 (EMEA)', id: '1', createdAt: '0' },
      bearer,
    );
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({
      id: created.id,
      name: 'Q3 (EMEA)',
      createdAt: created.createdAt,
      elements: [],
    });
    expect((replaced.body as { updatedAt: string }).updatedAt).toBe(String(now / 1000));

    const copy = await send(`${segment}/${created.id}/copy`, 'POST', { name: 'Q3 (copy)' }, bearer);
    expect(copy.status).toBe(201);
    const copyId = (copy.body as { id: string }).id;
    expect(copyId).not.toBe(created.id);
    expect(copy.body).toMatchObject({ name: 'Q3 (copy)', createdAt: String(now / 1000) });
    const taken = await send(`${segment}/${copyId}`, 'PUT', { name: 'Q3 (EMEA)' }, bearer);
    expect(taken.status).toBe(400);
    expect(taken.body).toEqual([
      expect.objectContaining({ property: 'name', requirement: { type: 'UniquenessRequirement' } }),
    ]);
    expect((await send(`${segment}/${created.id}/copy`, 'POST', { name: 'Q3 (copy)' }, bearer)).status).toBe(400);

    const list = async (query: string) =>
      (await call(`${s.baseUrl}/api/REST/2.0/assets/contact/segments?${query}`, 'GET', bearer)).body as {
        elements: { id: string; depth: string }[];
        total: number;
        page: number;
        pageSize: number;
      };
    expect((await list('search=q3*')).elements.map((e) => e.id)).toEqual([created.id, copyId]);
    expect((await list('search=Q3 (copy)')).elements.map((e) => e.id)).toEqual([copyId]);
    expect(await list('count=1&page=2')).toMatchObject({
      elements: [{ id: copyId, depth: 'minimal' }],
      total: 2,
      page: 2,
      pageSize: 1,
    });
    expect((await call(`${s.baseUrl}/api/REST/2.0/assets/contact/segments?count=1001`, 'GET', bearer)).body).toBe(
      'Bad Request',
    );

    const deleted = await call(`${segment}/${created.id}`, 'DELETE', bearer);
    expect(deleted.status).toBe(200);
    expect(deleted.text).toBe('');
    const gone = await call(`${segment}/${created.id}`, 'GET', bearer);
    expect(gone.status).toBe(404);
    expect(gone.body).toBe('The requested resource was not found.');
    expect((await send(`${segment}/${created.id}`, 'PUT', { name: 'Again' }, bearer)).status).toBe(404);
    expect((await list('')).elements.map((e) => e.id)).toEqual([copyId]);
    expect((await call(`${segment}/abc`, 'GET', bearer)).body).toBe('Bad Request');
    expect((await send(`${segment}/abc`, 'PUT', { name: 'x' }, bearer)).body).toEqual([
      expect.objectContaining({ property: 'id', requirement: { type: 'IdRequirement' }, value: 'abc' }),
    ]);
  });

  test('Easify: the default group stays, lists are Laravel pages newest first, contacts count in their group', async () => {
    const s = await start('easify', { rateLimit: false });
    const h = bearer;
    const groupsPage = async (query = '') =>
      (await call(`${s.baseUrl}/contact-groups?${query}`, 'GET', h)).body as {
        data: { id: number; name: string; contacts_count: number; default_group: boolean }[];
        meta: { current_page: number; from: number | null; to: number | null; total: number; last_page: number };
        links: { prev: string | null; next: string | null };
      };
    const initial = await groupsPage();
    expect(initial.data).toEqual([expect.objectContaining({ id: DEFAULT_GROUP_ID, default_group: true })]);
    const refused = await call(`${s.baseUrl}/contact-groups/delete?group_id=${DEFAULT_GROUP_ID}`, 'DELETE', h);
    expect(refused.status).toBe(400);
    expect(refused.body).toEqual({ status: false, message: "You can't delete the default contact group!", errors: [] });

    const ids: number[] = [];
    for (const name of ['Alpha', 'Beta']) {
      ids.push(
        ((await send(`${s.baseUrl}/contact-groups/create`, 'POST', { name }, h)).body as { data: { id: number } }).data
          .id,
      );
    }
    expect((await groupsPage()).data.map((g) => g.id)).toEqual([ids[1], ids[0], DEFAULT_GROUP_ID]);
    expect((await groupsPage('order=asc')).data.map((g) => g.id)).toEqual([DEFAULT_GROUP_ID, ids[0], ids[1]]);
    const second = await groupsPage('limit=1&page=2');
    expect(second.data.map((g) => g.id)).toEqual([ids[0]]);
    expect(second.meta).toMatchObject({ current_page: 2, from: 2, to: 2, total: 3, last_page: 3 });
    expect(second.links.prev).toMatch(/\/api\/v2\/contact-groups\?page=1$/);
    expect((await groupsPage('page=9')).meta).toMatchObject({ from: null, to: null });
    // A malformed list parameter: our spec's inferred 422; what the vendor documents is no refusal at all,
    // and a documented-only server reads past it as Laravel's paginator does.
    const sideways = await call(`${s.baseUrl}/contact-groups?order=sideways`, 'GET', h);
    expect(sideways.status).toBe(422);
    expect(sideways.body).toEqual({ message: expect.any(String), errors: { order: [expect.any(String)] } });
    const documentedOnly = await start('easify', { documentedOnly: true });
    const lenient = await call(`${documentedOnly.baseUrl}/contact-groups?page=abc&limit=1`, 'GET', h);
    expect(lenient.status).toBe(200);
    expect(lenient.body).toMatchObject({ meta: { current_page: 1, per_page: 1 } });

    const update = (query: string) => call(`${s.baseUrl}/contact-groups/update?${query}`, 'PATCH', h);
    const renamed = await update(`group_id=${ids[0]}&name=Alpha%202`);
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ status: true, data: { id: ids[0], name: 'Alpha 2' } });
    expect((await update(`group_id=${ids[1]}&name=Alpha%202`)).body).toEqual({
      message: 'The name has already been taken.',
      errors: { name: ['The name has already been taken.'] },
    });
    expect((await update('name=x')).body).toMatchObject({ errors: { group_id: ['The group id field is required.'] } });
    expect((await update('group_id=999&name=x')).body).toEqual({
      status: false,
      message: 'Invalid group id',
      errors: [],
    });

    const contact = await send(
      `${s.baseUrl}/contacts/create`,
      'POST',
      { group_id: ids[0], first_name: 'Dana', phone_number: '7736381234', country_code: '+1' },
      h,
    );
    expect(contact.status).toBe(200);
    expect(contact.body).toMatchObject({
      data: { group_name: 'Alpha 2', first_name: 'Dana', phone_number: '+17736381234', email_address: null },
    });
    const cid = (contact.body as { data: { id: number } }).data.id;
    // A group id of no group of the user's: the contact lands in the default group.
    const stray = await send(
      `${s.baseUrl}/contacts/create`,
      'POST',
      { group_id: 4242, first_name: 'Eli', email_address: 'eli@example.com' },
      h,
    );
    expect(stray.body).toMatchObject({ data: { group_name: 'Default Group' } });
    expect((await groupsPage()).data.find((g) => g.id === ids[0])?.contacts_count).toBe(1);
    const invalid = await send(`${s.baseUrl}/contacts/create`, 'POST', { group_id: ids[0], first_name: 'Fay' }, h);
    expect(invalid.status).toBe(422);
    expect(invalid.body).toMatchObject({
      errors: {
        email_address: ['The email address field is required when phone number is not present.'],
        phone_number: ['The phone number field is required when email address is not present.'],
      },
    });

    const updated = await send(
      `${s.baseUrl}/contacts/update`,
      'PATCH',
      { contact_id: cid, first_name: 'Dana', company: 'Acme', email_address: 'd@example.com' },
      h,
    );
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({
      message: 'Contact updated successfully',
      data: { id: cid, company: 'Acme', phone_number: '+17736381234' },
    });
    const inGroup = (await call(`${s.baseUrl}/contacts?group_id=${ids[0]}`, 'GET', h)).body as {
      data: { id: number; company: string }[];
    };
    expect(inGroup.data).toEqual([expect.objectContaining({ id: cid, company: 'Acme' })]);

    expect((await send(`${s.baseUrl}/contacts/delete`, 'DELETE', { contact_id: cid }, h)).status).toBe(200);
    for (const [path, method] of [
      ['/contacts/delete', 'DELETE'],
      ['/contacts/update', 'PATCH'],
    ] as const) {
      const gone = await send(
        `${s.baseUrl}${path}`,
        method,
        { contact_id: cid, first_name: 'X', email_address: 'x@example.com' },
        h,
      );
      expect(gone.body, path).toEqual({ status: false, message: 'Invalid contact id', errors: [] });
    }
    expect((await call(`${s.baseUrl}/contact-groups/delete?group_id=${ids[0]}`, 'DELETE', h)).body).toEqual({
      status: true,
      message: 'Contact Group deleted successfully',
      data: [],
    });
    expect((await update(`group_id=${ids[0]}&name=y`)).status).toBe(400);
    expect(s.records().map((r) => `${r.collection} ${r.id}`)).toEqual([
      `contactGroups ${DEFAULT_GROUP_ID}`,
      `contactGroups ${ids[1]}`,
      `contacts ${(stray.body as { data: { id: number } }).data.id}`,
    ]);
  });

  test('documented-only: an absent JSON Patch changes nothing; an empty group name and a nameless segment are taken', async () => {
    const eight = await start('8x8', { documentedOnly: true });
    const contacts = `${eight.baseUrl}/api/v1/accounts/${ACCOUNT}/contacts`;
    const made = (await send(contacts, 'POST', { addresses: { email: 'z@example.com' } }, bearer)).body as {
      id: number;
    };
    const empty = await request(`${contacts}/${made.id}`, { method: 'PATCH', headers: bearer });
    expect(empty.statusCode).toBe(200);
    expect(await empty.body.json()).toMatchObject({ id: made.id, addresses: { email: 'z@example.com' } });

    const easify = await start('easify', { documentedOnly: true, rateLimit: false });
    const group = (await send(`${easify.baseUrl}/contact-groups/create`, 'POST', { name: 'G' }, bearer)).body as {
      data: { id: number };
    };
    const renamed = await call(
      `${easify.baseUrl}/contact-groups/update?group_id=${group.data.id}&name=`,
      'PATCH',
      bearer,
    );
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ data: { name: '' } });

    const eloqua = await start('eloqua', { documentedOnly: true });
    const segment = `${eloqua.baseUrl}/api/REST/2.0/assets/contact/segment`;
    const named = (await send(segment, 'POST', { name: 'Named' }, bearer)).body as { id: string };
    const put = await send(`${segment}/${named.id}`, 'PUT', {}, bearer);
    expect(put.status).toBe(200);
    expect(put.body).not.toHaveProperty('name');
    // A copy without a name takes its source's, which is taken: a duplicate (without Oracle's body) ...
    const source = (await send(segment, 'POST', { name: 'Source' }, bearer)).body as { id: string };
    const copy = await send(`${segment}/${source.id}/copy`, 'POST', {}, bearer);
    expect(copy.status).toBe(400);
    expect(copy.text).toBe('');
    // ... and the copy of a nameless segment is as nameless, which no one has taken.
    const nameless = await send(`${segment}/${named.id}/copy`, 'POST', {}, bearer);
    expect(nameless.status).toBe(201);
    expect(nameless.body).not.toHaveProperty('name');
  });
});

describe('documented-only reference', () => {
  test('BigChange: an unnamed or empty-named group is created; the 401 has no body; any id text is looked up', async () => {
    const s = await start('bigchange', { documentedOnly: true });
    const create = `${s.baseUrl}/v1/contactGroups`;
    const h = { ...bearer, 'customer-id': '14532' };
    expect((await send(create, 'POST', {}, h)).status).toBe(201);
    expect((await send(create, 'POST', { name: '' }, h)).status).toBe(201);
    const noAuth = await send(create, 'POST', { name: 'x' }, { 'customer-id': '14532' });
    expect(noAuth.status).toBe(401);
    expect(noAuth.text).toBe('');
    expect(noAuth.headers['content-type']).toBeUndefined();
    expect((await send(`${create}/abc`, 'PATCH', { name: 'x' }, h)).status).toBe(404);
    // What BigChange states still holds: the Customer-Id header and one value to update.
    expect((await send(create, 'POST', { name: 'x' }, { ...bearer, 'customer-id': 'abc' })).status).toBe(400);
    expect((await send(`${create}/10453`, 'PATCH', {}, h)).status).toBe(422);
    const bodiless = await request(`${create}/10453`, { method: 'PATCH', headers: h });
    expect(bodiless.statusCode).toBe(422);
    await bodiless.body.text();
  });

  test('8x8: the 401 has no body; a request without a body still lacks its addresses', async () => {
    const s = await start('8x8', { documentedOnly: true });
    const url = `${s.baseUrl}/api/v1/accounts/${ACCOUNT}/contacts`;
    const noAuth = await send(url, 'POST', { addresses: { email: 'z@example.com' } });
    expect(noAuth.status).toBe(401);
    expect(noAuth.text).toBe('');
    const bodiless = await request(url, { method: 'POST', headers: bearer });
    expect(bodiless.statusCode).toBe(400);
    expect(await bodiless.body.json()).toMatchObject({ code: 1000 });
  });

  test('Eloqua: no name needed, 400 and 401 without a body, isStale writable, folderId still ignored', async () => {
    const s = await start('eloqua', { documentedOnly: true });
    const url = `${s.baseUrl}/api/REST/2.0/assets/contact/segment`;
    const unnamed = await send(url, 'POST', { folderId: '999', isStale: 'true' }, bearer);
    expect(unnamed.status).toBe(201);
    expect(unnamed.body).not.toHaveProperty('name');
    expect(unnamed.body).toMatchObject({ folderId: '1204', isStale: 'true' });
    expect((await send(url, 'POST', { name: '', elements: [{ isIncluded: 'maybe' }] }, bearer)).status).toBe(201);
    await send(url, 'POST', { name: 'Taken' }, bearer);
    const duplicate = await send(url, 'POST', { name: 'Taken' }, bearer);
    expect(duplicate.status).toBe(400);
    expect(duplicate.text).toBe('');
    const noAuth = await send(url, 'POST', { name: 'n' });
    expect(noAuth.status).toBe(401);
    expect(noAuth.text).toBe('');
  });

  test('Easify: no bound on a name; past the limit a 429 with its message and no Retry-After', async () => {
    const now = Date.UTC(2024, 1, 12, 15, 0, 0);
    const s = await start('easify', {
      documentedOnly: true,
      rateLimit: { limit: 2, periodMs: 60_000 },
      clock: () => now,
    });
    const url = `${s.baseUrl}/contact-groups/create`;
    expect((await send(url, 'POST', { name: 'x'.repeat(256) }, bearer)).status).toBe(200);
    expect((await send(url, 'POST', { name: '' }, bearer)).status).toBe(200);
    const limited = await send(url, 'POST', { name: 'y' }, bearer);
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBeUndefined();
    expect(limited.headers['x-ratelimit-remaining']).toBe('0');
    expect(limited.body).toEqual({ status: false, message: 'Too many requests. Try again in 60 seconds', errors: [] });
    // Documented: the name is a required string.
    expect((await send(url, 'POST', {}, { authorization: 'Bearer other' })).status).toBe(422);
  });
});

describe('faulty servers', () => {
  test('there are at least 15 of each kind, with unique names, over all four specs', () => {
    const all = [...FAULTS, ...ASSUMPTION_FAULTS];
    expect(FAULTS.length).toBeGreaterThanOrEqual(15);
    expect(ASSUMPTION_FAULTS.length).toBeGreaterThanOrEqual(10);
    expect(new Set(all.map((f) => f.fault.name)).size).toBe(all.length);
    expect(new Set(FAULTS.map((f) => f.spec))).toEqual(new Set(['bigchange', '8x8', 'eloqua', 'easify']));
    expect(new Set(ASSUMPTION_FAULTS.map((f) => f.spec))).toEqual(new Set(['bigchange', '8x8', 'eloqua', 'easify']));
  });

  test('a fault changes only its own behaviour: bigchange-create-answers-200 still stores and validates', async () => {
    const fault = FAULTS.find((f) => f.fault.name === 'bigchange-create-answers-200')!.fault;
    const s = await startReferenceServer('bigchange', { faults: [fault] });
    try {
      const h = { ...bearer, 'customer-id': '1' };
      expect((await send(`${s.baseUrl}/v1/contactGroups`, 'POST', { name: 'x' }, h)).status).toBe(200);
      expect((await send(`${s.baseUrl}/v1/contactGroups`, 'POST', {}, h)).status).toBe(422);
      expect(s.violations).toEqual(['createContactGroup 200: status not documented']);
    } finally {
      await s.close();
    }
  });
});
