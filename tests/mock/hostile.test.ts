/**
 * Hostile input against the real mock (startMock on 127.0.0.1, spoken to over HTTP), one test per
 * defect a stress run found: JSON nested thousands of levels deep, keys named like built-in object
 * members, dot segments that climb to the mock's own endpoints, creates whose cost grew with the
 * store, and a broken spec named differently from run to run (rate-limit windows never let go are
 * in limiter-flood.test.ts, with the load tests). Nothing here measures time: a create's cost is
 * judged by what it walks through.
 */

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SPECS_DIR, type RunningMock, startMock } from '../../mocks/server.js';
import { Collection } from '../../mocks/state/store.js';
import { MockClient } from './support/mock-client.js';
import { pipelined, sendRaw } from './support/raw-http.js';

const ACCOUNT = { accountId: '4f1f1e0c-6a7b-4d2e-9a41-2c0f1d8e7b35' };
const CONTACTS_PATH = `/8x8/api/v1/accounts/${ACCOUNT.accountId}/contacts`;
const msisdn = (i: number): string => `+4477009${String(i).padStart(5, '0')}`;
const email = (i: number): string => `contact${i}@example.com`;

/** The create operation of each API, a valid body for the i-th record, and where the records go. */
const CREATES = [
  {
    api: 'bigchange',
    operationId: 'createContactGroup',
    collection: 'contactGroups',
    body: (i: number) => ({ name: `Group ${i}` }),
  },
  {
    api: '8x8',
    operationId: 'createContact',
    collection: 'contacts',
    params: ACCOUNT,
    body: (i: number) => ({ firstName: 'Ana', addresses: { msisdn: msisdn(i) } }),
  },
  {
    api: 'eloqua',
    operationId: 'createContactSegment',
    collection: 'contactSegments',
    body: (i: number) => ({ name: `Segment ${i}` }),
  },
  {
    api: 'easify',
    operationId: 'createContactGroup',
    collection: 'contactGroups',
    body: (i: number) => ({ name: `Group ${i}` }),
  },
] as const;

/** `{"<key>": <value>, ...body}` as text: an object literal cannot give itself an own `__proto__` key. */
function withKey(key: string, value: unknown, body: Record<string, unknown>): string {
  const rest = JSON.stringify(body).slice(1);
  return `{${JSON.stringify(key)}:${JSON.stringify(value)}${rest === '}' ? '}' : `,${rest}`}`;
}

let mock: RunningMock;
let client: MockClient;
let port: number;
/** The stored records of one collection. */
const stored = async (api: string, collection: string): Promise<Record<string, unknown>[]> =>
  (await client.state())[api]?.[collection] ?? [];

beforeAll(async () => {
  // No rate limit here: some tests send hundreds of requests on one token. The limiter has its own mock below.
  mock = await startMock({ port: 0, rateLimit: false });
  client = await MockClient.connect(mock);
  port = Number(new URL(mock.url).port);
});
afterAll(() => mock.close());
beforeEach(() => client.reset());

describe('JSON nested 3,000 levels deep', () => {
  const nested = (depth: number): string => `${'['.repeat(depth)}${']'.repeat(depth)}`;

  for (const { api, operationId, collection, body, ...rest } of CREATES) {
    it(`${api}: the documented 4xx in the vendor's format, nothing stored, and the state still answers`, async () => {
      const params = 'params' in rest ? rest.params : {};
      const before = await stored(api, collection);
      const raw = `{"deep":${nested(3000)},${JSON.stringify(body(1)).slice(1)}`;
      // Checked against the spec by the client: a documented status, in the documented error format.
      const answer = await client.call(api, operationId, { params, raw });
      expect(answer.status, answer.text).toBeGreaterThanOrEqual(400);
      expect(answer.status, answer.text).toBeLessThan(500);
      // Eloqua's error format has no message to carry the reason; the others say it.
      if (api !== 'eloqua') expect(answer.text).toContain('nested deeper than 128 levels');
      // A seeded record (Easify's default group) is all there is.
      expect(await stored(api, collection)).toEqual(before);
    });
  }

  it('a body at the limit (128 levels) is stored and shown by GET /__mock/state', async () => {
    // The body object and its open customAttributes are two levels; 126 arrays inside make 128.
    const raw = `{"firstName":"Deep","addresses":{"msisdn":"${msisdn(90001)}"},"customAttributes":{"deep":${nested(126)}}}`;
    const answer = await client.call('8x8', 'createContact', { params: ACCOUNT, raw });
    expect(answer.status, answer.text).toBe(201);
    const record = (await stored('8x8', 'contacts')).find((r) => r.firstName === 'Deep');
    let depth = 2;
    for (let value = (record?.customAttributes as { deep?: unknown })?.deep; Array.isArray(value); value = value[0])
      depth++;
    expect(depth).toBe(128);
  });
});

describe('keys named like built-in object members', () => {
  const KEYS = ['constructor', 'toString', 'valueOf', 'hasOwnProperty', '__proto__', 'isPrototypeOf'];

  for (const { api, operationId, collection, body, ...rest } of CREATES) {
    it(`${api}: never a 5xx, never an id used up, and Object.prototype untouched`, async () => {
      const params = 'params' in rest ? rest.params : {};
      const before = await stored(api, collection);
      const bodies: string[] = [];
      let i = 0;
      for (const key of KEYS) {
        bodies.push(withKey(key, { polluted: true }, body(i++)));
        bodies.push(JSON.stringify(body(i++)));
        if (api === '8x8') {
          // Inside the merge keys too: `addresses.constructor` is an index path like any other.
          bodies.push(`{"firstName":"Ana","addresses":{${JSON.stringify(key)}:"x","msisdn":"${msisdn(i++)}"}}`);
        }
      }
      let created = 0;
      for (const raw of bodies) {
        // Checked against the spec by the client, status and body.
        const answer = await client.call(api, operationId, { params, raw });
        expect(answer.status, `${raw} -> ${answer.text}`).toBeLessThan(500);
        if (answer.status >= 200 && answer.status < 300) created++;
      }
      // Every key is accepted or refused as documented; the keys at the top level are accepted by all four.
      expect(created).toBeGreaterThanOrEqual(2 * KEYS.length);
      const known = new Set(before.map((r) => r.id));
      const ids = (await stored(api, collection))
        .filter((r) => !known.has(r.id))
        .map((r) => Number(r.id))
        .sort((a, b) => a - b);
      expect(ids).toHaveLength(created);
      // Handed out one after another: no refused request took an id.
      expect(ids).toEqual(ids.map((_, n) => ids[0]! + n));
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });
  }

  it('the keys are stored as the client sent them, as plain data', async () => {
    // An open object (8x8's customAttributes) keeps any key; a key no schema declares is not kept.
    const attributes = withKey('__proto__', { polluted: true }, { constructor: 'c' });
    const answer = await client.call('8x8', 'createContact', {
      params: ACCOUNT,
      raw: `{"firstName":"Proto","addresses":{"msisdn":"${msisdn(90002)}"},"customAttributes":${attributes}}`,
    });
    expect(answer.status, answer.text).toBe(201);
    const record = (await stored('8x8', 'contacts')).find((r) => r.firstName === 'Proto');
    const kept = record?.customAttributes as Record<string, unknown>;
    expect(Object.hasOwn(kept, '__proto__')).toBe(true);
    expect(Object.getOwnPropertyDescriptor(kept, '__proto__')?.value).toEqual({ polluted: true });
    expect(kept.constructor).toBe('c');
  });
});

describe('dot segments never reach the /__mock endpoints', () => {
  const headers = { authorization: 'Bearer dots', 'content-type': 'application/json' };
  const TARGETS = [
    '/easify/api/v2/../../../__mock/reset',
    '/easify/api/v2/%2e%2e/%2e%2e/%2e%2e/__mock/reset',
    '/easify/api/v2/%2E%2E/%2E%2E/%2E%2E/__mock/reset',
    '/easify/api/v2/.%2e/%2e./.%2E/__mock/reset',
    '/bigchange/v1/contactGroups/../../../__mock/reset',
    '/8x8/./../__mock/reset',
    '/eloqua/api/REST/2.0/assets/contact/segment/../../../../../../__mock/reset?x=1',
  ];

  it('POST to a path that climbs to /__mock/reset: 400 naming the dot segments, and the state survives', async () => {
    await client.call('bigchange', 'createContactGroup', { body: { name: 'Survivor' } });
    for (const target of TARGETS) {
      const answer = await sendRaw(port, 'POST', target, headers, '{}');
      expect(answer.status, `${target} -> ${answer.text}`).toBe(400);
      expect(JSON.parse(answer.text)).toMatchObject({
        detail: 'The request path must not contain "." or ".." segments',
      });
    }
    expect(await stored('bigchange', 'contactGroups')).toEqual([{ id: expect.any(Number), name: 'Survivor' }]);
  });

  it('GET to a path that climbs to /__mock/state: 400, no records shown', async () => {
    await client.call('bigchange', 'createContactGroup', { body: { name: 'Private' } });
    for (const target of ['/easify/api/v2/../../../__mock/state', '/easify/%2e%2e/__mock/state']) {
      const answer = await sendRaw(port, 'GET', target, headers);
      expect(answer.status, `${target} -> ${answer.text}`).toBe(400);
      expect(answer.text).not.toContain('Private');
    }
  });
});

/**
 * Counts every pass over a Map or Set of at least `atLeast` entries while `work` runs: a lookup that
 * walks the stored records (or an index of all of them) is one, whatever the code that does it.
 */
async function passesOverLargeCollections(atLeast: number, work: () => Promise<void>): Promise<number> {
  let passes = 0;
  const restore: (() => void)[] = [];
  for (const prototype of [Map.prototype, Set.prototype] as unknown as Record<PropertyKey, unknown>[]) {
    for (const name of ['entries', 'values', 'keys', 'forEach', Symbol.iterator]) {
      const original = prototype[name] as (this: { size: number }, ...args: unknown[]) => unknown;
      prototype[name] = function (this: { size: number }, ...args: unknown[]) {
        if (this.size >= atLeast) passes++;
        return original.apply(this, args);
      };
      restore.push(() => {
        prototype[name] = original;
      });
    }
  }
  try {
    await work();
  } finally {
    for (const undo of restore) undo();
  }
  return passes;
}

describe('a create costs the same with many records stored', () => {
  const STORED = 300;
  const request = (method: string, path: string, body: unknown): string => {
    const text = JSON.stringify(body);
    return (
      `${method} ${path} HTTP/1.1\r\nHost: mock\r\nAuthorization: Bearer seeding\r\n` +
      `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`
    );
  };

  it('no unique or merge lookup walks the stored records: the indexes answer', async () => {
    // Seeded through the API, as any client would: 300 contacts and 300 segments.
    const seeded = await Promise.all([
      pipelined(
        port,
        Array.from({ length: STORED }, (_, i) =>
          request('POST', CONTACTS_PATH, { firstName: 'Ana', addresses: { msisdn: msisdn(i), email: email(i) } }),
        ),
      ),
      pipelined(
        port,
        Array.from({ length: STORED }, (_, i) =>
          request('POST', '/eloqua/api/REST/2.0/assets/contact/segment', { name: `Segment ${i}` }),
        ),
      ),
    ]);
    expect(seeded.flat().filter((status) => status !== 201)).toEqual([]);

    // The probe sees a pass over the records: a list must make one.
    const listing = await passesOverLargeCollections(STORED, async () => {
      expect((await client.call('8x8', 'searchContacts', { params: ACCOUNT })).status).toBe(200);
    });
    expect(listing).toBeGreaterThan(0);

    const passes = await passesOverLargeCollections(STORED, async () => {
      const create = (body: unknown) => client.call('8x8', 'createContact', { params: ACCOUNT, body });
      expect((await create({ firstName: 'New', addresses: { msisdn: msisdn(STORED) } })).status).toBe(201);
      expect((await create({ lastName: 'Lee', addresses: { msisdn: msisdn(7) } })).status).toBe(200);
      expect((await create({ addresses: { msisdn: msisdn(8), email: email(9) } })).status).toBe(409);
      const segment = (name: string) => client.call('eloqua', 'createContactSegment', { body: { name } });
      expect((await segment('Segment 5')).status).toBe(400);
      expect((await segment('Segment new')).status).toBe(201);
    });
    expect(passes).toBe(0);
    const state = await client.state();
    expect(state['8x8']!.contacts).toHaveLength(STORED + 1);
    expect(state.eloqua!.contactSegments).toHaveLength(STORED + 1);
  });
});

describe('the index behind unique and merge lookups', () => {
  it('follows every store, replace and delete: a value held by one record, by two, by one again, by none', () => {
    const contacts = new Collection();
    contacts.indexOn([
      { property: 'name', children: false },
      { property: 'addresses', children: true },
    ]);
    contacts.set('1', { name: 'Ana', addresses: { email: 'shared@example.com', msisdn: '+441' } });
    contacts.set('2', { name: 'Bo', addresses: { msisdn: '+442' } });
    expect(contacts.find('addresses.email', 'shared@example.com')).toEqual(['1']);
    contacts.set('2', { name: 'Bo', addresses: { msisdn: '+442', email: 'shared@example.com' } });
    expect([...contacts.find('addresses.email', 'shared@example.com')].sort()).toEqual(['1', '2']);
    contacts.delete('1');
    expect(contacts.find('addresses.email', 'shared@example.com')).toEqual(['2']);
    expect(contacts.find('addresses.msisdn', '+441')).toEqual([]);
    contacts.set('2', { name: 'Bo' });
    expect(contacts.find('addresses.email', 'shared@example.com')).toEqual([]);
    expect(contacts.find('name', 'Bo')).toEqual(['2']);
    // Values of other types never share a key with a string that looks like their JSON.
    const typed = new Collection();
    typed.indexOn([{ property: 'v', children: false }]);
    const values = [7, '7', true, 'true', null, 'null', '\u0000"7"', { a: 1 }, '{"a":1}'];
    for (const [i, v] of values.entries()) typed.set(String(i), { v });
    for (const [i, v] of values.entries()) expect(typed.find('v', v), JSON.stringify(v)).toEqual([String(i)]);
  });
});

describe('a broken spec among several', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'broken-specs-'));
    // First in file order, and slower to fail: its flaw (a $ref to a file that does not exist) shows only
    // once a second file is looked for.
    await writeFile(
      join(dir, 'alpha-broken.yaml'),
      "openapi: 3.1.0\ninfo: {title: A, version: '1'}\npaths:\n  /things:\n    $ref: './alpha-paths.yaml#/things'\n",
    );
    // Last in file order, and quick to fail: a YAML error on its second line.
    await writeFile(join(dir, 'zulu-broken.yaml'), 'openapi: 3.1.0\ninfo: [\n');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('five loads: the same one-line error, naming the first broken file in file order', async () => {
    const files = [
      join(dir, 'alpha-broken.yaml'),
      ...['8x8-contacts', 'bigchange-contact-groups', 'easify-contact-groups', 'eloqua-contact-segments'].map((name) =>
        join(DEFAULT_SPECS_DIR, `${name}.yaml`),
      ),
      join(dir, 'zulu-broken.yaml'),
    ];
    const messages: string[] = [];
    for (let load = 0; load < 5; load++) {
      const failure = await startMock({ port: 0, specFiles: files }).then(
        async (started) => {
          await started.close();
          return undefined;
        },
        (error: unknown) => error,
      );
      expect(failure, `load ${load + 1}`).toBeInstanceOf(Error);
      messages.push((failure as Error).message);
    }
    expect(messages[0]).toContain('alpha-broken.yaml');
    expect(messages[0]).not.toContain('\n');
    expect(new Set(messages)).toEqual(new Set([messages[0]]));
  });
});

describe('idle connections', () => {
  it('are kept a minute, not 5 s: a busy client never reuses one the mock is closing', async () => {
    const agent = new HttpAgent({ keepAlive: true });
    const answer = await new Promise<IncomingHttpHeaders>((resolve, reject) => {
      const request = httpRequest({
        host: '127.0.0.1',
        port,
        path: '/__mock/state',
        agent,
      });
      request.on('response', (response) => {
        response.resume();
        resolve(response.headers);
      });
      request.on('error', reject);
      request.end();
    });
    agent.destroy();
    expect(answer['keep-alive']).toBe('timeout=65');
  });
});
