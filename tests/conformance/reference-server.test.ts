/**
 * The reference server is the yardstick of the runner's tests: before trusting "the runner finds
 * nothing wrong with it", check over real HTTP that it does what the specs say, and that every
 * reply it sent validated against the spec (it checks each reply itself, into `violations`).
 */

import { request } from 'undici';
import { afterEach, describe, expect, test } from 'vitest';
import { ASSUMPTION_FAULTS, FAULTS } from '../support/faulty-servers.js';
import {
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
  method: 'POST' | 'PATCH',
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
