/**
 * The state rules read from `x-resource`, `links` and `x-rate-limit`: ids, updates, 404s, merges,
 * conflicts, duplicates, the rate limit, reset, and `stateless`.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type RunningMock, startMock } from '../../mocks/server.js';
import { MockClient } from './support/mock-client.js';

const params = { accountId: '4f1f1e0c-6a7b-4d2e-9a41-2c0f1d8e7b35' };
let mock: RunningMock;
let client: MockClient;

beforeAll(async () => {
  // A long window: however slowly a loaded machine sends the 4th request, it is still inside it.
  mock = await startMock({ port: 0, rateLimit: { limit: 3, period: 60 } });
  client = await MockClient.connect(mock);
});
afterAll(() => mock.close());
beforeEach(() => client.reset());

describe('create then update (bigchange)', () => {
  it('hands out increasing ids from the documented example id', async () => {
    const first = await client.call('bigchange', 'createContactGroup', { body: { name: 'One' } });
    const second = await client.call('bigchange', 'createContactGroup', { body: { name: 'Two' } });
    expect(first.json).toEqual({ id: 10452 });
    expect(second.json).toEqual({ id: 10453 });
  });

  it('updates a created group: 204, and the stored name changes', async () => {
    const created = (await client.call('bigchange', 'createContactGroup', { body: { name: 'Before' } })).json as {
      id: number;
    };
    const updated = await client.call('bigchange', 'updateContactGroup', {
      params: { contactGroupId: String(created.id) },
      body: { name: 'After' },
    });
    expect(updated.status).toBe(204);
    expect((await client.state()).bigchange!.contactGroups).toEqual([{ id: created.id, name: 'After' }]);
  });

  it('answers an update of an id never created with the documented 404 naming the id', async () => {
    const answer = await client.call('bigchange', 'updateContactGroup', {
      params: { contactGroupId: '777' },
      body: { name: 'x' },
    });
    expect(answer.status).toBe(404);
    expect(answer.json).toMatchObject({ status: 404, title: 'Not Found', detail: 'contactGroupId 777 was not found' });
  });

  it('forgets everything on POST /__mock/reset', async () => {
    const created = (await client.call('bigchange', 'createContactGroup', { body: { name: 'Gone' } })).json as {
      id: number;
    };
    await client.reset();
    expect(
      (await client.call('bigchange', 'updateContactGroup', { params: { contactGroupId: String(created.id) } })).status,
    ).toBe(404);
    expect((await client.call('bigchange', 'createContactGroup', { body: { name: 'Again' } })).json).toEqual({
      id: 10452,
    });
  });
});

describe('merge and conflict (8x8)', () => {
  it('creates (201), merges into the one match (200), and creates again for new addresses', async () => {
    const created = await client.call('8x8', 'createContact', {
      params,
      body: { firstName: 'Ana', addresses: { msisdn: '+447700900001' } },
    });
    expect(created.status).toBe(201);
    const id = (created.json as { id: number }).id;
    const merged = await client.call('8x8', 'createContact', {
      params,
      body: { lastName: 'Lee', addresses: { msisdn: '+447700900001', email: 'ana@example.com' } },
    });
    expect(merged.status).toBe(200);
    expect(merged.json).toMatchObject({
      id,
      firstName: 'Ana',
      lastName: 'Lee',
      addresses: { msisdn: '+447700900001', email: 'ana@example.com' },
    });
    // The stored contact, not the documented merge example (whose firstName is Amelia).
    const bare = await client.call('8x8', 'createContact', {
      params,
      body: { addresses: { email: 'bare@example.com' } },
    });
    const bareMerged = await client.call('8x8', 'createContact', {
      params,
      body: { addresses: { email: 'bare@example.com' } },
    });
    expect(bareMerged.status).toBe(200);
    expect(bareMerged.json).toEqual(bare.json);
    expect(bareMerged.json).not.toHaveProperty('firstName');
    const other = await client.call('8x8', 'createContact', {
      params,
      body: { addresses: { msisdn: '+447700900002' } },
    });
    expect(other.status).toBe(201);
    expect((other.json as { id: number }).id).toBe(id + 2);
    expect((await client.state())['8x8']!.contacts).toHaveLength(3);
  });

  it('answers addresses matching two stored contacts with the documented 409', async () => {
    await client.call('8x8', 'createContact', { params, body: { addresses: { msisdn: '+447700900001' } } });
    await client.call('8x8', 'createContact', { params, body: { addresses: { email: 'bo@example.com' } } });
    const conflict = await client.call('8x8', 'createContact', {
      params,
      body: { addresses: { msisdn: '+447700900001', email: 'bo@example.com' } },
    });
    expect(conflict.status).toBe(409);
    expect(conflict.json).toMatchObject({
      code: 1003,
      message: 'More than one contact was found based on a provided set of addresses',
    });
    expect((await client.state())['8x8']!.contacts).toHaveLength(2);
  });

  it("does not let the example record's addresses leak into a stored contact", async () => {
    // The documented example's msisdn is 16511112222; a contact created by email alone must not own it.
    await client.call('8x8', 'createContact', { params, body: { addresses: { email: 'only@example.com' } } });
    expect(
      (await client.call('8x8', 'createContact', { params, body: { addresses: { msisdn: '16511112222' } } })).status,
    ).toBe(201);
  });
});

describe('duplicates', () => {
  it('eloqua: a taken name is 400 UniquenessRequirement with the value; ids are new strings', async () => {
    const first = await client.call('eloqua', 'createContactSegment', { body: { name: 'Webinar' } });
    expect(first.status).toBe(201);
    expect((first.json as { id: string }).id).toBe('1783');
    const duplicate = await client.call('eloqua', 'createContactSegment', { body: { name: 'Webinar' } });
    expect(duplicate.status).toBe(400);
    expect(duplicate.json).toEqual([
      {
        type: 'ObjectValidationError',
        container: { type: 'ObjectKey', objectType: 'ContactSegment' },
        property: 'name',
        requirement: { type: 'UniquenessRequirement' },
        value: 'Webinar',
      },
    ]);
    expect((await client.call('eloqua', 'createContactSegment', { body: { name: 'Other' } })).json).toMatchObject({
      id: '1784',
      name: 'Other',
    });
  });

  it("easify: a taken name is 422 naming the name, in the vendor's sentence", async () => {
    expect((await client.call('easify', 'createContactGroup', { body: { name: 'VIP' } })).status).toBe(200);
    const duplicate = await client.call('easify', 'createContactGroup', { body: { name: 'VIP' } });
    expect(duplicate.status).toBe(422);
    expect(duplicate.json).toEqual({
      message: 'The name has already been taken.',
      errors: { name: ['The name has already been taken.'] },
    });
  });
});

describe('rate limit (easify, overridden to 3 per 60 s)', () => {
  it('answers the 4th request of a token with 429, Retry-After and the filled message; other tokens are not affected', async () => {
    for (let i = 0; i < 3; i++) {
      const ok = await client.call('easify', 'createContactGroup', {
        body: { name: `rl ${i}` },
        headers: { authorization: 'Bearer one' },
      });
      expect(ok.status).toBe(200);
      expect(ok.headers['x-ratelimit-remaining']).toBe(String(2 - i));
    }
    const limited = await client.call('easify', 'createContactGroup', {
      body: { name: 'rl 3' },
      headers: { authorization: 'Bearer one' },
    });
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(limited.json).toEqual({
      status: false,
      message: `Too many requests. Try again in ${retryAfter} seconds`,
      errors: [],
    });
    expect(
      (
        await client.call('easify', 'createContactGroup', {
          body: { name: 'rl other' },
          headers: { authorization: 'Bearer two' },
        })
      ).status,
    ).toBe(200);
  });

  it('admits the token again once the window has passed', async () => {
    // Its own mock with a 1 s window, so the wait is short. Timing decides only how long we wait,
    // never what we expect: a stalled request just means another try, and the wait is the
    // server's own Retry-After (whole seconds, rounded up) plus a margin, after which the window
    // has passed whatever the machine did meanwhile.
    const short = await startMock({ port: 0, rateLimit: { limit: 1, period: 1 } });
    try {
      const c = await MockClient.connect(short);
      const send = (name: string) =>
        c.call('easify', 'createContactGroup', { body: { name }, headers: { authorization: 'Bearer three' } });
      let limited: Awaited<ReturnType<typeof send>> | undefined;
      for (let attempt = 0; attempt < 5 && !limited; attempt++) {
        // The window holds only our own earlier requests; after a 429 nothing new was admitted.
        const first = await send(`w ${attempt} a`);
        expect(first.status).toBe(200);
        const second = await send(`w ${attempt} b`);
        if (second.status === 429) limited = second;
        // Else the machine stalled for a whole window between the two: the second was admitted,
        // and it now holds the window. Wait it out and try again.
        else {
          expect(second.status).toBe(200);
          await new Promise((r) => setTimeout(r, 1100));
        }
      }
      expect(limited, 'a request right after an admitted one is throttled (5 tries)').toBeDefined();
      const retryAfter = Number(limited!.headers['retry-after']);
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(1);
      await new Promise((r) => setTimeout(r, retryAfter * 1000 + 200));
      expect((await send('w after')).status).toBe(200);
    } finally {
      await short.close();
    }
  });

  it('reads the limit from the spec when not overridden (15 a minute)', async () => {
    const specMock = await startMock({ port: 0 });
    try {
      const specClient = await MockClient.connect(specMock);
      // The 16th request's wait is what is left of the minute since the 1st: at most 60 s, and at
      // least 60 s minus however long the 16 requests took (whatever the machine's speed).
      const started = Date.now();
      for (let i = 0; i < 15; i++)
        expect((await specClient.call('easify', 'createContactGroup', { body: { name: `s ${i}` } })).status).toBe(200);
      const limited = await specClient.call('easify', 'createContactGroup', { body: { name: 's 15' } });
      const elapsed = (Date.now() - started) / 1000;
      expect(limited.status).toBe(429);
      const retryAfter = Number(limited.headers['retry-after']);
      expect(retryAfter).toBeGreaterThanOrEqual(Math.floor(60 - elapsed));
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(limited.headers['x-ratelimit-limit']).toBe('15');
    } finally {
      await specMock.close();
    }
  });
});

describe('stateless', () => {
  it('answers from the spec alone: example ids, no duplicates, no 404s', async () => {
    const stateless = await startMock({ port: 0, stateless: true });
    try {
      const c = await MockClient.connect(stateless);
      expect((await c.call('easify', 'createContactGroup', { body: { name: 'Same' } })).json).toMatchObject({
        data: { id: 1, name: 'My Contact Group' },
      });
      expect((await c.call('easify', 'createContactGroup', { body: { name: 'Same' } })).status).toBe(200);
      expect((await c.call('bigchange', 'updateContactGroup', { params: { contactGroupId: '777' } })).status).toBe(204);
      expect((await c.call('8x8', 'createContact', { params })).status).toBe(201);
    } finally {
      await stateless.close();
    }
  });
});
