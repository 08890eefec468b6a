/**
 * Per API: a valid request, each kind of invalid request, a missing credential, and the payloads
 * that must never crash the mock (malformed JSON, wrong content type, empty, over 1 MB). Every
 * answer is also checked against the spec by MockClient.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningMock, startMock } from '../../mocks/server.js';
import { MockClient } from './support/mock-client.js';

let mock: RunningMock;
let client: MockClient;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ACCOUNT = '4f1f1e0c-6a7b-4d2e-9a41-2c0f1d8e7b35';

beforeAll(async () => {
  mock = await startMock({ port: 0 });
  client = await MockClient.connect(mock);
});
afterAll(() => mock.close());

describe('bigchange', () => {
  it('creates a group', async () => {
    const answer = await client.call('bigchange', 'createContactGroup', { body: { name: 'Field engineers' } });
    expect(answer.status).toBe(201);
    expect(answer.json).toEqual({ id: expect.any(Number) });
  });

  it('names a missing name in ValidationProblemDetails (422)', async () => {
    const answer = await client.call('bigchange', 'createContactGroup', { body: {} });
    expect(answer.status).toBe(422);
    expect(answer.headers['content-type']).toBe('application/problem+json');
    expect(answer.json).toMatchObject({
      status: 422,
      title: 'One or more validation errors occurred.',
      errors: { name: ['name is required (inferred: not stated by the vendor)'] },
    });
  });

  it('names an empty and a wrongly typed name; a long one is fine (BigChange states no limit)', async () => {
    const long = await client.call('bigchange', 'createContactGroup', { body: { name: 'x'.repeat(200) } });
    expect(long.status).toBe(201);
    const empty = await client.call('bigchange', 'createContactGroup', { body: { name: '' } });
    expect(empty.status).toBe(422);
    expect(empty.json).toMatchObject({
      errors: { name: ['name must NOT have fewer than 1 characters (inferred: not stated by the vendor)'] },
    });
    const typed = await client.call('bigchange', 'createContactGroup', { body: { name: 7 } });
    expect(typed.json).toMatchObject({ errors: { name: ['name must be string'] } });
  });

  it('answers a missing or non-integer Customer-Id with the documented 400', async () => {
    const missing = await client.call('bigchange', 'createContactGroup', { headers: { 'customer-id': undefined } });
    expect(missing.status).toBe(400);
    expect(missing.json).toMatchObject({ status: 400, detail: 'Customer-Id header is required' });
    const invalid = await client.call('bigchange', 'createContactGroup', { headers: { 'customer-id': 'abc' } });
    expect(invalid.status).toBe(400);
    expect(invalid.json).toMatchObject({
      status: 400,
      title: 'Bad Request',
      detail: 'Customer-Id header must be integer',
    });
  });

  it('rejects an update without properties and a non-integer id', async () => {
    const empty = await client.call('bigchange', 'updateContactGroup', { body: {} });
    expect(empty.status).toBe(422);
    expect(empty.json).toMatchObject({ errors: { body: ['body needs at least one of name'] } });
    const badId = await client.call('bigchange', 'updateContactGroup', { params: { contactGroupId: 'abc' } });
    expect(badId.status).toBe(400);
    expect(badId.json).toMatchObject({ detail: 'contactGroupId must be integer (inferred: not stated by the vendor)' });
  });

  it('answers a missing token with the documented 401', async () => {
    const answer = await client.call('bigchange', 'createContactGroup', { headers: { authorization: undefined } });
    expect(answer.status).toBe(401);
    expect(answer.json).toEqual({
      type: 'https://tools.ietf.org/html/rfc9110#section-15.5.2',
      title: 'Unauthorized',
      status: 401,
      detail: 'A bearer token is required.',
    });
    const basic = await client.call('bigchange', 'createContactGroup', {
      headers: { authorization: 'Basic dXNlcjpwdw==' },
    });
    expect(basic.status).toBe(401);
  });
});

describe('8x8', () => {
  const params = { accountId: ACCOUNT };

  it('creates a contact', async () => {
    const answer = await client.call('8x8', 'createContact', {
      params,
      body: { firstName: 'Ana', addresses: { msisdn: '+447700900123' } },
    });
    expect(answer.status).toBe(201);
    expect(answer.json).toMatchObject({
      id: expect.any(Number),
      firstName: 'Ana',
      addresses: { msisdn: '+447700900123' },
    });
  });

  it('names an invalid msisdn in {code, message, errorId, timestamp}', async () => {
    const before = Date.now();
    const answer = await client.call('8x8', 'createContact', {
      params,
      body: { addresses: { msisdn: 'not-a-number' } },
    });
    expect(answer.status).toBe(400);
    const body = answer.json as { code: number; message: string; errorId: string; timestamp: string };
    expect(body.code).toBe(1002);
    expect(body.message).toMatch(/^addresses\.msisdn must match pattern/);
    expect(body.errorId).toMatch(UUID);
    expect(body.errorId).not.toBe('b4478860-b76c-e811-814e-022a35cc1c71');
    expect(Date.parse(body.timestamp)).toBeGreaterThanOrEqual(before - 1000);
  });

  it('names missing, empty and unknown addresses', async () => {
    const missing = await client.call('8x8', 'createContact', { params, body: { firstName: 'Ana' } });
    expect(missing.json).toMatchObject({ code: 1000, message: 'addresses is required' });
    const needs =
      'addresses needs at least one of msisdn, weChatUserId, facebookUserId, email, zaloId, lineId, kakaoTalkId';
    const empty = await client.call('8x8', 'createContact', { params, body: { addresses: {} } });
    expect(empty.json).toMatchObject({ code: 1000, message: needs });
    // 8x8 does not close addresses: an unknown one is no error, but it is not an address either.
    const unknown = await client.call('8x8', 'createContact', { params, body: { addresses: { fax: '123' } } });
    expect(unknown.status).toBe(400);
    expect(unknown.json).toMatchObject({ message: needs });
  });

  it('names an invalid accountId path parameter', async () => {
    const answer = await client.call('8x8', 'createContact', { params: { accountId: 'nope' } });
    expect(answer.status).toBe(400);
    expect((answer.json as { message: string }).message).toMatch(/^accountId must NOT have fewer than 32 characters/);
  });

  it('answers a missing API key with a 401 in the same format, with a fresh errorId', async () => {
    const answer = await client.call('8x8', 'createContact', { params, headers: { authorization: undefined } });
    expect(answer.status).toBe(401);
    expect(answer.json).toMatchObject({ code: 1100, message: 'Unauthorized', errorId: expect.stringMatching(UUID) });
    expect((answer.json as { errorId: string }).errorId).not.toBe('6f0c1d2e-3b4a-4c5d-8e6f-7a8b9c0d1e2f');
  });
});

describe('eloqua', () => {
  it('creates a segment with basic auth and with a bearer token', async () => {
    const basic = await client.call('eloqua', 'createContactSegment', { body: { name: 'Basic segment' } });
    expect(basic.status).toBe(201);
    expect(basic.json).toMatchObject({ id: expect.stringMatching(/^\d+$/), name: 'Basic segment' });
    const bearer = await client.call('eloqua', 'createContactSegment', {
      body: { name: 'Bearer segment' },
      headers: { authorization: 'Bearer token' },
    });
    expect(bearer.status).toBe(201);
  });

  it('answers each violation with one validation item', async () => {
    const answer = await client.call('eloqua', 'createContactSegment', {
      body: { description: 'no name', folderId: 'abc' },
    });
    expect(answer.status).toBe(400);
    expect(answer.json).toEqual([
      {
        type: 'ObjectValidationError',
        container: { type: 'ObjectKey', objectType: 'ContactSegment' },
        property: 'name',
        requirement: { type: 'NotNullRequirement' },
      },
      {
        type: 'ObjectValidationError',
        container: { type: 'ObjectKey', objectType: 'ContactSegment' },
        property: 'folderId',
        requirement: { type: 'IsValidRequirement' },
        value: 'abc',
      },
    ]);
  });

  it('answers an invalid element with IsValidRequirement and the value', async () => {
    const answer = await client.call('eloqua', 'createContactSegment', {
      body: { name: 'With elements', elements: [{ isIncluded: 'maybe' }] },
    });
    expect(answer.status).toBe(400);
    expect(answer.json).toEqual([
      expect.objectContaining({
        property: 'elements.0.isIncluded',
        requirement: { type: 'IsValidRequirement' },
        value: 'maybe',
      }),
    ]);
  });

  it('a long name is fine: Oracle states no limit', async () => {
    const answer = await client.call('eloqua', 'createContactSegment', { body: { name: 'n'.repeat(300) } });
    expect(answer.status).toBe(201);
  });

  it('answers a missing credential with the JSON string 401', async () => {
    const answer = await client.call('eloqua', 'createContactSegment', { headers: { authorization: undefined } });
    expect(answer.status).toBe(401);
    expect(answer.json).toBe('Not authenticated.');
  });
});

describe('easify', () => {
  it('creates a group (200, Laravel style)', async () => {
    const answer = await client.call('easify', 'createContactGroup', { body: { name: 'Newsletter' } });
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ status: true, data: { id: expect.any(Number), name: 'Newsletter' } });
  });

  it('names missing and empty names in the 422', async () => {
    const missing = await client.call('easify', 'createContactGroup', { body: {} });
    expect(missing.status).toBe(422);
    expect(missing.json).toEqual({
      message: 'The name field is required.',
      errors: { name: ['The name field is required.'] },
    });
    const empty = await client.call('easify', 'createContactGroup', { body: { name: '' } });
    expect(empty.json).toEqual({
      message: 'name must NOT have fewer than 1 characters (inferred: not stated by the vendor)',
      errors: { name: ['name must NOT have fewer than 1 characters (inferred: not stated by the vendor)'] },
    });
    const long = await client.call('easify', 'createContactGroup', { body: { name: 'x'.repeat(256) } });
    expect(long.status).toBe(422);
    expect((long.json as { message: string }).message).toBe(
      'name must NOT have more than 255 characters (inferred: not stated by the vendor)',
    );
    const two = await client.call('easify', 'createContactGroup', { body: { name: 5 }, headers: {} });
    expect((two.json as { message: string }).message).toBe('name must be string');
  });

  it("a contact with neither phone nor email: the 422 names each field in the vendor's words, as a form shows it", async () => {
    const answer = await client.call('easify', 'createContact', {
      body: { group_id: 1, first_name: 'Ann' },
      headers: { authorization: 'Bearer either-field' },
    });
    expect(answer.status).toBe(422);
    // Laravel's required_without sentences, as the spec's own example words them.
    const email = 'The email address field is required when phone number is not present.';
    const phone = 'The phone number field is required when email address is not present.';
    expect(answer.json).toEqual({
      message: `${email} ${phone}`,
      errors: { email_address: [email], phone_number: [phone] },
    });
  });

  it("a missing group_id is the pages' 422, not the 400 of an unknown group; a missing update name too", async () => {
    // A token of its own: the others' rate-limit windows are not spent here.
    const headers = { authorization: 'Bearer group-id' };
    for (const operationId of ['deleteContactGroup', 'updateContactGroup']) {
      const missing = await client.call('easify', operationId, { query: 'name=Renamed', headers });
      expect(missing.status).toBe(422);
      const required = 'The group id field is required.';
      expect(missing.json).toEqual({ message: required, errors: { group_id: [required] } });
    }
    const noName = await client.call('easify', 'updateContactGroup', { query: 'group_id=1', headers });
    expect(noName.status).toBe(422);
    expect(noName.json).toEqual({
      message: 'The name field is required.',
      errors: { name: ['The name field is required.'] },
    });
    const unknown = await client.call('easify', 'deleteContactGroup', { query: 'group_id=777', headers });
    expect(unknown.status).toBe(400);
    expect(unknown.json).toMatchObject({ status: false, message: 'Invalid group id' });
  });

  it('answers a missing token with the documented 401', async () => {
    const answer = await client.call('easify', 'createContactGroup', { headers: { authorization: undefined } });
    expect(answer.status).toBe(401);
    expect(answer.json).toEqual({ status: false, message: 'Unauthenticated', errors: [] });
  });
});

/** Eloqua's validation array has no message field: the violation shows as an item on `body` instead. */
function expectNamed(api: string, answer: { text: string; json: unknown }, message: string, requirement: string): void {
  if (api === 'eloqua')
    expect(answer.json).toEqual([expect.objectContaining({ property: 'body', requirement: { type: requirement } })]);
  else expect(answer.text).toContain(message);
}

describe.each([
  ['bigchange', 'createContactGroup', [400], { name: 'x' }],
  ['8x8', 'createContact', [400], { addresses: { msisdn: '16511112222' } }],
  ['eloqua', 'createContactSegment', [400], { name: 'x' }],
  ['easify', 'createContactGroup', [422], { name: 'x' }],
] as const)('%s payloads', (api, operationId, envelopeStatus, valid) => {
  const params = { accountId: ACCOUNT };

  it('answers malformed JSON with the documented error instead of hanging', async () => {
    // Bare Prism never answers malformed JSON. A hang is a thrown timeout here, long before the
    // test's own; how fast the answer comes is for the benchmark, not for a test.
    const answer = await client.call(api, operationId, { params, raw: '{"name": "x",', timeoutMs: 10_000 });
    expect(envelopeStatus).toContain(answer.status);
    expectNamed(api, answer, 'not valid JSON', 'IsValidRequirement');
  });

  it('answers a wrong content type with a documented 4xx', async () => {
    const answer = await client.call(api, operationId, {
      params,
      raw: JSON.stringify(valid),
      headers: { 'content-type': 'text/plain' },
    });
    expect(envelopeStatus).toContain(answer.status);
    expectNamed(api, answer, 'Content-Type text/plain is not supported', 'IsValidRequirement');
  });

  it('answers an empty body with a documented 4xx', async () => {
    const answer = await client.call(api, operationId, { params, raw: '' });
    expect([400, 422]).toContain(answer.status);
    expectNamed(api, answer, 'body is required', 'NotNullRequirement');
  });

  it('answers 1 MB bodies with a documented 4xx: a 1 MB field, and a body over the 1 MiB cap', async () => {
    // A 1 MB value where a rule bounds it: 8x8's msisdn pattern, Easify's inferred 255; Eloqua's and
    // BigChange's names have no stated limit, so their 1 MB field goes where one is bounded (a header-free id).
    const field =
      api === '8x8'
        ? { addresses: { msisdn: '1'.repeat(1_000_000) } }
        : api === 'eloqua'
          ? { name: 'x', elements: [{ isIncluded: 'x'.repeat(1_000_000) }] }
          : api === 'bigchange'
            ? { name: 7, padding: 'x'.repeat(1_000_000) }
            : { name: 'x'.repeat(1_000_000) };
    const big = await client.call(api, operationId, { params, body: field });
    expect([400, 422]).toContain(big.status);
    expect(big.text.length).toBeLessThan(2000);
    const over = await client.call(api, operationId, { params, body: { ...valid, padding: 'p'.repeat(1024 * 1024) } });
    expect(envelopeStatus).toContain(over.status);
    expectNamed(api, over, 'larger than 1 MB', 'IsValidRequirement');
    // The server is still fine afterwards.
    expect(
      (
        await client.call(api, operationId, {
          params,
          body: { ...valid, ...(api === '8x8' ? {} : { name: `after ${Date.now()}` }) },
        })
      ).status,
    ).toBeLessThan(300);
  });
});

describe('requests outside the specs', () => {
  it('answers an unknown prefix, path and method without crashing', async () => {
    const { request } = await import('undici');
    const prefix = await request(`${mock.url}/nope/x`);
    expect(prefix.statusCode).toBe(404);
    expect(await prefix.body.text()).toContain('/bigchange');
    const method = await request(`${mock.url}/easify/api/v2/contact-groups/create`);
    expect(method.statusCode).toBe(405);
    expect(method.headers.allow).toBe('POST');
    await method.body.dump();
  });
});

describe('CORS, as prism mock does by default', () => {
  it('answers a browser preflight and allows the caller origin on answers', async () => {
    const { request } = await import('undici');
    const url = `${mock.url}/easify/api/v2/contact-groups/create`;
    const origin = 'http://localhost:3000';
    const pre = await request(url, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type',
      },
    });
    await pre.body.dump();
    expect(pre.statusCode).toBe(204);
    expect(pre.headers['access-control-allow-origin']).toBe(origin);
    expect(pre.headers['access-control-allow-methods']).toBe('POST');
    expect(pre.headers['access-control-allow-headers']).toBe('authorization,content-type');
    const answer = await client.call('easify', 'createContactGroup', {
      body: { name: 'from a browser' },
      headers: { origin },
    });
    expect(answer.status).toBe(200);
    expect(answer.headers['access-control-allow-origin']).toBe(origin);
    // Sent whole, its length said: not in chunks.
    expect(answer.headers['content-length']).toBe(String(Buffer.byteLength(answer.text)));
    expect(answer.headers['transfer-encoding']).toBeUndefined();
  });
});
